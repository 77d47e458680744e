import KefuKit
import KefuTestSupport
import XCTest

/// What follows an objection, table-driven: a bare refusal at the "why?" probe is the second no; a question the
/// FAQ can answer is answered in every objection state; "I want higher returns" is the returns-too-low
/// objection, not a bank that pays more; and a question about risk is never taken as an objection.
final class ObjectionFollowUpTests: XCTestCase {
    let engine = Fixtures.fixtureEngine

    /// A C4 customer shown balanced-fund, education-plan and fixed-term-365.
    static let profile = "我35岁，月薪两万，上班族，想投10万，存钱，三年不用，最多亏10%，买过基金"

    func run(_ lines: [String], from start: DialogueState = DialogueState()) -> (records: [TurnRecord], state: DialogueState) {
        var state = start
        var records: [TurnRecord] = []
        for line in lines {
            let turn = engine.handle(line, in: state)!
            state = turn.state
            records.append(turn.record)
        }
        return (records, state)
    }

    lazy var recommended: DialogueState = {
        let result = run([Self.profile])
        XCTAssertEqual(result.records.last!.state, "recommended")
        XCTAssertEqual(result.state.offer.recommended, ["balanced-fund", "education-plan", "fixed-term-365"])
        return result.state
    }()

    func kinds(_ record: TurnRecord) -> [DialogueEvent.Kind] { record.events.map(\.kind) }

    // MARK: 1. A bare refusal at the probe

    func testABareRefusalAtTheProbeIsTheSecondNo() {
        let firsts = ["不要", "算了", "不需要", "no thanks"]
        let seconds = ["不要", "不", "就是不要", "我说了不要", "还是不要了", "不需要", "算了", "不用了", "不了", "no", "nope", "no thanks", "I said no"]
        for first in firsts {
            let probing = run([first], from: recommended)
            XCTAssertEqual(probing.records.last!.state, "objection:probing", first)
            for second in seconds {
                let record = run([second], from: probing.state)
                let last = record.records.last!
                XCTAssertEqual(last.state, "idle", "\(first) → \(second): \(last.reply)")
                XCTAssertTrue(kinds(last).contains(.objectionDeclined), "\(first) → \(second): \(kinds(last))")
                XCTAssertFalse(kinds(last).contains(.reoffered) || kinds(last).contains(.objectionReason), "\(first) → \(second): \(last.reply)")
                XCTAssertTrue(record.state.sellingStopped, "\(first) → \(second)")
                // Accepted graciously, with the offer to send information.
                XCTAssertTrue(last.reply.contains("App"), "\(first) → \(second): \(last.reply)")
            }
        }
        // A line that gives a reason is still answered with its talk track and one re-offer.
        let probing = run(["不要"], from: recommended).state
        let reasons: [(line: String, state: String)] = [("有点犹豫", "objection:reoffered"), ("不要，怕亏本金", "objection:reoffered"), ("不想说", "idle")]
        for (line, state) in reasons {
            XCTAssertEqual(run([line], from: probing).records.last!.state, state, line)
        }
    }

    // MARK: 2. A question the FAQ can answer, in every objection state

    func testAFAQQuestionIsAnsweredInEveryObjectionState() {
        let states: [(name: String, lines: [String])] = [
            ("probing", ["不要"]),
            ("probing after a reason-bearing no", ["风险太大了"]),
            ("re-offered", ["不要", "有点犹豫"]),
            ("second no at the probe", ["不要", "不要"]),
            ("second no after the re-offer", ["风险太大了", "怕本金亏掉", "不要"]),
            ("do-not-contact", ["别再推销了"]),
        ]
        let questions = ["怎么提现", "提现多久到账", "how long does a withdrawal take", "how do I withdraw"]
        for (name, lines) in states {
            let before = run(lines, from: recommended)
            for question in questions {
                let record = run([question], from: before.state)
                let last = record.records.last!
                let events = kinds(last)
                XCTAssertTrue(events.contains(.answered) || events.contains(.clarificationOffered), "\(name): '\(question)' → \(events): \(last.reply)")
                let selling: [DialogueEvent.Kind] = [.objectionDeclined, .objectionRaised, .objectionReason, .reoffered, .recommendationShown, .notUnderstood]
                XCTAssertFalse(events.contains { selling.contains($0) }, "\(name): '\(question)' → \(events): \(last.reply)")
                XCTAssertNil(last.recommendation, "\(name): '\(question)'")
                XCTAssertEqual(record.state.sellingStopped, before.state.sellingStopped, "\(name): '\(question)'")
            }
        }
    }

    // MARK: 3. Higher returns, a bank that pays more, a bank elsewhere

    func testReturnsAndBankReasonsAreMatchedInBothLanguages() {
        // (line, the objection raised, the reason answered at once, or nil for the probe)
        let table: [(line: String, objection: String, reason: String?)] = [
            ("I want higher returns", "returns-too-low", "returns-too-low/want-much-more"),
            ("I want bigger returns", "returns-too-low", "returns-too-low/want-much-more"),
            ("我想要收益高一点的", "returns-too-low", "returns-too-low/want-much-more"),
            ("the returns are too low", "returns-too-low", nil),
            ("收益太低了", "returns-too-low", nil),
            ("I already bank elsewhere", "bank-elsewhere", nil),
            ("我在银行买了理财了", "bank-elsewhere", nil),
        ]
        for (line, objection, reason) in table {
            let last = run([line], from: recommended).records.last!
            XCTAssertEqual(last.events.first { $0.kind == .objectionRaised }?.detail, objection, "\(line): \(last.reply)")
            XCTAssertEqual(last.events.first { $0.kind == .objectionReason }?.detail, reason, "\(line): \(last.reply)")
        }
        // The reason given at the probe.
        let atProbe: [(first: String, line: String, reason: String)] = [
            ("no thanks", "I want higher returns", "returns-too-low/want-much-more"),
            ("the returns are too low", "I want higher returns", "returns-too-low/want-much-more"),
            ("收益太低了", "我想要收益高一点的", "returns-too-low/want-much-more"),
            ("the returns are too low", "my bank pays more", "returns-too-low/bank-pays-more"),
            ("收益太低了", "银行理财收益比你们高", "returns-too-low/bank-pays-more"),
        ]
        for (first, line, reason) in atProbe {
            let last = run([first, line], from: recommended).records.last!
            XCTAssertEqual(last.events.first { $0.kind == .objectionReason }?.detail, reason, "\(first) → \(line): \(last.reply)")
            XCTAssertFalse(last.reply.contains("Comparing is a good habit") && reason != "returns-too-low/bank-pays-more", last.reply)
        }
    }

    // MARK: 4. Questions about risk are not objections

    func testARiskQuestionIsNotAnObjection() {
        let questions = ["零风险吗", "会亏钱吗", "这个保本吗", "是不是稳赚的", "安全么", "is this risk-free", "can I lose money",
                         "is it guaranteed", "can I lose my principal?", "will I get all my money back?"]
        let starts: [(name: String, lines: [String])] = [("recommended", []), ("re-offered", ["不要", "有点犹豫"])]
        for (name, lines) in starts {
            let before = run(lines, from: recommended)
            for question in questions {
                let last = run([question], from: before.state).records.last!
                let events = kinds(last)
                XCTAssertFalse(events.contains(.objectionRaised) || events.contains(.objectionDeclined) || events.contains(.objectionReason),
                               "\(name): '\(question)' → \(events): \(last.reply)")
                XCTAssertFalse(last.state == "objection:probing", "\(name): '\(question)'")
                if name == "recommended" { XCTAssertFalse(last.state.hasPrefix("objection"), "\(name): '\(question)' → \(last.state)") }
            }
        }
        // A refusal in the same line is still a "no".
        for line in ["不要了，有风险吗", "no thanks, is it risky?"] {
            XCTAssertTrue(kinds(run([line], from: recommended).records.last!).contains(.objectionRaised), line)
        }
    }
}
