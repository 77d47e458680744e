/// What one customer line is, decided once per turn by `DialogueEngine.classify`, in the order in which readings win:
///
/// 1. a command;
/// 2. anything a person must take over: crisis first, then fraud and security, then complaints, anger and a request
///    for a person (`EscalationReader`, highest priority first), in every phase;
/// 3. "stop contacting me";
/// 4. the pick or the yes/no that answers Kefu's menu;
/// 5. only then the conversation: what is withheld after a crisis, the answer to Kefu's own question, money moved,
///    a correction after selling stopped, a "no" to an offer, a profile answer (read or not), a request for advice,
///    a question.
///
/// The engine then `switch`es over `(phase, line)` (`DialogueEngine.handle`). The readers of the conversation's own
/// flows (advice, objections) answer with the outcome they would give: a line is an objection when the objection flow
/// has an answer for it. Those cases carry that outcome; the flow has already advanced the turn's state to it.
enum CustomerLine {
    case command
    case escalation(EscalationReader.Reading)
    /// A line read as possible distress that also reads as an answer or a request for advice: asked about first, with the
    /// hotline and a ticket (`WellbeingCheck`), with the rule's `check-in` text.
    case wellbeingCheck(EscalationReader.Reading, Bilingual)
    /// The answer to that question.
    case wellbeingAnswer(WellbeingAnswer, WellbeingCheck)
    case doNotContact
    /// A number (or a yes to the one candidate) answering the menu on screen: the pick, counted from 1, and the
    /// entry ids on offer.
    case menuPick(Int, options: [String])
    /// "No" to the one candidate Kefu asked about.
    case confirmationDeclined
    /// After a crisis or "I can't repay", anything that would sell, lend or chat cheerfully.
    case withheld
    /// The customer accepted the offer to be put through to an adviser (`offer-accepted`).
    case handoffAccepted(EscalationRules.Rule)
    /// The answer to a question of Kefu's own (the risk warning, "which one?", "shall I put you through?").
    case answersKefu(AdviceFlow.Outcome)
    /// A withdrawal, top-up or transfer with an amount below the large-amount limit ("我要提现5万"): answered from the
    /// FAQ entry at `entryIndex`, never read as advice.
    case movesMoney(entryIndex: Int, score: Double)
    /// A correction of the profile after selling stopped ("不对，我是45岁").
    case correctionAfterStop(AdviceFlow.Outcome)
    /// A "no" to the product on offer, the reason for one, or a yes to a re-offer.
    case objection(AdviceFlow.Outcome)
    /// Facts for the advice conversation under way (an answer, a correction, a product picked or bought).
    case profileFacts(AdviceFlow.Outcome)
    /// An answer to the pending profile question that could not be read: asked again in other words or as choices.
    case unreadAnswer(AdviceFlow.Outcome)
    /// Asked for advice again while advice is under way or after selling stopped (an FAQ entry with an action).
    case adviceAgain(entryID: String)
    /// A request for advice or a loan: it starts the advice conversation.
    case adviceRequest(AdviceRequest)
    /// A line the FAQ cannot place that is like a "no" (`ObjectionFlow`'s lenient reading).
    case refusalLike(AdviceFlow.Outcome, Passing)
    /// A question for the FAQ (answered, offered as a menu or a confirmation, or not understood).
    case question(Question)

    enum WellbeingAnswer {
        /// Not fine, or anything but fine: the rule's whole script, then any other rule the reply needs a person for.
        case needsHelp(also: EscalationReader.Reading?)
        /// Fine: the line asked about is read again as what it also was.
        case fine
    }

    /// Facts about the customer said in passing, outside the advice conversation, kept for when advice starts.
    struct Passing {
        var facts: ProfileExtractor.Extraction?
        static let none = Passing(facts: nil)
    }

    struct AdviceRequest {
        let intent: InvestorProfile.Intent
        /// The advice entry of the FAQ that matched, when the request was read from the FAQ rather than the openings.
        let entryID: String?
        let score: Double
        /// The line's facts read with no question pending, when already read.
        let reading: ProfileExtractor.Reading?
    }

    struct Question {
        let result: MatchResult
        /// An advice conversation is under way: the pending question comes back after the answer.
        let inAdvice: Bool
        let passing: Passing
        /// The FAQ cannot place it at all (below the menu's floor).
        let unplaced: Bool
    }

    /// The conversation's own lines, as opposed to commands, escalations, do-not-contact and menu answers: a large
    /// amount mentioned in one of them still goes to a person (`escalateLargeAmountInContext`).
    var isConversation: Bool {
        switch self {
        case .command, .escalation, .wellbeingCheck, .wellbeingAnswer, .doNotContact, .menuPick, .confirmationDeclined: return false
        default: return true
        }
    }
}
