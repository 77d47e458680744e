/// Handles a customer's "no" as good telesales agents are trained to: acknowledge with warmth, ask
/// gently why (once), answer the stated reason with its prepared talk track, re-offer softly, and
/// after the second "no" accept it graciously and stop selling for the rest of the conversation.
struct ObjectionFlow: Sendable {
    let knowledge: KnowledgeBase
    /// Objection types, by their example phrasings.
    let objectionMatcher: Matcher
    /// Every reason of every script, by its example phrasings.
    let reasonMatcher: Matcher
    let reasons: [(script: Int, reason: ObjectionScript.Reason)]

    /// At most this many offers in a conversation (the recommendation counts as the first).
    static let maxOffers = 2
    /// This close to an objection's examples, a line is that objection; a vaguer "no" gets the neutral script
    /// rather than a guessed reason.
    static let clearObjection = 0.45
    /// This close, and clearly closer than to a bare refusal, a "no" is that objection.
    static let likelyObjection = 0.3
    /// This close, a line the FAQ cannot answer is taken as a "no" rather than "not understood" (twice
    /// "not understood" would hand an ordinary refusal to a person).
    static let weakObjection = 0.25
    /// A reason this close is answered even when the line also refuses ("不要，怕亏本金").
    static let clearReason = 0.4

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
    var phrases: SalesPhrases { knowledge.phrases }
    var scripts: [ObjectionScript] { knowledge.objections.scripts }

    /// The product a "no" would be about: the one in the middle of an objection, the last discussed,
    /// or the top recommendation, unless already declined.
    func offeredProduct(_ state: DialogueState) -> String? {
        switch state.phase {
        case .objectionProbing(_, let product), .reoffered(_, let product): return product
        default: break
        }
        guard !state.sellingStopped else { return nil }
        let candidate = state.offer.lastProduct.flatMap { state.offer.recommended.contains($0) ? $0 : nil } ?? state.offer.recommended.first
        return candidate.flatMap { state.offer.declinedProducts.contains($0) ? nil : $0 }
    }

    /// nil when the message is not an objection (or there is nothing on offer). `lenient` (the FAQ could not
    /// answer the line) lets a line only vaguely like an objection count as a "no". The matchers here share
    /// the engine matcher's extractor, so they match the turn's prepared query.
    func handle(_ turn: inout TurnInput, lenient: Bool = false, state: inout DialogueState) -> AdviceFlow.Outcome? {
        let language = state.language
        let offered = scripts.isEmpty ? nil : offeredProduct(state)
        // Nothing on offer and selling not stopped (most FAQ lines): nothing to read.
        guard state.sellingStopped || offered != nil else { return nil }
        let refuses = phrases.isRefusal(turn.folded)
        let accepts = phrases.isAcceptance(turn.folded) && !refuses
        if state.sellingStopped {
            return afterStop(refuses: refuses, accepts: accepts, lenient: lenient || !phrases.isQuestion(turn.folded), state: &state)
        }
        guard let productID = offered, let product = knowledge.products.product(id: productID) else { return nil }
        let objection = objectionMatcher.match(turn.query())
        // A question ("零风险吗", "can I lose money") is never a "no" by itself: it goes on to the FAQ and the
        // product's facts. A refusal in the same line still counts ("不要了，有风险吗").
        let asks = phrases.isQuestion(turn.folded) && !refuses
        let saysNo = refuses || !asks && (objection.bestScore >= ObjectionFlow.clearObjection || (lenient && objection.bestScore >= ObjectionFlow.weakObjection))

        switch state.phase {
        case .objectionProbing(let objectionID, _):
            let reason = bestReason(turn.query(), within: objectionID, product: product)
            // A bare refusal ("不要", "就是不要") gives no reason, whatever its words happen to resemble ("要不要").
            if refuses, phrases.isBareRefusal(turn.folded) || (reason?.score ?? 0) < ObjectionFlow.clearReason {
                // "No" instead of a reason is the second no: asking again would turn "why" into an interrogation.
                return decline(product: product, objectionID: objectionID, state: &state)
            }
            // Anything else is the reason (or the closest one; the general talk track when none fits).
            return answerReason(reason, objectionID: objectionID, product: product, state: &state)
        case .reoffered(let objectionID, _):
            if accepts {
                state.phase = .recommended
                return AdviceFlow.Outcome(reply: messages.text(.objectionInfoSent, language, ["product": product.name[language]]),
                                          events: [DialogueEvent(.objectionAccepted, "\(objectionID):\(product.id)")])
            }
            guard saysNo else { return nil }
            return decline(product: product, objectionID: objectionID, state: &state)
        default:
            guard saysNo else { return nil }
            // One objection already handled in this conversation (whatever product it was about): this is
            // the second no, and at most two attempts are made per conversation.
            if (state.offer.timesOffered[product.id] ?? 1) >= ObjectionFlow.maxOffers || !state.history.objectionsRaised.isEmpty {
                return decline(product: product, objectionID: nil, state: &state)
            }
            let script = chooseScript(objection, product: product)
            state.history.objectionsRaised.append(script.id)
            state.phase = .objectionProbing(objection: script.id, product: product.id)
            // When the customer already gave the reason ("太贵了，银行的利息更低"), answer it straight away.
            if let reason = bestReason(turn.query(), within: script.id, product: product), reason.score >= 0.5 {
                var outcome = answerReason(reason, objectionID: script.id, product: product, state: &state)!
                outcome.reply = script.acknowledgement[language] + "\n" + outcome.reply
                outcome.events.insert(DialogueEvent(.objectionRaised, script.id), at: 0)
                return outcome
            }
            return AdviceFlow.Outcome(reply: script.acknowledgement[language] + (language == .en ? " " : "") + script.probe[language],
                                      events: [DialogueEvent(.objectionRaised, script.id)])
        }
    }

    /// After selling stopped: the information offered with the second no is sent on a "yes" right after it,
    /// and a further "no" is acknowledged briefly instead of "not understood". `lenient`: the FAQ could not answer the
    /// line, or it asks nothing ("我说了不要" matched a scam question at 0.86: a refusal that asks nothing is a refusal).
    private func afterStop(refuses: Bool, accepts: Bool, lenient: Bool, state: inout DialogueState) -> AdviceFlow.Outcome? {
        let language = state.language
        if accepts, state.offer.infoOfferedTurn == state.turnCount - 1, let id = state.offer.infoOffered, let product = knowledge.products.product(id: id) {
            state.offer.infoOffered = nil
            return AdviceFlow.Outcome(reply: messages.text(.objectionInfoSent, language, ["product": product.name[language]]),
                                      events: [DialogueEvent(.objectionAccepted, "info:\(product.id)")])
        }
        guard refuses, lenient else { return nil }
        return AdviceFlow.Outcome(reply: messages.text(.refusalNoted, language))
    }

    /// The script for a new "no": the closest one written for this kind of product when it is clearly
    /// that objection, else the neutral one (acknowledge and ask, never guess a reason).
    private func chooseScript(_ objection: MatchResult, product: Product) -> ObjectionScript {
        let fitting = objection.candidates.first { scripts[$0.entryIndex].applies(to: product) }
        let neutralScore = objection.candidates.first { scripts[$0.entryIndex].id == ObjectionScript.neutralID }?.score ?? 0
        // A reason-bearing line ("手头紧") may sit below the clear threshold yet well above a bare refusal.
        if let fitting, fitting.score >= ObjectionFlow.clearObjection
            || (fitting.score >= ObjectionFlow.likelyObjection && fitting.score >= neutralScore + 0.05) { return scripts[fitting.entryIndex] }
        return knowledge.objections.script(id: ObjectionScript.neutralID) ?? fitting.map { scripts[$0.entryIndex] } ?? scripts[0]
    }

    private func bestReason(_ query: Matcher.Query, within objectionID: String, product: Product) -> (reason: ObjectionScript.Reason, score: Double)? {
        let result = reasonMatcher.match(query)
        // Only reasons written for this kind of conversation: no loan talk to an investor.
        let fitting = result.candidates.filter { candidate in
            let (script, reason) = (scripts[reasons[candidate.entryIndex].script], reasons[candidate.entryIndex].reason)
            return ObjectionScript.fits(reason.kind ?? script.kind, product)
        }
        // Prefer a reason of the current objection; switch to another objection's reason only when clearly better.
        let own = fitting.first { scripts[reasons[$0.entryIndex].script].id == objectionID }
        let any = fitting.first
        if let own, own.score >= 0.2, !(any.map { $0.score > own.score + 0.25 } ?? false) { return (reasons[own.entryIndex].reason, own.score) }
        if let any, any.score >= 0.35 { return (reasons[any.entryIndex].reason, any.score) }
        return nil
    }

    /// What objection replies may name for this customer and conversation.
    func fit(for product: Product, state: DialogueState) -> ObjectionFit {
        let level = knowledge.suitability.levels.isEmpty ? 1
            : knowledge.suitability.assess(state.profile) { knowledge.questions.assumed($0, intent: state.profile.intent) }.level
        return ObjectionFit(catalog: knowledge.products, isLoan: product.isLoan, level: level)
    }

    /// `best` is `bestReason` of the customer's message for this objection.
    private func answerReason(_ best: (reason: ObjectionScript.Reason, score: Double)?, objectionID: String, product: Product, state: inout DialogueState) -> AdviceFlow.Outcome? {
        let language = state.language
        // A reason of another objection is answered with its own script (its general track and re-offer).
        let scriptID = best.map { String($0.reason.id.prefix { $0 != "/" }) } ?? objectionID
        guard let script = knowledge.objections.script(id: scriptID) ?? knowledge.objections.script(id: objectionID) else { return nil }
        let fit = fit(for: product, state: state)
        let general = fit.choose(script.general, script.generalLow)
        var lines: [String] = []
        var events: [DialogueEvent] = []
        if let (reason, _) = best {
            // The -low talk track goes with the -low pivot: they are written as a pair.
            let low = !fit.suits(reason.talk)
            let pivot = low && reason.pivotLow != nil ? fit.choose(reason.pivotLow, nil) : fit.choose(reason.pivot, reason.pivotLow)
            lines += [fit.choose(reason.talk, reason.talkLow) ?? general, pivot].compactMap { $0?[language] }
            events.append(DialogueEvent(.objectionReason, reason.id))
            if let index = state.history.objectionsRaised.lastIndex(of: objectionID) { state.history.objectionsRaised[index] = reason.id }
        } else {
            lines += [general].compactMap { $0?[language] }
            events.append(DialogueEvent(.objectionReason, "\(script.id)/general"))
        }
        let offered = reofferProduct(best?.reason.offer, objectedTo: product, fit: fit, state: state)
        lines.append(script.reoffer[language].replacingOccurrences(of: "{product}", with: offered.name[language]))
        state.offer.timesOffered[offered.id, default: offered.id == product.id ? 1 : 0] += 1
        state.offer.lastProduct = offered.id
        state.phase = .reoffered(objection: script.id, product: offered.id)
        events.append(DialogueEvent(.reoffered, offered.id))
        return AdviceFlow.Outcome(reply: lines.joined(separator: "\n"), events: events)
    }

    /// The product to re-offer after a reason: what the reason's `offer:` asks for when it suits the customer
    /// (the lowest-risk suitable product for a fear of loss), else the product objected to.
    private func reofferProduct(_ offer: String?, objectedTo product: Product, fit: ObjectionFit, state: DialogueState) -> Product {
        guard let offer else { return product }
        let recommender = Recommender(catalog: knowledge.products)
        let suitable = knowledge.products.products.filter { candidate in
            fit.suits(candidate) && !state.offer.declinedProducts.contains(candidate.id)
                && recommender.ineligibility(candidate, profile: state.profile, level: fit.level, assumed: { knowledge.questions.assumed($0, intent: state.profile.intent) }) == nil
        }
        if offer == "lowest-risk" {
            // Lowest risk first; among equals the product objected to, then one already recommended.
            func rank(_ p: Product) -> (Int, Int) { (p.risk, p.id == product.id ? 0 : state.offer.recommended.contains(p.id) ? 1 : 2) }
            return suitable.min { rank($0) < rank($1) } ?? product
        }
        return suitable.first { $0.id == offer } ?? product
    }

    /// The second "no": accept it graciously, offer information or a later follow-up, and stop selling.
    private func decline(product: Product, objectionID: String?, state: inout DialogueState) -> AdviceFlow.Outcome {
        let language = state.language
        state.offer.declinedProducts.append(product.id)
        state.offer.recommended.removeAll { $0 == product.id }
        state.phase = .idle
        state.selling = state.selling.stopped(.declined)
        state.offer.infoOffered = product.id
        state.offer.infoOfferedTurn = state.turnCount
        return AdviceFlow.Outcome(reply: messages.text(.objectionFinal, language, ["product": product.name[language]]),
                                  events: [DialogueEvent(.objectionDeclined, "\(objectionID ?? "no"):\(product.id)")])
    }
}
