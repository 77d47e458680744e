/// Hands the conversation to a person: picks the rule, tells the customer what happens next (ticket,
/// expected wait, or a call-back outside service hours) and writes a ticket with a summary so that the
/// customer never has to repeat themselves.
struct EscalationFlow: Sendable {
    let knowledge: KnowledgeBase
    /// Keywords as a floor, then the reader trained on the rules' examples.
    let reader: EscalationReader
    /// The same, for a line said while a profile question waits: it also knows the profile answers as lines that need
    /// no person. Used as a second opinion there, so that an answer never gets the crisis hotline for its words
    /// ("To support my living expenses now that I no longer work", asked what the money is for: despair 0.59).
    let answeringReader: EscalationReader
    /// The same, also knowing ordinary customers' long stories (`[stories]`): a reading it does not confirm is asked about
    /// before the whole script. nil when the knowledge has no stories.
    let storyReader: EscalationReader?
    var rules: EscalationRules { knowledge.escalation }
    var messages: MessageCatalog { knowledge.messages }

    /// `reader` and `answeringReader` are made by the caller, so that they train when it says (see `DialogueEngine.init`).
    init(knowledge: KnowledgeBase, reader: EscalationReader, answeringReader: EscalationReader, storyReader: EscalationReader? = nil) {
        self.knowledge = knowledge
        self.reader = reader
        self.answeringReader = answeringReader
        self.storyReader = storyReader
    }

    /// Whether the reader that knows ordinary customers' long stories finds the same rule (or a more urgent one) in the line,
    /// read whole: "Hey! So I've been teaching English here for about three years now, … Where would someone like me even
    /// start?" read 0.81 as despair to the first reader, whose ordinary lines are short questions. True without stories.
    /// The least score at which the reader that knows the stories confirms a reading, whatever the rule's own bar: lowering
    /// the crisis bar (0.15 → 0.13) for the reader that decides must not make confirming easier too.
    static let confirmingFloor = 0.15

    /// (A reading it finds but ranks below "nothing" still confirms: asking about such lines instead, tried in the stop of
    /// round 8, moved plain crisis lines to the question; see `DialogueEngine.classify`.)
    func confirms(_ reading: EscalationReader.Reading, folded: SearchText, input: String) -> Bool {
        guard let storyReader else { return true }
        guard let second = storyReader.readWhole(folded: folded, text: input).reading,
              second.byKeywords || (second.score ?? 0) >= Self.confirmingFloor else { return false }
        return second.rule.id == reading.rule.id || second.rule.priority < reading.rule.priority
    }

    /// The rule a customer line triggers, if any (`EscalationReader.read`).
    func read(folded: SearchText, input: String) -> EscalationReader.Reading? { reader.read(folded: folded, text: input) }

    /// What the reader that knows the profile answers finds in the line, read whole (an answer's clause on its own says
    /// less than the answer: "Not one fen. This is everything I have.", asked how much loss is acceptable, and "This is
    /// everything I have" alone reads as despair), and whether it ranks "nothing" first.
    func readWhileAnswering(folded: SearchText, input: String) -> (reading: EscalationReader.Reading?, nothingFirst: Bool) {
        answeringReader.readWhole(folded: folded, text: input)
    }

    static let waitMinutes: [HandoffTicket.Priority: Int] = [.urgent: 1, .high: 3, .normal: 5, .low: 10]

    /// Escalates by `rule`; returns the reply and the ticket (nil when a ticket of this conversation already
    /// covers it, see `covers`). `detail` is added to the summary (e.g. the amount that triggered the rule).
    /// `afresh`: a new ticket even when one of this conversation covers the rule (the customer answered the wellbeing check
    /// that they are not all right: the agent must be told, not only the ticket that asked them to look).
    func escalate(_ rule: EscalationRules.Rule, state: inout DialogueState, at moment: Moment, input: String,
                  detail: String? = nil, riskLevel: String? = nil, afresh: Bool = false) -> (reply: String, ticket: HandoffTicket?, events: [DialogueEvent]) {
        let language = state.language
        state.noteProductsDiscussed()
        state.selling = state.selling.stopped(.paused)
        state.wellbeing.formUnion(rule.stops)
        state.withheldTags.formUnion(rule.withholds)
        if state.phase != .ended { state.phase = .idle }
        let open = rules.service.isOpen(minuteOfDay: moment.minuteOfDay)
        if !afresh, let existing = covers(state, rule) {
            // At night the rule's own text still says what to do now; it names the ticket already written.
            if !open, let night = rule.afterHours { return (fill(night[language], ticket: existing, rule: rule), nil, [DialogueEvent(.escalation, rule.id)]) }
            let reminder = messages.text(.ticketExisting, language, ["ticket": existing])
            return (rule.reply[language] + "\n" + reminder, nil, [DialogueEvent(.escalation, rule.id)])
        }
        let (id, ticket) = writeTicket(rule, state: &state, at: moment, input: input, detail: detail, riskLevel: riskLevel)
        let text: String
        if !open, let night = rule.afterHours {
            text = fill(night[language], ticket: id, rule: rule)
        } else {
            let afterHours = rule.priority == .urgent ? rules.service.afterHoursUrgent ?? rules.service.afterHours : rules.service.afterHours
            text = rule.reply[language] + "\n" + fill((open ? rules.service.wait : afterHours)[language], ticket: id, rule: rule)
        }
        return (text, ticket, [DialogueEvent(.escalation, "\(rule.id):\(rule.priority.rawValue)")])
    }

    /// Asks whether the customer is all right (`WellbeingCheck`), with the hotline, and writes the rule's urgent ticket,
    /// so that a person looks at the conversation whatever the answer. Nothing is stopped yet: a customer who is fine
    /// goes on where they were.
    func checkIn(_ rule: EscalationRules.Rule, text: Bilingual, state: inout DialogueState, at moment: Moment, input: String,
                 riskLevel: String?) -> (reply: String, ticket: HandoffTicket?, events: [DialogueEvent]) {
        let asked = DialogueEvent(.wellbeingCheck, rule.id)
        if let existing = covers(state, rule) {
            // A reminder, as `escalate` says it: no new urgent escalation for the reports.
            return (fill(text[state.language], ticket: existing, rule: rule), nil, [DialogueEvent(.escalation, rule.id), asked])
        }
        let (id, ticket) = writeTicket(rule, state: &state, at: moment, input: input, detail: Self.checkInNote(rule), riskLevel: riskLevel)
        return (fill(text[state.language], ticket: id, rule: rule), ticket, [DialogueEvent(.escalation, "\(rule.id):\(rule.priority.rawValue)"), asked])
    }

    /// What the agent reads on a ticket written with a wellbeing check.
    static func checkInNote(_ rule: EscalationRules.Rule) -> String {
        "check-in: the line read as possible \(rule.id) and also as something else; the customer was shown what to do now and asked whether it is so"
    }
    /// What the agent reads on the ticket written when the customer answers that they are not.
    static let notFineNote = "answered the check-in: not all right (or no answer that they are)"

    /// Writes the next ticket of the conversation for `rule` and notes it in the state.
    private func writeTicket(_ rule: EscalationRules.Rule, state: inout DialogueState, at moment: Moment, input: String, detail: String?,
                             riskLevel: String?) -> (id: String, ticket: HandoffTicket) {
        state.handoff.ticketCount += 1
        let id = "T\(moment.compactDate)-\(String(state.handoff.ticketCount).leftPadded(to: 4))"
        var lines = state.history.recentTurns
        lines.append(Transcript.customerPrefix + input)
        var record = summary(state, rule: rule)
        if let detail { record += "; " + detail }
        let details = handoffSummary(state, rule: rule, input: input, riskLevel: riskLevel)
        let ticket = HandoffTicket(id: id, priority: rule.priority, reason: rule.id, summary: details.text(messages, moods: moodWords(state.language)) + "\n" + record,
                                   lastTurns: Array(lines.suffix(8)), createdAt: moment.iso, details: details)
        state.handoff.ticket = ticket
        state.handoff.tickets.append(.init(id: id, reason: rule.id, priority: rule.priority))
        return (id, ticket)
    }

    /// The id of a ticket of this conversation that already tells an agent about `rule`: one written for the
    /// same reason, or, for a rule that is not urgent, one at least as urgent. A different urgent reason
    /// (distress after a fraud report) or a more urgent one is not covered: it gets its own ticket, because
    /// the agent handling the first one would otherwise never hear of it.
    func covers(_ state: DialogueState, _ rule: EscalationRules.Rule) -> String? {
        guard let latest = state.handoff.ticket else { return nil }
        if latest.reason == rule.id { return latest.id }
        if let same = state.handoff.tickets.last(where: { $0.reason == rule.id }) { return same.id }
        if rule.priority == .urgent { return nil }
        let mostUrgent = state.handoff.tickets.map(\.priority).min() ?? latest.priority
        return mostUrgent <= rule.priority ? latest.id : nil
    }

    private func fill(_ text: String, ticket: String, rule: EscalationRules.Rule) -> String {
        text.replacingAll("{ticket}", with: ticket)
            .replacingAll("{wait}", with: String(EscalationFlow.waitMinutes[rule.priority] ?? 5))
            .replacingAll("1 minutes", with: "1 minute")
            .replacingAll("{hours}", with: rules.service.hoursText)
    }

    /// The summary an agent reads first (`HandoffSummary`), from the conversation so far and the line that
    /// escalated it.
    func handoffSummary(_ state: DialogueState, rule: EscalationRules.Rule, input: String, riskLevel: String?) -> HandoffSummary {
        let language = state.language
        var said = state.history.recentTurns.filter { $0.hasPrefix(Transcript.customerPrefix) }.map { String($0.dropFirst(Transcript.customerPrefix.count)) }
        said.append(input)
        said.removeAll { $0.hasPrefix("/") }
        // A request for a person says nothing about the problem: the customer's words before it do.
        var words = said.last ?? ""
        if rule.priority >= .normal, said.count > 1 { words = said[said.count - 2] }
        if rule.priority >= .normal, said.count == 1, knowledge.escalation.rule(id: rule.id)?.trigger == .keywords,
           state.history.topics.isEmpty, words.count <= 12 {
            words = ""
        }
        let topic = state.history.topics.last.flatMap { id in knowledge.entries.first { $0.id == id } }?.title(in: language)
        var problem: String
        switch (topic, words.isEmpty) {
        case (let topic?, false): problem = messages.text(.handoffProblem, language, ["topic": topic, "words": words])
        case (let topic?, true): problem = topic
        case (nil, false): problem = messages.text(.handoffWords, language, ["words": words])
        case (nil, true): problem = messages.text(.handoffNoProblem, language)
        }
        if problem.count > 160 { problem = String(problem.prefix(159)) + "…" }
        var summary = HandoffSummary(problem: problem, language: language)
        for line in said {
            summary.amounts += HandoffSummary.amounts(in: line).filter { !summary.amounts.contains($0) }
            summary.dates += HandoffSummary.dates(in: line).filter { !summary.dates.contains($0) }
        }
        summary.products = state.history.productsDiscussed.compactMap { knowledge.products.product(id: $0)?.name[language] }
        summary.riskLevel = riskLevel
        summary.told = state.history.topics.suffix(4).compactMap { id in knowledge.entries.first { $0.id == id }?.title(in: language) }
        let offered = state.offer.timesOffered.keys.sorted().compactMap { knowledge.products.product(id: $0)?.name[language] }
        if !offered.isEmpty { summary.told.append(messages.text(.handoffRecommended, language, ["list": offered.joined(separator: ", ")])) }
        summary.objections = state.history.objectionsRaised
        summary.doNotContact = state.doNotContact
        let earlier = state.handoff.tickets.compactMap { knowledge.escalation.rule(id: $0.reason)?.mood }
        for mood in earlier + [rule.mood].compactMap({ $0 }) where !summary.mood.contains(mood) { summary.mood.append(mood) }
        return summary
    }

    /// Each rule's mood in `language` (escalation.txt: `mood` is the English word, `mood.zh` the Chinese one).
    func moodWords(_ language: Language) -> [String: String] {
        var words: [String: String] = [:]
        for rule in rules.rules {
            if let mood = rule.mood { words[mood] = language == .zh ? rule.moodZH ?? mood : mood }
        }
        return words
    }

    /// One paragraph for the agent: profile, topics, products discussed, objections raised.
    func summary(_ state: DialogueState, rule: EscalationRules.Rule) -> String {
        var parts: [String] = ["reason: \(rule.id) (\(rule.priority.rawValue))", "language: \(state.language.rawValue)"]
        let profile = state.profile
        let facts = InvestorProfile.Fact.allCases.compactMap { fact in profile.ruleValue(fact).map { AdviceFlow.describe(fact, $0, .en) } }
        if let intent = profile.intent { parts.append("wants: \(intent.rawValue)") }
        if !facts.isEmpty { parts.append("profile: " + facts.joined(separator: ", ")) }
        if state.isMinor { parts.append("customer said they are under 18") }
        if !state.history.topics.isEmpty { parts.append("topics: " + state.history.topics.suffix(6).joined(separator: ", ")) }
        // `productsDiscussed`, not `recommended`: a decline or a large-amount handoff clears the recommendation.
        let products = state.history.productsDiscussed
        if !products.isEmpty { parts.append("products discussed: " + products.joined(separator: ", ")) }
        if !state.offer.purchases.isEmpty { parts.append("decided to buy: " + state.offer.purchases.joined(separator: ", ")) }
        if !state.offer.acknowledgedRisk.isEmpty { parts.append("risk mismatch acknowledged: " + state.offer.acknowledgedRisk.joined(separator: ", ")) }
        if !state.history.objectionsRaised.isEmpty { parts.append("objections: " + state.history.objectionsRaised.joined(separator: ", ")) }
        if state.doNotContact { parts.append("asked not to be contacted for sales") }
        if !state.handoff.tickets.isEmpty {
            parts.append("earlier tickets in this conversation: " + state.handoff.tickets.map { "\($0.id) \($0.reason) (\($0.priority.rawValue))" }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
