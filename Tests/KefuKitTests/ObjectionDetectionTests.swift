import KefuKit
import KefuTestSupport
import XCTest

/// Objection detection on phrasings that are NOT in the knowledge files (a held-out set): each must be
/// taken as a "no" with the right script, and a bare refusal must get the neutral script, never a guessed reason.
final class ObjectionDetectionTests: XCTestCase {
    let engine = Fixtures.fixtureEngine

    /// A customer just shown an investment (C3) or a loan recommendation.
    func recommended(loan: Bool) -> DialogueState {
        let lines = loan ? ["我35岁，上班族，月入两万，想借5万", "一年"] : ["我35岁，月薪两万，想投10万，一年内可能要用", "上班", "稳健存钱", "亏10%以内可以", "买过基金"]
        var state = DialogueState()
        for line in lines { state = engine.handle(line, in: state)!.state }
        XCTAssertEqual(state.phase, .recommended, "setup: \(lines)")
        return state
    }

    static let heldOut: [(script: String, loan: Bool, lines: [String])] = [
        ("no-money", false, ["手头紧", "最近缺钱", "这个月钱不够花", "我现在没什么积蓄", "I'm short on cash", "can't spare any money right now"]),
        ("returns-too-low", false, ["利息也太少了吧", "这收益跟没有一样", "才赚这么点", "the interest is tiny", "that return is nothing", "why is the return so small"]),
        ("distrust-platform", false, ["网上理财不靠谱", "怕你们平台跑路", "我不相信网络平台", "I don't trust online platforms", "what if your company goes bust", "internet finance is sketchy"]),
        ("too-risky", false, ["太冒险了我不敢", "我怕亏钱", "风险这么高不行", "that's too much risk", "I'm afraid of losing money", "seems dangerous to me"]),
        ("think-about-it", false, ["我再想想", "回头再说", "让我考虑考虑", "let me think about it", "I'll get back to you", "I need some time to decide"]),
        ("ask-family", false, ["我得问问老公", "回家跟家里人商量一下", "要跟我妈说一声", "I need to check with my wife", "let me talk to my family first", "my husband decides these things"]),
        ("bank-elsewhere", false, ["我在银行有理财了", "我都在招行存钱", "已经有别家的了", "I already have savings with my bank", "I use another app for this", "my money is with ICBC"]),
        ("interest-too-high", true, ["利息太贵了", "借款利率太高", "这利息吓人", "the APR is too high", "your interest rate is crazy", "borrowing here is too expensive"]),
        ("dont-need-it", false, ["我用不着", "我不缺这个", "暂时用不上", "I don't need this", "I have no use for it", "I'm good, don't need anything"]),
        ("bad-experience", false, ["以前被割过韭菜", "之前买理财亏惨了", "被坑过一回", "a similar app let me down badly", "I lost money on funds before", "last time I invested it went badly"]),
        (ObjectionScript.neutralID, false, ["不要", "算了", "不用了谢谢", "no thanks", "I'll pass", "not interested"]),
    ]

    func testHeldOutPhrasingsAreDetectedWithTheRightScript() {
        let invest = recommended(loan: false), loan = recommended(loan: true)
        var right = 0, total = 0
        var misses: [String] = []
        for (script, isLoan, lines) in ObjectionDetectionTests.heldOut {
            for line in lines {
                total += 1
                let turn = engine.handle(line, in: isLoan ? loan : invest)!
                let raised = turn.record.events.first { $0.kind == .objectionRaised }?.detail
                if raised == script { right += 1 } else { misses.append("\(line) -> \(raised ?? turn.record.state)") }
                if turn.record.events.contains(where: { $0.kind == .notUnderstood }) {
                    // Missed entirely: saying no again is then taken as a no, never a second "not understood".
                    let again = engine.handle(line.contains(where: \.isASCII) ? "I said no" : "我说了不要", in: turn.state)!.record
                    XCTAssertTrue(again.events.contains { $0.kind == .objectionRaised }, "'\(line)', then no again: \(again.events.map(\.kind))")
                }
            }
        }
        print("objection detection: \(right)/\(total); misses: \(misses)")
        XCTAssertGreaterThanOrEqual(Double(right) / Double(total), 0.85, "misses: \(misses)")
    }

    /// A bare refusal never gets a guessed reason's script.
    func testBareRefusalsGetTheNeutralScript() {
        let state = recommended(loan: false)
        for line in ["no thanks", "I'll pass", "算了", "不要", "nope", "不用了"] {
            let raised = engine.handle(line, in: state)!.record.events.first { $0.kind == .objectionRaised }?.detail
            XCTAssertEqual(raised, ObjectionScript.neutralID, line)
        }
    }

    /// English refusal phrases are whole words: "no" is not in "now", "know" or "snow" (table-driven, the caller's line).
    func testEnglishRefusalPhrasesAreWholeWords() {
        let phrases = Fixtures.fixture.knowledge.phrases
        let cases: [(line: UInt, text: String, refuses: Bool)] = [
            (#line, "no thanks", true), (#line, "nah, not for me", true), (#line, "no, too risky", true), (#line, "不要了", true),
            (#line, "算了吧", true), (#line, "Can I just pay now?", false), (#line, "I know the risks", false),
            (#line, "snow day today, can I still withdraw?", false), (#line, "nowhere in the app shows my balance", false),
        ]
        for (line, text, refuses) in cases {
            XCTAssertEqual(phrases.isRefusal(text), refuses, text, line: line)
        }
    }
}
