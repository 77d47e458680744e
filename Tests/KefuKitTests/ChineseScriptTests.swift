import XCTest
@testable import KefuKit

/// Traditional characters are read as simplified (`ChineseScript`): "欠債還不起，活著還有什麼意義" was no escalation.
final class ChineseScriptTests: XCTestCase {
    func testTraditionalBecomesSimplified() {
        let rows: [(text: String, simplified: String, line: UInt)] = [
            ("欠債還不起，活著還有什麼意義", "欠债还不起，活着还有什么意义", #line),
            ("帳戶被盜用，有陌生人轉帳出去", "账户被盗用，有陌生人转账出去", #line),
            ("提現幾天到帳？", "提现几天到账？", #line),
            // Simplified text, Cantonese words, English and emoji are kept as typed.
            ("我想理财，一年内可能要用", "我想理财，一年内可能要用", #line),
            ("佢話冇得救喇", "佢话冇得救喇", #line),
            ("my account was hacked 😭", "my account was hacked 😭", #line),
        ]
        for row in rows {
            XCTAssertEqual(ChineseScript.simplified(row.text), row.simplified, row.text, line: row.line)
            XCTAssertEqual(ChineseScript.simplified(row.simplified), row.simplified, "idempotent", line: row.line)
        }
    }

    /// The matcher's normaliser reads the same way, so examples and customer lines meet in one script.
    func testTheNormaliserFoldsTraditionalToo() {
        XCTAssertEqual(TextNormalizer().normalize("帳戶被盜用"), TextNormalizer().normalize("账户被盗用"))
    }
}
