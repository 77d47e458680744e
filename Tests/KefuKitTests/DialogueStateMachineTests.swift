import KefuKit
import KefuTestSupport
import XCTest

/// Every transition of the dialogue state machine, table-driven: a conversation, and the state and
/// events expected after each customer line.
final class DialogueStateMachineTests: XCTestCase {
    struct Step {
        var input: String
        /// The state name after the line (`TurnRecord.state`), or nil to skip the check.
        var state: String?
        /// Event kinds that must appear in this turn.
        var events: [DialogueEvent.Kind] = []
    }

    let engine = Fixtures.fixtureEngine

    /// Runs the lines, checking each step; returns every turn's record and effects.
    @discardableResult
    func converse(_ steps: [Step], at moment: Moment = .replayDefault, start: DialogueState = DialogueState(),
                  file: StaticString = #filePath, line: UInt = #line) -> (records: [TurnRecord], effects: [DialogueEffect], state: DialogueState) {
        var state = start
        var records: [TurnRecord] = []
        var effects: [DialogueEffect] = []
        for step in steps {
            guard let turn = engine.handle(step.input, in: state, at: moment) else {
                XCTFail("no turn for '\(step.input)'", file: file, line: line)
                continue
            }
            state = turn.state
            records.append(turn.record)
            effects += turn.effects
            if let expected = step.state {
                XCTAssertEqual(turn.record.state, expected, "state after '\(step.input)'; reply: \(turn.record.reply)", file: file, line: line)
            }
            let kinds = turn.record.events.map(\.kind)
            for kind in step.events {
                XCTAssertTrue(kinds.contains(kind), "'\(step.input)' should emit \(kind.rawValue); got \(kinds.map(\.rawValue))", file: file, line: line)
            }
        }
        return (records, effects, state)
    }

    /// A Chinese customer who has just been shown a recommendation.
    let toRecommendation: [Step] = [
        Step(input: "我35岁，月薪两万，想投10万，一年内可能要用", state: "profiling:occupation", events: [.adviceStarted]),
        Step(input: "上班", state: "profiling:goal"),
        Step(input: "稳健存钱", state: "profiling:loss"),
        Step(input: "亏10%以内可以", state: "profiling:experience"),
        Step(input: "买过基金", state: "recommended", events: [.profileCompleted, .recommendationShown]),
    ]

    func testFAQAndClarification() {
        converse([
            Step(input: "提现多久到账", state: "idle", events: [.answered]),
            Step(input: "asdf qwerty zxcv", state: "idle", events: [.notUnderstood]),
        ])
    }

    func testProfileCollectionAsksOnlyWhatIsMissing() {
        let run = converse(toRecommendation)
        let recommendation = run.records.last!.recommendation
        XCTAssertEqual(recommendation?.investorLevel, "C3")
        XCTAssertFalse(recommendation?.products.isEmpty ?? true)
        XCTAssertEqual(run.state.profile.age, 35)
        XCTAssertEqual(run.state.profile.monthlyIncome, 20_000)
        XCTAssertEqual(run.state.profile.amount, 100_000)
    }

    func testObjectionThenAcceptedReoffer() {
        converse(toRecommendation + [
            Step(input: "不用了，风险太大", state: "objection:probing", events: [.objectionRaised]),
            Step(input: "怕亏本金", state: "objection:reoffered", events: [.objectionReason, .reoffered]),
            Step(input: "好的，发给我看看", state: "recommended", events: [.objectionAccepted]),
        ])
    }

    func testSecondNoIsAcceptedAndTheProductIsNeverOfferedAgain() {
        let run = converse(toRecommendation + [
            Step(input: "不用了，风险太大", state: "objection:probing", events: [.objectionRaised]),
            Step(input: "怕亏本金", state: "objection:reoffered", events: [.reoffered]),
            Step(input: "还是不要了", state: "idle", events: [.objectionDeclined]),
        ])
        let declined = run.state.offer.declinedProducts
        XCTAssertEqual(declined.count, 1)
        // Asking for advice again never brings the declined product back.
        let again = engine.handle("有什么理财推荐", in: run.state)!
        XCTAssertFalse(again.record.recommendation?.products.map(\.id).contains(declined[0]) ?? false)
        XCTAssertLessThanOrEqual(run.state.offer.timesOffered[declined[0]] ?? 0, 2, "at most two offers of one product")
    }

    func testDoNotContactStopsSellingFromAnyState() {
        let starts: [[Step]] = [
            [],
            toRecommendation,
            Array(toRecommendation.prefix(2)),
            toRecommendation + [Step(input: "不用了，风险太大", state: "objection:probing")],
        ]
        for prefix in starts {
            let run = converse(prefix + [
                Step(input: "别再推销了", state: "idle", events: [.doNotContact]),
                Step(input: "有什么理财推荐"),
                Step(input: "我想投5万"),
            ])
            XCTAssertTrue(run.state.sellingStopped)
            assertNoSalesOffer(after: prefix.count, in: run.records)
        }
    }

    /// A vague line gets a numbered menu (state "clarifying"); the customer answers by number or ordinal,
    /// and a line that is no choice is handled as a new question.
    func testClarificationIsAnsweredByNumber() {
        // The number picks the option shown at that place, in whatever order the scores put the menu. (On the
        // fixture knowledge, which no knowledge edit changes: on the shipped one "card", "提现", "卡", "fee" and "扣费"
        // each stopped being vague as the FAQ grew.)
        let cases: [(vague: String, pick: String, expected: Set<String>)] = [
            ("limit", "2", ["loan-limit", "topup-limit"]),
            ("忘了密码", "第二个", ["reset-login-password", "reset-trade-password"]),
        ]
        for (vague, pick, expected) in cases {
            let menu = converse([Step(input: vague, state: "clarifying")])
            XCTAssertTrue(menu.records[0].reply.contains("1) ") && menu.records[0].reply.contains("2) "), menu.records[0].reply)
            guard case .clarifying(let options) = menu.state.phase, options.count >= 2 else {
                XCTFail("no menu of two or more for '\(vague)': \(menu.records[0].reply)")
                continue
            }
            XCTAssertEqual(Set(options.prefix(2)), expected, "menu for '\(vague)'")
            XCTAssertFalse(menu.records[0].events.contains { $0.kind == .notUnderstood }, "the matcher's menu, not guesses: \(vague)")
            let picked = converse([Step(input: pick, state: "idle")], start: menu.state)
            XCTAssertEqual(picked.records[0].matchedID, options[1], "'\(pick)' after the menu for '\(vague)'")
        }
        let newQuestion = converse([Step(input: "limit", state: "clarifying"), Step(input: "提现多久到账", state: "idle")])
        XCTAssertEqual(newQuestion.records[1].matchedID, "withdraw-time")
    }

    /// One candidate is a yes/no question ("您是想问「…」吗？"), never a one-item menu; yes answers it, a bare no is Kefu's
    /// mistake (asked again, not counted as "not understood"), a no followed by a question is that question.
    func testOneCandidateIsAskedAsAYesOrNoQuestion() {
        var waiting = DialogueState()
        waiting.phase = .clarifying(options: ["withdraw-time"])
        let cases: [(line: UInt, input: String, matched: String?, declined: Bool)] = [
            (#line, "是", "withdraw-time", false),
            (#line, "对的", "withdraw-time", false),
            (#line, "是的，就是这个", "withdraw-time", false),
            (#line, "yes", "withdraw-time", false),
            (#line, "yep that's it", "withdraw-time", false),
            (#line, "1", "withdraw-time", false),
            (#line, "不是", nil, true),
            (#line, "不对", nil, true),
            (#line, "nope", nil, true),
            (#line, "no", nil, true),
            (#line, "不是，我是问提现要不要手续费", "withdraw-fee", false),
            (#line, "no, I meant is there a withdrawal fee", "withdraw-fee", false),
            // 是 inside a sentence is no yes: "我是问…" is a new question.
            (#line, "我是问提现要不要手续费", "withdraw-fee", false),
        ]
        for (line, input, matched, declined) in cases {
            guard let turn = engine.handle(input, in: waiting, at: .replayDefault) else { XCTFail("no turn", line: line); continue }
            XCTAssertEqual(turn.record.matchedID, matched, "'\(input)': \(turn.record.reply)", line: line)
            XCTAssertEqual(turn.record.events.contains { $0.kind == .clarificationDeclined }, declined, "'\(input)'", line: line)
            XCTAssertFalse(turn.record.events.contains { $0.kind == .notUnderstood }, "'\(input)' is never 'not understood'", line: line)
            XCTAssertEqual(turn.state.misunderstandings, 0, "'\(input)'", line: line)
            if declined { XCTAssertEqual(turn.state.phase, .idle, "'\(input)'", line: line) }
        }
        // Offered by the matcher: one candidate is asked about by name, without a number.
        let offered = converse([Step(input: "到账", state: "clarifying", events: [.clarificationOffered])])
        guard case .clarifying(let options) = offered.state.phase else { return XCTFail("no confirmation") }
        XCTAssertEqual(options.count, 1, offered.records[0].reply)
        XCTAssertTrue(offered.records[0].reply.contains("「") && !offered.records[0].reply.contains("1)"), offered.records[0].reply)
        XCTAssertFalse(offered.records[0].events.contains { $0.kind == .notUnderstood }, "the matcher's guess, not a faint one")
    }

    /// A line the FAQ cannot place but has faint guesses for is "not understood" with the guesses to pick (one: a yes/no
    /// question); a guess is never an answer withheld after a crisis or "I can't repay"; a second "not understood" hands
    /// over without recording guesses nobody saw; and a knowledge base without the guess messages says only "sorry".
    func testFaintGuessesAreOfferedWithNotUnderstood() {
        let two = converse([Step(input: "account thing", state: "clarifying", events: [.notUnderstood, .clarificationOffered])])
        XCTAssertTrue(two.records[0].reply.contains("1) ") && two.records[0].reply.contains("2) "), two.records[0].reply)
        XCTAssertEqual(two.state.misunderstandings, 1)
        let picked = converse([Step(input: "2", state: "idle", events: [.answered])], start: two.state)
        XCTAssertEqual(picked.state.misunderstandings, 0)
        let one = converse([Step(input: "card problem", state: "clarifying", events: [.notUnderstood, .clarificationOffered])])
        XCTAssertTrue(one.records[0].reply.contains("\"") && !one.records[0].reply.contains("1)"), one.records[0].reply)
        XCTAssertEqual(converse([Step(input: "yes", state: "idle", events: [.answered])], start: one.state).records[0].matchedID, "unbind-card")

        var afterHardship = DialogueState()
        afterHardship.withheldTags = ["bank-card"]
        let withheld = converse([Step(input: "card problem", state: "idle", events: [.notUnderstood])], start: afterHardship)
        XCTAssertFalse(withheld.records[0].events.contains { $0.kind == .clarificationOffered }, withheld.records[0].reply)

        // Nor is a withheld entry listed in the matcher's own menu: "limit" offers the loan and the top-up limits.
        var toppingUpWithheld = DialogueState()
        toppingUpWithheld.withheldTags = ["top-up"]
        let menu = converse([Step(input: "limit", state: "clarifying", events: [.clarificationOffered])], start: toppingUpWithheld)
        XCTAssertEqual(menu.state.phase, .clarifying(options: ["loan-limit"]), menu.records[0].reply)

        let twice = converse([Step(input: "asdf qwerty zxcv"), Step(input: "account thing")])
        XCTAssertFalse(twice.records[1].events.contains { $0.kind == .clarificationOffered }, "handed over: \(twice.records[1].reply)")

        var plain = Fixtures.fixture.knowledge
        plain.messages.messages["not-understood-suggest"] = nil
        plain.messages.messages["not-understood-confirm"] = nil
        let turn = DialogueEngine(knowledge: plain).handle("account thing", in: DialogueState())
        XCTAssertEqual(turn?.record.state, "idle")
        XCTAssertEqual(turn?.record.reply, plain.messages.text(.notUnderstood, .en))
    }

    /// `/why` quotes the customer's words and entry ids: a question about guarantees is explained, not
    /// replaced by the compliance guard (which is for Kefu's own sentences).
    func testWhyExplainsAQuestionAboutGuarantees() {
        let run = converse([Step(input: "保本吗"), Step(input: "/why")])
        XCTAssertEqual(run.records[0].matchedID, "no-guarantee")
        XCTAssertTrue(run.records[1].reply.contains("no-guarantee"), run.records[1].reply)
        XCTAssertFalse(run.records[1].events.contains { $0.kind == .complianceBlocked })
    }

    /// A line the FAQ did not answer, or that no FAQ ranking decided (a profile answer), is explained by the readers that
    /// decide before the FAQ: the safety reader, the advice-opening reader and the profile-answer reader, with their bars.
    /// An answered question's report stays as it was.
    func testWhyShowsTheReadersOfALineTheFAQDidNotAnswer() {
        let unanswered = converse([Step(input: "account thing"), Step(input: "/why")])
        for reader in ["Safety reader:", "Advice-opening reader:", "Profile-answer reader:"] {
            XCTAssertTrue(unanswered.records[1].reply.contains(reader), unanswered.records[1].reply)
        }
        let answer = converse([Step(input: "/recommend"), Step(input: "35"), Step(input: "/why")])
        XCTAssertTrue(answer.records[2].reply.hasPrefix("上一句：35\n"), answer.records[2].reply)
        XCTAssertTrue(answer.records[2].reply.contains("安全读取："), answer.records[2].reply)
        let answered = converse([Step(input: "保本吗"), Step(input: "/why")])
        XCTAssertFalse(answered.records[1].reply.contains("Safety reader:"), answered.records[1].reply)
    }

    /// The advice conversation offered among the guesses of a line not understood, and picked: it starts from the line that
    /// was not understood, so the facts it gave are kept (a yes to the one guess picks it too).
    func testThePickedAdviceOptionStartsFromTheLineNotUnderstood() {
        var start = DialogueState()
        start.phase = .clarifying(options: ["advice-invest"])
        start.history.recentTurns = ["you> 我今年45岁，年终奖发了", "kefu> 抱歉，我没能完全理解您的意思。您是想问「有什么理财推荐」吗？"]
        for pick in ["1", "是的"] {
            let run = converse([Step(input: pick, events: [.adviceStarted])], start: start)
            XCTAssertEqual(run.state.profile.intent, .invest, pick)
            XCTAssertEqual(run.state.profile.age, 45, "the age said in the line not understood is kept (\(pick))")
            XCTAssertEqual(run.state.phase, .profiling(.income), pick)
            XCTAssertEqual(run.state.misunderstandings, 0, pick)
        }
        // Never after "stop selling": the polite reason instead.
        start.selling = start.selling.stopped(.doNotContact)
        let stopped = converse([Step(input: "1")], start: start)
        XCTAssertNil(stopped.state.profile.intent)
    }

    func testSecurityIncidentEscalatesUrgentlyFromEveryState() {
        let starts: [(String, [Step])] = [
            ("idle", []),
            ("clarifying", [Step(input: "limit", state: "clarifying")]),
            ("profiling", Array(toRecommendation.prefix(2))),
            ("recommended", toRecommendation),
            ("risk-warning", toRecommendation + [Step(input: "我想买股票基金", state: "risk-warning", events: [.riskMismatchWarned])]),
            ("objection", toRecommendation + [Step(input: "不用了，风险太大", state: "objection:probing")]),
            ("reoffered", toRecommendation + [Step(input: "不用了，风险太大"), Step(input: "怕亏本金", state: "objection:reoffered")]),
        ]
        for (name, prefix) in starts {
            let run = converse(prefix + [Step(input: "我的卡被盗刷了", state: "idle", events: [.escalation])])
            let tickets = run.effects.compactMap { effect -> HandoffTicket? in if case .ticket(let t) = effect { return t } else { return nil } }
            XCTAssertEqual(tickets.count, 1, "from \(name)")
            XCTAssertEqual(tickets.first?.priority, .urgent, "from \(name)")
            XCTAssertEqual(tickets.first?.reason, "security-incident", "from \(name)")
            XCTAssertTrue(tickets.first?.lastTurns.last?.contains("盗刷") ?? false)
            XCTAssertTrue(run.state.sellingStopped)
        }
    }

    func testDistressGivesTheHotlineFirst() {
        let run = converse([Step(input: "贷款还不上，我真的不想活了", events: [.escalation])])
        XCTAssertTrue(run.records[0].reply.hasPrefix("请拨打"), run.records[0].reply)
        XCTAssertTrue(run.records[0].reply.contains("400-161-9995"))
        if case .ticket(let ticket)? = run.effects.first(where: { if case .ticket = $0 { return true } else { return false } }) {
            XCTAssertEqual(ticket.priority, .urgent)
            XCTAssertEqual(ticket.reason, "distress")
        } else {
            XCTFail("no ticket")
        }
    }

    func testExplicitRequestComplaintAndCommand() {
        converse([Step(input: "转人工", state: "idle", events: [.escalation])])
        converse([Step(input: "I want to complain to the regulator", events: [.escalation])])
        converse([Step(input: "/human", events: [.escalation])])
    }

    func testMisunderstoodTwiceEscalates() {
        let run = converse([
            Step(input: "asdf qwerty zxcv", events: [.notUnderstood]),
            Step(input: "zxcv asdf qwerty", events: [.escalation]),
        ])
        XCTAssertEqual(run.state.handoff.ticket?.reason, "misunderstood-twice")
    }

    func testSameQuestionTwiceEscalates() {
        let run = converse([
            Step(input: "提现多久到账", events: [.answered]),
            Step(input: "提现多久到账啊？", events: [.escalation]),
        ])
        XCTAssertEqual(run.state.handoff.ticket?.reason, "repeated-question")
    }

    func testLargeAmountEscalates() {
        let run = converse([Step(input: "我想投100万", events: [.adviceStarted, .escalation])])
        XCTAssertEqual(run.state.handoff.ticket?.reason, "large-amount")
        XCTAssertEqual(run.state.handoff.ticket?.priority, .high)
    }

    func testOutsideServiceHoursPromisesACallBack() {
        let night = Moment(date: "2026-11-27", minuteOfDay: 22 * 60 + 30)
        let run = converse([Step(input: "转人工", events: [.escalation])], at: night)
        XCTAssertEqual(run.state.handoff.ticket?.id, "T20261127-0001")
        XCTAssertTrue(run.records[0].reply.contains("T20261127-0001"))
        let day = converse([Step(input: "转人工")], at: .replayDefault)
        XCTAssertNotEqual(run.records[0].reply, day.records[0].reply, "after hours reads differently")
    }

    func testTicketSummaryCarriesTheConversation() {
        let run = converse(toRecommendation + [Step(input: "不用了，风险太大"), Step(input: "转人工", events: [.escalation])])
        let summary = run.state.handoff.ticket!.summary
        XCTAssertTrue(summary.contains("age 35"), summary)
        XCTAssertTrue(summary.contains("products discussed"), summary)
        XCTAssertTrue(summary.contains("objections: too-risky"), summary)
        XCTAssertFalse(run.state.handoff.ticket!.lastTurns.isEmpty)
    }

    func testRiskMismatchNeedsExplicitAcknowledgement() {
        converse(toRecommendation + [
            Step(input: "我想买股票基金", state: "risk-warning", events: [.riskMismatchWarned]),
            Step(input: "我了解风险", state: "recommended", events: [.riskMismatchAcknowledged]),
            Step(input: "就买这个", events: [.conversion]),
        ])
    }

    func testMinorGetsNoProducts() {
        let run = converse([
            Step(input: "有什么理财推荐", state: "profiling:age", events: [.adviceStarted]),
            Step(input: "我16岁", state: "idle", events: [.minorDetected]),
            Step(input: "我想借两万"),
        ])
        XCTAssertTrue(run.state.isMinor)
        assertNoSalesOffer(after: 1, in: run.records)
    }

    func testNoSalesOfferAfterAnEscalation() {
        let run = converse(toRecommendation + [
            Step(input: "转人工", events: [.escalation]),
            Step(input: "有什么理财推荐"),
            Step(input: "就买这个"),
            Step(input: "I need to borrow 20k"),
        ])
        assertNoSalesOffer(after: toRecommendation.count, in: run.records)
    }

    /// No recommendation, re-offer or product pitch in any turn after index `after`.
    func assertNoSalesOffer(after: Int, in records: [TurnRecord], file: StaticString = #filePath, line: UInt = #line) {
        let names = Fixtures.fixture.knowledge.products.products.flatMap { [$0.name.zh, $0.name.en] }
        for record in records.dropFirst(after) {
            let kinds = record.events.map(\.kind)
            XCTAssertFalse(kinds.contains(.recommendationShown) || kinds.contains(.reoffered) || kinds.contains(.conversion),
                           "sales event after stop: '\(record.input)' -> \(kinds)", file: file, line: line)
            XCTAssertNil(record.recommendation, "recommendation after stop: '\(record.input)'", file: file, line: line)
            for name in names where record.reply.contains(name) {
                XCTFail("reply to '\(record.input)' names product '\(name)' after selling stopped: \(record.reply)", file: file, line: line)
            }
        }
    }

    /// A retiree (C3) asking for products whose age or occupation rules exclude them: no acknowledgement
    /// can override those rules, and nothing can be bought.
    func testAcknowledgementNeverOverridesEligibility() {
        let run = converse([
            Step(input: "有什么理财推荐", state: "profiling:age"),
            Step(input: "68岁"), Step(input: "退休金每月6000"), Step(input: "退休了"), Step(input: "稳健存钱"),
            Step(input: "两年"), Step(input: "10%以内"), Step(input: "买过基金"), Step(input: "5万", state: "recommended"),
            Step(input: "养老目标基金呢", events: [.notEligible]),
            Step(input: "我想买股票基金", events: [.notEligible]),
            Step(input: "我了解风险，就买股票基金"),
        ])
        XCTAssertFalse(run.records.flatMap(\.events).contains { $0.kind == .conversion && ($0.detail == "equity-fund" || $0.detail == "pension-2045") })
        XCTAssertTrue(run.state.offer.acknowledgedRisk.isEmpty)
    }

    func testBuyingDuringAWarningIsNotAnAcknowledgement() {
        let run = converse(toRecommendation + [
            Step(input: "我想买指数基金", state: "risk-warning", events: [.riskMismatchWarned]),
            Step(input: "还是想买这个", state: "risk-warning"),
            Step(input: "我了解风险再说吧", state: "recommended"),
        ])
        XCTAssertFalse(run.records.flatMap(\.events).contains { $0.kind == .conversion || $0.kind == .riskMismatchAcknowledged })
    }

    func testStudentsAreRefusedALoanAsSoonAsKnown() {
        let run = converse([
            Step(input: "I need to borrow 20k", state: "profiling:age"),
            Step(input: "21"),
            Step(input: "I'm a student", state: "idle", events: [.loanRefused]),
        ])
        XCTAssertNil(run.state.profile.intent)
        assertNoSalesOffer(after: 0, in: run.records)
    }

    func testPickingARecommendedProductByNumber() {
        let run = converse(toRecommendation + [Step(input: "第二个"), Step(input: "就买这个", events: [.conversion])])
        let bought = run.records.last!.events.first { $0.kind == .conversion }?.detail
        XCTAssertEqual(bought, run.state.offer.recommended.count > 1 ? run.state.offer.recommended[1] : nil)
    }
}
