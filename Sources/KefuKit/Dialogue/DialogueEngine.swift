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
        /// At or above (but below clarifyThreshold): "not understood", with the closest entries offered as guesses. Dev:
        /// at 0.15 the right entry is offered for 4 more dev money questions (0.1: 7, 0.2: 2), and 19 of the 220 ordinary
        /// lines (questions the FAQ has no entry for, thanks, small talk) get guesses instead of a bare "sorry" (0.1: 37,
        /// 0.2: 9), several of them right ("把钱取回卡上 一般等多久": how long a withdrawal takes).
        public var suggestThreshold: Double = 0.15
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
    let choices = ChoiceParser()
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
        // Models train in the order they are made, two at a time (see `ModelBox.training`): what a first line
        // needs comes first (the FAQ, the safety reader, the advice openings), the profile and objection readers after.
        // Figures as one placeholder (matching.txt): "借了三万分12期 想提前还清" is about early repayment whatever the
        // amount, and a customer's phone or card number never changes the match.
        var prepare: (@Sendable (String) -> String)?
        if knowledge.figuresAsPlaceholder { prepare = { @Sendable text in NumberParser.placeholdingAmounts(text) } }
        self.matcher = Matcher(entryCount: knowledge.entries.count, examples: examples, extractor: extractor, prepare: prepare)
        let safety = EscalationReader(knowledge: knowledge, extractor: extractor)
        self.openings = AdviceOpeningReader(knowledge: knowledge, extractor: extractor)
        self.advice = AdviceFlow(knowledge: knowledge, answers: ProfileAnswerReader(answers: knowledge.profileAnswers, replies: knowledge.replies, extractor: extractor))
        self.objections = ObjectionFlow(knowledge: knowledge, extractor: extractor)
        // Needed only once a profile question waits: trained last.
        let answering = EscalationReader(knowledge: knowledge, extractor: extractor, answering: true)
        // Consulted only when the safety reader finds distress in an answer or an opening (trained with the others).
        let stories = knowledge.escalation.stories.isEmpty ? nil : EscalationReader(knowledge: knowledge, extractor: extractor, answering: true, stories: true)
        self.escalation = EscalationFlow(knowledge: knowledge, reader: safety, answeringReader: answering, storyReader: stories)
        var index: [String: Int] = [:]
        for (position, entry) in knowledge.entries.enumerated() where index[entry.id] == nil { index[entry.id] = position }
        self.entryIndexByID = index
    }

    /// Blocks until every model is trained (benchmarks time turns, not training).
    public func waitUntilReady() {
        matcher.waitUntilReady()
        escalation.reader.reader.waitUntilReady()
        escalation.answeringReader.reader.waitUntilReady()
        escalation.storyReader?.reader.waitUntilReady()
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
        handle(rawInput, in: state, at: moment, resumesCheckIn: false)
    }

    /// `handle`; `resumesCheckIn`: the line is read again after the customer said they are fine (`WellbeingCheck`).
    private func handle(_ rawInput: String, in state: DialogueState, at moment: Moment, resumesCheckIn: Bool) -> (state: DialogueState, effects: [DialogueEffect], record: TurnRecord)? {
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
        // Read in simplified characters (`ChineseScript`); said back and recorded as typed (`turn.typed`).
        var turn = TurnInput(input, matcher: matcher)
        turn.resumesCheckIn = resumesCheckIn
        // A product the customer names is "discussed" even when the line escalates or is not understood.
        state.noteProductsDiscussed(knowledge.products.mentioned(inFolded: turn.folded).map { [$0.id] } ?? [])
        let line = classify(&turn, state: &state)
        // The phase is the one the line leaves the conversation in when the advice or objection flow read it (its
        // outcome is the line's meaning); otherwise the phase the line was said in.
        switch (state.phase, line) {
        case (_, .command):
            command(input, state: &state, step: &step)
        case (_, .escalation(let reading)):
            // Crisis, then fraud and security, then the rest by priority: in any state, mid-profile, mid-objection,
            // after "stop selling" or after a handoff, before the line is read as an answer, a question or a sale.
            escalate(reading.rule, input: input, state: &state, step: &step)
        case (_, .wellbeingCheck(let reading, let text)):
            state.phase = .checkingIn(WellbeingCheck(line: input, ruleID: reading.rule.id, resume: state.phase))
            let result = escalation.checkIn(reading.rule, text: text, state: &state, at: moment, input: input, riskLevel: assessedLevel(state))
            step.reply = result.reply
            step.events += result.events
            if let ticket = result.ticket { step.tickets.append(ticket) }
        case (_, .wellbeingAnswer(.needsHelp(let also), let check)):
            state.phase = check.resume
            // A rule renamed since the state was saved: the first urgent rule with a check-in (distress) still answers.
            let rule = knowledge.escalation.rule(id: check.ruleID) ?? knowledge.escalation.rules.first { $0.checkIn != nil }
            if let rule { escalate(rule, input: input, state: &state, step: &step, detail: EscalationFlow.notFineNote, afresh: true) }
            if let also, also.rule.priority == .urgent || rule == nil { escalate(also.rule, input: input, state: &state, step: &step, prefix: step.reply) }
        case (_, .wellbeingAnswer(.fine, let check)):
            state.phase = check.resume
            state.saidFineWhenAsked = true
            // The check-in's ticket asks a person to look; it hands nothing over: a large amount, a repeated question or a
            // decision to buy still gets its own handoff.
            state.handoff.ticket = nil
            resume(check, state: &state, step: &step)
        case (_, .doNotContact):
            state.selling = state.selling.stopped(.doNotContact)
            if state.phase != .ended { state.phase = .idle }
            step.reply = messages.text(.doNotContact, state.language)
            step.events.append(DialogueEvent(.doNotContact))
        case (_, .menuPick(let pick, let options)):
            pickFromMenu(pick, options: options, input: input, state: &state, step: &step)
        case (_, .confirmationDeclined):
            // Kefu's guess was wrong, not the customer: asked again in other words, never counted as "not understood".
            state.phase = .idle
            step.reply = messages.text(.confirmDeclined, state.language)
            step.events.append(DialogueEvent(.clarificationDeclined))
        case (_, .withheld):
            step.reply = messages.text(state.wellbeing.contains(.selling) ? .sellingAfterCrisis : state.stopMessage, state.language)
            if state.phase != .ended { state.phase = .idle }
            state.misunderstandings = 0
        case (_, .handoffAccepted(let rule)):
            escalate(rule, input: input, state: &state, step: &step)
        case (_, .answersKefu(let outcome)), (_, .correctionAfterStop(let outcome)), (_, .objection(let outcome)), (_, .unreadAnswer(let outcome)):
            step.take(outcome)
            state.misunderstandings = 0
        case (_, .profileFacts(let outcome)):
            step.take(outcome)
            state.misunderstandings = 0
            escalateLargeAmount(input, state: &state, step: &step)
        case (_, .movesMoney(let entryIndex, let score)):
            answerMoneyMovement(knowledge.entries[entryIndex], score: score, turn: &turn, state: &state, step: &step)
        case (_, .adviceAgain(let entryID)):
            step.matched = entryID
            step.take(state.sellingStopped ? AdviceFlow.Outcome(reply: messages.text(state.stopMessage, state.language)) : advice.again(state: &state))
        case (_, .adviceRequest(let request)):
            if let entryID = request.entryID { step.matched = entryID }
            step.score = (request.score * 1000).rounded() / 1000
            step.take(advice.start(turn.input, state: &state, intent: request.intent, read: request.reading))
            escalateLargeAmount(input, state: &state, step: &step)
        case (_, .refusalLike(let outcome, let passing)):
            keep(passing, state: &state, step: &step)
            step.take(outcome)
            state.misunderstandings = 0
        case (.reoffered(_, let productID), .question(let question))
            where isAboutTheOffer(question) && knowledge.products.product(id: productID) != nil:
            // A question the FAQ cannot place, or only guess at, right after a re-offer, is about the product on offer
            // ("能随时取出来吗": its facts and risk, and the re-offer still waits for its answer), not "did you mean 'is
            // there a withdrawal limit?'". A question with two or more FAQ candidates ("密码的事") gets its menu.
            keep(question.passing, state: &state, step: &step)
            let product = knowledge.products.product(id: productID)!
            step.reply = messages.text(.mismatchDetails, state.language, advice.fill(product, level: advice.assessment(state).level, language: state.language))
            state.misunderstandings = 0
        case (_, .question(let question)):
            keep(question.passing, state: &state, step: &step)
            answerQuestion(question, turn: &turn, state: &state, step: &step)
        }
        if line.isConversation { escalateLargeAmountInContext(&turn, state: &state, step: &step) }
        state.noteProductsDiscussed()

        if !step.diagnostic { step.reply = guardCompliance(step.reply, language: state.language, events: &step.events) }
        var effects: [DialogueEffect] = [.reply(step.reply)]
        effects += step.events.map { .event($0) }
        effects += step.tickets.map { .ticket($0) }
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

    private struct Step {
        var language: Language
        var detected: Language?
        var moment: Moment
        /// The tickets written this turn (two when a line read again after a wellbeing check and the reply both escalate).
        var tickets: [HandoffTicket] = []
        var ticket: HandoffTicket? { tickets.last }
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

    /// Hands the conversation to a person by `rule` (ticket, reply and events), after `prefix` when an answer comes first.
    private func escalate(_ rule: EscalationRules.Rule, input: String, state: inout DialogueState, step: inout Step, prefix: String? = nil,
                          detail: String? = nil, afresh: Bool = false) {
        let result = escalation.escalate(rule, state: &state, at: step.moment, input: input, detail: detail, riskLevel: assessedLevel(state), afresh: afresh)
        step.reply = (prefix.map { $0 + "\n" } ?? "") + result.reply
        step.events += result.events
        if let ticket = result.ticket { step.tickets.append(ticket) }
    }

    /// The customer is fine: the line asked about is read again as what it also was (the answer, the request for advice),
    /// with its facts. The turn is one turn: the count and the recent lines are this turn's, not the inner reading's.
    private func resume(_ check: WellbeingCheck, state: inout DialogueState, step: inout Step) {
        let turns = state.turnCount, recent = state.history.recentTurns
        step.events.append(DialogueEvent(.wellbeingFine, check.ruleID))
        guard let again = handle(check.line, in: state, at: step.moment, resumesCheckIn: true) else { return }
        state = again.state
        state.turnCount = turns
        state.history.recentTurns = recent
        let fine = knowledge.escalation.rule(id: check.ruleID)?.checkInFine?[state.language]
        step.reply = (fine.map { $0 + "\n" } ?? "") + again.record.reply
        step.events += again.record.events
        for case .ticket(let ticket) in again.effects { step.tickets.append(ticket) }
        if again.effects.contains(.endConversation) { step.ends = true }
        step.matched = again.record.matchedID
        step.score = again.record.score
        step.recommendation = again.record.recommendation
    }

    /// A menu's pick: the entry's answer, or how many choices there are.
    private func pickFromMenu(_ pick: Int, options: [String], input: String, state: inout DialogueState, step: inout Step) {
        guard pick >= 1 && pick <= options.count, let entry = entry(id: options[pick - 1]) else {
            step.reply = messages.text(.clarifyPick, state.language, ["count": String(options.count)])
            return
        }
        state.phase = .idle
        state.misunderstandings = 0
        if let action = entry.action, let intent = InvestorProfile.Intent(rawValue: String(action.dropFirst("recommend-".count))),
           action.hasPrefix("recommend-") {
            // The advice conversation offered with "not understood": started from the line that was not understood, so that
            // what it said about the customer is kept.
            step.take(advice.start(lastCustomerLine(state).map(ChineseScript.simplified), state: &state, intent: intent))
            return
        }
        step.matched = entry.id
        step.score = 1
        step.reply = entry.answer[state.language]
        step.events.append(DialogueEvent(.answered, entry.id))
        state.lastDecision = Decision(input: input, canonicalText: input, detectedLanguage: step.detected,
                                      candidates: [.init(id: entry.id, score: 1)], outcome: .picked)
    }

    /// Facts said in passing, outside the advice conversation, are kept and not asked again when advice starts. A minor
    /// said so ("我今年16岁，过年收了好多压岁钱，能不能买理财呀" gets the answer that accounts need 18): noted, and nothing
    /// is recommended from then on.
    private func keep(_ passing: CustomerLine.Passing, state: inout DialogueState, step: inout Step) {
        guard let facts = passing.facts else { return }
        let wasMinor = state.isMinor
        advice.remember(facts, state: &state)
        if state.isMinor && !wasMinor { step.events.append(DialogueEvent(.minorDetected)) }
    }

    /// A question for the FAQ: answered, offered as a menu or a confirmation, or not understood; then whatever follows
    /// an answer (advice after a product's answer, the pending question again, a person after a repeat or a second
    /// "not understood").
    private func answerQuestion(_ question: CustomerLine.Question, turn: inout TurnInput, state: inout DialogueState, step: inout Step) {
        let input = turn.input
        let result = question.result
        let inAdvice = question.inAdvice
        let phaseBefore = state.phase
        // A line nothing understood that reads even faintly as a wish to invest is offered the advice conversation
        // among the guesses, rather than a bare "sorry" ("单位年终奖发下来了，卡里的钱一直没动过": invest 0.05 under a none of
        // 0.46; "…our wedding fund could be working a bit harder than it is sitting in my ICBC account.": 0.18).
        let adviceGuess = !inAdvice && knowledge.canRecommend && !state.sellingStopped && !state.isMinor && state.wellbeing.isEmpty
            ? openings.intent(input, floor: AdviceOpeningReader.guessFloor).flatMap { $0.intent == .invest ? $0.intent : nil } : nil
        answer(turn.typed, state: &state, step: &step, result: result, adviceGuess: adviceGuess)
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
            // Not understood twice in a row: a person takes over rather than a third "sorry" (and the guesses that came
            // with this one are not shown, so not recorded as offered).
            step.events.removeAll { $0.kind == .clarificationOffered }
            escalate(rule, input: turn.typed, state: &state, step: &step)
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
                escalate(rule, input: turn.typed, state: &state, step: &step, prefix: step.reply)
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
    func isFAQAnswerable(_ result: MatchResult, ignoringActions: Bool = false) -> Bool {
        let best = ignoringActions ? result.candidates.first { knowledge.entries[$0.entryIndex].action == nil } : result.best
        guard let best, best.score >= configuration.clarifyThreshold else { return false }
        let floor = Self.menuFloor(best.score, configuration)
        return result.candidates.contains { knowledge.entries[$0.entryIndex].action == nil && $0.score >= floor }
    }

    /// A question, right after a re-offer, that the FAQ cannot place or only guesses at with one candidate.
    func isAboutTheOffer(_ question: CustomerLine.Question) -> Bool {
        if question.unplaced { return true }
        guard let best = question.result.best, best.score < configuration.answerThreshold else { return false }
        return menuOptions(question.result, best: best).count <= 1
    }

    /// The FAQ entries a "did you mean" offers for `result` (best first; one is a yes/no question).
    func menuOptions(_ result: MatchResult, best: MatchResult.Candidate) -> [MatchResult.Candidate] {
        let floor = Self.menuFloor(best.score, configuration)
        return Array(result.candidates.filter { knowledge.entries[$0.entryIndex].action == nil }.prefix(configuration.maxOptions).filter { $0.score >= floor })
    }

    /// Whether the entry's answer is withheld in this conversation (`withholds:` of a rule that fired: after a crisis or
    /// "I can't repay", no answer that offers credit or products).
    func isWithheld(_ entryIndex: Int, in state: DialogueState) -> Bool {
        !state.withheldTags.isDisjoint(with: knowledge.entries[entryIndex].tags)
    }

    /// FAQ entries offered to pick from: one as a yes/no question (`one`, with its title as `{question}`), several as a
    /// numbered menu (`several`, `{options}`).
    private func offer(_ options: [MatchResult.Candidate], one: MessageCatalog.Key, several: MessageCatalog.Key, language: Language) -> String {
        if let only = options.first, options.count == 1 {
            return messages.text(one, language, ["question": Self.questionTitle(knowledge.entries[only.entryIndex], language)])
        }
        let lines = options.enumerated().map { "\($0.offset + 1)) \(knowledge.entries[$0.element.entryIndex].title(in: language))" }
        return messages.text(several, language, ["options": lines.joined(separator: "\n")])
    }

    /// The faint guesses offered with "not understood" (`suggestThreshold`), best first; none when the knowledge base has no
    /// message for them.
    func suggestions(_ result: MatchResult, best: MatchResult.Candidate) -> [MatchResult.Candidate] {
        guard best.score >= configuration.suggestThreshold, messages.has(.notUnderstoodSuggest), messages.has(.notUnderstoodConfirm) else { return [] }
        let floor = max(configuration.suggestThreshold, best.score * 0.6)
        return Array(result.candidates.filter { knowledge.entries[$0.entryIndex].action == nil }.prefix(configuration.maxOptions).filter { $0.score >= floor })
    }

    /// FAQ topics about moving money in or out: a question about them with an amount is answered from them.
    static let moneyMovementTags: Set<String> = ["withdrawal", "top-up", "transfer"]

    /// Money moved with an amount (`CustomerLine.movesMoney`), answered from `entry`. The pending question of an advice
    /// conversation follows, as after any answered question.
    private func answerMoneyMovement(_ entry: FAQEntry, score: Double, turn: inout TurnInput, state: inout DialogueState, step: inout Step) {
        let result = turn.faqMatch()
        step.matched = entry.id
        step.score = (score * 1000).rounded() / 1000
        step.reply = entry.answer[state.language]
        step.events.append(DialogueEvent(.answered, entry.id))
        state.misunderstandings = 0
        if !state.history.topics.contains(entry.id) { state.history.topics.append(entry.id) }
        state.lastDecision = Decision(input: turn.typed, canonicalText: result.canonicalText, detectedLanguage: step.detected,
                                      candidates: scored(result), outcome: .answered)
        switch state.phase {
        case .profiling, .confirmingIncome, .riskWarning, .recommended:
            if state.profile.intent != nil, !state.isMinor, !state.sellingStopped, let again = advice.reask(state: state) { step.reply += "\n" + again }
        case .clarifying, .reoffered, .objectionProbing:
            break
        default:
            state.phase = .idle
        }
    }

    /// The matcher would answer this from the FAQ outright (not a menu, not an advice request).
    func isConfidentAnswer(_ result: MatchResult) -> Bool {
        guard let best = result.best else { return false }
        return best.score >= configuration.answerThreshold && knowledge.entries[best.entryIndex].action == nil
    }

    /// The intent entry (`intents.txt`) that starts the advice conversation for `intent`, offered among the guesses of a line
    /// not understood.
    private func adviceOption(_ intent: InvestorProfile.Intent?) -> MatchResult.Candidate? {
        guard let intent, let index = knowledge.entries.firstIndex(where: { $0.action == "recommend-" + intent.rawValue }) else { return nil }
        return MatchResult.Candidate(entryIndex: index, score: 0)
    }

    private func answer(_ input: String, state: inout DialogueState, step: inout Step, result: MatchResult, adviceGuess: InvestorProfile.Intent? = nil) {
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
            // Never an option withheld after a crisis or "I can't repay" (classify withholds the best one; a runner-up such
            // as the loan limit could still be listed second).
            let options = menuOptions(result, best: best).filter { !isWithheld($0.entryIndex, in: state) }
            let ids = options.map { knowledge.entries[$0.entryIndex].id }
            // One candidate is a yes/no question, not a one-item menu ("您是想问：1) …").
            step.reply = offer(options, one: .confirm, several: .clarify, language: language)
            step.events.append(DialogueEvent(.clarificationOffered, ids.joined(separator: ",")))
            state.phase = .clarifying(options: ids)
            state.misunderstandings = 0
            outcome = .clarified
        } else if case let options = (result.best.map { best in suggestions(result, best: best).filter { !isWithheld($0.entryIndex, in: state) } } ?? [])
                    + (adviceOption(adviceGuess).map { [$0] } ?? []),
                  !options.isEmpty, messages.has(.notUnderstoodSuggest), messages.has(.notUnderstoodConfirm) {
            // Not understood, but the FAQ has faint guesses: offered, so that the customer can pick one rather than guess
            // at other words. "Can I just pay now?" (early repayment 0.21, how to repay 0.18) was a bare "sorry". Still
            // Kefu's failure (counted toward a person), unless a guess is taken. Never an answer withheld after a crisis or
            // "I can't repay" (how to apply for a loan).
            let ids = options.map { knowledge.entries[$0.entryIndex].id }
            step.reply = offer(options, one: .notUnderstoodConfirm, several: .notUnderstoodSuggest, language: language)
            step.events.append(DialogueEvent(.notUnderstood))
            step.events.append(DialogueEvent(.clarificationOffered, ids.joined(separator: ",")))
            state.phase = .clarifying(options: ids)
            state.misunderstandings += 1
            outcome = .notUnderstood
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
            // A line no FAQ ranking decided (an answer, an opening, an escalation) is still explained by the readers that did.
            if let said = lastCustomerLine(state), said != state.lastDecision?.input, !said.hasPrefix("/") {
                // The question the line was said to is still the one waiting unless the line was read as its answer.
                let asked = state.questioning.unread > 0 || !Self.waitsForProfile(state.phase) ? state.questioning.fact : nil
                step.reply = explainReaders(said, language: language, asked: asked).joined(separator: "\n")
            } else {
                step.reply = explain(state.lastDecision, language: language)
            }
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
            state.offer.recommended = []
            step.take(advice.start(nil, state: &state, intent: intent))
        case "/profile":
            step.reply = profileReport(state)
        default:
            step.reply = messages.text(.unknownCommand, language, ["command": name])
        }
    }

    /// A score with three decimals, for `/why`.
    private func fmt(_ score: Double) -> String {
        let scaled = Int((score * 1000).rounded())
        return "\(scaled / 1000).\(String(scaled % 1000).leftPadded(to: 3))"
    }

    /// The customer's last line before this one (the line that got the reply on screen).
    private func lastCustomerLine(_ state: DialogueState) -> String? {
        state.history.recentTurns.last { $0.hasPrefix(Transcript.customerPrefix) }.map { String($0.dropFirst(Transcript.customerPrefix.count)) }
    }

    /// The `/why` report: which entry won, by how much, and what the matcher actually compared.
    public func explain(_ decision: Decision?, language: Language) -> String {
        guard let decision else { return messages.text(.whyNothing, language) }
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
        // A line the FAQ did not answer: what the readers before it made of it (a line it answered needs no more, and its
        // report stays as short as before).
        if decision.outcome != .answered { lines += explainReaders(decision.input, language: language).dropFirst() }
        return lines.joined(separator: "\n")
    }

    /// The readers that decide before the FAQ does, for `/why`: so that a trainer can see why a line escalated or did not
    /// start advice, and which examples to add ("…doing absolutely nothing. Thoughts?" was "not understood": the opening
    /// reader read it 0.04 as a wish to invest, 0.62 as none). The first line quotes the customer.
    /// `asked`: the profile question the line was said to, whose own reader is shown too (nil when unknown: once an answer
    /// is read, the question waiting is the next one).
    func explainReaders(_ input: String, language: Language, asked: InvestorProfile.Fact? = nil) -> [String] {
        let zh = language == .zh
        var lines = [(zh ? "上一句：" : "Last message: ") + input]
        func ranking(_ candidates: [ExampleReader.Candidate]) -> String {
            candidates.prefix(3).map { "\($0.label) \(fmt($0.score))" }.joined(separator: ", ")
        }
        let bars = knowledge.escalation.rules.filter { $0.trigger == .keywords && !$0.examples.isEmpty }.prefix(3)
            .map { "\($0.id) ≥ \(fmt($0.threshold))" }.joined(separator: ", ")
        lines.append((zh ? "安全读取：" : "Safety reader: ") + ranking(escalationCandidates(input)) + (bars.isEmpty ? "" : " (\(bars)…)"))
        if let stories = escalation.storyReader {
            lines.append((zh ? "安全读取（另知长篇讲述）：" : "Safety reader knowing long stories: ") + ranking(stories.reader.read(input)))
        }
        lines.append((zh ? "咨询开场读取：" : "Advice-opening reader: ") + ranking(openings.candidates(input))
                     + " (≥ \(fmt(AdviceOpeningReader.threshold)))")
        if let answers = advice.extractor.answers {
            lines.append((zh ? "资料回答读取：" : "Profile-answer reader: ") + ranking(answers.reader.read(input))
                         + (zh ? "（顺带提到的 ≥ \(fmt(answers.thresholds.volunteered))）" : " (≥ \(fmt(answers.thresholds.volunteered)) volunteered)"))
            if let asked {
                lines.append((zh ? "所问问题（\(asked.rawValue)）的回答读取：" : "Reader for the question asked (\(asked.rawValue)): ")
                             + ranking(answers.askedRanking(input, pending: asked)))
            }
        }
        return lines
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
        state.offer.recommended = []
        state.profile.intent = nil
        escalate(rule, input: input, state: &state, step: &step)
    }

    /// A large amount to withdraw, transfer or invest said anywhere (我要提现60万, mid-objection, after an
    /// answer), not only as the advice conversation's amount: a person decides. Runs after the turn's own
    /// handling; an FAQ answer is kept before the handoff, a menu, a "not understood" or a sales line is not.
    private func escalateLargeAmountInContext(_ turn: inout TurnInput, state: inout DialogueState, step: inout Step) {
        let input = turn.typed
        guard step.ticket == nil, let (rule, amount) = knowledge.escalation.largeAmount(among: turn.movedAmounts(knowledge.escalation)) else { return }
        if state.handoff.ticket != nil, escalation.covers(state, rule) != nil, !step.events.contains(where: { $0.kind == .notUnderstood }) {
            return  // Already handed over for this: answer the question rather than repeat the handoff.
        }
        let answered = step.events.contains { $0.kind == .answered } && step.recommendation == nil
        let salesKinds: Set<DialogueEvent.Kind> = [.recommendationShown, .reoffered, .notUnderstood, .clarificationOffered]
        step.events.removeAll { salesKinds.contains($0.kind) }
        step.recommendation = nil
        state.noteProductsDiscussed()
        state.offer.recommended = []
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
        for id in state.offer.acknowledgedRisk {
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
