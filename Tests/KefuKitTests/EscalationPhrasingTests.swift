import KefuKit
import KefuTestSupport
import XCTest

/// The urgent rules on many real phrasings, through the whole engine: each line must give an urgent ticket for
/// its rule at once, and prevention questions must be answered without any escalation. None of these lines is
/// a `q.*` example in escalation.txt except the audit's own cases, so they test the keywords, not the examples.
final class EscalationPhrasingTests: XCTestCase {
    let engine = Fixtures.engine

    static let distressZH = [
        "我真的撑不下去了", "我想一了百了", "欠了这么多债，我不想活了", "活着太累了，真想死了算了", "我已经写好了遗书",
        "网贷逾期家里也知道了，我想去死", "每天被催收，我熬不下去了", "我在楼顶，想跳楼", "买了一瓶安眠药", "不如死了干净",
        "想离开这个世界了", "晚上总想着结束自己", "想喝农药一了百了", "活着没意思，钱也还不上", "真的没法活了，谁也帮不了我",
        "我想自杀，你们别再打电话了",
    ]
    static let distressEN = [
        "life isn't worth living", "life isnt worth living anymore", "honestly life is not worth living with this debt",
        "I can't take it anymore", "everyone would be better off without me", "I wish I was dead", "i dont want to be alive",
        "I don't want to be here anymore", "there's no point in living", "I'm thinking about suicide", "I want to end my life tonight",
        "i've got sleeping pills and i'm done", "I might hurt myself", "I just want to die", "i'm giving up on life",
        "i want to kill myself over this loan",
    ]
    static let securityZH = [
        "被人骗了两万", "卡被人刷了", "账户被人盗用了", "有人冒充我借钱", "我的卡被盗刷了", "刚被骗走三万块",
        "有人用我的身份证借了款", "有人以我的名义开了借款", "我没借过钱怎么有一笔欠款", "这笔消费不是我刷的",
        "账号被人登录了还改了密码", "有一笔不明交易", "手机被偷了，里面有你们的 App", "我上当受骗了，转了五千给对方",
        "零钱通里的钱被转走了", "我被诈骗了怎么办",
    ]
    static let securityEN = [
        "there are charges I don't recognize", "charges i dont recognize on my card", "someone took over my account",
        "someone took out a loan in my name without asking me", "someone is pretending to be me to borrow money",
        "my identity was stolen", "there's an unauthorized payment", "my account got hacked last night",
        "someone got into my account", "I got scammed out of 20k", "my card was skimmed at an ATM", "I was conned by a fake adviser",
        "money was taken without my permission", "someone is using my account", "I think I'm a victim of a scam",
        "an unrecognised transaction on my statement",
    ]
    /// Prevention questions and everyday exaggerations: answered or not understood, never escalated.
    static let safe = [
        "怎么防止被骗？", "怎样才能不被骗子骗", "怎么才能不被人骗", "如何防止账户被盗用", "怎么防止卡被盗刷", "有人冒充我们平台发短信，是真的吗",
        "今天加班累死了", "死期存款利率多少", "how do I avoid being scammed", "how can I protect myself from fraud",
        "how do I keep my account from being hacked", "I don't recognize this number, is it really you calling",
        "the wait is killing me, how long does a withdrawal take", "what happens to my account if I die",
    ]

    func tickets(_ line: String, at moment: Moment = .replayDefault) -> [HandoffTicket] {
        guard let turn = engine.handle(line, in: DialogueState(), at: moment) else { return [] }
        return turn.effects.compactMap { if case .ticket(let t) = $0 { return t } else { return nil } }
    }

    /// `reasons`: the rules any of which is right (a scam is `fraud`, someone else in the account `security-incident`;
    /// a line saying both may be either, both urgent).
    func assertUrgent(_ lines: [String], reasons: Set<String>, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThanOrEqual(lines.count, 15, file: file, line: line)
        for text in lines {
            let found = tickets(text)
            XCTAssertEqual(found.count, 1, "'\(text)'", file: file, line: line)
            XCTAssertTrue(found.first.map { reasons.contains($0.reason) } ?? false, "'\(text)': \(found.map(\.reason))", file: file, line: line)
            XCTAssertEqual(found.first?.priority, .urgent, "'\(text)'", file: file, line: line)
        }
    }

    func testDistressChinese() { assertUrgent(Self.distressZH, reasons: ["distress"]) }
    func testDistressEnglish() { assertUrgent(Self.distressEN, reasons: ["distress"]) }
    func testSecurityChinese() { assertUrgent(Self.securityZH, reasons: ["security-incident", "fraud"]) }
    func testSecurityEnglish() { assertUrgent(Self.securityEN, reasons: ["security-incident", "fraud"]) }

    /// A scam already under way is the fraud rule: stop, freeze, report to 110 / 96110, and a person at once.
    func testScamsAreFraud() {
        for text in ["被人骗了两万", "刚被骗走三万块", "我被诈骗了怎么办", "I got scammed out of 20k", "I was conned by a fake adviser",
                     "有人冒充警察让我转钱到安全账户，我已经转了两万"] {
            XCTAssertEqual(tickets(text).map(\.reason), ["fraud"], "'\(text)'")
        }
    }

    func testPreventionQuestionsAndExaggerationsDoNotEscalate() {
        XCTAssertGreaterThanOrEqual(Self.safe.count, 10)
        for text in Self.safe {
            guard let turn = engine.handle(text, in: DialogueState()) else { return XCTFail("no turn for '\(text)'") }
            XCTAssertFalse(turn.record.events.contains { $0.kind == .escalation }, "'\(text)' escalated: \(turn.record.reply)")
        }
    }

    /// The audit's prevention question still gets the FAQ answer, not a menu and not a ticket.
    func testFraudPreventionIsAnswered() {
        let turn = engine.handle("怎样才能不被骗子骗", in: DialogueState())
        XCTAssertEqual(turn?.record.matchedID, "fraud-prevention")
    }
}
