/// Handles a customer's "no" as good telesales agents are trained to: acknowledge with warmth, ask
/// gently why (once), answer the stated reason with its prepared talk track, re-offer softly, and
/// after the second "no" accept it graciously and stop selling that product.
struct ObjectionFlow: Sendable {
    let knowledge: KnowledgeBase
    /// Objection types, by their example phrasings.
    let objectionMatcher: Matcher
    /// Every reason of every script, by its example phrasings.
    let reasonMatcher: Matcher
    let reasons: [(script: Int, reason: ObjectionScript.Reason)]

    /// At most this many offers of one product (the recommendation counts as the first).
    static let maxOffers = 2
    static let refusalWords = ["不要", "不用", "不买", "不想", "不考虑", "不需要", "算了", "没兴趣", "不感兴趣", "再说吧", "考虑一下", "不了", "太高", "太低", "太贵",
                               "no thanks", "not interested", "no thank you", "i'll pass", "not for me", "don't want", "dont want", "don't need", "not now",
                               "maybe later", "too high", "too low", "too risky", "i'd rather not", "nope", "no,", "no."]
    static let stopSellingPhrases = ["别再推销", "不要再推销", "别推销", "不要推销", "别给我推荐", "不要再推荐", "别再推荐", "别给我打电话", "不要给我打电话", "不要联系我", "别联系我", "别再联系",
                                     "stop selling", "stop trying to sell", "do not contact me", "don't contact me", "dont contact me", "stop calling me",
                                     "no more offers", "stop the sales", "stop pushing", "quit selling"]
    static let yesWords = ["好的", "可以", "行", "好啊", "发我", "发给我", "试试", "ok", "okay", "sure", "yes", "send it", "please do", "go ahead", "fine"]

    init(knowledge: KnowledgeBase, extractor: FeatureExtractor) {
        self.knowledge = knowledge
        let scripts = knowledge.objections.scripts
        var examples: [(entry: Int, text: String)] = []
        for (index, script) in scripts.enumerated() { for example in script.examples { examples.append((index, example.text)) } }
        objectionMatcher = Matcher(entryCount: scripts.count, examples: examples, extractor: extractor)
        var flat: [(Int, ObjectionScript.Reason)] = []
        var reasonExamples: [(entry: Int, text: String)] = []
        for (index, script) in scripts.enumerated() {
            for reason in script.reasons {
                for example in reason.examples { reasonExamples.append((flat.count, example.text)) }
                flat.append((index, reason))
            }
        }
        reasons = flat
        reasonMatcher = Matcher(entryCount: flat.count, examples: reasonExamples, extractor: extractor)
    }

    var messages: MessageCatalog { knowledge.messages }

    static func isStopSelling(_ text: String) -> Bool { isStopSelling(folded: SearchText(EscalationRules.fold(text))) }

    /// `isStopSelling` of a line already folded as `EscalationRules.fold` does.
    static func isStopSelling(folded: SearchText) -> Bool { folded.containsAny(stopSellingPhrases) }

    /// The product a "no" would be about: the one in the middle of an objection, the last discussed,
    /// or the top recommendation, unless already declined.
    func offeredProduct(_ state: DialogueState) -> String? {
        switch state.phase {
        case .objectionProbing(_, let product), .reoffered(_, let product): return product
        default: break
        }
        guard !state.sellingStopped else { return nil }
        let candidate = state.lastProduct.flatMap { state.recommended.contains($0) ? $0 : nil } ?? state.recommended.first
        return candidate.flatMap { state.declinedProducts.contains($0) ? nil : $0 }
    }

    /// nil when the message is not an objection (or there is nothing on offer). The matchers here share the
    /// engine matcher's extractor, so they match the turn's prepared query.
    func handle(_ turn: inout TurnInput, state: inout DialogueState) -> AdviceFlow.Outcome? {
        guard !knowledge.objections.scripts.isEmpty, let productID = offeredProduct(state), let product = knowledge.products.product(id: productID) else { return nil }
        let language = state.language
        let folded = turn.folded
        let refuses = folded.containsAny(ObjectionFlow.refusalWords) || folded.string == "no" || folded.string == "不"
        let objection = objectionMatcher.match(turn.query())

        switch state.phase {
        case .objectionProbing(let objectionID, _):
            // Whatever the customer says now is the reason (or a new objection, treated as one).
            return answerReason(bestReason(turn.query(), within: objectionID), objectionID: objectionID, product: product, state: &state)
        case .reoffered(let objectionID, _):
            if ObjectionFlow.yesWords.contains(where: { folded.containsWord($0) }) && !refuses {
                state.phase = .recommended
                return AdviceFlow.Outcome(reply: messages.text(.objectionInfoSent, language, ["product": product.name[language]]),
                                          events: [DialogueEvent(.objectionAccepted, "\(objectionID):\(product.id)")])
            }
            guard refuses || objection.bestScore >= 0.45 else { return nil }
            return decline(product: product, objectionID: objectionID, state: &state)
        default:
            guard refuses || objection.bestScore >= 0.45 else { return nil }
            if (state.offers[product.id] ?? 1) >= ObjectionFlow.maxOffers {
                return decline(product: product, objectionID: nil, state: &state)
            }
            let scripts = knowledge.objections.scripts
            // Only scripts written for this kind of product (no APR talk about a fund).
            let fitting = objection.candidates.first { scripts[$0.entryIndex].applies(to: product) }
            let script = fitting.map { scripts[$0.entryIndex] } ?? scripts.first { $0.id == "dont-need-it" } ?? scripts[0]
            state.objectionsRaised.append(script.id)
            // When the customer already gave the reason ("太贵了，银行的利息更低"), answer it straight away.
            let reason = bestReason(turn.query(), within: script.id)
            if let reason, reason.score >= 0.5 {
                state.phase = .objectionProbing(objection: script.id, product: product.id)
                var outcome = answerReason(reason, objectionID: script.id, product: product, state: &state)!
                outcome.reply = script.acknowledgement[language] + "\n" + outcome.reply
                outcome.events.insert(DialogueEvent(.objectionRaised, script.id), at: 0)
                return outcome
            }
            state.phase = .objectionProbing(objection: script.id, product: product.id)
            return AdviceFlow.Outcome(reply: script.acknowledgement[language] + (language == .en ? " " : "") + script.probe[language],
                                      events: [DialogueEvent(.objectionRaised, script.id)])
        }
    }

    private func bestReason(_ query: Matcher.Query, within objectionID: String) -> (reason: ObjectionScript.Reason, score: Double)? {
        let result = reasonMatcher.match(query)
        let scripts = knowledge.objections.scripts
        // Prefer a reason of the current objection; switch to another objection's reason only when clearly better.
        let own = result.candidates.first { scripts[reasons[$0.entryIndex].script].id == objectionID }
        let kind = knowledge.objections.script(id: objectionID)?.kind
        let any = result.candidates.first { kind == nil || scripts[reasons[$0.entryIndex].script].kind == kind || scripts[reasons[$0.entryIndex].script].kind == nil }
        if let own, own.score >= 0.2, !(any.map { $0.score > own.score + 0.25 } ?? false) { return (reasons[own.entryIndex].reason, own.score) }
        if let any, any.score >= 0.35 { return (reasons[any.entryIndex].reason, any.score) }
        return nil
    }

    /// `best` is `bestReason` of the customer's message for this objection.
    private func answerReason(_ best: (reason: ObjectionScript.Reason, score: Double)?, objectionID: String, product: Product, state: inout DialogueState) -> AdviceFlow.Outcome? {
        let language = state.language
        guard let script = knowledge.objections.script(id: objectionID) else { return nil }
        var lines: [String] = []
        var events: [DialogueEvent] = []
        if let (reason, _) = best {
            lines.append(reason.talk[language])
            if let pivot = reason.pivot { lines.append(pivot[language]) }
            events.append(DialogueEvent(.objectionReason, reason.id))
            if let index = state.objectionsRaised.lastIndex(of: objectionID) { state.objectionsRaised[index] = reason.id }
        } else {
            lines.append(script.general[language])
            events.append(DialogueEvent(.objectionReason, "\(objectionID)/general"))
        }
        lines.append(script.reoffer[language].replacingOccurrences(of: "{product}", with: product.name[language]))
        state.offers[product.id, default: 1] += 1
        state.phase = .reoffered(objection: objectionID, product: product.id)
        events.append(DialogueEvent(.reoffered, product.id))
        return AdviceFlow.Outcome(reply: lines.joined(separator: "\n"), events: events)
    }

    /// The second "no": accept it graciously, offer information or a later follow-up, stop selling it.
    private func decline(product: Product, objectionID: String?, state: inout DialogueState) -> AdviceFlow.Outcome {
        let language = state.language
        state.declinedProducts.append(product.id)
        state.recommended.removeAll { $0 == product.id }
        state.phase = .idle
        if state.recommended.allSatisfy({ state.declinedProducts.contains($0) }) { state.sellingStopped = true }
        return AdviceFlow.Outcome(reply: messages.text(.objectionFinal, language, ["product": product.name[language]]),
                                  events: [DialogueEvent(.objectionDeclined, "\(objectionID ?? "no"):\(product.id)")])
    }
}
