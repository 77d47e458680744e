import KefuKit
import KefuTestSupport
import XCTest

/// The customer's answers to Kefu's own questions in the advice conversation: the risk-mismatch warning
/// (a refusal or a negated acceptance must never be recorded as an acceptance), "which one would you
/// like?" and "shall I put you through?".
final class AdviceRepliesTests: XCTestCase {
    let engine = Fixtures.fixtureEngine

    enum Expect { case accept, refuse, unclear }

    /// A C3 customer who has asked for the R5 equity fund and was warned.
    static let zhWarned = ["我30岁，上班族，月入一万，想投5万，两年不用，最多亏10%，买过基金，想稳健存钱", "我想买股票基金"]
    static let enWarned = ["I'm 30, office worker, earn 10k a month, want to invest 50k for saving, 2 years, I can accept a 10% loss, I have bought funds before",
                           "I want the stock fund instead"]

    static let zhAnswers: [(String, Expect)] = [
        ("我了解风险", .accept), ("我了解风险，愿意承担", .accept), ("风险我清楚，我接受风险", .accept),
        ("知道风险，我愿意承担", .accept), ("我明白风险，确认承担", .accept), ("好的，了解风险了", .accept),
        ("我不了解风险", .refuse), ("不太了解风险", .refuse), ("我不愿意承担这个风险", .refuse), ("我了解风险，但还是算了", .refuse),
        ("不接受", .refuse), ("算了，不买了", .refuse), ("我并不清楚风险", .refuse), ("风险太大了，承受不了", .refuse),
        ("我没有了解风险", .refuse), ("我了解风险，再考虑一下", .refuse), ("不", .refuse),
        ("嗯", .unclear), ("我想先了解风险", .unclear), ("风险有多大？", .unclear), ("好吧", .unclear), ("了解风险吗", .unclear), ("我没有了解过风险", .unclear),
    ]
    static let enAnswers: [(String, Expect)] = [
        ("I understand the risk", .accept), ("I understand the risks and accept them", .accept), ("I accept the risk", .accept),
        ("yes, I understand the risk", .accept), ("I'm aware of the risks", .accept), ("I know the risk and I'm willing to take the risk", .accept),
        ("I do not accept the risk", .refuse), ("I understand the risk but no thanks", .refuse), ("I don't understand the risk", .refuse),
        ("I don't really understand the risks", .refuse), ("I'm not willing to take the risk", .refuse), ("no thanks", .refuse),
        ("no", .refuse), ("never mind", .refuse), ("I understand the risk, but let me think about it", .refuse), ("I can’t accept the risk", .refuse),
        ("ok", .unclear), ("hmm", .unclear), ("what is the risk exactly?", .unclear), ("I'd like to understand the risk first", .unclear), ("maybe", .unclear),
    ]

    func run(_ lines: [String]) -> [(state: DialogueState, record: TurnRecord)] {
        var state = DialogueState()
        var turns: [(DialogueState, TurnRecord)] = []
        for line in lines {
            guard let turn = engine.handle(line, in: state) else { continue }
            state = turn.state
            turns.append((turn.state, turn.record))
        }
        return turns
    }

    func check(_ setup: [String], _ answers: [(String, Expect)]) {
        XCTAssertGreaterThanOrEqual(answers.count, 12)
        for expect in [Expect.accept, .refuse, .unclear] { XCTAssertTrue(answers.contains { $0.1 == expect }) }
        for (answer, expect) in answers {
            let turns = run(setup + [answer])
            XCTAssertEqual(turns[setup.count - 1].record.state, "risk-warning", "setup did not warn")
            let (state, record) = turns.last!
            let kinds = record.events.map(\.kind)
            switch expect {
            case .accept:
                XCTAssertTrue(kinds.contains(.riskMismatchAcknowledged), "'\(answer)' should be an acceptance: \(record.reply)")
                XCTAssertEqual(state.offer.acknowledgedRisk, ["equity-fund"], answer)
            case .refuse:
                XCTAssertFalse(kinds.contains(.riskMismatchAcknowledged), "'\(answer)' was read as an acceptance")
                XCTAssertTrue(kinds.contains(.riskMismatchDeclined), "'\(answer)' should be a refusal: \(record.reply)")
                XCTAssertEqual(record.state, "recommended", answer)
                XCTAssertTrue(state.offer.acknowledgedRisk.isEmpty, answer)
            case .unclear:
                XCTAssertFalse(kinds.contains(.riskMismatchAcknowledged), "'\(answer)' was read as an acceptance")
                XCTAssertEqual(record.state, "risk-warning", "'\(answer)' should be asked again: \(record.reply)")
                XCTAssertTrue(state.offer.acknowledgedRisk.isEmpty, answer)
            }
            if expect != .accept {
                // Never the details or the acknowledgement sentence of the product above the level.
                XCTAssertFalse(record.reply.contains("已记录您已知悉") || record.reply.contains("I've recorded that you understand"), answer)
                XCTAssertFalse(record.reply.contains("-40%"), "'\(answer)' presented the product: \(record.reply)")
            }
        }
    }

    func testChineseRiskAnswers() { check(Self.zhWarned, Self.zhAnswers) }
    func testEnglishRiskAnswers() { check(Self.enWarned, Self.enAnswers) }

    /// A question while the warning waits is answered, and the warning's question follows it.
    func testQuestionDuringTheWarningIsAnsweredThenAskedAgain() {
        let turns = run(Self.zhWarned + ["提现多久到账"])
        XCTAssertEqual(turns.last!.record.state, "risk-warning")
        XCTAssertNotNil(turns.last!.record.matchedID)
        XCTAssertTrue(turns.last!.record.reply.contains("我了解风险"), turns.last!.record.reply)
    }

    static let zhRecommended = ["我35岁，月薪两万，想投10万，一年内可能要用", "上班", "稳健存钱", "亏10%以内可以", "买过基金"]

    func testChoosingByNumberConvertsAndYesHandsOverToSales() {
        let turns = run(Self.zhRecommended + ["我要买", "1", "好的"])
        let recommended = turns[Self.zhRecommended.count - 1].state.offer.recommended
        XCTAssertGreaterThan(recommended.count, 1)
        XCTAssertEqual(turns[5].record.state, "choosing-product")
        XCTAssertEqual(turns[6].record.events.first { $0.kind == .conversion }?.detail, recommended[0])
        XCTAssertEqual(turns[6].record.state, "handoff-offered")
        let ticket = turns[7].state.handoff.ticket
        XCTAssertEqual(ticket?.reason, "sales-handoff")
        XCTAssertEqual(ticket?.priority, .normal)
        XCTAssertTrue(ticket?.summary.contains("decided to buy: \(recommended[0])") ?? false, ticket?.summary ?? "")
        XCTAssertTrue(turns[7].record.events.contains { $0.kind == .escalation })
    }

    func testChoosingByNameConvertsAndNoIsAcceptedPolitely() {
        let base = run(Self.zhRecommended)
        let second = Fixtures.fixture.knowledge.products.product(id: base.last!.state.offer.recommended[1])!
        let turns = run(Self.zhRecommended + ["就买这个", second.name.zh, "不用了"])
        XCTAssertEqual(turns[6].record.events.first { $0.kind == .conversion }?.detail, second.id)
        XCTAssertEqual(turns[7].record.state, "recommended")
        XCTAssertNil(turns[7].state.handoff.ticket)
        XCTAssertFalse(turns[7].record.events.contains { $0.kind == .objectionRaised || $0.kind == .escalation })
    }

    func testBuyVerbWithARecommendedNameConvertsDirectly() {
        let base = run(Self.zhRecommended)
        let product = Fixtures.fixture.knowledge.products.product(id: base.last!.state.offer.recommended[0])!
        let turns = run(Self.zhRecommended + ["买\(product.name.zh)"])
        XCTAssertEqual(turns.last!.record.events.first { $0.kind == .conversion }?.detail, product.id)
    }

    func testEnglishChoiceAndNoThanks() {
        let turns = run([Self.enWarned[0], "I'll take it", "2", "no thanks"])
        XCTAssertEqual(turns[1].record.state, "choosing-product")
        XCTAssertEqual(turns[2].record.events.first { $0.kind == .conversion }?.detail, turns[0].state.offer.recommended[1])
        XCTAssertEqual(turns[3].record.state, "recommended")
        XCTAssertNil(turns[3].state.handoff.ticket)
    }

    /// Buying something not recommended and above the level goes through the warning, from any phrasing.
    func testBuyingAnUnsuitableProductIsNeverAConversion() {
        for lines in [Self.zhRecommended + ["买成长精选股票基金"], Self.zhRecommended + ["我要买", "成长精选股票基金"],
                      [Self.enWarned[0], "I'll take it", "Growth Select Equity Fund"]] {
            let last = run(lines).last!.record
            XCTAssertFalse(last.events.contains { $0.kind == .conversion }, "\(lines.last!): \(last.reply)")
            XCTAssertEqual(last.state, "risk-warning", lines.last!)
        }
    }

    func testNegatedBuyingIsNotAConversion() {
        for line in ["我不想买这个", "I don't want to buy it"] {
            let last = run(Self.zhRecommended + [line]).last!.record
            XCTAssertFalse(last.events.contains { $0.kind == .conversion }, line)
        }
    }

    /// The C4 customer of the issue (recommended balanced-fund, education-plan, fixed-term-365) warned about the R5 fund.
    static let p4 = "我35岁，月薪两万，上班族，想投10万，存钱，三年不用，最多亏10%，买过基金"
    static let p4Warned = [p4, "我想买成长精选股票基金"]

    /// An acceptance followed by a contrast (但/但是/可是/不过/but/however/though) is never an acceptance:
    /// a refusal when what follows refuses, else the question again.
    static let contrastAnswers: [(String, Expect)] = [
        ("我了解风险，但不想承担", .refuse), ("我了解风险，但不想要", .refuse), ("I understand the risk but I won't take it", .refuse),
        ("我了解风险，但是不要了", .refuse), ("风险我知道，可是不想买", .refuse), ("我了解风险，不过还是不要了", .refuse),
        ("I understand the risk, but I don't want it", .refuse), ("I accept the risk, however I will not take it", .refuse),
        ("我了解风险，但是有点担心", .unclear), ("我接受风险，可是", .unclear), ("我知道风险，不过波动有点大", .unclear),
        ("I understand the risks though", .unclear), ("I know the risk but the swings look big", .unclear),
        ("I understand the risk, however the loss worries me", .unclear), ("ok", .unclear), ("好", .unclear), ("嗯嗯", .unclear),
        ("虽然有点担心，但我了解风险，愿意承担", .accept),
    ]

    func testAnAcceptanceFollowedByAContrastIsNeverAnAcceptance() { check(Self.p4Warned, Self.contrastAnswers) }

    /// A bare "ok" or "好" at the warning: the question again, in the conversation's language, never a greeting.
    func testBareAcknowledgementKeepsTheLanguageAndIsAskedAgain() {
        for answer in ["ok", "好", "OK", "好的"] {
            let last = run(Self.p4Warned + [answer]).last!
            XCTAssertEqual(last.record.language, .zh, answer)
            XCTAssertEqual(last.record.state, "risk-warning", answer)
            XCTAssertTrue(last.record.reply.contains("我了解风险"), "\(answer): \(last.record.reply)")
            XCTAssertNil(last.record.matchedID, "\(answer) was answered as a question: \(last.record.reply)")
        }
    }

    /// A factual question about any product after a recommendation gets its facts and its risk or eligibility
    /// note, never the suitability refusal; only buying an unsuitable product gets the warning.
    func testFactualQuestionsGetTheFactsAndOnlyBuyingGetsTheWarning() {
        let loan = run([Self.p4, "随心借利率多少"]).last!.record
        XCTAssertTrue(loan.reply.contains("APR") && loan.reply.contains("7.2%"), loan.reply)
        XCTAssertFalse(loan.reply.contains("无法通过确认风险"), loan.reply)
        XCTAssertFalse(loan.events.contains { $0.kind == .notEligible || $0.kind == .riskMismatchWarned }, loan.reply)
        let term = run([Self.p4, "定期宝365天起投多少"]).last!.record
        XCTAssertTrue(term.reply.contains("1000 元起投") && term.reply.contains("R2"), term.reply)
        let asked = run([Self.p4, "成长精选股票基金风险多大？"]).last!.record
        XCTAssertEqual(asked.state, "recommended")
        XCTAssertTrue(asked.reply.contains("R5") && asked.reply.contains("高于您的 C4"), asked.reply)
        XCTAssertFalse(asked.events.contains { $0.kind == .riskMismatchWarned })
        // Then buying it: the warning, never a conversion.
        let bought = run([Self.p4, "成长精选股票基金风险多大？", "就买这个"]).last!.record
        XCTAssertEqual(bought.state, "risk-warning", bought.reply)
        XCTAssertFalse(bought.events.contains { $0.kind == .conversion })
        // A product whose eligibility rule fails says so after its facts (a student asking about a loan).
        let student = run(["我20岁，学生，没有收入，想投1000，存钱，一年不用，不能亏，没买过", "随心借利率多少"]).last!.record
        XCTAssertTrue(student.reply.contains("APR") && student.reply.contains("暂时无法为您办理"), student.reply)
    }

    /// "买第二个" converts like "我要买" then "2"; a family name matching one recommended product picks it.
    func testBuyingByNumberAndByFamilyName() {
        let second = run([Self.p4, "买第二个"])
        XCTAssertEqual(second.last!.record.events.first { $0.kind == .conversion }?.detail, second[0].state.offer.recommended[1])
        XCTAssertEqual(run([Self.p4, "第二个"]).last!.record.events.filter { $0.kind == .conversion }.count, 0, "a pick alone shows details")
        for line in ["我要买定期宝", "买定期宝", "I'll buy the fixed term"] {
            let last = run([Self.p4, line]).last!.record
            XCTAssertEqual(last.events.first { $0.kind == .conversion }?.detail, "fixed-term-365", "\(line): \(last.reply)")
        }
        // After another purchase the family name still picks its product, not the last one bought.
        XCTAssertEqual(run([Self.p4, "买第二个", "不用了", "我要买定期宝"]).last!.record.events.first { $0.kind == .conversion }?.detail, "fixed-term-365")
    }
}
