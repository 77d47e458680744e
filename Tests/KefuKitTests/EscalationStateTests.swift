import KefuKit
import KefuTestSupport
import XCTest

/// Escalation from every state of the conversation, one table per rule; the night-time texts of the urgent
/// rules word for word; a second urgent reason; the products and amounts an agent must see on the ticket.
final class EscalationStateTests: XCTestCase {
    let engine = Fixtures.fixtureEngine
    let night = Moment(date: "2026-11-27", minuteOfDay: 22 * 60 + 30)

    struct Run {
        var replies: [String] = []
        var tickets: [HandoffTicket] = []
        var states: [String] = []
        var state = DialogueState()
    }

    func run(_ lines: [String], at moment: Moment = .replayDefault) -> Run {
        var result = Run()
        for line in lines {
            guard let turn = engine.handle(line, in: result.state, at: moment) else { continue }
            result.state = turn.state
            result.replies.append(turn.record.reply)
            result.states.append(turn.record.state)
            result.tickets += turn.effects.compactMap { if case .ticket(let t) = $0 { return t } else { return nil } }
        }
        return result
    }

    static let toRecommendation = ["我35岁，月薪两万，想投10万，一年内可能要用", "上班", "稳健存钱", "亏10%以内可以", "买过基金"]
    /// Lines that bring the conversation to each state, with the state expected after them.
    static let starts: [(state: String, lines: [String])] = [
        ("idle", []),
        ("clarifying", ["limit"]),
        ("profiling:occupation", Array(toRecommendation.prefix(1))),
        ("profiling:goal", Array(toRecommendation.prefix(2))),
        ("recommended", toRecommendation),
        ("risk-warning", toRecommendation + ["我想买股票基金"]),
        ("objection:probing", toRecommendation + ["不用了，风险太大"]),
        ("objection:reoffered", toRecommendation + ["不用了，风险太大", "怕亏本金"]),
    ]

    /// Each rule's line from each state: a ticket for that rule at once, selling stopped, back to idle.
    func assertEscalatesFromEveryState(_ line: String, reason: String, priority: HandoffTicket.Priority,
                                       file: StaticString = #filePath, lineNumber: UInt = #line) {
        for start in Self.starts {
            let before = run(start.lines)
            XCTAssertEqual(before.states.last ?? "idle", start.state, "setting up \(start.state)", file: file, line: lineNumber)
            let after = run(start.lines + [line])
            XCTAssertEqual(after.tickets.map(\.reason), [reason], "'\(line)' from \(start.state): \(after.replies.last ?? "")", file: file, line: lineNumber)
            XCTAssertEqual(after.tickets.first?.priority, priority, "from \(start.state)", file: file, line: lineNumber)
            XCTAssertEqual(after.states.last, "idle", "from \(start.state)", file: file, line: lineNumber)
            XCTAssertTrue(after.state.sellingStopped, "from \(start.state)", file: file, line: lineNumber)
        }
    }

    func testDistressFromEveryState() {
        assertEscalatesFromEveryState("我真的撑不下去了", reason: "distress", priority: .urgent)
        assertEscalatesFromEveryState("life isn't worth living", reason: "distress", priority: .urgent)
    }
    func testSecurityFromEveryState() { assertEscalatesFromEveryState("有人冒充我借钱", reason: "security-incident", priority: .urgent) }
    func testComplaintFromEveryState() { assertEscalatesFromEveryState("我要投诉你们", reason: "complaint", priority: .high) }
    func testAngerFromEveryState() { assertEscalatesFromEveryState("垃圾客服，问了半天没用", reason: "anger-abuse", priority: .high) }
    func testExplicitRequestFromEveryState() { assertEscalatesFromEveryState("转人工", reason: "explicit-request", priority: .normal) }
    func testLargeWithdrawalFromEveryState() { assertEscalatesFromEveryState("我要提现60万", reason: "large-amount", priority: .high) }

    func testSecurityAfterHoursTextIsExact() {
        XCTAssertEqual(run(["卡被人刷了"], at: night).replies, ["""
            请先立即在 App「我的 > 账户安全 > 冻结账户」冻结账户，防止进一步损失；也可以现在拨打 24 小时紧急热线 400-600-8888，值班同事会马上帮您冻结账户、挂失银行卡。
            请不要把密码或验证码告诉任何人，我们的工作人员绝不会索要。如涉及诈骗，请报警 110 或拨打反诈专线 96110。
            现在不在人工服务时间（每天 9:00–21:00），您的工单 T20261127-0001 已加急登记，同事会在 9:00 后第一时间回电跟进。
            """])
        XCTAssertEqual(run(["someone took over my account"], at: night).replies, ["""
            Please freeze your account right now in the App: Me (我的) > Account security (账户安全) > Freeze account (冻结账户), to stop any further loss. You can also call our 24-hour emergency line 400-600-8888 now; the on-duty team will freeze your account and block your bank card at once.
            Never share your password or verification codes with anyone; our staff never ask for them. If fraud is involved, call the police (110) or the anti-fraud hotline 96110.
            Our human agents work 9:00–21:00, so your ticket T20261127-0001 is flagged urgent and a colleague will call you back first thing after 9:00.
            """])
    }

    func testDistressAfterHoursTextIsExact() {
        XCTAssertEqual(run(["我想一了百了"], at: night).replies, ["""
            请拨打 24 小时心理援助热线 400-161-9995，现在就可以打，白天晚上都有人接听；如果您现在有危险，请立即拨打 120 或 110。
            谢谢您愿意告诉我们，您并不孤单，您的安全最重要。如果可以，请联系一位您信任的家人或朋友，请他们现在陪着您。
            如果想今晚就和我们的同事说说话，可以拨打 24 小时值班热线 400-600-8888。您的工单 T20261127-0001 已加急登记，早上 9:00 人工服务开始后同事会第一时间联系您。钱的事和其他事情都可以之后慢慢处理，今晚不需要处理任何事。
            """])
        XCTAssertEqual(run(["life isn't worth living"], at: night).replies, ["""
            Please call the 24-hour psychological assistance hotline 400-161-9995; you can call it right now, day or night. If you are in danger, call 120 or 110 right away.
            Thank you for telling us. You are not alone, and your safety matters most. If you can, reach out to someone you trust, a family member or a friend, and ask them to stay with you now.
            If you'd like to talk to one of our team tonight, our 24-hour duty line is 400-600-8888. Your ticket T20261127-0001 is flagged urgent, and a colleague will contact you first thing when service opens at 9:00. Money matters and everything else can wait; nothing needs to be settled tonight.
            """])
    }

    /// Distress after a fraud report is a second urgent ticket that names the first; the same reason again,
    /// or a less urgent one, only reminds the customer of the open ticket.
    func testSecondUrgentReasonGetsItsOwnTicket() {
        let result = run(["我的卡被盗刷了", "我不想活了", "我不想活了", "我要投诉"], at: night)
        XCTAssertEqual(result.tickets.map(\.reason), ["security-incident", "distress"])
        XCTAssertEqual(result.tickets.map(\.id), ["T20261127-0001", "T20261127-0002"])
        XCTAssertTrue(result.tickets[1].summary.contains("earlier tickets in this conversation: T20261127-0001 security-incident (urgent)"), result.tickets[1].summary)
        XCTAssertTrue(result.tickets[1].lastTurns.contains { $0.contains("盗刷") })
        XCTAssertTrue(result.replies[1].hasPrefix("请拨打 24 小时心理援助热线"), result.replies[1])
        XCTAssertTrue(result.replies[2].contains("T20261127-0002"), result.replies[2])
        XCTAssertTrue(result.replies[3].contains("T20261127-0002"), result.replies[3])
        XCTAssertEqual(result.state.handoff.tickets.map(\.reason), ["security-incident", "distress"])
    }

    /// A ticket the store renumbered (another shell took its number) is named by its stored number from
    /// then on: in the reminder and in the next ticket's summary.
    func testARenumberedTicketIsNamedByItsStoredNumber() {
        var result = run(["我的卡被盗刷了"], at: night)
        result.state.renumberTicket("T20261127-0001", to: "T20261127-0007")
        XCTAssertEqual(result.state.handoff.ticket?.id, "T20261127-0007")
        let reminder = engine.handle("我的卡被盗刷了", in: result.state, at: night)!
        XCTAssertTrue(reminder.record.reply.contains("T20261127-0007"), reminder.record.reply)
        let next = engine.handle("我不想活了", in: reminder.state, at: night)!
        let ticket = next.effects.compactMap { if case .ticket(let t) = $0 { return t } else { return nil } }.first
        XCTAssertTrue(ticket?.summary.contains("T20261127-0007 security-incident") ?? false, ticket?.summary ?? "no ticket")
    }

    /// A line typed in traditional characters is read in simplified ones (`ChineseScript`: 盜刷 as 盗刷, the keyword) and
    /// kept as typed: in the turn's record and on the ticket.
    func testATraditionalLineEscalatesAndIsKeptAsTyped() {
        let result = engine.handle("我的卡被盜刷了", in: DialogueState(), at: night)!
        let ticket = result.effects.compactMap { if case .ticket(let t) = $0 { return t } else { return nil } }.first
        XCTAssertEqual(ticket?.reason, "security-incident")
        XCTAssertEqual(result.record.input, "我的卡被盜刷了")
        XCTAssertTrue(ticket?.lastTurns.contains { $0.contains("我的卡被盜刷了") } ?? false, "\(ticket?.lastTurns ?? [])")
    }

    func testMoreUrgentReasonGetsItsOwnTicket() {
        let result = run(["转人工", "我要投诉你们", "转人工"])
        XCTAssertEqual(result.tickets.map(\.reason), ["explicit-request", "complaint"])
    }

    /// A declined product and one shown just before a large-amount handoff stay on the ticket.
    func testTicketKeepsEveryProductDiscussed() {
        let declined = run(Self.toRecommendation + ["不用了，风险太大", "怕亏本金", "还是不要了", "转人工"])
        XCTAssertEqual(declined.tickets.count, 1)
        let shown = declined.state.history.productsDiscussed
        XCTAssertFalse(shown.isEmpty)
        XCTAssertTrue(declined.tickets[0].summary.contains("products discussed: " + shown.joined(separator: ", ")), declined.tickets[0].summary)
        let named = run(["零钱通怎么赎回", "我的零钱通被盗刷了"])
        XCTAssertTrue(named.tickets.first?.summary.contains("cash-plus") ?? false, named.tickets.first?.summary ?? "no ticket")
        let large = run(["我35岁，月薪两万，想投10万，一年内可能要用", "上班", "稳健存钱", "亏10%以内可以", "买过基金", "算了，我想投80万"])
        XCTAssertEqual(large.tickets.map(\.reason), ["large-amount"])
        XCTAssertTrue(large.tickets[0].summary.contains("products discussed: "), large.tickets[0].summary)
    }

    /// A large withdrawal or transfer outside advice is handed over; an income or a phone number is not an amount to move.
    func testLargeAmountOutsideAdvice() {
        XCTAssertEqual(run(["我要提现60万"]).tickets.map(\.reason), ["large-amount"])
        XCTAssertEqual(run(["I want to transfer 800,000 yuan to my bank card"]).tickets.map(\.reason), ["large-amount"])
        XCTAssertTrue(run(["我要提现60万"]).tickets.first?.summary.contains("amount mentioned: ¥600000") ?? false)
        XCTAssertEqual(run(["我年薪60万，提现多久到账"]).tickets.count, 0)
        XCTAssertEqual(run(["转账到13800138000"]).tickets.count, 0)
        XCTAssertEqual(run(["我要提现5万"]).tickets.count, 0)
    }
}
