import Foundation
/// The conversation as a transition function: `(state, customer line) -> (state, effects)`.
/// It holds the knowledge and the matcher, both immutable, so one engine serves any number of
/// conversations, and the same lines always give the same replies.
public struct DialogueEngine: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// At or above: answer directly.
        public var answerThreshold: Double = 0.42
        /// At or above (but below answerThreshold): offer a numbered menu of the closest entries.
        public var clarifyThreshold: Double = 0.24
        /// When the best two are this close and both answerable, ask which one was meant.
        public var ambiguityMargin: Double = 0.02
        public var maxOptions: Int = 3
        public init() {}

        /// Whether scores `best` and `second` (0 when there is none) are answered outright at `threshold` (the answer
        /// threshold unless another is studied): the best reaches it, and no second candidate that also reaches it is
        /// within the ambiguity margin. The chat's rule, and `ScopeReport`'s over a sweep of thresholds.
        public func answersOutright(best: Double, second: Double, at threshold: Double? = nil) -> Bool {
            let bar = threshold ?? answerThreshold
            return best >= bar && !(second >= bar && best - second < ambiguityMargin)
        }
    }

    public let knowledge: KnowledgeBase
    public let matcher: Matcher
    public let configuration: Configuration
    public let compliance = ComplianceChecker()
    private let detector = LanguageDetector()
    private let choices = ChoiceParser()
    let advice: AdviceFlow
    let objections: ObjectionFlow
    let escalation: EscalationFlow
    let openings: AdviceOpeningReader
    /// Entry positions by id (the first of duplicates, as `KnowledgeBase.entry(id:)`): a linear search
    /// per turn was 7% of a turn at 10,000 entries.
    private let entryIndexByID: [String: Int]

    public init(knowledge: KnowledgeBase, configuration: Configuration = Configuration()) {
        self.knowledge = knowledge
        self.configuration = configuration
        var examples: [(entry: Int, text: String)] = []
        for (index, entry) in knowledge.entries.enumerated() {
            for example in entry.examples { examples.append((index, example.text)) }
        }
        let extractor = FeatureExtractor(synonyms: knowledge.synonyms)
        // Models train in turn on one queue, in the order they are made (see `ModelBox.training`): what a first line
        // needs comes first (the FAQ, the safety reader, the advice openings), the profile and objection readers after.
        // Figures as one placeholder (matching.txt): "借了三万分12期 想提前还清" is about early repayment whatever the
        // amount, and a customer's phone or card number never changes the match.
        var prepare: (@Sendable (String) -> String)?
        if knowledge.figuresAsPlaceholder { prepare = { @Sendable text in NumberParser.placeholdingAmounts(text) } }
        self.matcher = Matcher(entryCount: knowledge.entries.count, examples: examples, extractor: extractor, prepare: prepare)
        let safety = EscalationReader(knowledge: knowledge, extractor: extractor)
        self.openings = AdviceOpeningReader(knowledge: knowledge, extractor: extractor)
        self.advice = AdviceFlow(knowledge: knowledge, answers: ProfileAnswerReader(answers: knowledge.profileAnswers, extractor: extractor))
        self.objections = ObjectionFlow(knowledge: knowledge, extractor: extractor)
        // Needed only once a profile question waits: trained last.
        let answering = EscalationReader(knowledge: knowledge, extractor: extractor, answering: true)
        self.escalation = EscalationFlow(knowledge: knowledge, reader: safety, answeringReader: answering)
        var index: [String: Int] = [:]
        for (position, entry) in knowledge.entries.enumerated() where index[entry.id] == nil { index[entry.id] = position }
        self.entryIndexByID = index
    }

    /// Blocks until every model is trained (benchmarks time turns, not training).
    public func waitUntilReady() {
        matcher.waitUntilReady()
        escalation.reader.reader.waitUntilReady()
        escalation.answeringReader.reader.waitUntilReady()
        openings.reader.waitUntilReady()
        advice.extractor.answers?.waitUntilReady()
        objections.objectionMatcher.waitUntilReady()
        objections.reasonMatcher.waitUntilReady()
    }

    /// The FAQ matcher's ranking of a line, read as a turn reads it (figures as one placeholder).
    public func match(_ text: String) -> MatchResult { matcher.match(text) }

    /// The escalation reader's ranking of a line (for `/why` and the corpus reports).
    public func escalationCandidates(_ text: String) -> [ExampleReader.Candidate] { escalation.reader.reader.read(text) }

    private func entry(id: String) -> FAQEntry? { entryIndexByID[id].map { knowledge.entries[$0] } }

    public var messages: MessageCatalog { knowledge.messages }

    /// The commands the engine understands, for `/help` and tab completion.
    public static let commands = ["/help", "/quit", "/reset", "/lang", "/why", "/save", "/recommend", "/profile", "/human"]

    public func welcome(_ state: DialogueState) -> String { messages.text(.welcome, state.language) }

    /// Handles one customer line. Blank lines produce no turn at all (nil).
    /// `moment` is the time of the turn (service hours, ticket numbers); injected so replays stay exact.
    public func handle(_ rawInput: String, in state: DialogueState, at moment: Moment = .replayDefault) -> (state: DialogueState, effects: [DialogueEffect], record: TurnRecord)? {
        let input = rawInput.trimmingWhitespace()
        if input.isEmpty { return nil }
        var state = state
        state.turnCount += 1
        // Commands are typed in English whatever the conversation's language, so they never switch it.
        // So are bare acknowledgements ("ok", "好") once the conversation has a language.
        let detected = input.hasPrefix("/") || (state.turnCount > 1 && advice.replies.isAcknowledgement(input)) ? nil : detector.detect(input)
        if case .fixed(let language) = state.languageMode {
            state.language = language
        } else if let detected {
            state.language = detected
        }

        var step = Step(language: state.language, detected: detected, moment: moment)
        var turn = TurnInput(input, matcher: matcher)
        // A product the customer names is "discussed" even when the line escalates or is not understood.
        state.noteProductsDiscussed(knowledge.products.mentioned(inFolded: turn.folded).map { [$0.id] } ?? [])
        switch classify(&turn, state: state) {
        case .command:
            command(input, state: &state, step: &step)
        case .escalation(let reading):
            // Crisis, then fraud and security, then the rest by priority: in any state, mid-profile, mid-objection,
            // after "stop selling" or after a handoff, before the line is read as an answer, a question or a sale.
            escalate(reading.rule, input: input, state: &state, step: &step)
        case .doNotContact:
            state.selling = state.selling.stopped(.doNotContact)
            if state.phase != .ended { state.phase = .idle }
            step.reply = messages.text(.doNotContact, state.language)
            step.events.append(DialogueEvent(.doNotContact))
        case .menuPick(let pick, let options):
            if pick >= 1 && pick <= options.count, let entry = entry(id: options[pick - 1]) {
                state.phase = .idle
                state.misunderstandings = 0
                step.matched = entry.id
                step.score = 1
                step.reply = entry.answer[state.language]
                step.events.append(DialogueEvent(.answered, entry.id))
                state.lastDecision = Decision(input: input, canonicalText: input, detectedLanguage: detected,
                                              candidates: [.init(id: entry.id, score: 1)], outcome: .picked)
            } else {
                step.reply = messages.text(.clarifyPick, state.language, ["count": String(options.count)])
            }
        case .confirmationDeclined:
            // Kefu's guess was wrong, not the customer: asked again in other words, never counted as "not understood".
            state.phase = .idle
            step.reply = messages.text(.confirmDeclined, state.language)
            step.events.append(DialogueEvent(.clarificationDeclined))
        case .conversation:
            converse(&turn, state: &state, step: &step)
            escalateLargeAmountInContext(&turn, state: &state, step: &step)
        }
        state.noteProductsDiscussed()

        if !step.diagnostic { step.reply = guardCompliance(step.reply, language: state.language, events: &step.events) }
        var effects: [DialogueEffect] = [.reply(step.reply)]
        effects += step.events.map { .event($0) }
        if let ticket = step.ticket { effects.append(.ticket(ticket)) }
        state.history.recentTurns.append(Transcript.customerPrefix + input)
        state.history.recentTurns.append(Transcript.kefuPrefix + step.reply.replacingAll("\n", with: " "))
        if state.history.recentTurns.count > 12 { state.history.recentTurns.removeFirst(state.history.recentTurns.count - 12) }
        if step.ends {
            state.phase = .ended
            effects.append(.endConversation)
        }
        let record = TurnRecord(input: input, language: state.language, detectedLanguage: detected, matchedID: step.matched,
                                score: step.score, state: state.phase.name, reply: step.reply, events: step.events, endsConversation: step.ends,
                                recommendation: step.recommendation)
        return (state, effects, record)
    }

    /// What a customer line is, decided once, in the order in which things win: a command; then anything a
    /// person must take over (crisis first, then fraud and security, then complaints, anger and a request for
    /// a person: `EscalationReader`, highest priority first); then "stop contacting me"; then the number of a
    /// menu pick; only then an answer, a question or a wish to buy (`converse`).
    enum CustomerLine {
        case command
        case escalation(EscalationReader.Reading)
        case doNotContact
        case menuPick(Int, options: [String])
        /// "No" to the one candidate Kefu asked about.
        case confirmationDeclined
        case conversation
    }

    /// The FAQ score at which a statement with an amount is answered rather than read as a wish to invest or
    /// borrow: "上个月买的定期宝3万 现在想拿出来" scores 0.80 for fixed-term-early-redemption, while "我想投5万" scores
    /// 0.43 for complaint (the 投 of 投诉) and is a wish to invest.
    static let faqOverIntent = 0.6

    /// How well the line answers the question Kefu asked. Plausibly: then an escalation needs the answer-aware reader to
    /// agree (see `classify`), as for a request for advice. Surely: Kefu's own question (the risk warning, "which one?":
    /// "我没有了解过风险" read faintly as a security incident), or the words of an answer to a profile question read at
    /// `sureAnswer` or above. A figure answers a number's question whatever else the line says ("I wrote my will today. I'm
    /// 26.", asked the age), so it is plausible, never sure evidence that the rest is the answer too ("Maybe 3 to 4 years
    /// more then I go home for good", asked how long: 0.70 as the long term).
    private func answerEvidence(_ input: String, state: DialogueState) -> (plausible: Bool, sure: Bool) {
        if AdviceFlow.awaitsAnswer(state.phase) { return (true, true) }
        // "是的，就是这个" (yes to "did you mean …?") read 0.2 as despair; a number or a yes or no is the answer to the menu.
        if case .clarifying(let options) = state.phase {
            let confirmation = advice.replies.confirmation(input)
            if choices.parse(input) != nil || confirmation == false || (options.count == 1 && confirmation == true) { return (true, true) }
        }
        guard case .profiling(let fact) = state.phase else { return (false, false) }
        let words = advice.wordsAnswerScore(input, pending: fact)
        let figure = advice.figureAnswers(input, pending: fact)
        return (words >= Self.plausibleAnswer || figure, words >= Self.sureAnswer || figure)
    }

    static func waitsForProfile(_ phase: DialogueState.Phase) -> Bool {
        switch phase {
        case .profiling, .confirmingIncome: return true
        default: return false
        }
    }

    /// The FAQ tag of answers that describe a product on offer: only after one of them does advice follow an answer
    /// (never after an answer about a loan, a repayment or a fee the customer already has).
    static let productTag = "products"

    /// The advice-opening reader's score at which a question the FAQ answered also starts advice after the answer.
    /// Dev: 0.4 to 0.6 alike, 2 more of 64 openings and none of the 312 money questions (after any answer, not only
    /// a product's: 4 money questions at 0.4, 2 at 0.8).
    static let answeredThenAdvice = 0.5

    /// How much surer the opening reader must be than the FAQ's best answer for a question to start advice. Dev: never
    /// (the rule off) 56 of 64 simulations; 0.25 to 0.4 alike, 59, with no money question starting advice.
    static let openingOverFAQ = 0.25

    /// The opening reader's score at which a question reads as a wish to borrow rather than about a loan already there
    /// (dev: at 0.8 no money question started advice, and 2 more simulated customers were served).
    static let sureLoanWish = 0.8

    /// Facts in one line that make it a customer describing themselves (see `AdviceOpeningReader.describedFloor`).
    static let factsThatDescribe = 2

    /// How surely a line that asks must answer the pending question to be read as the answer, not the question:
    /// "留着养老，万一有个病啥的" (啥 is a question word) reads 0.57 as the goal retirement, "提现多久到账" 0.36 as a
    /// horizon (dev simulations alike at 0.5 and 0.6; 0.6 answered the first as a question about the pension fund).
    static let sureAnswer = 0.5

    /// The safety reader's score under which a sure reading of the line as a request for advice (`sureOpening`) wins.
    /// Dev: 0.3 and 0.4 read the same crisis, fraud and person lines; 0.4 kept one more opening from a false alarm.
    static let openingOverrulesReading = 0.4
    /// How sure that reading must be: at the reader's own bar (0.4), "i want to jump off my building" (0.49 as a wish to
    /// invest, 0.23 as despair) lost its crisis reading; at 0.6 the dev simulations pass alike.
    static let sureOpening = 0.6

    /// How surely a line must answer the pending question for the answer-aware reader's "nothing here" to stand.
    static let plausibleAnswer = 0.3

    /// The reader's score at which an escalation outranks a do-not-contact phrase in the same line ("以后不要再给我推销了"
    /// reads 0.26 as despair; "没有以后了，别再给我推荐什么养老理财了" 0.46: at 0.5 it was only "we'll stop"; dev crisis-r2
    /// 153 → 154 of 160, nothing else changed).
    static let overrulesDoNotContact = 0.4

    private func classify(_ turn: inout TurnInput, state: DialogueState) -> CustomerLine {
        if turn.input.hasPrefix("/") { return .command }
        var reading = escalation.read(folded: turn.folded, input: turn.input)
        if let found = reading, !found.byKeywords {
            // The line's reading as a request for advice, read once and only when needed.
            lazy var opening = openings.intent(turn.input, floor: 0)
            let answer = answerEvidence(turn.input, state: state)
            let answerOrOpening = answer.plausible || (opening?.score ?? 0) >= AdviceOpeningReader.threshold
            lazy var whileAnswering = escalation.readWhileAnswering(folded: turn.folded, input: turn.input)
            if answerOrOpening, whileAnswering.reading == nil || (answer.sure && whileAnswering.nothingFirst) {
                // "Not one fen. This is everything I have.", asked how much loss is acceptable, read as despair (0.72), and
                // so did "我六十五了，娃儿们都在外头，想把养老钱放稳当点" (0.60), a request for advice. A line that plausibly answers
                // the question asked, or opens advice, and in which the reader that also knows the profile answers finds
                // nothing, is that answer or that request. A crisis line is neither nothing to that reader, and still escalates.
                // A line that surely answers (Kefu's own question, or a profile question read at `sureAnswer`) needs only
                // that reader to rank "nothing" first: "我没有了解过风险" (the risk warning waits) read 0.22 as despair behind
                // "none" at 0.23, "啥也没买过，一辈子就认银行" (asked about experience) 0.21 behind 0.27. (With a plausible
                // answer only, it cost 3 of the 170 dev crisis lines said after "我想理财".)
                reading = nil
            } else if let score = found.score, score < Self.openingOverrulesReading, state.phase == .idle,
                      let opening, opening.score >= Self.sureOpening, opening.score > score {
                // A first request for advice that the safety reader only faintly doubts is that request: "hi can i get a
                // personal loan? getting married in october and need a bit more for the banquet" read 0.16 as a request for
                // a person (opening 0.9), "想买车，首付够了，剩下的想在你们这贷" 0.18 as despair.
                reading = nil
            }
        }
        let doNotContact = knowledge.phrases.isDoNotContact(turn.folded)
        // "以后不要再给我推销了" is exactly a do-not-contact phrase; the reader's faint guess of despair (0.26) does not
        // outrank what the words plainly say. Keywords, or a confident reading, still do.
        if let reading, reading.byKeywords || !doNotContact || (reading.score ?? 0) >= Self.overrulesDoNotContact {
            return .escalation(reading)
        }
        if doNotContact { return .doNotContact }
        if case .clarifying(let options) = state.phase {
            if let pick = choices.parse(turn.input) { return .menuPick(pick, options: options) }
            // One candidate was asked as a yes/no question ("您是想问『提现多久能到账』吗？"): a yes answers it. A bare no
            // ("不是", "nope", "都不是" to a menu) declines the guess; a longer line ("不是，我是问手续费") is a new question
            // and read as one.
            if let right = advice.replies.confirmation(turn.input) {
                if right, options.count == 1 { return .menuPick(1, options: options) }
                if !right, advice.replies.isOneClause(turn.input) { return .confirmationDeclined }
            }
        }
        return .conversation
    }

    private struct Step {
        var language: Language
        var detected: Language?
        var moment: Moment
        var ticket: HandoffTicket?
        var reply = ""
        var matched: String?
        var score: Double?
        var events: [DialogueEvent] = []
        var ends = false
        var recommendation: TurnRecord.Recommendation?
        /// `/why`: a report that quotes the customer's words and entry ids ("no-guarantee"), not a sentence
        /// Kefu says to a customer, so the compliance guard does not replace it.
        var diagnostic = false

        mutating func take(_ outcome: AdviceFlow.Outcome) {
            reply = outcome.reply
            events += outcome.events
            recommendation = outcome.recommendation
        }
    }

    /// A customer message that is not a command: the advice conversation first when one is under way,
    /// then advice requests, then FAQ answers.
    private func escalate(_ rule: EscalationRules.Rule, input: String, state: inout DialogueState, step: inout Step, prefix: String? = nil,
                          detail: String? = nil) {
        let result = escalation.escalate(rule, state: &state, at: step.moment, input: input, detail: detail, riskLevel: assessedLevel(state))
        step.reply = (prefix.map { $0 + "\n" } ?? "") + result.reply
        step.events += result.events
        step.ticket = result.ticket ?? step.ticket
    }

    private func converse(_ turn: inout TurnInput, state: inout DialogueState, step: inout Step) {
        let input = turn.input
        // Ranked only once something is withheld: a profile answer must not pay for an FAQ ranking it never uses.
        let withheld = !state.withheldTags.isEmpty && (turn.faqMatch().best.map { best in
            best.score >= configuration.clarifyThreshold && !state.withheldTags.isDisjoint(with: knowledge.entries[best.entryIndex].tags)
        } ?? false)
        if withheld || (state.wellbeing.contains(.selling) && !isConfidentAnswer(turn.faqMatch())) {
            // After a crisis or "I can't repay", answers that would offer credit or products, and cheerful small talk,
            // are withheld (`withholds:`): "how do I apply for a loan" after "I'm thinking about ending things tonight".
            // After a crisis, whatever is not a plain question (a profile answer, "what's the best product then?")
            // gets warmth and the hotline again: never a menu, a product or "not understood".
            step.reply = messages.text(state.wellbeing.contains(.selling) ? .sellingAfterCrisis : state.stopMessage, state.language)
            if state.phase != .ended { state.phase = .idle }
            state.misunderstandings = 0
            return
        }
        // A question of Kefu's own waits for its answer (the risk warning, "which one?", "shall I put you
        // through?"): that answer is not an objection, so the advice flow reads it first.
        var answering = false
        if AdviceFlow.awaitsAnswer(state.phase), let outcome = advice.continueConversation(input, state: &state) {
            if outcome.salesHandoff, let rule = knowledge.escalation.firstRule(where: { $0 == .offerAccepted }) {
                escalate(rule, input: input, state: &state, step: &step)
                return
            }
            if outcome.unclear, isConfidentAnswer(turn.faqMatch()) {
                // A real question while the warning waits: answered below, then the warning's question again.
                answering = true
            } else {
                step.take(outcome)
                state.misunderstandings = 0
                return
            }
        }
        if !answering, answerMoneyMovement(&turn, state: &state, step: &step) { return }
        // A line the FAQ answers with confidence is a question, unless it says it corrects something: reading
        // every later line for profile facts was a quarter of a long conversation after a stop.
        if !answering, state.sellingStopped, knowledge.canRecommend,
           advice.saysCorrection(input) || !isConfidentAnswer(turn.faqMatch()),
           let outcome = advice.noteCorrection(input, state: &state) {
            // A correction after "stop selling": acknowledged politely, and nothing is recommended.
            step.take(outcome)
            state.misunderstandings = 0
            return
        }
        // A question the FAQ can answer (or offer a menu for) is answered in every objection state, and after
        // selling stopped: never taken as a "no", as the reason for one, or swallowed by the second-no reply.
        let faqQuestion = !answering && advice.replies.asks(input) && !knowledge.phrases.isRefusal(turn.folded)
            && isFAQAnswerable(turn.faqMatch())
        if !answering, !faqQuestion, let outcome = objections.handle(&turn, state: &state) {
            step.take(outcome)
            state.misunderstandings = 0
            return
        }
        let inAdvice = state.profile.intent != nil && !state.isMinor && !state.sellingStopped
        // Mid-objection a side question ("能随时取出来吗") is answered, not read as profile facts that would
        // bring back the whole recommendation; only a decision to buy goes to the advice conversation.
        let midObjection: Bool = { switch state.phase { case .objectionProbing, .reoffered: return true; default: return false } }()
        // A question in the middle of the profile ("提现多久到账", asked how long the money can stay) is answered and the
        // same question comes back: the pending fact's reader reads anything as something, so a line that asks, that the
        // FAQ answers with confidence, and that is no sure answer, is the question.
        let asksMidProfile: Bool = {
            guard case .profiling(let fact) = state.phase, advice.replies.asks(input) || ProfileAnswerReader.isQuestion(input) else { return false }
            return isConfidentAnswer(turn.faqMatch()) && advice.answerScore(input, pending: fact) < Self.sureAnswer
        }()
        if inAdvice, !answering, !asksMidProfile, !midObjection || advice.replies.wantsToBuy(input, withoutNames: input, namesProduct: false),
           let outcome = advice.continueConversation(input, state: &state) {
            step.take(outcome)
            state.misunderstandings = 0
            escalateLargeAmount(input, state: &state, step: &step)
            return
        }
        if inAdvice, !answering, !midObjection, case .profiling = state.phase, !isConfidentAnswer(turn.faqMatch()),
           let outcome = advice.unread(input, state: &state) {
            // An answer Kefu cannot read, while the profile is collected, is its own failure: asked again in other
            // words, then as numbered choices; never "not understood", never counted toward a ticket.
            step.take(outcome)
            state.misunderstandings = 0
            return
        }
        let result = turn.faqMatch()
        if let best = result.best, knowledge.entries[best.entryIndex].action != nil, best.score >= configuration.clarifyThreshold, inAdvice || state.sellingStopped {
            // Asked for advice again: show the (updated) recommendation, or say that selling has stopped.
            step.matched = knowledge.entries[best.entryIndex].id
            step.take(state.sellingStopped ? AdviceFlow.Outcome(reply: messages.text(state.stopMessage, state.language)) : advice.again(state: &state))
            return
        }
        // A question is answered before anything is sold: "借了三万分12期 想提前还清 有违约金吗" names a loan and an
        // amount, and started the loan profile. Advice starts from a question only when the FAQ has nothing for it.
        // A question the FAQ has an answer for ("what's the minimum to buy the CSI 300 index fund") is answered, even
        // when it also reads like a request for advice; "What should I invest in?" has no FAQ answer and starts advice.
        let questionForFAQ = advice.replies.asks(input) && isFAQAnswerable(result, ignoringActions: true)
        if let best = result.best, let action = knowledge.entries[best.entryIndex].action, best.score >= configuration.clarifyThreshold, !inAdvice,
           !questionForFAQ {
            let intent: InvestorProfile.Intent = action == "recommend-loan" ? .loan : .invest
            step.matched = knowledge.entries[best.entryIndex].id
            step.score = (best.score * 1000).rounded() / 1000
            step.take(advice.start(input, state: &state, intent: intent))
            escalateLargeAmount(input, state: &state, step: &step)
            return
        }
        if !inAdvice && knowledge.canRecommend {
            // Whether the line opens advice is read from the advice requests' examples (`AdviceOpeningReader`); the
            // facts in it are read only when advice starts.
            let reading = turn.plainReading()
            // A line the FAQ cannot place at all is read with a lower bar: better the advice questions than "not understood".
            let unplaced = result.bestScore < configuration.answerThreshold
            // A customer telling two or more facts about themselves ("我30岁，上班族，月入一万，想投5万…") is describing
            // themselves to get advice: the faintest reading of a wish to invest or borrow is enough.
            let stated = advice.volunteered(input)
            let describes = stated.facts.count >= Self.factsThatDescribe
            // (A question keeps the usual bar: "买基金之前想知道每只的起购金额 在哪看" is a question the FAQ missed, not a wish.)
            let asks = advice.replies.asks(input)
            // After "stop selling", or from a minor, a request for advice only gets the polite reason nothing is offered:
            // the lower bar costs nothing ("what else do you recommend?" after a second no).
            let refusesAnyway = state.sellingStopped || state.isMinor
            let floor = describes ? AdviceOpeningReader.describedFloor
                : (unplaced && !asks) || refusesAnyway ? AdviceOpeningReader.unansweredFloor : AdviceOpeningReader.threshold
            var opening = openings.intent(input, floor: floor)
            if let read = opening, let intent = stated.intent, stated.value(.amount) != nil, read.intent != intent {
                // "我35岁，上班族，月入两万，想借5万": the amount's verb says borrow, whatever the opening reads as.
                opening = (intent, read.score)
            }
            if opening == nil, describes, let intent = stated.intent, stated.value(.amount) != nil {
                // "我20岁，学生，没有收入，想投1000，存钱，一年不用…": a profile in one line with an amount to invest or
                // borrow (the amount's verb is the number grammar's, as for any amount) reads as few openings do.
                opening = (intent, 0)
            }
            // A statement with an amount ("上个月买的定期宝3万 现在想拿出来") is about money already there when the FAQ
            // ranks one of its answers first, and confidently.
            let faqFirst = result.best.map { knowledge.entries[$0.entryIndex].action == nil && $0.score >= Self.faqOverIntent } ?? false
            // A minor's wish to borrow or invest gets the minor's answer, question or not. (After "stop selling" the
            // start says why nothing is offered: that reply stands.)
            // A question the FAQ only faintly answers, that reads far more surely as a wish for advice, is that wish: "just
            // started my first job, wanna start investing but no clue where to begin" (FAQ: when earnings start, 0.44;
            // opening: 0.73).
            // A question that reads as borrowing must read so surely (`sureLoanWish`): it is often about a loan the customer
            // already has ("Hi, I have a 3-month loan of ¥6,000 and the first instalment isn't due yet. Can I just pay
            // everything now?": FAQ 0.26, opening 0.67), and is then answered; "Can I apply for a loan?" after telling of a
            // wedding banquet reads 0.89.
            let surerThanFAQ = opening.map {
                $0.score >= result.bestScore + Self.openingOverFAQ && ($0.intent == .invest || $0.score >= Self.sureLoanWish)
            } ?? false
            if let opening, !questionForFAQ || state.isMinor || surerThanFAQ, !faqFirst {
                step.score = (opening.score * 1000).rounded() / 1000
                step.take(advice.start(input, state: &state, intent: opening.intent, read: reading))
                escalateLargeAmount(input, state: &state, step: &step)
                return
            }
            // Facts said in passing (in a question, or small talk) are kept, and not asked again when advice starts. A minor
            // said so ("我今年16岁，过年收了好多压岁钱，能不能买理财呀" gets the answer that accounts need 18): noted, and nothing
            // is recommended from then on.
            let wasMinor = state.isMinor
            advice.remember(stated, state: &state)
            if state.isMinor && !wasMinor { step.events.append(DialogueEvent(.minorDetected)) }
        }
        if !faqQuestion, result.bestScore < configuration.answerThreshold, let outcome = objections.handle(&turn, lenient: true, state: &state) {
            // Not a question Kefu can answer but like a "no": handled as one rather than "not understood".
            step.take(outcome)
            state.misunderstandings = 0
            return
        }
        if case .reoffered(_, let productID) = state.phase, result.bestScore < configuration.clarifyThreshold,
           let product = knowledge.products.product(id: productID) {
            // A question the FAQ cannot place, right after a re-offer, is about the product on offer
            // ("能随时取出来吗"): its facts and risk, and the re-offer still waits for its answer.
            let values = advice.fill(product, level: advice.assessment(state).level, language: state.language)
            step.reply = messages.text(.mismatchDetails, state.language, values)
            state.misunderstandings = 0
            return
        }
        let phaseBefore = state.phase
        answer(input, state: &state, step: &step, result: result)
        if step.matched != nil, case .idle = state.phase, !inAdvice, knowledge.canRecommend, !state.sellingStopped, !state.isMinor, state.wellbeing.isEmpty,
           entry(id: step.matched!)?.tags.contains(Self.productTag) ?? false, let opening = openings.intent(input, floor: Self.answeredThenAdvice) {
            // "Running a courier outlet and need a few more vans. Any business loans?" is answered (the merchant loan's
            // facts), and it says what the customer wants to do: the advice conversation follows the answer.
            let start = advice.start(input, state: &state, intent: opening.intent, read: turn.plainReading())
            step.reply += "\n" + start.reply
            step.events += start.events
            step.recommendation = start.recommendation ?? step.recommendation
        }
        if case .reoffered = phaseBefore, state.phase == .idle {
            // A side question after the re-offer: the re-offer still waits for its answer.
            state.phase = phaseBefore
        }
        if case .objectionProbing = phaseBefore, state.phase == .idle {
            // A question instead of the reason: answered; the gentle "why" is not asked again.
            state.phase = phaseBefore
        }
        if step.matched == nil, let rule = knowledge.escalation.firstRule(where: { if case .misunderstood(let n) = $0 { return state.misunderstandings >= n } else { return false } }) {
            // Not understood twice in a row: a person takes over rather than a third "sorry".
            escalate(rule, input: input, state: &state, step: &step)
            state.misunderstandings = 0
            return
        }
        if let matched = step.matched, !(entry(id: matched)?.file.hasPrefix("smalltalk") ?? false) {
            // Counted per reply language: the same question again in the other language (or after /lang)
            // asks for the answer in that language; it is not a sign that the answer did not help.
            let asked = matched + "@" + state.language.rawValue
            state.history.answerCounts[asked, default: 0] += 1
            if !state.history.topics.contains(matched) { state.history.topics.append(matched) }
            if let rule = knowledge.escalation.firstRule(where: { if case .repeated(let n) = $0 { return state.history.answerCounts[asked]! >= n } else { return false } }),
               state.handoff.ticket == nil, !Self.waitsForProfile(phaseBefore) {
                // Asked for the same thing again: the answer did not help, so offer a person as well. (Not while a
                // profile question waits: there the same line twice is an answer Kefu took for a question, and a
                // customer is never handed over for Kefu's own failure to understand.)
                escalate(rule, input: input, state: &state, step: &step, prefix: step.reply)
                return
            }
        }
        if inAdvice {
            // Answered a question in the middle of the profile: come back to the pending question.
            if case .profiling = phaseBefore { state.phase = phaseBefore }
            if case .confirmingIncome = phaseBefore { state.phase = phaseBefore }
            if case .riskWarning = phaseBefore { state.phase = phaseBefore }
            if phaseBefore == .recommended && state.phase == .idle { state.phase = .recommended }
            if let again = advice.reask(state: state) { step.reply += "\n" + again }
        }
    }

    /// The ranked entries of a match, by id, for `/why`.
    private func scored(_ result: MatchResult) -> [Decision.Scored] {
        result.candidates.map { Decision.Scored(id: knowledge.entries[$0.entryIndex].id, score: $0.score) }
    }

    /// An entry's title as the question quoted in a confirmation: without its own question mark, which the message has.
    static func questionTitle(_ entry: FAQEntry, _ language: Language) -> String {
        var title = entry.title(in: language).trimmingWhitespace()
        while let last = title.last, "？?。.".contains(last) { title.removeLast() }
        return title
    }

    /// The lowest score an entry needs to be offered in a "did you mean" menu.
    static func menuFloor(_ best: Double, _ configuration: Configuration) -> Double {
        max(configuration.clarifyThreshold, best * 0.6)
    }

    /// The FAQ would answer this outright or offer a menu of FAQ entries (not an advice request).
    /// `ignoringActions`: judged on the FAQ's answers alone, as if the advice requests were not there (a question
    /// that also looks like a request for a loan).
    private func isFAQAnswerable(_ result: MatchResult, ignoringActions: Bool = false) -> Bool {
        let best = ignoringActions ? result.candidates.first { knowledge.entries[$0.entryIndex].action == nil } : result.best
        guard let best, best.score >= configuration.clarifyThreshold else { return false }
        let floor = Self.menuFloor(best.score, configuration)
        return result.candidates.contains { knowledge.entries[$0.entryIndex].action == nil && $0.score >= floor }
    }

    /// FAQ topics about moving money in or out: a question about them with an amount is answered from them.
    static let moneyMovementTags: Set<String> = ["withdrawal", "top-up", "transfer"]

    /// "我要提现5万", "I want to withdraw 5000": a withdrawal, top-up or transfer with an amount below the
    /// large-amount limit is answered from the FAQ entry closest to it, never read as advice (the amount is
    /// not an amount to invest) nor "not understood" because the number lowered the match. The pending
    /// question of an advice conversation follows, as after any answered question.
    private func answerMoneyMovement(_ turn: inout TurnInput, state: inout DialogueState, step: inout Step) -> Bool {
        if case .profiling(.amount) = state.phase { return false }
        // "想投10万" moves money too, but into an investment: that is advice.
        guard knowledge.escalation.smallMovedAmount(among: turn.movedAmounts(knowledge.escalation)) != nil,
              turn.plainReading().extraction.intent == nil else { return false }
        let result = turn.faqMatch()
        guard let best = result.best, best.score >= 0.1, knowledge.entries[best.entryIndex].action == nil,
              !Set(knowledge.entries[best.entryIndex].tags).isDisjoint(with: Self.moneyMovementTags) else { return false }
        let entry = knowledge.entries[best.entryIndex]
        step.matched = entry.id
        step.score = (best.score * 1000).rounded() / 1000
        step.reply = entry.answer[state.language]
        step.events.append(DialogueEvent(.answered, entry.id))
        state.misunderstandings = 0
        if !state.history.topics.contains(entry.id) { state.history.topics.append(entry.id) }
        state.lastDecision = Decision(input: turn.input, canonicalText: result.canonicalText, detectedLanguage: step.detected,
                                      candidates: scored(result), outcome: .answered)
        switch state.phase {
        case .profiling, .confirmingIncome, .riskWarning, .recommended:
            if state.profile.intent != nil, !state.isMinor, !state.sellingStopped, let again = advice.reask(state: state) { step.reply += "\n" + again }
        case .clarifying, .reoffered, .objectionProbing:
            break
        default:
            state.phase = .idle
        }
        return true
    }

    /// The matcher would answer this from the FAQ outright (not a menu, not an advice request).
    private func isConfidentAnswer(_ result: MatchResult) -> Bool {
        guard let best = result.best else { return false }
        return best.score >= configuration.answerThreshold && knowledge.entries[best.entryIndex].action == nil
    }

    private func answer(_ input: String, state: inout DialogueState, step: inout Step, result: MatchResult) {
        let ranked = scored(result)
        let best = result.best
        step.score = best.map { ($0.score * 1000).rounded() / 1000 }
        let language = state.language
        var outcome: Decision.Outcome
        if let best, configuration.answersOutright(best: best.score, second: result.candidates.count > 1 ? result.candidates[1].score : 0),
           knowledge.entries[best.entryIndex].action == nil {
            let entry = knowledge.entries[best.entryIndex]
            step.matched = entry.id
            step.reply = entry.answer[language]
            step.events.append(DialogueEvent(.answered, entry.id))
            state.phase = .idle
            state.misunderstandings = 0
            outcome = .answered
        } else if isFAQAnswerable(result), let best {
            let floor = Self.menuFloor(best.score, configuration)
            let options = result.candidates.filter { knowledge.entries[$0.entryIndex].action == nil }.prefix(configuration.maxOptions).filter { $0.score >= floor }
            let ids = options.map { knowledge.entries[$0.entryIndex].id }
            if let only = options.first, options.count == 1 {
                // One candidate is a yes/no question, not a one-item menu ("您是想问：1) …").
                step.reply = messages.text(.confirm, language, ["question": Self.questionTitle(knowledge.entries[only.entryIndex], language)])
            } else {
                let lines = options.enumerated().map { "\($0.offset + 1)) \(knowledge.entries[$0.element.entryIndex].title(in: language))" }
                step.reply = messages.text(.clarify, language, ["options": lines.joined(separator: "\n")])
            }
            step.events.append(DialogueEvent(.clarificationOffered, ids.joined(separator: ",")))
            state.phase = .clarifying(options: ids)
            state.misunderstandings = 0
            outcome = .clarified
        } else {
            step.reply = messages.text(.notUnderstood, language)
            step.events.append(DialogueEvent(.notUnderstood))
            state.phase = .idle
            state.misunderstandings += 1
            outcome = .notUnderstood
        }
        state.lastDecision = Decision(input: input, canonicalText: result.canonicalText, detectedLanguage: step.detected,
                                      candidates: ranked, outcome: outcome)
    }

    private func command(_ input: String, state: inout DialogueState, step: inout Step) {
        let parts = input.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = parts[0].lowercased()
        let language = state.language
        switch name {
        case "/help", "/?":
            step.reply = messages.text(.help, language)
        case "/quit", "/exit", "/bye":
            step.reply = messages.text(.goodbye, language)
            step.ends = true
        case "/reset":
            let mode = state.languageMode
            state = DialogueState(language: language, languageMode: mode)
            state.turnCount = 1
            step.reply = messages.text(.reset, language)
            step.events.append(DialogueEvent(.conversationReset))
        case "/lang":
            let argument = parts.count > 1 ? parts[1].lowercased() : ""
            switch argument {
            case "zh", "cn", "中文":
                state.languageMode = .fixed(.zh)
                state.language = .zh
                step.reply = messages.text(.langZh, .zh)
            case "en", "english":
                state.languageMode = .fixed(.en)
                state.language = .en
                step.reply = messages.text(.langEn, .en)
            case "auto":
                state.languageMode = .auto
                step.reply = messages.text(.langAuto, language)
            default:
                step.reply = messages.text(.langUsage, language)
                return
            }
            step.language = state.language
            step.events.append(DialogueEvent(.languageChanged, argument))
        case "/why":
            step.reply = explain(state.lastDecision, language: language)
            step.diagnostic = true
        case "/human", "/agent":
            if let rule = knowledge.escalation.rule(id: "explicit-request") {
                escalate(rule, input: input, state: &state, step: &step)
            } else {
                step.reply = messages.text(.notUnderstood, language)
            }
        case "/recommend":
            let intent: InvestorProfile.Intent = parts.count > 1 && ["loan", "borrow", "借款"].contains(parts[1].lowercased()) ? .loan : .invest
            state.profile = InvestorProfile()
            state.recommended = []
            step.take(advice.start(nil, state: &state, intent: intent))
        case "/profile":
            step.reply = profileReport(state)
        default:
            step.reply = messages.text(.unknownCommand, language, ["command": name])
        }
    }

    /// The `/why` report: which entry won, by how much, and what the matcher actually compared.
    public func explain(_ decision: Decision?, language: Language) -> String {
        guard let decision else { return messages.text(.whyNothing, language) }
        func fmt(_ score: Double) -> String {
            let scaled = Int((score * 1000).rounded())
            return "\(scaled / 1000).\(String(scaled % 1000).leftPadded(to: 3))"
        }
        let zh = language == .zh
        var lines: [String] = []
        lines.append((zh ? "上一句：" : "Last message: ") + decision.input)
        let detected = decision.detectedLanguage?.rawValue ?? (zh ? "未识别" : "none")
        lines.append((zh ? "识别语言：" : "Language detected: ") + detected)
        lines.append((zh ? "匹配用文本：" : "Text matched: ") + decision.canonicalText)
        lines.append((zh ? "结果：" : "Outcome: ") + decision.outcome.rawValue)
        if decision.candidates.isEmpty {
            lines.append(zh ? "没有任何条目相近。" : "No entry came close.")
        }
        for (rank, candidate) in decision.candidates.prefix(4).enumerated() {
            let label = rank == 0 ? (zh ? "最佳" : "best") : (zh ? "其次" : "runner-up")
            lines.append("  \(label): \(candidate.id) \(fmt(candidate.score))")
        }
        lines.append((zh ? "阈值：回答 ≥ " : "Thresholds: answer ≥ ") + fmt(configuration.answerThreshold)
                     + (zh ? "，澄清 ≥ " : ", clarify ≥ ") + fmt(configuration.clarifyThreshold))
        return lines.joined(separator: "\n")
    }

    /// The customer's level for the handoff summary, once every investment fact is known or skipped.
    private func assessedLevel(_ state: DialogueState) -> String? {
        guard knowledge.canRecommend, state.profile.intent == .invest else { return nil }
        let missing = knowledge.suitability.askInvest.filter { !state.profile.has($0) && !state.profile.skipped.contains($0) }
        return missing.isEmpty ? "C\(advice.assessment(state).level)" : nil
    }

    /// An amount at or above the rules' threshold needs a person's decision.
    private func escalateLargeAmount(_ input: String, state: inout DialogueState, step: inout Step) {
        guard let amount = state.profile.amount, state.handoff.ticket == nil,
              let rule = knowledge.escalation.amountRule(reachedBy: amount) else { return }
        // The adviser takes it from here: no further questions or offers from Kefu in this reply.
        step.recommendation = nil
        step.events.removeAll { $0.kind == .recommendationShown }
        state.noteProductsDiscussed()
        state.recommended = []
        state.profile.intent = nil
        escalate(rule, input: input, state: &state, step: &step)
    }

    /// A large amount to withdraw, transfer or invest said anywhere (我要提现60万, mid-objection, after an
    /// answer), not only as the advice conversation's amount: a person decides. Runs after the turn's own
    /// handling; an FAQ answer is kept before the handoff, a menu, a "not understood" or a sales line is not.
    private func escalateLargeAmountInContext(_ turn: inout TurnInput, state: inout DialogueState, step: inout Step) {
        let input = turn.input
        guard step.ticket == nil, let (rule, amount) = knowledge.escalation.largeAmount(among: turn.movedAmounts(knowledge.escalation)) else { return }
        if state.handoff.ticket != nil, escalation.covers(state, rule) != nil, !step.events.contains(where: { $0.kind == .notUnderstood }) {
            return  // Already handed over for this: answer the question rather than repeat the handoff.
        }
        let answered = step.events.contains { $0.kind == .answered } && step.recommendation == nil
        let salesKinds: Set<DialogueEvent.Kind> = [.recommendationShown, .reoffered, .notUnderstood, .clarificationOffered]
        step.events.removeAll { salesKinds.contains($0.kind) }
        step.recommendation = nil
        state.noteProductsDiscussed()
        state.recommended = []
        state.profile.intent = nil
        state.misunderstandings = 0
        let prefix = answered ? step.reply : nil
        escalate(rule, input: input, state: &state, step: &step, prefix: prefix, detail: "amount mentioned: ¥\(Int(amount))")
    }

    /// The `/profile` report: each fact, the risk level and how every rule contributed to it.
    public func profileReport(_ state: DialogueState) -> String {
        let language = state.language
        let zh = language == .zh
        let profile = state.profile
        guard profile.intent != nil || InvestorProfile.Fact.allCases.contains(where: profile.has) else {
            return messages.text(.profileEmpty, language)
        }
        var lines: [String] = [zh ? "您的资料：" : "Your profile:"]
        for fact in InvestorProfile.Fact.allCases {
            if let value = profile.ruleValue(fact) {
                var skipped = profile.skipped.contains(fact) ? (zh ? "（未提供，按保守值）" : " (not given; conservative value)") : ""
                if profile.inferred.contains(fact) { skipped += zh ? "（根据您说的用途推断）" : " (inferred from what you said)" }
                lines.append("  " + AdviceFlow.describe(fact, value, language) + skipped)
            } else {
                lines.append("  " + (zh ? "\(AdviceFlow.factName(fact, .zh))：未提供" : "\(fact.rawValue): not given yet"))
            }
        }
        guard knowledge.canRecommend, profile.intent != .loan else { return lines.joined(separator: "\n") }
        let assessment = advice.assessment(state)
        let order = knowledge.suitability.askInvest
        let missing = order.filter { !profile.has($0) && !profile.skipped.contains($0) }
        if !missing.isEmpty {
            lines.append(zh ? "（资料尚未完整，以下等级按保守值估算，仅供参考）" : "(Profile not complete yet: the level below assumes cautious values for the missing facts.)")
        }
        lines.append((zh ? "风险等级：" : "Risk level: ") + "C\(assessment.level) \(SuitabilityRules.levelName(assessment.level, language))"
                     + (zh ? "（总分 \(assessment.points)）" : " (\(assessment.points) points)"))
        /// A rule's line in the conversation's language: "年龄 58 岁 → +3 分（suitability.txt 第 12 行）".
        func ruleLine(_ rule: SuitabilityRules.Contribution, cap: Bool) -> String {
            guard zh else { return "\(cap ? "cap " : "")\(rule.fact.rawValue) \(rule.value): \(rule.effect)  (suitability.txt:\(rule.line))" }
            let value: RuleValue = Double(rule.value).map { .number($0) } ?? .word(rule.value)
            let effect = cap ? rule.effect.replacingOccurrences(of: "≤ ", with: "最高 ") : rule.effect + " 分"
            return (cap ? "上限 " : "") + AdviceFlow.describe(rule.fact, value, .zh) + " → \(effect)（suitability.txt 第 \(rule.line) 行）"
        }
        for contribution in assessment.contributions { lines.append("  " + ruleLine(contribution, cap: false)) }
        for id in state.acknowledgedRisk {
            lines.append((zh ? "  已确认风险：" : "  risk acknowledged for: ") + (knowledge.products.product(id: id)?.name[language] ?? id))
        }
        for cap in assessment.capsApplied { lines.append("  " + ruleLine(cap, cap: true)) }
        return lines.joined(separator: "\n")
    }

    private func guardCompliance(_ reply: String, language: Language, events: inout [DialogueEvent]) -> String {
        let violations = compliance.violations(in: reply)
        guard !violations.isEmpty else { return reply }
        events.append(DialogueEvent(.complianceBlocked, violations.map(\.phrase).joined(separator: ",")))
        return messages.text(.notUnderstood, language)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
