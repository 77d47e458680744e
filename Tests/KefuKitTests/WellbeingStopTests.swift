import KefuKit
import KefuTestSupport
import XCTest

/// After a crisis no product and no loan, after "I can't repay" no new credit, for the rest of the conversation,
/// whatever the customer asks and however (rules with `stops:` in escalation.txt).
final class WellbeingStopTests: XCTestCase {
    let engine = Fixtures.fixtureEngine
    var messages: MessageCatalog { engine.messages }

    func run(_ lines: [String]) -> [TurnRecord] { engine.records(of: lines) }

    /// Debt despair the reader reads surer as hardship than as crisis takes the hardship path, not the hotline.
    func testDebtDespairWithoutACrisisSignIsHardship() {
        for line in ["我失业了，下个月的分期肯定还不了", "I lost my job and there's no way I can make next month's payment",
                     "I can't keep up with my repayments anymore"] {
            let record = run([line])[0]
            XCTAssertTrue(record.events.contains { ($0.detail ?? "").hasPrefix("hardship") }, "\(line): \(record.events)")
        }
        // A crisis sign keeps it a crisis.
        XCTAssertTrue(run(["欠了网贷十几万…真的觉得撑不住了"])[0].events.contains { $0.detail == "distress:urgent" })
    }

    func testNoNewCreditAfterHardship() {
        for (opening, wishes, language) in [("这个月实在还不上了，失业了", ["我想借2万", "那能不能再借我一笔", "有什么理财推荐"], Language.zh),
                                            ("I'm drowning in repayments, lost my job", ["I want to borrow 20k", "/recommend loan"], .en)] {
            let records = run([opening] + wishes)
            XCTAssertTrue(records[0].events.contains { $0.kind == .escalation && ($0.detail ?? "").hasPrefix("hardship") }, opening)
            for record in records.dropFirst() {
                XCTAssertFalse(record.events.contains { [.adviceStarted, .recommendationShown].contains($0.kind) }, record.input)
                XCTAssertFalse(record.reply.contains("随心借") || record.reply.contains("Flex Loan"), "no loan named: \(record.reply)")
            }
            XCTAssertTrue(records.contains { $0.reply == messages.text(.creditAfterHardship, language) }, "\(records.map(\.reply))")
        }
    }

    /// After "I can't repay", a sure wish to borrow more is declined whatever FAQ answer it finds ("can I borrow another
    /// 10k to cover this month?" reads as the hardship entry), while questions about the loan already there are answered.
    func testAfterHardshipMoreCreditIsDeclinedAndRepaymentQuestionsAnswered() {
        let opening = "I'm drowning in repayments, lost my job last month"
        let declined = run([opening, "can I borrow another 10k to cover this month?"])[1]
        XCTAssertEqual(declined.reply, messages.text(.creditAfterHardship, .en))
        for question in ["can i pay it all off now?", "how do I ask for an extension on my repayment?", "能不能申请延期还款"] {
            let record = run([opening, question])[1]
            XCTAssertNotEqual(record.reply, messages.text(.creditAfterHardship, .en), question)
            XCTAssertNotEqual(record.reply, messages.text(.creditAfterHardship, .zh), question)
            XCTAssertFalse(record.events.contains { [.adviceStarted, .recommendationShown].contains($0.kind) }, question)
        }
        XCTAssertEqual(run([opening, "can i pay it all off now?"])[1].matchedID, "loan-early-repayment")
    }

    /// Mid-profile, a crisis ends the profile; later profile answers, product questions and loan wishes get
    /// warmth and the hotline, never a question of the profile, a product, a menu or "not understood".
    func testNothingIsSoldAfterACrisis() {
        let records = run(["我想买点理财", "45", "欠的钱这辈子都还不完了，家里人没有我会过得更好", "月入一万", "有什么理财推荐", "我想借两万", "/recommend"])
        XCTAssertTrue(records[2].events.contains { $0.detail == "distress:urgent" }, records[2].reply)
        for record in records.dropFirst(3) {
            XCTAssertEqual(record.reply, messages.text(.sellingAfterCrisis, .zh), record.input)
            XCTAssertFalse(record.events.contains { [.notUnderstood, .clarificationOffered, .adviceStarted].contains($0.kind) }, record.input)
        }
        // Answers that would offer credit or products, and cheerful small talk, are withheld too (`withholds:`).
        let after = run(["I'm thinking about ending things tonight", "how do I apply for a loan", "what's the most I can borrow",
                         "show me your investment products", "thanks", "bye"])
        for record in after.dropFirst() { XCTAssertEqual(record.reply, messages.text(.sellingAfterCrisis, .en), record.input) }
        let hardship = run(["我这个月还不上了", "怎么申请借款", "我的额度还有多少"])
        for record in hardship.dropFirst() { XCTAssertEqual(record.reply, messages.text(.creditAfterHardship, .zh), record.input) }
        // A plain question is still answered.
        let question = run(["I can't pay any of it back, I just want it all to end", "how long does a withdrawal take?"])
        XCTAssertEqual(question[1].matchedID, "withdraw-time")
    }
}
