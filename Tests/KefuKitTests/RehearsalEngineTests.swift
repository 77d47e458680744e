import Foundation
import KefuKit
import KefuTestSupport
import XCTest

final class RehearsalEngineTests: XCTestCase {
    let knowledge = Fixtures.shipped.knowledge
    lazy var engine = RehearsalEngine(knowledge: knowledge)

    func testShippedPersonasAndScoringLoadCleanly() {
        let rehearsal = knowledge.rehearsal
        XCTAssertGreaterThanOrEqual(rehearsal.personas.count, 8)
        XCTAssertEqual(rehearsal.scoring.weights.values.reduce(0, +), 100)
        XCTAssertEqual(Set(rehearsal.scoring.weights.keys), Set(RehearsalSkill.allCases))
        let problems = Fixtures.shipped.diagnostics.diagnostics.filter { $0.file.hasPrefix("personas") || $0.file == "scoring.txt" }
        XCTAssertEqual(problems, [])
        for persona in rehearsal.personas {
            XCTAssertFalse(persona.steps.isEmpty, persona.id)
            XCTAssertFalse(persona.opening.zh.isEmpty || persona.opening.en.isEmpty, persona.id)
            XCTAssertGreaterThanOrEqual(persona.facts.count, 5, persona.id)
        }
    }

    /// A trainee who says exactly what /hint suggests wins every persona, in both languages, with a pass.
    func testFollowingTheHintsWinsEveryPersona() {
        for persona in knowledge.rehearsal.personas {
            for language in Language.allCases {
                var state = engine.start(persona: persona, language: language, seed: 42).state
                var lines = 0
                while !state.isOver && lines < 20 {
                    state = engine.handle(engine.hint(state), in: state).state
                    lines += 1
                }
                let card = engine.scorecard(state)
                XCTAssertEqual(card.outcome, .won, "\(persona.id) \(language): \(card.weakPoints.map { "\($0.skill): \($0.note) — \($0.line)" })")
                XCTAssertTrue(card.passed, "\(persona.id) \(language): \(card.summaryLine)")
            }
        }
    }

    /// Acknowledging the opening worry and asking why straight away is the script's move: the customer
    /// answers with the story and its reason, and the next hint is the talk track, not the probe again.
    func testAcknowledgingAndProbingTheOpeningGetsTheReasonAtOnce() {
        let persona = knowledge.rehearsal.persona(id: "p2p-victim")!
        for (language, line) in [(Language.zh, "理解您的顾虑，换谁都会警惕。能问一下当时发生了什么吗？"),
                                 (.en, "I understand, anyone would be wary. May I ask what happened?")] {
            let start = engine.start(persona: persona, language: language, seed: 3).state
            let turn = engine.handle(line, in: start)
            XCTAssertEqual(turn.reply, [persona.steps[0].say[language], persona.steps[0].because[language]].joined(separator: language == .zh ? "" : " "))
            XCTAssertEqual(turn.judgement.judgements.filter { $0.skill == .acknowledgement || $0.skill == .probing }.map(\.verdict), [.good, .good])
            let talk = knowledge.objections.script(id: persona.steps[0].objection)?.reasons.first { $0.id == persona.steps[0].reason }?.talk[language]
            XCTAssertTrue(engine.hint(turn.state).hasPrefix(talk ?? "-"), engine.hint(turn.state))
            // A plain greeting still gets the objection first.
            let greeted = engine.handle(language == .zh ? "您好，我是客服小张。" : "Hello, this is Tom from customer service.", in: start)
            XCTAssertEqual(greeted.reply, persona.steps[0].say[language])
        }
    }

    func testForbiddenPromiseEndsTheCallAndCapsTheScore() {
        let persona = knowledge.rehearsal.persona(id: "cautious-retiree")!
        var state = engine.start(persona: persona, language: .zh, seed: 1).state
        state = engine.handle("阿姨您好，我是客服小张。", in: state).state
        let turn = engine.handle("理解您。放心，这个是保本的。", in: state)
        XCTAssertTrue(turn.ended)
        XCTAssertEqual(turn.reply, persona.breach.zh)
        let card = engine.scorecard(turn.state)
        XCTAssertEqual(card.outcome, .breach)
        XCTAssertEqual(card.score(.compliance), 0)
        XCTAssertLessThanOrEqual(card.overall, knowledge.rehearsal.scoring.breachCap)
        XCTAssertTrue(card.weakPoints.contains { $0.skill == .compliance && $0.verdict == .breach && !$0.suggestion.isEmpty })
    }

    func testPressureFirstPushesBackThenEndsTheCall() {
        let persona = knowledge.rehearsal.persona(id: "cautious-retiree")!   // patience 2
        var state = engine.start(persona: persona, language: .en, seed: 1).state
        let first = engine.handle("Hello, you must decide soon.", in: state)
        XCTAssertFalse(first.ended)
        XCTAssertTrue(first.reply?.hasPrefix(persona.pushback.en) ?? false)
        state = first.state
        let second = engine.handle("Last chance, hurry.", in: state)
        XCTAssertTrue(second.ended)
        XCTAssertEqual(engine.scorecard(second.state).outcome, .pressured)
    }

    func testPoorAnswersMakeTheCustomerLeave() {
        let persona = knowledge.rehearsal.persona(id: "young-office-worker")!
        var state = engine.start(persona: persona, language: .zh, seed: 5).state
        var replies: [String] = []
        // Weak lines, none of them pushing ("你就买吧" is pressure, and a pressured customer leaves for that reason).
        for line in ["你好", "理财挺好的", "收益还可以的", "真的挺好"] where !state.isOver {
            let turn = engine.handle(line, in: state)
            state = turn.state
            replies.append(turn.reply ?? "")
        }
        XCTAssertEqual(state.outcome, .lost)
        XCTAssertEqual(replies.last, persona.leave.zh)
        let card = engine.scorecard(state)
        XCTAssertFalse(card.passed)
        XCTAssertTrue(card.weakPoints.contains { $0.skill == .probing && $0.suggestion == knowledge.objections.script(id: "returns-too-low")!.probe.zh })
    }

    func testTheCustomerAnswersQuestionsAboutThemselves() {
        let persona = knowledge.rehearsal.persona(id: "shop-owner-loan")!
        let state = engine.start(persona: persona, language: .zh, seed: 1).state
        let turn = engine.handle("陈老板您好，您的店每个月流水大概多少？", in: state)
        XCTAssertTrue(turn.reply?.hasPrefix(persona.facts["income"]!.zh) ?? false, turn.reply ?? "")
        let en = engine.start(persona: persona, language: .en, seed: 1).state
        let reply = engine.handle("Hi Mr Chen, what do you do for a living?", in: en).reply ?? ""
        XCTAssertTrue(reply.hasPrefix(persona.facts["occupation"]!.en), reply)
    }

    /// Seen in a free-form rehearsal in tmux: once the customer told the reason, "Roughly how much could you set aside, and how
    /// soon might you need it back?" was judged a failed answer to it (and cost patience), and "Ouch, losing 30% hurts",
    /// said back to a customer who lost 30% in a fund, was "rate 30% quoted without naming a product".
    func testQuestionsAfterTheReasonAndALossSaidBackAreNoFaults() {
        let persona = knowledge.rehearsal.persona(id: "young-freelancer")!
        var state = engine.start(persona: persona, language: .en, seed: 7).state
        state = engine.handle("Hey Xiao Chen! Thanks for reaching out. Before I suggest anything, can I ask what you'd like this money to do for you?", in: state).state
        guard case .reason = state.phase else { return XCTFail("the reason is told: \(state.phase)") }
        let question = engine.handle("Makes sense. Roughly how much could you set aside, and how soon might you need it back?", in: state)
        XCTAssertTrue(question.reply?.hasPrefix(persona.facts["savings"]!.en) ?? false, question.reply ?? "")
        XCTAssertNil(question.judgement.verdict(.addressing), "a question is no answer to the reason")
        XCTAssertEqual(question.state.resistance, state.resistance)
        let echo = engine.handle("Ouch, losing 30% hurts, I totally get why you'd be wary now.", in: question.state)
        XCTAssertNil(echo.judgement.verdict(.product), "a loss said back is no rate")
    }

    /// Seen in a free-form rehearsal in tmux with the price-sensitive borrower (a persona no test used): "Your actual rate
    /// depends on the approval, between 7.2% and 24% a year", a line after naming Flex Loan, was "rate quoted without
    /// naming a product", and "repay early with no fee, so you only pay for the days you use it" covered one key point
    /// of four it names.
    func testARateSaidOfTheProductOnTheTableAndTheCostPointsInPlainWords() {
        let persona = knowledge.rehearsal.persona(id: "price-sensitive-borrower")!
        var state = engine.start(persona: persona, language: .en, seed: 3).state
        state = engine.handle("Totally get it, nobody wants to overpay. Interest on Flex Loan is simple interest, charged daily on what you still owe.", in: state).state
        state = engine.handle("What rate were you expecting, or did another app quote you something?", in: state).state
        let answer = engine.handle("Fair enough. Your actual rate depends on the approval, between 7.2% and 24% a year, and you can repay early with no fee, so you only pay for the days you use it.", in: state)
        XCTAssertEqual(answer.judgement.verdict(.product), .good, answer.reply ?? "")
        XCTAssertEqual(answer.judgement.verdict(.addressing), .good, answer.reply ?? "")
        let wrong = engine.handle("Flex Loan is only 3% a year.", in: state)
        XCTAssertEqual(wrong.judgement.verdict(.product), .poor, wrong.reply ?? "")
        // The customer's own figure said back is no quote, and "how stable your income is" inside a statement asks nothing.
        let objection = engine.handle("Hi Xiao Wang! Totally get it, nobody wants to overpay on a loan.", in: engine.start(persona: persona, language: .en, seed: 3).state)
        let echo = engine.handle("Fair point, 24% would sting. Is it the total you pay back that worries you most?", in: objection.state)
        XCTAssertNil(echo.judgement.verdict(.product), echo.reply ?? "")
        XCTAssertFalse(engine.scorer.isQuestion("Your rate comes from the approval: credit history, how stable your income is, and repaying on time all count."))
        XCTAssertTrue(engine.scorer.isQuestion("How stable is your income"))
    }

    /// Seen in tmux: to "I'd like to compare first", "When you compare, look at four things: the risk level, how quickly
    /// you can get the money out, the fees, and the past return range" answered the reason before she told it, and she
    /// said "I don't really follow all that". A person whose unspoken reason is answered is convinced; the coach still
    /// asks for the question.
    func testAReasonAnsweredBeforeItIsToldConvinces() {
        let persona = knowledge.rehearsal.persona(id: "cautious-retiree")!
        var state = engine.start(persona: persona, language: .en, seed: 11).state
        for line in ["Good morning Mrs Wang, your grandson set you up, how nice of him.",
                     "That's completely understandable, it's your retirement money. What worries you most, losing some of it or not getting it out?",
                     "I hear you. Cash Plus is our lowest-risk product, R1: you can take money out any time. The yield moves with the market and isn't guaranteed."] {
            state = engine.handle(line, in: state).state
        }
        guard case .raised(1) = state.phase else { return XCTFail("the second objection is raised: \(state.phase)") }
        let turn = engine.handle("Comparing first is the sensible thing to do. Look at four things: the risk level, how quickly you can get the money out, the fees, and the past return range, which is only a guide.", in: state)
        XCTAssertEqual(turn.judgement.verdict(.addressing), .good, turn.reply ?? "")
        XCTAssertEqual(turn.judgement.verdict(.probing), .poor)
        XCTAssertTrue(turn.reply?.hasPrefix(persona.steps[1].convinced.en) ?? false, turn.reply ?? "")
    }

    func testSameSeedSameRehearsal() throws {
        let persona = knowledge.rehearsal.persona(id: "busy-professional")!
        let lines = ["你好", "收益还行", "您考虑一下", "好的"]
        func run(_ seed: UInt64) -> [String?] {
            var state = engine.start(persona: persona, language: .zh, seed: seed).state
            return lines.map { line in
                let turn = engine.handle(line, in: state)
                state = turn.state
                return turn.reply
            }
        }
        XCTAssertEqual(run(9), run(9))
        XCTAssertEqual(engine.persona(forSeed: 3)?.id, engine.persona(forSeed: 3)?.id)
    }

    func testRehearsalTranscriptRoundTripsAndDetectsChanges() {
        let text = """
            # persona: young-office-worker
            # lang: en
            # seed: 7
            customer> wrong opening
            agent> Hello!
            customer> wrong reply
            score> 0/100 won
            """
        XCTAssertTrue(RehearsalTranscript.isRehearsal(text))
        XCTAssertFalse(RehearsalTranscript.isRehearsal("you> hi\nkefu> hello\n"))
        let transcript = RehearsalTranscript.parse(text)
        XCTAssertEqual(transcript.personaID, "young-office-worker")
        XCTAssertEqual(transcript.language, .en)
        XCTAssertEqual(transcript.seed, 7)
        let replayer = RehearsalReplayer(engine: engine)
        let outcome = replayer.replay(transcript, file: "t.txt")
        XCTAssertEqual(outcome.mismatches.count, 3)   // opening, reply, score
        let again = replayer.replay(outcome.updated, file: "t.txt")
        XCTAssertEqual(again.mismatches, [])
        XCTAssertEqual(RehearsalTranscript.parse(outcome.updated.text), outcome.updated)
    }

    func testCheckReportsBrokenPersonasAndScoring() throws {
        let scoring = try String(contentsOf: Fixtures.knowledgeURL.appendingPathComponent("scoring.txt"), encoding: .utf8)
            .replacingOccurrences(of: "[tone]\nweight: 10", with: "[tone]\nweight: 15")
        let root = try Fixtures.temporaryKnowledge([
            "scoring.txt": scoring,
            "personas/bad.txt": """
                [bad]
                name.zh: 坏
                name.en: Bad
                level: C9
                products: no-such-product
                fact.shoe-size.zh: 42
                [bad/1]
                objection: too-risky/no-such-reason
                say.zh: 嗯
                say.en: hm
                points: 保本
                """,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        var diagnostics = DiagnosticsEngine()
        _ = KnowledgeLoader().loadRehearsal(root, knowledge: knowledge, diagnostics: &diagnostics)
        let messages = diagnostics.errors.map(\.message).joined(separator: "\n")
        for expected in ["add up to 105", "level must be C1", "unknown product 'no-such-product'", "no [topic-shoe-size]",
                         "not a reason of [too-risky]", "'保本' is a forbidden promise", "has no opening.zh", "resist.zh"] {
            XCTAssertTrue(messages.contains(expected), "missing '\(expected)' in:\n\(messages)")
        }
    }
}
