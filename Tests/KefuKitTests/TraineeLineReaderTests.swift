import KefuKit
import KefuTestSupport
import XCTest

/// The trainee's lines quoted in issue 14, judged by the readers learned from `scoring.txt`'s examples, and the corpus
/// format of `kefu rehearse --judge`.
final class TraineeLineReaderTests: XCTestCase {
    let scorer = RehearsalEngine(knowledge: Fixtures.shipped.knowledge).scorer

    func testTheIssuesLinesAreJudgedAsATrainerWould() {
        let cases: [(line: UInt, text: String, expected: Set<String>)] = [
            // Natural acknowledgements, once not credited.
            (#line, "I hear that a lot, and it makes sense.", ["acknowledgement"]),
            (#line, "Absolutely, retirement money deserves extra care.", ["acknowledgement"]),
            (#line, "这个顾虑很多老板都有。", ["acknowledgement"]),
            (#line, "换我也会担心。", ["acknowledgement"]),
            (#line, "嗯嗯，养老钱肯定要稳妥。", ["acknowledgement"]),
            // Natural probes, once not credited.
            (#line, "Is it the losses or getting it back that bothers you?", ["probing"]),
            (#line, "您是怕亏钱还是怕取不出来？", ["probing"]),
            // A statement that holds 顾虑 is no probe.
            (#line, "很理解您的顾虑。", ["acknowledgement"]),
            // Pressure and dismissiveness, once missed.
            (#line, "Seriously, you should sign up right now, this rate won't last.", ["pressure"]),
            (#line, "您今天就可以买。", ["pressure"]),
            (#line, "那是他们倒霉。", ["dismissive"]),
            // Factual requirements and calm lines are none of them.
            (#line, "您必须先实名认证才能购买。", []),
            (#line, "You must be at least 18 to open an account.", []),
            (#line, "Cash Plus is R1; its yield varies and isn't promised.", []),
        ]
        for (line, text, expected) in cases {
            for label in TraineeLineReader.labels {
                XCTAssertEqual(JudgementCorpus.judges(scorer, label, text), expected.contains(label), "\(label): '\(text)'", line: line)
            }
        }
    }

    func testJudgementCorpusFormatAndAgreement() {
        let corpus = JudgementCorpus.parse("""
            # comment
            zh\tacknowledgement,probing\t理解您的担心，您主要是担心哪方面呢？
            en\tnone\tHello, I'm Tom from customer service.
            fr\tnone\tBonjour
            en\tsarcasm\tOh great.
            en\tpressure
            """)
        XCTAssertEqual(corpus.rows.count, 2)
        XCTAssertEqual(corpus.rows[0].expected, ["acknowledgement", "probing"])
        XCTAssertEqual(corpus.rows[0].line, 2)
        XCTAssertEqual(corpus.problems.map(\.line), [4, 5, 6], "unknown language, unknown judgement, missing line: with their lines")
        let results = corpus.evaluate(scorer)
        XCTAssertEqual(results.map(\.label), TraineeLineReader.labels)
        XCTAssertEqual(results.map(\.count), [2, 2, 2, 2])
    }

    /// The persona answers what it is asked when it has the answer, however the question is put, and never says the same line
    /// twice in a row.
    func testPersonaAnswersQuestionsNoPhraseListsAndNeverRepeatsItself() {
        let engine = RehearsalEngine(knowledge: Fixtures.shipped.knowledge)
        let professional = Fixtures.shipped.knowledge.rehearsal.persona(id: "busy-professional")!
        var state = engine.start(persona: professional, language: .en, seed: 1).state
        state = engine.handle("Hello", in: state).state
        let goal = engine.handle("What do you want this money for?", in: state)
        XCTAssertTrue(goal.reply?.contains(professional.facts["goal"]!.en) ?? false, goal.reply ?? "")

        // A question after short greetings is still a question (tmux, the ride-hailing driver: the goal went unanswered).
        let driver = Fixtures.shipped.knowledge.rehearsal.persona(id: "ride-hailing-driver")!
        let greeted = engine.handle("王师傅辛苦了，刚收车还来问，挺上心的。您这笔钱平时主要打算干啥用呀？", in: engine.start(persona: driver, language: .zh, seed: 1).state)
        XCTAssertTrue(greeted.reply?.contains(driver.facts["goal"]!.zh) ?? false, greeted.reply ?? "")

        // A line that answers the reason just told is that answer, even when it sounds like a question about the customer
        // (tmux: "how long the money's tied up" was answered with the driver's horizon, and the answer went unjudged).
        var told = engine.start(persona: driver, language: .en, seed: 3).state
        for line in ["How old are you, if you don't mind me asking?", "That's a healthy instinct. What happened to your passengers?",
                     "Only use our app from your phone's app store; nobody from us will ever ask for your code or password, and we never tell anyone to move money to a safe account.",
                     "Your wife keeping the books is a good thing. What would she want to see before saying yes?"] {
            told = engine.handle(line, in: told).state
        }
        let sheet = engine.handle("Then let me give you a cheat sheet to show her: how risky it is, how long the money's tied up, what it costs you, and how fast you can get it back. You two look at it together tonight.", in: told)
        XCTAssertTrue(sheet.reply?.contains(driver.steps[1].convinced.en) ?? false, sheet.reply ?? "")
        XCTAssertFalse(sheet.reply?.contains(driver.facts["horizon"]!.en) ?? true, sheet.reply ?? "")

        // Issue 14: "What's making you nervous?" got "I'm 68."; "对了，您店在哪个区啊？" got "你这说得跟广告一样".
        let retiree = Fixtures.shipped.knowledge.rehearsal.persona(id: "cautious-retiree")!
        let nervous = engine.handle("Hello Mrs Wang, what's making you nervous?", in: engine.start(persona: retiree, language: .en, seed: 1).state)
        XCTAssertFalse(nervous.reply?.contains(retiree.facts["age"]!.en) ?? true, nervous.reply ?? "")
        let owner = Fixtures.shipped.knowledge.rehearsal.persona(id: "shop-owner-loan")!
        let district = engine.handle("对了，您店在哪个区啊？", in: engine.start(persona: owner, language: .zh, seed: 1).state)
        XCTAssertFalse(district.reply?.contains("广告") ?? true, district.reply ?? "")

        let worker = Fixtures.shipped.knowledge.rehearsal.persona(id: "young-office-worker")!
        state = engine.start(persona: worker, language: .zh, seed: 7).state
        var last = ""
        for line in ["你好", "收益挺高的，年化 8%。", "零钱通起投 1000 元，期限一年，放着就行。", "这个产品挺好的。"] where !state.isOver {
            let turn = engine.handle(line, in: state)
            state = turn.state
            let said = turn.reply ?? ""
            XCTAssertNotEqual(said, last, "the same customer line twice in a row after '\(line)'")
            last = said
        }
    }

    /// Coaching fits the moment: the probe and talk of the objection and product at hand, and a compliance suggestion that
    /// discloses the risk instead of repeating the product blurb.
    func testCoachingFitsTheMoment() {
        let engine = RehearsalEngine(knowledge: Fixtures.shipped.knowledge)
        let owner = Fixtures.shipped.knowledge.rehearsal.persona(id: "shop-owner-loan")!
        let feesStep = owner.steps[1]
        XCTAssertEqual(feesStep.reason, "interest-too-high/hidden-fees")
        var state = engine.start(persona: owner, language: .zh, seed: 1).state
        state.phase = .raised(1)
        let hint = engine.hint(state)
        XCTAssertTrue(hint.contains(feesStep.probe!.zh), hint)
        XCTAssertFalse(hint.contains("和哪里的利率比较"), "the rate objection's probe during the hidden-fees objection: \(hint)")
        state.phase = .reason(1)
        let talk = engine.hint(state)
        XCTAssertTrue(talk.contains("商户贷") && !talk.contains("随心借"), "随心借 quoted while 商户贷 is discussed: \(talk)")

        let retiree = Fixtures.shipped.knowledge.rehearsal.persona(id: "cautious-retiree")!
        let start = engine.start(persona: retiree, language: .zh, seed: 1).state
        let turn = engine.handle("您可以买稳利债券基金。", in: start)
        let suggestion = turn.judgement.judgements.first { $0.skill == .compliance }?.suggestion ?? ""
        XCTAssertTrue(suggestion.contains("R2") && suggestion.contains("不作承诺"), suggestion)
        XCTAssertFalse(suggestion.contains("元起"), "a compliance line, not the product blurb: \(suggestion)")
    }

    /// The card says what a pass needs and how skills not judged count, in the trainee's language.
    func testScorecardStatesItsRules() {
        let engine = RehearsalEngine(knowledge: Fixtures.shipped.knowledge)
        let persona = Fixtures.shipped.knowledge.rehearsal.persona(id: "young-office-worker")!
        for (language, pass, unjudged) in [(Language.zh, "通过需要 70 分以上且客户同意", "– 表示没有评到"), (.en, "A pass needs 70+ and the customer agreeing", "– means not judged")] {
            let state = engine.start(persona: persona, language: language, seed: 1).state
            let card = engine.scorecard(engine.handle(language == .zh ? "您好" : "Hello", in: state).state)
            let text = card.render(personaName: "x")
            XCTAssertTrue(text.contains(pass), text)
            XCTAssertTrue(text.contains(unjudged), text)
            XCTAssertFalse(card.summaryLine.contains(" -"), "never judged is '–' everywhere: \(card.summaryLine)")
        }
    }
}

/// The labelled trainee lines (`corpora/trainer`): floors just under today's agreement per judgement, dev and held-out,
/// so a knowledge edit that makes the judgements worse fails.
final class TraineeJudgementCorpusTests: XCTestCase {
    func testJudgementsAgreeWithTheLabelledLines() throws {
        let scorer = RehearsalEngine(knowledge: Fixtures.shipped.knowledge).scorer
        let floors: [String: [String: Double]] = [
            "dev": ["acknowledgement": 0.9, "probing": 0.95, "pressure": 0.93, "dismissive": 0.92],
            "heldout": ["acknowledgement": 0.86, "probing": 0.92, "pressure": 0.95, "dismissive": 0.9],
        ]
        for (split, floor) in floors {
            let url = Fixtures.packageRoot.appendingPathComponent("corpora/trainer/\(split)/judgements.tsv")
            let corpus = JudgementCorpus.parse(try String(contentsOf: url, encoding: .utf8))
            XCTAssertTrue(corpus.problems.isEmpty, "\(split): \(corpus.problems.prefix(3))")
            for result in corpus.evaluate(scorer) {
                XCTAssertGreaterThanOrEqual(result.accuracy, floor[result.label] ?? 1, "\(split) \(result.label)")
            }
        }
    }
}
