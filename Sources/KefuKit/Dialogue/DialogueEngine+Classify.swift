import Foundation

/// Deciding what a customer line is, once per turn (`CustomerLine`), with the evidence and tuning behind each step.
extension DialogueEngine {
    /// The FAQ score at which a statement with an amount is answered rather than read as a wish to invest or
    /// borrow: "上个月买的定期宝3万 现在想拿出来" scores 0.80 for fixed-term-early-redemption, while "我想投5万" scores
    /// 0.43 for complaint (the 投 of 投诉) and is a wish to invest.
    static let faqOverIntent = 0.6

    /// How well the line answers the question Kefu asked. Plausibly: then an escalation needs the answer-aware reader to
    /// agree (see `classify`), as for a request for advice. Surely: Kefu's own question (the risk warning, "which one?":
    /// "我没有了解过风险" read faintly as a security incident), or the words of an answer to a profile question read at
    /// `sureAnswer` or above. A figure answers a number's question whatever else the line says ("I wrote my will today. I'm
    /// 26.", asked the age), so it is plausible, never sure evidence that the rest is the answer too: counted as sure, "Can
    /// someone call me after 6pm?" (asked the age, the income or the horizon) and "The investment mentor says if I don't top
    /// up 20k today my whole account will be liquidated" went unescalated. (Dev, every profile question: 4 more request,
    /// fraud and crisis lines found, none lost.) A line of a few words that holds the figure is sure: "I'm on 8k.", asked
    /// the income, read as despair (and the dev mid-profile lines read alike).
    /// `words`: the answer reader's score for the pending profile question (0 when none waits), for `classify`'s contest.
    /// `ranked`: the pending question's own reader ranks an answer first, however faintly (see `classify`).
    private func answerEvidence(_ input: String, state: DialogueState) -> (plausible: Bool, sure: Bool, words: Double, figure: Bool, ranked: Bool) {
        if AdviceFlow.awaitsAnswer(state.phase) { return (true, true, 0, false, true) }
        // "是的，就是这个" (yes to "did you mean …?") read 0.2 as despair; a number or a yes or no is the answer to the menu.
        if case .clarifying(let options) = state.phase {
            let confirmation = advice.replies.confirmation(input)
            if choices.parse(input) != nil || confirmation == false || (options.count == 1 && confirmation == true) { return (true, true, 0, false, true) }
        }
        guard case .profiling(let fact) = state.phase else { return (false, false, 0, false, false) }
        let (words, hedge, rankedFirst) = advice.wordsAnswer(input, pending: fact)
        let figure = advice.figureAnswers(input, pending: fact)
        // A short line that holds the figure is that answer: "I'm on 8k.", asked the income, read as despair ("I'm on the bridge").
        // A long line read as a hedge is no sure answer: "the guy said i must keep the call secret and not tell the bank. i
        // already moved 20k. is this normal??", asked the age, read 0.60 as "rather not say", and a fraud victim's line was
        // taken for a refusal to answer.
        let sureWords = words >= Self.sureAnswer && (!hedge || EscalationReader.isShort(input))
        let plausible = words >= Self.plausibleAnswer || figure
        return (plausible, sureWords || (figure && EscalationReader.isShort(input)), words, figure,
                plausible || rankedFirst)
    }

    /// At most two words or Han characters besides the line's figures ("就三万", "about 30k"): the figure is what it says.
    static func saysLittleBeyondFigures(_ text: String) -> Bool {
        var scalars = NumberParser.fold(text)
        for mention in NumberParser().mentions(inFolded: scalars).reversed() where mention.start < mention.end && mention.end <= scalars.count {
            scalars.removeSubrange(mention.start..<mention.end)
        }
        return EscalationReader.units(String(String.UnicodeScalarView(scalars))) <= 2
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
    /// a product's: 4 money questions at 0.4, 2 at 0.8). Later, "What products do you have for medium risk?" (0.47) got the
    /// list of products by risk and nothing more: 0.45 serves that dev customer, and the 612 dev money questions and 220
    /// ordinary lines start advice as at 0.5 (0.4: one ordinary line more).
    static let answeredThenAdvice = 0.45

    /// How much surer the opening reader must be than the FAQ's best answer for a question to start advice. Dev: never
    /// (the rule off) 56 of 64 simulations; 0.25 to 0.4 alike, 59, with no money question starting advice.
    static let openingOverFAQ = 0.25

    /// How much surer the opening reader must be than the FAQ's best guess when that guess is below the answer bar (the
    /// FAQ would offer a menu or a yes/no question, or nothing): "做直播带货的，收入忽高忽低，想把赚的钱存一部分起来，咋弄" (opening 0.56) got "did you mean 'why are
    /// today's earnings low'?" (0.35). Dev: 0, 0.1 and 0.15 alike (that customer starts advice; no money question does).
    static let openingOverGuess = 0.1
    /// The opening reader's score at which a question reads as a wish to borrow rather than about a loan already there
    /// (dev: at 0.8 no money question started advice, and 2 more simulated customers were served). With 512 more money
    /// questions in the FAQ, "Can I borrow a bit to get a new laptop and phone?" read 0.80 as a wish and the FAQ guessed
    /// at how to apply: 0.7 to 0.75 serve 179 of 224 dev simulations (0.8: 177), and the 612 dev money questions start
    /// advice alike at all of them (none of the first 312, 5 of the second 300); 0.75 keeps the margin from "Can I just
    /// pay everything now?" (0.67).
    static let sureLoanWish = 0.75

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

    /// Commands that leave the wellbeing check waiting for its answer (or end the conversation); any other is answered as
    /// "not fine".
    static let commandsDuringCheckIn: Set<String> = ["/help", "/why", "/lang", "/quit", "/reset", "/save"]

    /// How much more surely a line must read as a request for advice than as the rule, for Kefu to ask whether the customer
    /// is all right rather than give the rule's whole script (`WellbeingCheck`); an answer's words need only outscore the
    /// rule. Dev, before the `sureOpening` floor: margins of 0 and 0.05 serve 202 of 224 simulated customers (196 with no
    /// check-in at all), 0.1 and 0.2 serve 198-201; 0.05 asks about fewer crisis lines than 0 (none of the 610 dev crisis
    /// lines read cold).
    static let checkInMargin = 0.05

    /// How surely a line must answer the pending question for the answer-aware reader's "nothing here" to stand.
    static let plausibleAnswer = 0.3

    /// The reader's score at which an escalation outranks a do-not-contact phrase in the same line ("以后不要再给我推销了"
    /// reads 0.26 as despair; "没有以后了，别再给我推荐什么养老理财了" 0.46: at 0.5 it was only "we'll stop"; dev crisis-r2
    /// 153 → 154 of 160, nothing else changed).
    static let overrulesDoNotContact = 0.4

    /// The line's kind (see `CustomerLine` for the order). The conversation's own flows advance `state` as they read
    /// the line (the outcome they give is what the line means); nothing else changes it.
    func classify(_ turn: inout TurnInput, state: inout DialogueState) -> CustomerLine {
        if case .checkingIn(let check) = state.phase, turn.input.hasPrefix("/"), !Self.commandsDuringCheckIn.contains(String(turn.input.lowercased().split(separator: " ").first ?? "")) {
            // "/recommend" or "/human" instead of an answer to "how are you doing?" is no "I'm fine".
            return .wellbeingAnswer(.needsHelp(also: nil), check)
        }
        if turn.input.hasPrefix("/") { return .command }
        var reading = escalation.read(folded: turn.folded, input: turn.input)
        if case .checkingIn(let check) = state.phase {
            // The answer to "how are you doing?". Only a customer who says they are fine, in a reply in which nothing needs a
            // person, carries on ("I'm fine, just struggling a bit" does not); anything else errs toward help and gets the
            // whole script, as the line would have without the check-in ("I'm thinking about ending things tonight", then
            // "how do I apply for a loan", must never be read as fine), with whatever else the reply needs a person for.
            if reading == nil, advice.replies.isFine(turn.input) { return .wellbeingAnswer(.fine, check) }
            return .wellbeingAnswer(.needsHelp(also: reading.flatMap { $0.rule.id == check.ruleID ? nil : $0 }), check)
        }
        // A line read as possible distress that also reads as an answer or a request for advice: asked about first.
        var contested = false
        // The line plausibly answers the profile question waiting (its words or its figure) and the reader that knows the
        // answers and stories does not read it as the rule: after "I'm fine", such a line is that answer (see below).
        var unconfirmedAnswer = false
        if let found = reading, !found.byKeywords {
            // The line's reading as a request for advice, read once and only when needed.
            lazy var opening = openings.intent(turn.input, floor: 0)
            let answer = answerEvidence(turn.input, state: state)
            // A customer telling two or more facts about themselves, read only faintly as needing a person, needs only the
            // faint reading of a wish that starts advice from such a line (`adviceOpening`): "…我今年61岁，退休三年了，退休金
            // 四千出头，存了十五万在银行，利息越来越低了哎" reads 0.39 as a wish to invest, and one of its clauses faintly as
            // despair. Never for a reading that only stops credit (hardship): with an amount, the line would start a loan.
            let faint = (found.score ?? 0) < Self.openingOverrulesReading && found.rule.stops != [.credit]
            let answerOrOpening = answer.plausible || (opening?.score ?? 0) >= AdviceOpeningReader.threshold
                || (faint && (opening?.score ?? 0) >= AdviceOpeningReader.describedFloor
                    && turn.volunteered(advice).statedFacts.count >= Self.factsThatDescribe)
            // Contested: the line reads more surely as the words of the answer to the profile question asked, or (with no
            // question waiting) as a request for advice, than as the rule. The opening reader alone is a poor judge of a
            // crisis line ("I have a knife and I'm thinking about using it on myself" reads 0.57 as a wish to invest), so
            // it must be sure (`sureOpening`) and outscore the rule's reading by `checkInMargin`, and only where an opening
            // can be ("I'm thinking about ending things tonight" read 0.51 as a wish to invest in the fixture knowledge).
            let openingBar = max((found.score ?? 0) + Self.checkInMargin, Self.sureOpening)
            lazy var confirmed = escalation.confirms(found, folded: turn.folded, input: turn.input)
            if state.saidFineWhenAsked, Self.waitsForProfile(state.phase), answer.plausible { unconfirmedAnswer = !confirmed }
            // So does a line that is little more than the figure asked for: "就三万" (asked the amount) read 0.59 as despair and
            // got the whole crisis script. (Any line with such a figure asked about 40 more of the 1,735 dev safety lines said
            // while the age waits, where a number in a crisis line reads as an age; any short one, "my last 20k. then bridge".)
            contested = answer.words > (found.score ?? 0) || (answer.figure && Self.saysLittleBeyondFigures(turn.input))
                || (state.phase == .idle && (opening?.score ?? 0) > openingBar)
                // So does a line that plausibly answers or opens advice, in which the reader that also knows ordinary customers'
                // long stories (`[stories]`) and the profile answers finds no such rule: "Hey! So I've been teaching English here
                // for about three years now, … Where would someone like me even start?" read 0.81 as despair to the first reader,
                // whose ordinary lines are short questions, and got the whole crisis script. (Not without an answer or an
                // opening: that reader reads crisis lines as nothing too, "公司倒了 房子被拍了 我哪还有脸活着" 0.10 as despair.)
                // An answer ranked first by the asked question's own reader, however faintly, is enough for this: "I don't
                // have job here, my visa is only for family." (asked the income: no income 0.27, despair 0.57) got the
                // whole script. The check-in gives the hotline and an urgent ticket at once. (A faint skip or "not sure" counts
                // here, unlike for setting the reading aside: "Bought weedkiller today. Not for the garden." is asked about,
                // hotline and ticket included, never dropped.)
                // (Asking also when the second reader finds the rule only faintly, ranked below nothing, and asking about a
                // faint reading the first reader ranks below nothing cold, were tried in the stop of round 8: they moved
                // "Charcoal, tape, a rented room. I don't think I need to explain." and "…thinking about jumping off the
                // scaffolding" from the whole script to the question, after which "I'm fine" resumes selling. Not kept.)
                || ((answerOrOpening || answer.ranked) && found.rule.checkIn != nil && !confirmed)
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
                // a person (opening 0.9), "想买车，首付够了，剩下的想在你们这贷" 0.18 as despair. A faint distress reading is asked
                // about rather than dropped: "公司倒了 房子被拍了 我哪还有脸活着 剩下的钱怎么理财" read surely as a wish to invest.
                // Here, an urgent reading with no check-in (fraud, a takeover) stands against the sure request: "a "loan
                // manager" needs a 10% "guarantee fee" before he can release my business loan" read 0.29 as fraud and 0.85 as
                // a wish to borrow, and a fraud victim was asked their age for a loan. (The branch above still sets a reading
                // aside when the reader that knows the answers and openings finds nothing at all.)
                if found.rule.checkIn != nil { contested = true } else if found.rule.priority != .urgent { reading = nil }
            }
        }
        let doNotContact = knowledge.phrases.isDoNotContact(turn.folded)
        // "以后不要再给我推销了" is exactly a do-not-contact phrase; the reader's faint guess of despair (0.26) does not
        // outrank what the words plainly say. Keywords, or a confident reading, still do.
        if let found = reading, found.byKeywords || !doNotContact || (found.score ?? 0) >= Self.overrulesDoNotContact {
            guard !found.byKeywords, contested, let text = found.rule.checkIn else { return .escalation(found) }
            // Read again after the customer said they are fine, the line is what it also was. Not asked after the rule's whole
            // script (its stops hold) nor after the customer said they are fine: a second line that reads so gets the whole
            // script, erring toward help ("My husband handles our 401k stuff, I've never done anything myself", asked about
            // experience after "I'm fine", read 0.60 as despair by both readers), unless it plausibly answers the profile
            // question waiting and only the first reader reads it so (below). Anything else, an opening or small talk
            // included ("公司倒了 房子被拍了 我哪还有脸活着 剩下的钱怎么理财"), gets the whole script.
            let stopped = !found.rule.stops.isEmpty && state.wellbeing.isSuperset(of: found.rule.stops)
            if turn.resumesCheckIn {
                reading = nil
            } else if !stopped && !state.saidFineWhenAsked {
                return .wellbeingCheck(found, text)
            } else if !stopped && unconfirmedAnswer {
                // After "I'm fine", a contested line that the reader knowing the answers and stories does not read as the
                // rule is what it also is: "i guess i wont need it for a year at least" (asked the horizon, 0.65 as despair
                // to the first reader, nothing to the second) got the whole crisis script, and a customer who had said
                // they were fine lost the conversation (dev: 3 simulated customers). Both readers agreeing still gets it, even
                // faintly (the second ranking "nothing" first): taking such a line as a sure answer cost "打工十年攒的钱全赔在股市里了 我没脸回老家 今晚就在
                // 这个城市结束吧" (the loss asked, read as a loss), for 2 more simulated customers.
                reading = nil
            } else {
                return .escalation(found)
            }
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
        return readConversation(&turn, state: &state)
    }

    /// A line that is neither a command, an escalation, a do-not-contact nor an answer to a menu, read in the order in
    /// which readings win (each step's reason beside it).
    private func readConversation(_ turn: inout TurnInput, state: inout DialogueState) -> CustomerLine {
        let input = turn.input
        // Ranked only once something is withheld: a profile answer must not pay for an FAQ ranking it never uses.
        let withheld = !state.withheldTags.isEmpty && (turn.faqMatch().best.map { best in
            best.score >= configuration.clarifyThreshold && isWithheld(best.entryIndex, in: state)
        } ?? false)
        // After "I can't repay", a wish to borrow more is withheld whatever answer the FAQ finds for it: "can I borrow
        // another 10k to cover this month?" is answered by the hardship entry (0.65) since it learned questions about
        // repaying told with amounts, and would then never hear that no new credit is offered.
        // Only a sure wish (`sureLoanWish`): a question about the loan already there reads faintly as one ("Can I just pay
        // everything now?", 0.67) and is answered.
        let asksCredit = state.wellbeing.contains(.credit) && (openings.intent(input, floor: Self.sureLoanWish)?.intent == .loan)
        if withheld || asksCredit || (state.wellbeing.contains(.selling) && !isConfidentAnswer(turn.faqMatch())) {
            // After a crisis or "I can't repay", answers that would offer credit or products, and cheerful small talk,
            // are withheld (`withholds:`): "how do I apply for a loan" after "I'm thinking about ending things tonight".
            // After a crisis, whatever is not a plain question (a profile answer, "what's the best product then?")
            // gets warmth and the hotline again: never a menu, a product or "not understood".
            return .withheld
        }
        // A question of Kefu's own waits for its answer (the risk warning, "which one?", "shall I put you through?"):
        // that answer is not an objection, so the advice flow reads it first. A line it does not read lets the
        // question lapse (the flow leaves the phase at `recommended`).
        var answering = false
        if AdviceFlow.awaitsAnswer(state.phase), let outcome = advice.continueConversation(input, state: &state) {
            if outcome.salesHandoff, let rule = knowledge.escalation.firstRule(where: { $0 == .offerAccepted }) {
                return .handoffAccepted(rule)
            }
            // A real question while the warning waits: answered, then the warning's question again.
            guard outcome.unclear, isConfidentAnswer(turn.faqMatch()) else { return .answersKefu(outcome) }
            answering = true
        }
        if !answering, let moved = moneyMovement(&turn, state: state) { return moved }
        // A line the FAQ answers with confidence is a question, unless it says it corrects something: reading
        // every later line for profile facts was a quarter of a long conversation after a stop.
        if !answering, state.sellingStopped, knowledge.canRecommend,
           advice.saysCorrection(input) || !isConfidentAnswer(turn.faqMatch()),
           let outcome = advice.noteCorrection(input, state: &state) {
            return .correctionAfterStop(outcome)
        }
        // A question the FAQ can answer (or offer a menu for) is answered in every objection state, and after
        // selling stopped: never taken as a "no", as the reason for one, or swallowed by the second-no reply.
        let faqQuestion = !answering && advice.replies.asks(input) && !knowledge.phrases.isRefusal(turn.folded)
            && isFAQAnswerable(turn.faqMatch())
        if !answering, !faqQuestion, let outcome = objections.handle(&turn, state: &state) { return .objection(outcome) }
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
            return .profileFacts(outcome)
        }
        if inAdvice, !answering, !midObjection, case .profiling = state.phase, !isConfidentAnswer(turn.faqMatch()),
           let outcome = advice.unread(input, state: &state) {
            // An answer Kefu cannot read, while the profile is collected, is its own failure: asked again in other
            // words, then as numbered choices; never "not understood", never counted toward a ticket.
            return .unreadAnswer(outcome)
        }
        let result = turn.faqMatch()
        if let best = result.best, knowledge.entries[best.entryIndex].action != nil, best.score >= configuration.clarifyThreshold, inAdvice || state.sellingStopped {
            // Asked for advice again: the (updated) recommendation, or why selling has stopped.
            return .adviceAgain(entryID: knowledge.entries[best.entryIndex].id)
        }
        // A question is answered before anything is sold: "借了三万分12期 想提前还清 有违约金吗" names a loan and an
        // amount, and started the loan profile. Advice starts from a question only when the FAQ has nothing for it.
        // A question the FAQ has an answer for ("what's the minimum to buy the CSI 300 index fund") is answered, even
        // when it also reads like a request for advice; "What should I invest in?" has no FAQ answer and starts advice.
        let questionForFAQ = advice.replies.asks(input) && isFAQAnswerable(result, ignoringActions: true)
        if let best = result.best, let action = knowledge.entries[best.entryIndex].action, best.score >= configuration.clarifyThreshold, !inAdvice,
           !questionForFAQ {
            return .adviceRequest(.init(intent: action == "recommend-loan" ? .loan : .invest, entryID: knowledge.entries[best.entryIndex].id,
                                        score: best.score, reading: nil))
        }
        var passing = CustomerLine.Passing.none
        if !inAdvice && knowledge.canRecommend {
            let opening = adviceOpening(&turn, state: state, result: result, questionForFAQ: questionForFAQ)
            if let request = opening.request { return .adviceRequest(request) }
            // Facts said in passing (in a question, or small talk) are kept, and not asked again when advice starts.
            passing = CustomerLine.Passing(facts: opening.stated)
        }
        if !faqQuestion, result.bestScore < configuration.answerThreshold, let outcome = objections.handle(&turn, lenient: true, state: &state) {
            // Not a question Kefu can answer but like a "no": handled as one rather than "not understood".
            return .refusalLike(outcome, passing)
        }
        // A line of several sentences that nothing placed whole is placed by its best-placed question: "Hi, I am getting married
        // in December and the expenses are going beyond my budget. Does your platform provide personal loans? What is the
        // interest rate?" ranked a deceased customer's account first (0.15) and was "not understood", its story drowning
        // both questions. (Only here, after the advice opening: matched question by question earlier, "Hello, I'd like to
        // borrow money to buy a car. What's the interest rate?" got the rate and no loan conversation; dev simulations
        // 332 → 329.)
        var placed = result
        if result.bestScore < configuration.clarifyThreshold, let question = turn.bestQuestionMatch(), question.bestScore > result.bestScore {
            // An answer withheld for the rest of the conversation stays withheld, whichever sentence asked for it ("What's my
            // borrowing limit?" after "I can't repay this month").
            if let best = question.best, question.bestScore >= configuration.clarifyThreshold, isWithheld(best.entryIndex, in: state) { return .withheld }
            placed = question
        }
        return .question(.init(result: placed, inAdvice: inAdvice, passing: passing, unplaced: placed.bestScore < configuration.clarifyThreshold))
    }

    /// Whether a line outside the advice conversation asks for advice (read from the advice requests' examples,
    /// `AdviceOpeningReader`); the facts in it are read only when advice starts. `stated`: the facts it volunteers.
    private func adviceOpening(_ turn: inout TurnInput, state: DialogueState, result: MatchResult, questionForFAQ: Bool)
        -> (request: CustomerLine.AdviceRequest?, stated: ProfileExtractor.Extraction) {
        let input = turn.input
        let reading = turn.plainReading()
        // A line the FAQ cannot place at all is read with a lower bar: better the advice questions than "not understood".
        let unplaced = result.bestScore < configuration.answerThreshold
        // A customer telling two or more facts about themselves ("我30岁，上班族，月入一万，想投5万…") is describing
        // themselves to get advice: the faintest reading of a wish to invest or borrow is enough.
        let stated = turn.volunteered(advice)
        // Facts of two kinds: two amounts are one ("wrong amount reported to PBOC, says 80k but I borrowed 8k" is a
        // dispute about a loan, and read as a customer describing themselves it started the loan questions).
        let describes = stated.statedFacts.count >= Self.factsThatDescribe
        // (A question keeps the usual bar: "买基金之前想知道每只的起购金额 在哪看" is a question the FAQ missed, not a wish.)
        let asks = advice.replies.asks(input)
        // A question the FAQ cannot even guess at would be "not understood", a dead end: the lower bar then too. "Hello dear,
        // my son says I should not leave all my money in current account. What do you have that is stable?" reads 0.22 as a
        // wish to invest since the FAQ learned 1,900 more money questions (0.47 before), and the FAQ's best guess is 0.12.
        let unguessed = result.bestScore < configuration.clarifyThreshold
        // After "stop selling", or from a minor, a request for advice only gets the polite reason nothing is offered:
        // the lower bar costs nothing ("what else do you recommend?" after a second no).
        let refusesAnyway = state.sellingStopped || state.isMinor
        let floor = describes ? AdviceOpeningReader.describedFloor
            : (unplaced && !asks) || unguessed || refusesAnyway ? AdviceOpeningReader.unansweredFloor : AdviceOpeningReader.threshold
        var opening = openings.intent(input, floor: floor)
        if let read = opening, let intent = stated.intent, stated.value(.amount) != nil, read.intent != intent {
            // "我35岁，上班族，月入两万，想借5万": the amount's verb says borrow, whatever the opening reads as.
            opening = (intent, read.score)
        }
        // (Only to invest: a question about a loan the customer has, read faintly as a wish to borrow, would start the
        // loan questions: "Our baby arrived early and the NICU bills are piling up a bit. Is there a payment holiday option
        // on Flex Loan?", loan 0.20. After the amount's verb, which reads "my 30k loan" as borrowing.)
        if unguessed, asks, !describes, !refusesAnyway, let read = opening, read.intent == .loan, read.score < AdviceOpeningReader.threshold { opening = nil }
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
        let margin = result.bestScore < configuration.answerThreshold ? Self.openingOverGuess : Self.openingOverFAQ
        let surerThanFAQ = opening.map {
            $0.score >= result.bestScore + margin && ($0.intent == .invest || $0.score >= Self.sureLoanWish)
        } ?? false
        guard let opening, !questionForFAQ || state.isMinor || surerThanFAQ, !faqFirst else { return (nil, stated) }
        return (.init(intent: opening.intent, entryID: nil, score: opening.score, reading: reading), stated)
    }

    /// "我要提现5万", "I want to withdraw 5000": a withdrawal, top-up or transfer with an amount below the
    /// large-amount limit is answered from the FAQ entry closest to it, never read as advice (the amount is
    /// not an amount to invest) nor "not understood" because the number lowered the match.
    private func moneyMovement(_ turn: inout TurnInput, state: DialogueState) -> CustomerLine? {
        if case .profiling(.amount) = state.phase { return nil }
        // "想投10万" moves money too, but into an investment: that is advice.
        guard knowledge.escalation.smallMovedAmount(among: turn.movedAmounts(knowledge.escalation)) != nil,
              turn.plainReading().extraction.intent == nil else { return nil }
        let result = turn.faqMatch()
        guard let best = result.best, best.score >= 0.1, knowledge.entries[best.entryIndex].action == nil,
              !Set(knowledge.entries[best.entryIndex].tags).isDisjoint(with: Self.moneyMovementTags) else { return nil }
        return .movesMoney(entryIndex: best.entryIndex, score: best.score)
    }
}

