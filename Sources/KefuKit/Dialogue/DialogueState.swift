/// The whole memory of one conversation, as a value: the engine never mutates anything else, so a
/// conversation can be replayed exactly, copied, or tested without a terminal.
public struct DialogueState: Sendable, Equatable, Codable {
    /// The message saying why Kefu does not recommend now, for whichever stop applies.
    var stopMessage: MessageCatalog.Key {
        if wellbeing.contains(.selling) { return .sellingAfterCrisis }
        if wellbeing.contains(.credit) { return .creditAfterHardship }
        switch selling {
        case .doNotContact: return .sellingStopped
        case .declined: return .sellingDeclined
        case .open, .paused: return .sellingPaused
        }
    }

    public enum LanguageMode: Sendable, Equatable, Codable {
        case auto
        case fixed(Language)
    }

    public enum Phase: Sendable, Equatable, Codable {
        case idle
        /// Kefu offered a numbered menu of entry ids and waits for a number (or a new question).
        case clarifying(options: [String])
        /// Kefu asked for one profile fact and waits for it.
        case profiling(InvestorProfile.Fact)
        /// The customer gave an income without saying per month or per year.
        case confirmingIncome(Double)
        /// Products were recommended; the customer may ask, buy, object or correct the profile.
        case recommended
        /// The customer asked for a product above their level; it is discussed only after an explicit acknowledgement.
        case riskWarning(productID: String)
        /// The customer wants to buy but several products were recommended: Kefu asked which one (ids in order).
        case choosingProduct(options: [String])
        /// The customer decided to buy; Kefu offered to put them through to an adviser and waits for yes or no.
        case handoffOffered(productID: String)
        /// The customer said no; Kefu acknowledged and asked why, and waits for the reason.
        case objectionProbing(objection: String, product: String)
        /// Kefu answered the reason and re-offered; a second no ends the selling of this product.
        case reoffered(objection: String, product: String)
        /// A line read as possible distress that also read as something else: Kefu showed the hotline, wrote the ticket and
        /// asked whether the customer is all right (`WellbeingCheck`).
        indirect case checkingIn(WellbeingCheck)
        case ended

        public var name: String {
            switch self {
            case .idle: return "idle"
            case .clarifying: return "clarifying"
            case .profiling(let fact): return "profiling:\(fact.rawValue)"
            case .confirmingIncome: return "profiling:income-period"
            case .recommended: return "recommended"
            case .riskWarning: return "risk-warning"
            case .choosingProduct: return "choosing-product"
            case .handoffOffered: return "handoff-offered"
            case .objectionProbing: return "objection:probing"
            case .reoffered: return "objection:reoffered"
            case .checkingIn: return "wellbeing-check"
            case .ended: return "ended"
            }
        }
    }

    public var languageMode: LanguageMode
    /// The language of the last reply; used when a message has no letters ("2", "？").
    public var language: Language
    public var phase: Phase
    /// Turns in a row that Kefu could not answer.
    public var misunderstandings: Int
    public var turnCount: Int
    /// What the last understood message was decided on, for `/why`.
    public var lastDecision: Decision?
    /// The customer's profile, filled in during an advice conversation.
    public var profile = InvestorProfile()
    /// How the pending profile question is going (rephrased, choices shown).
    public var questioning = ProfileQuestioning()
    /// What was offered and what the customer did with it.
    public var offer = OfferState()
    /// The customer said they are under 18: no product or loan is ever offered again in this conversation.
    public var isMinor = false
    /// Whether Kefu may still sell, and if not why (a handoff, a second no, do-not-contact).
    public var selling = SellingStatus.open
    /// No selling at all for the rest of the conversation (do-not-contact, a handoff to a person, or a second no).
    public var sellingStopped: Bool { selling != .open }
    /// What the customer's situation rules out for the rest of the conversation, whatever they ask later: after
    /// distress no product and no loan, after "I can't repay" no new credit (`stops:` of an escalation rule).
    public var wellbeing: EscalationRules.Stops = []
    /// The customer was asked whether they are all right (`WellbeingCheck`) and said they are fine: a later line that
    /// reads the same way is no misreading, and gets the whole script (unless it plausibly answers the profile question
    /// waiting and the reader that knows the answers does not read it so: then it is that answer).
    public var saidFineWhenAsked: Bool {
        get { fineWhenAsked ?? false }
        set { fineWhenAsked = newValue }
    }
    /// Optional so that a conversation saved before it (the server's live sessions) still decodes.
    private var fineWhenAsked: Bool?
    /// FAQ tags whose answers are withheld for the rest of the conversation (`withholds:` of the rules that fired).
    public var withheldTags: Set<String> = []
    /// The customer asked not to be sold to.
    public var doNotContact: Bool { selling == .doNotContact }
    /// The customer said no a second time: no unprompted offers for the rest of the conversation (they may
    /// still ask about a product and get the facts).
    public var salesDeclined: Bool { selling == .declined }
    /// The tickets written for a person in this conversation.
    public var handoff = HandoffState()
    /// What happened so far, for the person who may take the conversation over (never cleared).
    public var history = ConversationHistory()

    public init(language: Language = .zh, languageMode: LanguageMode = .auto) {
        self.languageMode = languageMode
        self.language = language
        self.phase = .idle
        self.misunderstandings = 0
        self.turnCount = 0
        self.lastDecision = nil
    }
}

/// Why Kefu answered the way it did: the evidence behind one turn.
public struct Decision: Sendable, Equatable, Codable {
    public struct Scored: Sendable, Equatable, Codable {
        public var id: String
        public var score: Double
    }

    public enum Outcome: String, Sendable, Equatable, Codable {
        case answered, clarified, notUnderstood = "not-understood", picked
    }

    public var input: String
    public var canonicalText: String
    public var detectedLanguage: Language?
    public var candidates: [Scored]
    public var outcome: Outcome
}
