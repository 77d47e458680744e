import Foundation

/// The advice conversation: collect the profile one question at a time, assess the risk level with the
/// suitability rules, recommend only suitable products with their risks, handle products above the
/// customer's level, corrections and the decision to buy.
struct AdviceFlow: Sendable {
    struct Outcome {
        var reply: String
        var events: [DialogueEvent] = []
        var recommendation: TurnRecord.Recommendation?
        /// The risk question was not answered clearly: the engine may answer a real question first.
        var unclear = false
        /// The customer accepted the offer to be put through to sales: the engine writes the ticket.
        var salesHandoff = false
    }

    let knowledge: KnowledgeBase
    let extractor: ProfileExtractor

    init(knowledge: KnowledgeBase, answers: ProfileAnswerReader? = nil) {
        self.knowledge = knowledge
        self.extractor = ProfileExtractor(answers: answers)
    }

    var messages: MessageCatalog { knowledge.messages }
    var recommender: Recommender { Recommender(catalog: knowledge.products) }
    var replies: ReplyReader { ReplyReader(phrases: knowledge.replies) }

    // MARK: - Entry points

    /// Starts an advice conversation (from an advice request, `/recommend` or a first message full of facts).
    /// `read` is the input's `ProfileExtractor.read` without an intent, if the caller has one: it is completed
    /// instead of extracting again when it stands for this intent too (the extractor is a fifth of a turn).
    func start(_ input: String?, state: inout DialogueState, intent: InvestorProfile.Intent, read: ProfileExtractor.Reading? = nil) -> Outcome {
        let language = state.language
        guard knowledge.canRecommend else { return Outcome(reply: messages.text(.adviceUnavailable, language)) }
        if state.isMinor { return Outcome(reply: messages.text(.minor, language)) }
        if state.sellingStopped { return Outcome(reply: messages.text(state.stopMessage, language)) }
        state.profile.intent = intent
        var outcome = Outcome(reply: messages.text(.adviceStart, language), events: [DialogueEvent(.adviceStarted, intent.rawValue)])
        if let input {
            var extraction = read.flatMap { $0.extraction.wordIntent == intent ? extractor.complete($0) : nil }
                ?? extractor.extract(input, pending: nil, intent: intent)
            // A short first message's loose word is asked all the same (`ask-anyway:` in profile.txt): "Where's a good place
            // to put my savings?" names where the money comes from, and the customer's goal was growth; "俺想给他存点钱，以后
            // 念书用" was read as steady saving, not a grandson's schooling. A customer who describes themselves (two or more
            // other facts, "…想投5万，两年不用，最多亏10%，买过基金，想稳健存钱") has said what they meant.
            let said = extraction.statedFacts
            extraction.facts.removeAll { fact, value in
                guard case .word(let word) = value, let question = knowledge.questions.question(for: fact, intent: intent) else { return false }
                return question.askAnyway.contains(word) && said.subtracting([fact]).count < DialogueEngine.factsThatDescribe
            }
            var follow = apply(extraction, state: &state, language: language, announce: false)
            if follow.done { return Outcome(reply: follow.reply.joined(separator: "\n"), events: outcome.events + follow.events, recommendation: follow.recommendation) }
            // Advice asked for another adult ("我妈70了，想帮她存点钱"): the questions are for whoever will hold the product,
            // not necessarily the one typing (a child's age, "孩子8岁了", is money the parent holds for them).
            if intent == .invest, let age = extraction.othersAge, age >= Double(InvestorProfile.adultAge) {
                follow.reply.insert(messages.text(.adviceForSomeoneElse, language), at: 0)
            }
            follow.reply.insert(outcome.reply, at: 0)
            outcome.reply = follow.reply.joined(separator: "\n")
            outcome.events += follow.events
            outcome.recommendation = follow.recommendation
            return outcome
        }
        outcome.reply += "\n" + next(state: &state, language: language).reply.joined(separator: "\n")
        return outcome
    }

    /// Handles a message while an advice conversation is under way; nil when the message is not about it
    /// (then the engine answers it as a question and comes back to the pending one).
    func continueConversation(_ input: String, state: inout DialogueState) -> Outcome? {
        let language = state.language
        let lower = SearchText(String(scalars: NumberParser.fold(input)))

        // Product names are not profile facts ("Growth Select" is not a goal): read facts without them.
        let named = knowledge.products.mentioned(inFolded: lower)
        let factText = knowledge.products.removingNames(fromFolded: lower.string)
        let family = named == nil ? familyPick(lower, state: state) : nil
        let wantsToBuy = replies.wantsToBuy(input, withoutNames: factText, namesProduct: named != nil || family != nil)

        if case .riskWarning(let productID) = state.phase, let product = knowledge.products.product(id: productID) {
            if let outcome = answerRiskWarning(product, input: input, named: named, factText: factText, wantsToBuy: wantsToBuy, state: &state) { return outcome }
        }
        if case .choosingProduct(let options) = state.phase {
            // "1" or a product name after "which one would you like?": that one, if it may be bought.
            state.phase = .recommended
            let pick = ChoiceParser().parse(input.replacingOccurrences(of: "买", with: "")).flatMap { $0 >= 1 && $0 <= options.count ? options[$0 - 1] : nil }
            if let id = named?.id ?? pick, let product = knowledge.products.product(id: id) {
                return buyable(id, state: state) ? convert(product, state: &state) : mismatchOrDetails(product, state: &state, language: language)
            }
        }
        if case .handoffOffered = state.phase {
            // After "shall I put you through?": yes writes a sales ticket, no is accepted politely.
            state.phase = .recommended
            switch replies.yesOrNo(input) {
            case true?: return Outcome(reply: "", salesHandoff: true)
            case false?: return Outcome(reply: messages.text(.handoffDeclined, language))
            case nil: break
            }
        }

        // "第一个" / "the second one" after a recommendation: the details of that product.
        if state.phase == .recommended, !state.offer.recommended.isEmpty, named == nil, let pick = ChoiceParser().parse(input.replacingOccurrences(of: "买", with: "")),
           pick >= 1, pick <= state.offer.recommended.count, let product = knowledge.products.product(id: state.offer.recommended[pick - 1]) {
            state.offer.lastProduct = product.id
            // "买第二个" buys it as "我要买" then "2" does: the pick names the product, so a buying verb is enough.
            let buysPick = wantsToBuy || replies.wantsToBuy(input, withoutNames: input, namesProduct: true)
            if buysPick { return buyable(product.id, state: state) ? convert(product, state: &state) : mismatchOrDetails(product, state: &state, language: language) }
            return mismatchOrDetails(product, state: &state, language: language)
        }

        if !state.offer.recommended.isEmpty || state.phase == .recommended || !state.offer.acknowledgedRisk.isEmpty || state.offer.lastProduct != nil, wantsToBuy {
            if let named {
                return buyable(named.id, state: state) ? convert(named, state: &state) : mismatchOrDetails(named, state: &state, language: language)
            }
            if let product = family { return convert(product, state: &state) }
            if let id = state.offer.lastProduct, let product = knowledge.products.product(id: id) {
                // The product talked about: bought if it suits, else (above the level) the suitability warning.
                if buyable(id, state: state) { return convert(product, state: &state) }
                if !state.offer.declinedProducts.contains(id) && !state.offer.recommended.contains(id) { return mismatchOrDetails(product, state: &state, language: language) }
            }
            if state.offer.recommended.count == 1, let product = knowledge.products.product(id: state.offer.recommended[0]) { return convert(product, state: &state) }
            if state.offer.recommended.count > 1 {
                // Several on the table: ask which one rather than pick for the customer.
                let names = state.offer.recommended.enumerated().compactMap { index, id in knowledge.products.product(id: id).map { "\(index + 1)) \($0.name[language])" } }
                state.phase = .choosingProduct(options: state.offer.recommended)
                return Outcome(reply: messages.text(.whichProduct, language, ["options": names.joined(separator: "\n")]))
            }
        }

        let pending: InvestorProfile.Fact? = { if case .profiling(let fact) = state.phase { return fact } else { return nil } }()
        if case .confirmingIncome(let amount) = state.phase {
            let isAnnual = ["年", "year", "annual", "per annum"].contains { lower.contains($0) }
            let isMonthly = ["月", "month"].contains { lower.contains($0) }
            if isAnnual != isMonthly {
                state.profile.monthlyIncome = isAnnual ? (amount / 12).rounded() : amount
                let follow = next(state: &state, language: language)
                return Outcome(reply: follow.reply.joined(separator: "\n"), events: follow.events, recommendation: follow.recommendation)
            }
        }

        // Asked about experience, a product named is the experience ("had stocks for 4 years", "买过定期宝"): read it whole. So
        // is the goal: "给孩子存教育金" without the plan's alias 教育金 was "给孩子存", steady saving.
        var extraction = extractor.extract(pending == .experience || pending == .goal ? lower.string : factText, pending: pending, intent: state.profile.intent)
        if let future = extraction.ownFutureAge, let age = state.profile.age.map(Double.init), future > age, pending == .horizon,
           extraction.value(.horizon) == nil || extraction.horizonFromWords || extraction.fromWords.contains(.horizon) {
            // "I want to stop working when I am 60, so until then", asked how long the money can stay, from a 52-year-old. The
            // figure wins over the words ("干到60岁就退休" also reads as the long term).
            extraction.facts.removeAll { $0.0 == .horizon }
            extraction.facts.append((.horizon, .number((future - age) * 12)))
        }
        if !extraction.isCorrection {
            // Words volunteered in passing fill what is missing; they never replace a fact the customer gave when asked
            // ("只存过定期", answering the experience question, is no new goal). A correction says so, and numbers are exact.
            // So is a horizon read from words: "I can stomach some swings, like 15-20% dips, as long as it recovers", answering
            // the loss question, turned the "two more years" just given into the long term. So is no income in words: "给自己攒个
            // 应急的，万一生病没收入" (the goal: in case illness stops the income) turned the ¥5,000 just given into ¥0.
            let fromWords = extraction.horizonFromWords
            let readFromWords = extraction.fromWords
            extraction.facts.removeAll { fact, _ in
                fact != pending && (ProfileAnswers.wordFacts.contains(fact) || (fact == .horizon && fromWords) || readFromWords.contains(fact))
                    && state.profile.has(fact) && !state.profile.skipped.contains(fact)
            }
        }
        if pending == .experience {
            // "您之前买过基金、股票之类的投资产品吗？" is a yes-or-no question: a bare "有" or "没有" answers it, whatever the
            // reader ranks ("有" was a tie between none, 0.20, and some, 0.19).
            let yes = replies.says(only: "have", input), no = replies.says(only: "have-not", input)
            if yes != no {
                extraction.facts.removeAll { $0.0 == .experience }
                extraction.facts.append((.experience, .word(yes ? "some" : "none")))
            }
        }
        if let pending, state.questioning.fact == pending, let suggested = state.questioning.suggested {
            // "对" to "would you say 'I may need it any time'?": the value put to the customer, whatever the reader makes of a
            // bare yes ("yes" read as the long term); "是的，能放一年" says its own length.
            // A length in figures always stands ("是的能放一年", "yes about a year").
            let fromWordsOnly = extraction.value(pending) == nil || extraction.fromWords.contains(pending)
            let confirmed = replies.confirmation(input) == true && (extraction.value(pending) == nil || (replies.isOneClause(input) && fromWordsOnly))
            // So is saying again what suggested it, when its words read only faintly as a length: "应急用的，家里老人身体不好"
            // read 0.32 as the long term, and spare cash was recommended as money that can stay three years. ("应急用的，但是
            // 长期不会动" says a length surely, and is read as one.)
            let restated = extraction.suggested.contains { $0.0 == pending && $0.1 == suggested } && fromWordsOnly
                && wordsAnswerScore(input, pending: pending) < DialogueEngine.sureAnswer
            if confirmed || restated {
                extraction.facts.removeAll { $0.0 == pending }
                extraction.facts.append((pending, suggested))
            }
        }
        if let pending, let picked = choice(input, for: pending, state: state) {
            // The number or words of one of the choices on screen answer the question, whatever else they read as.
            extraction = ProfileExtractor.Extraction()
            extraction.facts = [(pending, picked)]
        }
        if extraction.isEmpty, pending != nil, named != nil, !wantsToBuy {
            // While the profile is collected, an alias that is an ordinary word ("给孩子存教育金", "股票") is
            // part of the answer: read the facts with it rather than answer the line as a question.
            let full = extractor.extract(lower.string, pending: pending, intent: state.profile.intent)
            if !full.facts.isEmpty { extraction = full }
        }
        if extraction.facts.isEmpty && extraction.invalid.isEmpty && extraction.ambiguousIncome == nil && !extraction.skip && extraction.foreignCurrency.isEmpty {
            if let named, isAssessable(state) || state.phase == .recommended {
                // A question about a product ("随心借利率多少") is answered with its facts and its risk or
                // eligibility note; only buying an unsuitable product gets the suitability refusal or warning.
                if !wantsToBuy, ReplyReader.contains(knowledge.replies["question"], in: ReplyPhrases.fold(input)) {
                    return productFacts(named, state: &state, language: language)
                }
                return mismatchOrDetails(named, state: &state, language: language)
            }
            return nil
        }
        let announce = state.phase == .recommended || extraction.isCorrection
        let follow = apply(extraction, state: &state, language: language, announce: announce)
        return Outcome(reply: follow.reply.joined(separator: "\n"), events: follow.events, recommendation: follow.recommendation)
    }

    /// A correction of the profile after selling stopped ("不对，我是45岁", "actually I earn 8k a month"): the
    /// facts are updated and the correction acknowledged politely, with no recommendation and nothing sold.
    /// nil when the message corrects nothing.
    /// The line says it corrects something ("不对", "actually", "说错了").
    func saysCorrection(_ input: String) -> Bool {
        extractor.answers?.read(input, pending: nil).correction ?? false
    }

    func noteCorrection(_ input: String, state: inout DialogueState) -> Outcome? {
        let lower = SearchText(String(scalars: NumberParser.fold(input)))
        let extraction = extractor.extract(knowledge.products.removingNames(fromFolded: lower.string), pending: nil, intent: state.profile.intent)
        let old = state.profile
        let replaces = extraction.facts.contains { fact, value in old.ruleValue(fact).map { $0 != value } ?? false }
        guard !extraction.facts.isEmpty, extraction.invalid.isEmpty, extraction.isCorrection || (replaces && extraction.intent == nil) else { return nil }
        var changed: [String] = []
        for (fact, value) in extraction.facts {
            state.profile.set(fact, value)
            state.profile.skipped.remove(fact)
            state.profile.inferred.remove(fact)
        }
        for fact in InvestorProfile.Fact.allCases where extraction.value(fact) != nil {
            if let now = state.profile.ruleValue(fact) { changed.append(AdviceFlow.describe(fact, now, state.language)) }
        }
        if let age = state.profile.age, age < 18 { state.isMinor = true }
        let list = changed.joined(separator: state.language == .zh ? "，" : ", ")
        return Outcome(reply: messages.text(.correctionNoted, state.language, ["fact": list]), events: [DialogueEvent(.factCorrected, list)])
    }

    /// Another request for advice in the same conversation: the next question, or the recommendation again.
    func again(state: inout DialogueState) -> Outcome {
        let follow = next(state: &state, language: state.language)
        return Outcome(reply: follow.reply.joined(separator: "\n"), events: follow.events, recommendation: follow.recommendation)
    }

    /// Phases in which Kefu asked the customer something of its own and reads the reply before anything else.
    static func awaitsAnswer(_ phase: DialogueState.Phase) -> Bool {
        switch phase {
        case .riskWarning, .choosingProduct, .handoffOffered: return true
        default: return false
        }
    }

    /// The pending question again (after Kefu answered something else in between).
    func reask(state: DialogueState) -> String? {
        let language = state.language
        switch state.phase {
        case .profiling(let fact):
            guard let question = knowledge.questions.question(for: fact, intent: state.profile.intent) else { return nil }
            // The question as it was put: a yes still answers a value put to the customer.
            let asked = state.questioning.fact == fact ? state.questioning.suggested.flatMap { confirmation(fact, $0, state: state) } : nil
            return messages.text(.backToProfile, language) + (language == .en ? " " : "") + (asked ?? question.ask[language])
        case .confirmingIncome(let amount):
            return knowledge.questions.questions["income-period"].map { $0.ask[language].replacingOccurrences(of: "{amount}", with: AdviceFlow.money(amount, language)) }
        case .riskWarning(let productID):
            return knowledge.products.product(id: productID).map { messages.text(.mismatchUnclear, language, fill($0, level: assessment(state).level, language: language)) }
        default:
            return nil
        }
    }

    // MARK: - Profile

    struct Follow {
        var reply: [String] = []
        var events: [DialogueEvent] = []
        var recommendation: TurnRecord.Recommendation?
        var done = false
    }

    private func apply(_ extraction: ProfileExtractor.Extraction, state: inout DialogueState, language: Language, announce: Bool) -> Follow {
        var follow = Follow()
        if let intent = extraction.intent, state.profile.intent == nil { state.profile.intent = intent }
        var changed: [String] = []
        let old = state.profile
        for (fact, value) in extraction.facts {
            state.profile.set(fact, value)
            state.profile.skipped.remove(fact)
            state.profile.inferred.remove(fact)
        }
        // Compared with the profile before this message, once per fact: a fact given twice in one message
        // is no correction, and one that replaces a stated fact is always said (the customer may not know).
        for fact in InvestorProfile.Fact.allCases where extraction.value(fact) != nil {
            guard let before = old.ruleValue(fact), let now = state.profile.ruleValue(fact), before != now else { continue }
            if announce || extraction.isCorrection || !old.skipped.contains(fact) { changed.append(AdviceFlow.describe(fact, now, language)) }
        }
        if extraction.horizonFromWords, extraction.value(.horizon) != nil, old.ruleValue(.horizon) != state.profile.ruleValue(.horizon) {
            state.profile.inferred.insert(.horizon)
            if let note = horizonNote(state.profile, language: language) { follow.reply.append(note) }
        }
        follow.reply += rangeNotes(extraction, language: language)
        if extraction.skip, case .profiling(let fact) = state.phase, !extraction.facts.contains(where: { $0.0 == fact }) {
            state.profile.skipped.insert(fact)
            if let assumed = knowledge.questions.assumed(fact, intent: state.profile.intent) { state.profile.set(fact, assumed) }
            if let skipped = knowledge.questions.question(for: fact, intent: state.profile.intent)?.skipped { follow.reply.append(skipped[language]) }
        }
        if let age = state.profile.age, age < 18 {
            state.isMinor = true
            state.profile = InvestorProfile()
            state.offer.recommended = []
            state.phase = .idle
            follow.reply = [messages.text(.minor, language)]
            follow.events.append(DialogueEvent(.minorDetected))
            follow.done = true
            return follow
        }
        if state.profile.intent == .loan, let who = loanBlocker(state.profile, language: language) {
            // Never lend to students or minors: say so as soon as it is known, not after more questions.
            state.profile.intent = nil
            state.phase = .idle
            follow.reply.append(messages.text(.loanRefused, language, ["who": who]))
            follow.events.append(DialogueEvent(.loanRefused))
            follow.done = true
            return follow
        }
        if !changed.isEmpty {
            follow.reply.insert(messages.text(.factUpdated, language, ["fact": changed.joined(separator: language == .zh ? "，" : ", ")]), at: 0)
            follow.events.append(DialogueEvent(.factCorrected, changed.joined(separator: "; ")))
        }
        // A figure in another currency is asked again in yuan, unless the line gave the yuan too ("about two thousand dollars,
        // so call it 14 grand yuan a month" heard "That amount looks like a foreign currency" eight times in a row).
        let foreign = extraction.foreignCurrency.first { fact in !extraction.facts.contains { $0.0 == fact } }
        if let fact = extraction.invalid.first ?? foreign {
            // Said once, then the ladder of an unread answer (`next`): "40 000 yuan", read as 0 before spaces grouped
            // thousands, heard "The amount needs to be more than 0" eight times in a row.
            if state.phase == .profiling(fact), state.questioning.fact == fact, state.questioning.unread >= 1 {
                let rest = next(state: &state, language: language)
                follow.reply += rest.reply
                follow.events += rest.events
                follow.recommendation = rest.recommendation
                follow.done = true
                return follow
            }
            if !(state.phase == .profiling(fact) && state.questioning.fact == fact) { state.questioning = ProfileQuestioning(fact: fact) }
            state.questioning.unread += 1
            if extraction.invalid.first == fact {
                let question = knowledge.questions.question(for: fact, intent: state.profile.intent)
                follow.reply.append(question?.invalid?[language] ?? question?.ask[language] ?? "")
            } else {
                // Never read as yuan: ask for the amount in yuan, as the answer to that fact's question.
                follow.reply.append(messages.text(.foreignCurrency, language))
            }
            state.phase = .profiling(fact)
            follow.done = true
            return follow
        }
        if let amount = extraction.ambiguousIncome, state.profile.monthlyIncome == nil {
            state.phase = .confirmingIncome(amount)
            if let text = knowledge.questions.questions["income-period"] {
                follow.reply.append(text.ask[language].replacingOccurrences(of: "{amount}", with: AdviceFlow.money(amount, language)))
            }
            follow.done = true
            return follow
        }
        let wasRecommended = state.phase == .recommended
        var rest = next(state: &state, language: language)
        if wasRecommended, rest.recommendation != nil { rest.reply.insert(messages.text(.recomputed, language), at: 0) }
        follow.reply += rest.reply
        follow.events += rest.events
        follow.recommendation = rest.recommendation
        return follow
    }

    /// Asks for the next missing fact, or recommends when the profile is complete. The same fact asked again
    /// right after (its answer could not be read) climbs `ProfileQuestioning`'s ladder: other words, then the
    /// numbered choices, then the conservative value, said; so no question is ever asked a third time as is.
    private func next(state: inout DialogueState, language: Language) -> Follow {
        let order = state.profile.intent == .loan ? knowledge.suitability.askLoan : knowledge.suitability.askInvest
        var said: [String] = []
        for fact in order where !state.profile.has(fact) && !state.profile.skipped.contains(fact) {
            guard let question = knowledge.questions.question(for: fact, intent: state.profile.intent) else { continue }
            let again = state.phase == .profiling(fact) && state.questioning.fact == fact
            if again {
                state.questioning.unread += 1
            } else {
                state.questioning = ProfileQuestioning(fact: fact)
            }
            state.phase = .profiling(fact)
            let unread = state.questioning.unread
            if unread >= ProfileQuestioning.assumedAfter || (unread >= ProfileQuestioning.choicesAfter && question.choices.isEmpty) {
                // Still unreadable after other words and the choices (or, with no choices to offer, after other words: "Ha,
                // a lady never tells her age" three times heard the age question three times): taken as "rather not
                // say", and said.
                state.profile.skipped.insert(fact)
                if let assumed = knowledge.questions.assumed(fact, intent: state.profile.intent) { state.profile.set(fact, assumed) }
                if let skipped = question.skipped { said.append(skipped[language]) }
                state.questioning = ProfileQuestioning()
                continue
            }
            if unread >= ProfileQuestioning.choicesAfter, !question.choices.isEmpty {
                state.questioning.choicesShown = true
                let options = question.choices.enumerated().map { "\($0.offset + 1)) \($0.element.label[language])" }
                return Follow(reply: said + [question.ask[language], messages.text(.profileChoices, language, ["options": options.joined(separator: "\n")])])
            }
            if unread >= 1, let rephrased = question.rephrased {
                state.questioning.suggested = nil
                return Follow(reply: said + [rephrased[language]])
            }
            // What the customer's words suggest ("Mostly spare cash for the months with no work": may be needed any time) is
            // put to them to confirm, in the words of its choice; a yes gives it, a length said instead is read as ever.
            // Worked out from the profile as it is now: a goal changed since no longer suggests anything. Never for a loan, whose
            // horizon is a repayment term.
            if unread == 0, state.profile.intent != .loan, let value = extractor.answers?.suggestion(for: fact, from: state.profile),
               let text = confirmation(fact, value, state: state) {
                state.questioning.suggested = value
                return Follow(reply: said + [text])
            }
            return Follow(reply: said + [question.ask[language]])
        }
        var follow = recommend(state: &state, language: language)
        follow.reply.insert(contentsOf: said, at: 0)
        return follow
    }

    /// The question that puts a likely value to the customer (`confirm:` with its choice's words), if the question has both.
    private func confirmation(_ fact: InvestorProfile.Fact, _ value: RuleValue, state: DialogueState) -> String? {
        guard let question = knowledge.questions.question(for: fact, intent: state.profile.intent), let confirm = question.confirm,
              let choice = question.choices.first(where: { $0.value == value }) else { return nil }
        return confirm[state.language].replacingOccurrences(of: "{choice}", with: choice.label[state.language])
    }

    /// An answer to the pending profile question that could not be read (nor answered as a question): the
    /// question again, in other words or as choices, never "not understood". "不知道" goes straight to the choices.
    func unread(_ input: String, state: inout DialogueState) -> Outcome? {
        guard case .profiling(let fact) = state.phase, state.profile.intent != nil else { return nil }
        if state.questioning.fact != fact { state.questioning = ProfileQuestioning(fact: fact) }
        // "No idea" goes to the choices; a "no" to the value put to them ("would you say 'I may need it any time'?") gets the
        // question itself, in other words (the next ask after an unread answer never puts the value again).
        let bareNo = state.questioning.suggested != nil && replies.says(only: "wrong", input)
        if !bareNo, extractor.answers?.read(input, pending: fact).unsure ?? false {
            state.questioning.unread = max(state.questioning.unread, ProfileQuestioning.choicesAfter - 1)
        }
        let follow = next(state: &state, language: state.language)
        return Outcome(reply: follow.reply.joined(separator: "\n"), events: follow.events, recommendation: follow.recommendation)
    }

    /// The facts a line volunteers, with no question pending.
    func volunteered(_ input: String) -> ProfileExtractor.Extraction {
        extractor.extract(knowledge.products.removingNames(fromFolded: String(scalars: NumberParser.fold(input))), pending: nil, intent: nil)
    }

    /// Facts about the person said outside the advice conversation ("我35岁，在医院当护士，提现多久到账"): kept, so that
    /// advice does not ask them again. Only what stays true whatever the money is for (age, occupation, income,
    /// experience); a stated age under 18 blocks every recommendation from then on.
    static let remembered: Set<InvestorProfile.Fact> = [.age, .occupation, .income, .experience]

    func remember(_ extraction: ProfileExtractor.Extraction, state: inout DialogueState) {
        for (fact, value) in extraction.facts where Self.remembered.contains(fact) && !state.profile.has(fact) {
            state.profile.set(fact, value)
        }
        if let age = state.profile.age, age < 18 { state.isMinor = true }
    }

    /// How surely the line answers the pending question (see `ProfileAnswerReader.answerScore`); numbers count as sure.
    func answerScore(_ input: String, pending: InvestorProfile.Fact) -> Double {
        figureAnswers(input, pending: pending) ? 1 : wordsAnswerScore(input, pending: pending)
    }

    /// Whether a figure in the line answers a number's question (the numbers alone: "提现多久到账" has no length in it,
    /// whatever its words read as).
    func figureAnswers(_ input: String, pending: InvestorProfile.Fact) -> Bool {
        SuitabilityRules.numericFacts.contains(pending) && extractor.read(input, pending: pending, intent: nil).extraction.value(pending) != nil
    }

    /// How surely the words of the line answer the pending question, whatever figure it holds.
    func wordsAnswerScore(_ input: String, pending: InvestorProfile.Fact) -> Double {
        extractor.answers?.answerScore(input, pending: pending) ?? 0
    }

    /// `wordsAnswerScore`, whether that answer is only a hedge (a skip or "not sure"), and whether the question's own
    /// reader ranks an answer first (`ProfileAnswerReader.answerReading`).
    func wordsAnswer(_ input: String, pending: InvestorProfile.Fact) -> (score: Double, hedge: Bool, rankedFirst: Bool) {
        extractor.answers?.answerReading(input, pending: pending) ?? (0, false, false)
    }

    /// A pick from the numbered choices on screen: its number ("2", "第二个") or its words in either language.
    private func choice(_ input: String, for fact: InvestorProfile.Fact, state: DialogueState) -> RuleValue? {
        guard state.questioning.fact == fact, state.questioning.choicesShown,
              let question = knowledge.questions.question(for: fact, intent: state.profile.intent) else { return nil }
        if let pick = ChoiceParser().parse(input), pick >= 1, pick <= question.choices.count { return question.choices[pick - 1].value }
        let said = ReplyPhrases.fold(input)
        return question.choices.first { ReplyPhrases.fold($0.label.zh) == said || ReplyPhrases.fold($0.label.en) == said }?.value
    }

    /// What a complete profile should be offered, by the rules the conversation uses: no product for a minor or a
    /// borrower no loan may go to, the first suitable loan, or the investor level (`kefu simulate`).
    func expectedOutcome(_ profile: InvestorProfile) -> Simulation.Expectation {
        if profile.isMinor { return .noProduct }
        let intent = profile.intent ?? .invest
        if intent == .loan, loanBlocker(profile, language: .en) != nil { return .noProduct }
        if let amount = profile.amount, knowledge.escalation.amountRule(reachedBy: amount) != nil {
            return .person
        }
        let assumed: (InvestorProfile.Fact) -> RuleValue? = { knowledge.questions.assumed($0, intent: intent) }
        let level = knowledge.suitability.assess(profile, assumed: assumed).level
        guard intent == .loan else { return .level("C\(level)") }
        if loanBlocker(profile, language: .en) != nil { return .noProduct }
        return recommender.recommend(profile, level: level, assumed: assumed).picks.first.map { .loan($0.id) } ?? .noProduct
    }

    func assessment(_ state: DialogueState) -> SuitabilityRules.Assessment {
        let intent = state.profile.intent
        return knowledge.suitability.assess(state.profile) { knowledge.questions.assumed($0, intent: intent) }
    }

    private func isAssessable(_ state: DialogueState) -> Bool {
        knowledge.suitability.askInvest.allSatisfy { state.profile.has($0) || state.profile.skipped.contains($0) }
    }

    private func recommend(state: inout DialogueState, language: Language) -> Follow {
        let intent = state.profile.intent ?? .invest
        let level = assessment(state).level
        let result = recommender.recommend(state.profile, level: level) { knowledge.questions.assumed($0, intent: intent) }
        state.phase = .recommended
        let picks = result.picks.filter { !state.offer.declinedProducts.contains($0.id) }
        state.offer.recommended = picks.map(\.id)
        for id in state.offer.recommended where state.offer.timesOffered[id] == nil { state.offer.timesOffered[id] = 1 }
        var follow = Follow(events: [DialogueEvent(.profileCompleted, intent == .loan ? "loan" : "C\(level)")])
        guard !picks.isEmpty else {
            let declined = state.offer.declinedProducts.filter { id in knowledge.products.product(id: id).map { intent == .loan ? $0.isLoan : !$0.isLoan } ?? false }
            let why = NoFitExplanation(catalog: knowledge.products).lines(result.rejected, declined: declined, profile: state.profile, level: level, language: language)
            follow.reply.append(messages.text(.recommendNone, language, ["why": why.joined(separator: "\n")]))
            follow.recommendation = TurnRecord.Recommendation(investorLevel: intent == .loan ? nil : "C\(level)", products: [])
            state.phase = .idle
            return follow
        }
        if intent == .loan {
            follow.reply.append(messages.text(.loanIntro, language))
        } else {
            follow.reply.append(messages.text(.recommendIntro, language, ["level": "C\(level)", "level-name": SuitabilityRules.levelName(level, language)]))
            if !result.goalMatched, let goal = state.profile.goal ?? knowledge.questions.assumed(.goal, intent: intent)?.description {
                follow.reply.append(messages.text(.recommendGoalFallback, language, ["goal": AdviceFlow.goalName(goal, language)]))
            }
        }
        for (n, product) in picks.enumerated() {
            var values = fill(product, level: level, language: language)
            values["n"] = String(n + 1)
            values["reason"] = personalReason(product, profile: state.profile, language: language)
            follow.reply.append(messages.text(.recommendItem, language, values))
        }
        follow.reply.append(messages.text(intent == .loan ? .loanOutro : .recommendOutro, language))
        follow.events.append(DialogueEvent(.recommendationShown, state.offer.recommended.joined(separator: ",")))
        follow.recommendation = TurnRecord.Recommendation(investorLevel: intent == .loan ? nil : "C\(level)",
                                                          products: picks.map { .init(id: $0.id, risk: $0.isLoan ? nil : $0.riskLabel) })
        return follow
    }

    /// A product the customer named: details if it suits them, the suitability warning if it is above their level.
    private func mismatchOrDetails(_ product: Product, state: inout DialogueState, language: Language) -> Outcome {
        let level = assessment(state).level
        let values = fill(product, level: level, language: language)
        // Age, occupation, income and amount rules hold whatever the customer accepts: only the risk
        // level can be overridden by an explicit acknowledgement.
        if let why = recommender.ineligibility(product, profile: state.profile, level: 5, assumed: { knowledge.questions.assumed($0, intent: state.profile.intent) }) {
            if state.offer.lastProduct == product.id { state.offer.lastProduct = nil }
            return Outcome(reply: messages.text(.notEligible, language, ["name": product.name[language], "why": why[language]]),
                           events: [DialogueEvent(.notEligible, product.id)])
        }
        state.offer.lastProduct = product.id
        if !product.isLoan && product.risk > level && !state.offer.acknowledgedRisk.contains(product.id) {
            state.phase = .riskWarning(productID: product.id)
            return Outcome(reply: messages.text(.mismatchWarning, language, values), events: [DialogueEvent(.riskMismatchWarned, product.id)])
        }
        return Outcome(reply: messages.text(.mismatchDetails, language, values))
    }

    /// "我要买定期宝": a family name (a product's name before its number: 定期宝 of 定期宝 365 天, "fixed term" of
    /// "Fixed Term 365 days") that matches exactly one recommended product picks it; nil when none or several do.
    private func familyPick(_ lower: SearchText, state: DialogueState) -> Product? {
        let matches = state.offer.recommended.compactMap { knowledge.products.product(id: $0) }.filter { product in
            [product.name.zh, product.name.en].contains { name in
                let family = String(name.lowercased().prefix { !$0.isNumber }).trimmingWhitespace()
                return family.count >= 2 && family != name.lowercased() && lower.containsWord(family)
            }
        }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The facts of a product asked about: description, rate or APR, term, and its risk disclosure against the
    /// customer's level; when one of its eligibility rules fails for the customer, that is said too. Records
    /// nothing and changes no phase: a question is not a decision.
    private func productFacts(_ product: Product, state: inout DialogueState, language: Language) -> Outcome {
        let level = assessment(state).level
        var reply = messages.text(.mismatchDetails, language, fill(product, level: level, language: language))
        var profile = state.profile
        profile.intent = product.isLoan ? .loan : .invest  // the kind was asked about on purpose
        if let why = recommender.ineligibility(product, profile: profile, level: 5, assumed: { knowledge.questions.assumed($0, intent: profile.intent) }) {
            reply += "\n" + messages.text(.productNotForYou, language, ["why": why[language]])
            if state.offer.lastProduct == product.id { state.offer.lastProduct = nil }
        } else {
            state.offer.lastProduct = product.id  // the product talked about: "I'll take it" means this one
        }
        return Outcome(reply: reply)
    }

    /// Who may never borrow, whatever else holds: students (every loan excludes them) and minors.
    private func loanBlocker(_ profile: InvestorProfile, language: Language) -> String? {
        if let occupation = profile.occupation, knowledge.products.products.filter(\.isLoan).allSatisfy({ $0.excludes.contains(occupation) }) {
            return Recommender.occupationName(occupation, language)
        }
        if let age = profile.age, age < 18 { return language == .zh ? "未满 18 周岁的客户" : "anyone under 18" }
        return nil
    }

    private func eligibleIgnoringRisk(_ product: Product, state: DialogueState) -> Bool {
        recommender.ineligibility(product, profile: state.profile, level: 5, assumed: { knowledge.questions.assumed($0, intent: state.profile.intent) }) == nil
    }

    /// A product may be bought when it was recommended, its risk was acknowledged, or it suits the customer;
    /// never one the customer turned down, and never one whose age, occupation, income or amount rules fail.
    private func buyable(_ id: String, state: DialogueState) -> Bool {
        guard let product = knowledge.products.product(id: id), !state.offer.declinedProducts.contains(id) else { return false }
        if state.offer.recommended.contains(id) || state.offer.acknowledgedRisk.contains(id) { return eligibleIgnoringRisk(product, state: state) }
        let level = assessment(state).level
        return recommender.ineligibility(product, profile: state.profile, level: level, assumed: { knowledge.questions.assumed($0, intent: state.profile.intent) }) == nil
    }

    /// The decision to buy: how to apply, a `conversion` event, and (for investments, when a sales rule
    /// exists) the offer to put the customer through, whose answer comes next.
    private func convert(_ product: Product, state: inout DialogueState) -> Outcome {
        state.offer.lastProduct = product.id
        if !state.offer.purchases.contains(product.id) { state.offer.purchases.append(product.id) }
        let offersHandoff = !product.isLoan && knowledge.escalation.firstRule(where: { $0 == .offerAccepted }) != nil
        state.phase = offersHandoff ? .handoffOffered(productID: product.id) : .recommended
        let key: MessageCatalog.Key = product.isLoan ? .loanConversion : offersHandoff ? .conversion : .conversionNoHandoff
        return Outcome(reply: messages.text(key, state.language, ["name": product.name[state.language]]),
                       events: [DialogueEvent(.conversion, product.id)])
    }

    /// The answer to the risk-mismatch warning. Refusals and negated acceptances are read first and are
    /// never an acceptance; an unclear reply asks again plainly. nil when the reply is about something
    /// else (another product, a correction of the profile), handled as in the recommended state.
    private func answerRiskWarning(_ product: Product, input: String, named: Product?, factText: String, wantsToBuy: Bool, state: inout DialogueState) -> Outcome? {
        let language = state.language
        switch replies.riskAnswer(input) {
        case .accept:
            state.offer.acknowledgedRisk.append(product.id)
            state.offer.lastProduct = product.id
            state.phase = .recommended
            let details = messages.text(.mismatchDetails, language, fill(product, level: assessment(state).level, language: language))
            return Outcome(reply: messages.text(.mismatchAcknowledged, language) + "\n" + details,
                           events: [DialogueEvent(.riskMismatchAcknowledged, product.id)])
        case .refuse:
            state.phase = state.offer.recommended.isEmpty ? .idle : .recommended
            if state.offer.lastProduct == product.id { state.offer.lastProduct = nil }
            return Outcome(reply: messages.text(.mismatchDeclined, language, ["name": product.name[language]]),
                           events: [DialogueEvent(.riskMismatchDeclined, product.id)])
        case .unclear:
            let sameProduct = named == nil || named?.id == product.id
            // Wanting to buy is not an acknowledgement of the risk: say the warning again.
            if wantsToBuy && sameProduct { return mismatchOrDetails(product, state: &state, language: language) }
            if replies.isAcknowledgement(input) {
                // "ok", "好": not an informed acceptance, and not a greeting or a question either: ask again plainly.
                return Outcome(reply: messages.text(.mismatchUnclear, language, fill(product, level: assessment(state).level, language: language)))
            }
            let facts = extractor.extract(factText, pending: nil, intent: state.profile.intent)
            if sameProduct && facts.facts.isEmpty && facts.invalid.isEmpty {
                return Outcome(reply: messages.text(.mismatchUnclear, language, fill(product, level: assessment(state).level, language: language)), unclear: true)
            }
            state.phase = .recommended
            return nil
        }
    }

    func fill(_ product: Product, level: Int, language: Language) -> [String: String] {
        var values: [String: String] = [
            "name": product.name[language], "desc": product.description[language], "risk": product.riskLabel,
            "risk-name": Product.riskName(product.risk, language), "rate": product.rateText, "term": product.term[language],
            "level": "C\(level)", "level-name": SuitabilityRules.levelName(level, language),
        ]
        let key: MessageCatalog.Key = product.isLoan ? .loanDisclosure : product.risk > level ? .aboveLevelDisclosure : .investDisclosure
        values["disclosure"] = messages.text(key, language, values)
        return values
    }

    /// "因为您一年内可能要用钱，随存随取…": the product's reason, tied to what the customer said.
    func personalReason(_ product: Product, profile: InvestorProfile, language: Language) -> String {
        let zh = language == .zh
        var because: String?
        if let goal = profile.goal, product.goals.contains(goal), ["retirement", "education", "growth"].contains(goal) {
            let names: [String: Bilingual] = ["retirement": Bilingual(zh: "您在为养老做准备", en: "you are preparing for retirement"),
                                              "education": Bilingual(zh: "您在为孩子教育做准备", en: "you are saving for a child's education"),
                                              "growth": Bilingual(zh: "您希望资产长期增值", en: "you want long-term growth")]
            because = names[goal]?[language]
        } else if product.isLoan {
            because = profile.amount.map { zh ? "您需要借 \(AdviceFlow.money($0, .zh))" : "you need to borrow \(AdviceFlow.money($0, .en))" }
        } else if let horizon = profile.horizonMonths {
            if horizon < 12 { because = zh ? "您一年内可能要用钱" : "you may need the money within a year" }
            else if horizon < 36 { because = zh ? "这笔钱一到三年内用不到" : "you won't need this money for one to three years" }
            else { because = zh ? "这笔钱可以放三年以上" : "this money can stay invested three years or more" }
        }
        guard let because else { return product.reason[language] }
        return zh ? "因为\(because)，\(product.reason.zh)" : "Chosen because \(because): \(product.reason.en)"
    }

    static func describe(_ fact: InvestorProfile.Fact, _ value: RuleValue, _ language: Language) -> String {
        let zh = language == .zh
        switch (fact, value) {
        case (.age, .number(let n)): return zh ? "年龄 \(Int(n)) 岁" : "age \(Int(n))"
        case (.income, .number(let n)): return zh ? "月收入 \(money(n, .zh))" : "monthly income \(money(n, .en))"
        case (.amount, .number(let n)): return zh ? "金额 \(money(n, .zh))" : "amount \(money(n, .en))"
        case (.horizon, .number(let n)): return zh ? "期限 \(Int(n)) 个月" : "horizon \(Int(n)) months"
        case (.occupation, .word(let w)): return zh ? "职业：\(Recommender.occupationName(w, .zh))" : "occupation: \(w.replacingOccurrences(of: "-", with: " "))"
        case (.goal, .word(let w)): return zh ? "目标：\(goalName(w, .zh))" : "goal: \(w)"
        case (.loss, .word(let w)): return zh ? "可承受亏损：\(lossName(w, .zh))" : "loss tolerance: \(w)"
        case (.experience, .word(let w)): return zh ? "投资经验：\(experienceName(w, .zh))" : "experience: \(w)"
        default: return "\(fact.rawValue) \(value)"
        }
    }

    static func factName(_ fact: InvestorProfile.Fact, _ language: Language) -> String {
        let zh: [InvestorProfile.Fact: String] = [.age: "年龄", .income: "月收入", .occupation: "职业", .goal: "目标", .horizon: "期限", .loss: "可承受亏损", .experience: "投资经验", .amount: "金额"]
        return language == .zh ? zh[fact] ?? fact.rawValue : fact.rawValue
    }

    static func goalName(_ goal: String, _ language: Language) -> String {
        let zh = ["liquidity": "随时备用", "saving": "稳健存钱", "growth": "追求增值", "retirement": "养老", "education": "子女教育", "borrow": "借款"]
        return language == .zh ? zh[goal] ?? goal : goal
    }

    static func lossName(_ loss: String, _ language: Language) -> String {
        let zh = ["none": "不能接受亏损", "small": "10% 以内", "medium": "25% 以内", "large": "25% 以上"]
        return language == .zh ? zh[loss] ?? loss : loss
    }

    static func experienceName(_ experience: String, _ language: Language) -> String {
        let zh = ["none": "无", "some": "有一些", "experienced": "丰富"]
        return language == .zh ? zh[experience] ?? experience : experience
    }

    /// "10 万元" / "¥100,000".
    static func money(_ value: Double, _ language: Language) -> String {
        // Never trap on absurd amounts (the number parser caps them, but stay safe on our own).
        let value = value.isFinite ? min(max(value, 0), 1e15) : 0
        if language == .zh {
            if value >= 10_000 && (value / 10_000) == (value / 10_000).rounded(.down) * 1 && value.truncatingRemainder(dividingBy: 1000) == 0 {
                let wan = value / 10_000
                return (wan == wan.rounded() ? String(Int(wan)) : String(format: "%.1f", wan)) + " 万元"
            }
            return "\(Int(value)) 元"
        }
        return "¥" + grouped(value)
    }

    /// What en_US_POSIX NumberFormatter gives for 0...1e15 with no fraction digits ("1,234,568", halves to
    /// even), without building a formatter (ICU) on every reply that names an amount.
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded(.toNearestOrEven)))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
