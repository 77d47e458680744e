import KefuKit
import KefuTestSupport
import XCTest

/// The objection part of the state machine, table-driven: a reason stated at once, the second no, a no
/// instead of a reason, do-not-contact from every state, and no sales offer after any of them.
final class ObjectionStateMachineTests: XCTestCase {
    let engine = Fixtures.fixtureEngine
    typealias Step = (input: String, state: String?, events: [DialogueEvent.Kind])

    /// Runs the lines from `start`, checking each step's state and events; returns the records and final state.
    @discardableResult
    func run(_ steps: [Step], from start: DialogueState = DialogueState(), file: StaticString = #filePath, line: UInt = #line) -> (records: [TurnRecord], state: DialogueState) {
        var state = start
        var records: [TurnRecord] = []
        for step in steps {
            let turn = engine.handle(step.input, in: state)!
            state = turn.state
            records.append(turn.record)
            if let expected = step.state { XCTAssertEqual(turn.record.state, expected, "after '\(step.input)': \(turn.record.reply)", file: file, line: line) }
            let kinds = turn.record.events.map(\.kind)
            for kind in step.events { XCTAssertTrue(kinds.contains(kind), "'\(step.input)' should emit \(kind.rawValue); got \(kinds)", file: file, line: line) }
        }
        return (records, state)
    }

    /// A C3 customer just shown balanced-fund, fixed-term-365 and bond-fund.
    static let toRecommendation: [Step] = [
        ("我40岁，上班族，月入一万五，想投10万，两年不用，最多亏10%，买过基金，想稳健存钱", "recommended", [.recommendationShown]),
    ]
    /// A C1 customer ("一点都不能亏") shown Cash Plus only.
    static let toCautious: [Step] = [
        ("我30岁，上班族，月入一万，想投5万，半年内可能要用，一点都不能亏，没买过基金，想稳健存钱", "recommended", [.recommendationShown]),
    ]
    static let secondNo: [Step] = toRecommendation + [
        ("风险太大了", "objection:probing", [.objectionRaised]),
        ("怕本金亏掉", "objection:reoffered", [.objectionReason, .reoffered]),
        ("不要", "idle", [.objectionDeclined]),
    ]

    func testObjectionTransitions() {
        let table: [(name: String, steps: [Step])] = [
            ("reason stated at once", Self.toRecommendation + [("不用了，风险太大，怕本金亏掉", "objection:reoffered", [.objectionRaised, .objectionReason, .reoffered])]),
            ("second no after the re-offer", Self.secondNo),
            ("second no after accepting the information", Self.toRecommendation + [
                ("风险太大了", "objection:probing", []), ("怕本金亏掉", "objection:reoffered", []),
                ("好的，发给我", "recommended", [.objectionAccepted]), ("还是不要了", "idle", [.objectionDeclined])]),
            ("no instead of a reason (zh)", Self.toRecommendation + [("不要", "objection:probing", [.objectionRaised]), ("我说了不要", "idle", [.objectionDeclined])]),
            ("no instead of a reason (en)", Self.toRecommendation + [("no thanks", "objection:probing", []), ("no", "idle", [.objectionDeclined])]),
            ("not wanting to say why", Self.toRecommendation + [("算了", "objection:probing", []), ("不想说", "idle", [.objectionDeclined])]),
            ("side question after the re-offer", Self.toRecommendation + [
                ("风险太大了", "objection:probing", []), ("怕本金亏掉", "objection:reoffered", []),
                ("能随时取出来吗", "objection:reoffered", []), ("不要", "idle", [.objectionDeclined])]),
        ]
        for (name, steps) in table {
            let result = run(steps)
            XCTAssertFalse(result.records.contains { $0.events.contains { $0.kind == .notUnderstood || $0.kind == .escalation } }, name)
            if steps.last?.events.contains(.objectionDeclined) ?? false { XCTAssertTrue(result.state.salesDeclined, name) }
            // At most two offers in the conversation: the recommendation and one re-offer.
            XCTAssertLessThanOrEqual(result.records.filter { $0.events.contains { $0.kind == .reoffered } }.count, 1, name)
        }
    }

    /// A side question after the re-offer is answered without showing the list again.
    func testSideQuestionDoesNotRepeatTheRecommendation() {
        let result = run(Self.toRecommendation + [("风险太大了", nil, []), ("怕本金亏掉", nil, []), ("能随时取出来吗", "objection:reoffered", [])])
        XCTAssertNil(result.records.last!.recommendation, result.records.last!.reply)
        XCTAssertFalse(result.records.last!.reply.contains("均衡配置混合基金"), result.records.last!.reply)
    }

    /// Fear of losing principal is answered with the lowest-risk suitable product, not the fund objected to.
    func testReofferFitsTheStatedReason() {
        let result = run(Self.toRecommendation + [("风险太大了", nil, []), ("怕本金亏掉", nil, [.reoffered])])
        XCTAssertEqual(result.records.last!.events.first { $0.kind == .reoffered }?.detail, "cash-plus")
        let loss = run(Self.toRecommendation + [("以前理财亏过 不想再碰", nil, []), ("买基金亏了三成", nil, [.reoffered])])
        XCTAssertEqual(loss.records.last!.events.first { $0.kind == .reoffered }?.detail, "cash-plus")
    }

    static let doNotContact = ["别再推销了", "不要再联系我了", "以后不要再联系我", "不要再给我推销了", "别再给我打电话了",
                               "stop selling", "I don't want any more sales pitches", "do not call me", "stop sending me offers", "leave me alone"]

    func testDoNotContactFromEveryState() {
        let starts: [(String, [Step])] = [
            ("idle", []),
            ("clarifying", [("limit", "clarifying", [])]),
            ("profiling", [("有什么理财推荐", "profiling:age", [])]),
            ("recommended", Self.toRecommendation),
            ("risk-warning", Self.toRecommendation + [("我想买股票基金", "risk-warning", [])]),
            ("probing", Self.toRecommendation + [("风险太大了", "objection:probing", [])]),
            ("reoffered", Self.toRecommendation + [("风险太大了", nil, []), ("怕本金亏掉", "objection:reoffered", [])]),
            ("after the second no", Self.secondNo),
        ]
        for (name, prefix) in starts {
            for phrase in Self.doNotContact {
                let result = run(prefix + [(phrase, "idle", [.doNotContact]), ("有什么理财推荐", nil, []), ("我想投5万", nil, []), ("no", nil, [])])
                XCTAssertTrue(result.state.sellingStopped && result.state.doNotContact, "\(name): \(phrase)")
                assertNoSalesOffer(after: prefix.count, in: result.records, "\(name): \(phrase)")
            }
        }
    }

    func testNoSalesOfferAfterTheSecondNoADoNotContactOrAHandoff() {
        let after = ["我说了不要", "还是不要", "有什么理财推荐", "我想投5万", "不要", "no thanks", "好吧"]
        let stops: [(String, [Step])] = [
            ("second no", Self.secondNo),
            ("no at the probe", Self.toRecommendation + [("不要", nil, []), ("我说了不要", nil, [.objectionDeclined])]),
            ("do-not-contact", Self.toRecommendation + [("别再推销了", nil, [.doNotContact])]),
            ("handoff", Self.toRecommendation + [("转人工", nil, [.escalation])]),
        ]
        for (name, prefix) in stops {
            let result = run(prefix + after.map { ($0, nil, []) })
            assertNoSalesOffer(after: prefix.count, in: result.records, name)
            XCTAssertFalse(result.records.dropFirst(prefix.count).contains { $0.events.contains { $0.kind == .notUnderstood } }, name)
        }
        // Asked explicitly after the second no, a product is described with its risk; nothing is pushed.
        let asked = run(Self.secondNo + [("稳利债券基金怎么样", nil, [])]).records.last!
        XCTAssertTrue(asked.reply.contains("R2"), asked.reply)
        XCTAssertNil(asked.recommendation)
    }

    /// No recommendation, re-offer, conversion or product name in any turn after index `after`.
    func assertNoSalesOffer(after: Int, in records: [TurnRecord], _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        let names = Fixtures.fixture.knowledge.products.products.flatMap { [$0.name.zh, $0.name.en] }
        for record in records.dropFirst(after) {
            let kinds = record.events.map(\.kind)
            XCTAssertFalse(kinds.contains(.recommendationShown) || kinds.contains(.reoffered) || kinds.contains(.conversion) || kinds.contains(.objectionRaised),
                           "\(context): sales event after stop: '\(record.input)' -> \(kinds)", file: file, line: line)
            XCTAssertNil(record.recommendation, "\(context): recommendation after stop: '\(record.input)'", file: file, line: line)
            for name in names where record.reply.contains(name) {
                XCTFail("\(context): reply to '\(record.input)' names '\(name)' after selling stopped: \(record.reply)", file: file, line: line)
            }
        }
    }
}
