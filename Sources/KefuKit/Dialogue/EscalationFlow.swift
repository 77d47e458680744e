/// Hands the conversation to a person: picks the rule, tells the customer what happens next (ticket,
/// expected wait, or a call-back outside service hours) and writes a ticket with a summary so that the
/// customer never has to repeat themselves.
struct EscalationFlow: Sendable {
    let knowledge: KnowledgeBase
    /// The rules' keywords, prepared once rather than on every customer line.
    private let keywords: [PhraseList]
    var rules: EscalationRules { knowledge.escalation }
    var messages: MessageCatalog { knowledge.messages }

    init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        keywords = knowledge.escalation.keywordLists()
    }

    /// The keyword rule a customer line triggers (`EscalationRules.match`).
    func match(_ input: String) -> EscalationRules.Rule? { rules.match(input, keywords: keywords) }
    /// The same, for a line folded by `EscalationRules.fold`.
    func match(folded: SearchText) -> EscalationRules.Rule? { rules.match(folded: folded, keywords: keywords) }

    static let waitMinutes: [HandoffTicket.Priority: Int] = [.urgent: 1, .high: 3, .normal: 5, .low: 10]

    /// Escalates by `rule`; returns the reply and the ticket (nil when an open ticket already covers it).
    func escalate(_ rule: EscalationRules.Rule, state: inout DialogueState, at moment: Moment, input: String) -> (reply: String, ticket: HandoffTicket?, events: [DialogueEvent]) {
        let language = state.language
        state.sellingStopped = true
        if state.phase != .ended { state.phase = .idle }
        if let existing = state.ticket, existing.priority <= rule.priority {
            let reminder = messages.text(.ticketExisting, language, ["ticket": existing.id])
            return (rule.reply[language] + "\n" + reminder, nil, [DialogueEvent(.escalation, rule.id)])
        }
        state.ticketCount += 1
        let id = "T\(moment.compactDate)-\(String(state.ticketCount).leftPadded(to: 4))"
        var lines = state.recentTurns
        lines.append(Transcript.customerPrefix + input)
        let ticket = HandoffTicket(id: id, priority: rule.priority, reason: rule.id, summary: summary(state, rule: rule),
                                   lastTurns: Array(lines.suffix(8)), createdAt: moment.iso)
        state.ticket = ticket
        let open = rules.service.isOpen(minuteOfDay: moment.minuteOfDay)
        let afterHours = rule.priority == .urgent ? rules.service.afterHoursUrgent ?? rules.service.afterHours : rules.service.afterHours
        let notice = (open ? rules.service.wait : afterHours)[language]
            .replacingAll("{ticket}", with: id)
            .replacingAll("{wait}", with: String(EscalationFlow.waitMinutes[rule.priority] ?? 5))
            .replacingAll("1 minutes", with: "1 minute")
            .replacingAll("{hours}", with: rules.service.hoursText)
        return (rule.reply[language] + "\n" + notice, ticket, [DialogueEvent(.escalation, "\(rule.id):\(rule.priority.rawValue)")])
    }

    /// One paragraph for the agent: profile, topics, products discussed, objections raised.
    func summary(_ state: DialogueState, rule: EscalationRules.Rule) -> String {
        var parts: [String] = ["reason: \(rule.id) (\(rule.priority.rawValue))", "language: \(state.language.rawValue)"]
        let profile = state.profile
        let facts = InvestorProfile.Fact.allCases.compactMap { fact in profile.ruleValue(fact).map { AdviceFlow.describe(fact, $0, .en) } }
        if let intent = profile.intent { parts.append("wants: \(intent.rawValue)") }
        if !facts.isEmpty { parts.append("profile: " + facts.joined(separator: ", ")) }
        if state.isMinor { parts.append("customer said they are under 18") }
        if !state.topics.isEmpty { parts.append("topics: " + state.topics.suffix(6).joined(separator: ", ")) }
        let products = Array(Set(state.recommended + state.acknowledgedRisk + (state.lastProduct.map { [$0] } ?? []))).sorted()
        if !products.isEmpty { parts.append("products discussed: " + products.joined(separator: ", ")) }
        if !state.purchases.isEmpty { parts.append("decided to buy: " + state.purchases.joined(separator: ", ")) }
        if !state.acknowledgedRisk.isEmpty { parts.append("risk mismatch acknowledged: " + state.acknowledgedRisk.joined(separator: ", ")) }
        if !state.objectionsRaised.isEmpty { parts.append("objections: " + state.objectionsRaised.joined(separator: ", ")) }
        if state.doNotContact { parts.append("asked not to be contacted for sales") }
        return parts.joined(separator: "; ")
    }
}
