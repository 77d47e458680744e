import XCTest
@testable import KefuKit

/// Traditional characters are read as simplified (`ChineseScript`): "欠債還不起，活著還有什麼意義" was no escalation.
final class ChineseScriptTests: XCTestCase {
    func testTraditionalBecomesSimplified() {
        let rows: [(text: String, simplified: String, line: UInt)] = [
            ("欠債還不起，活著還有什麼意義", "欠债还不起，活着还有什么意义", #line),
            ("帳戶被盜用，有陌生人轉帳出去", "账户被盗用，有陌生人转账出去", #line),
            ("提現幾天到帳？", "提现几天到账？", #line),
            // Simplified text, Cantonese words the table does not hold (冇, 佢, 喇), English and emoji are kept as typed.
            ("我想理财，一年内可能要用", "我想理财，一年内可能要用", #line),
            ("佢話冇得救喇", "佢话冇得救喇", #line),
            ("my account was hacked 😭", "my account was hacked 😭", #line),
        ]
        for row in rows {
            XCTAssertEqual(ChineseScript.simplified(row.text), row.simplified, row.text, line: row.line)
            XCTAssertEqual(ChineseScript.simplified(row.simplified), row.simplified, "idempotent", line: row.line)
        }
    }

    /// No simplified form is itself a traditional one in the table (薴 → 苎, not 苧 then 苎), and 參, a cheque numeral
    /// (參萬元), is left to the number grammar.
    func testTheTableHasNoChains() {
        let ideographs = Array(ChineseScript.pairs.unicodeScalars.filter { $0.properties.isIdeographic })
        let traditional = Set(stride(from: 0, to: ideographs.count, by: 2).map { ideographs[$0] })
        XCTAssertEqual(ideographs.count % 2, 0)
        for scalar in traditional {
            guard let simple = ChineseScript.simplified(scalar) else { XCTFail("\(scalar) not in the table"); continue }
            XCTAssertFalse(traditional.contains(simple), "\(scalar) → \(simple) is a key too")
        }
        XCTAssertNil(ChineseScript.simplified("參" as Unicode.Scalar))
    }

    /// The matcher's normaliser reads the same way, so examples and customer lines meet in one script.
    func testTheNormaliserFoldsTraditionalToo() {
        XCTAssertEqual(TextNormalizer().normalize("帳戶被盜用"), TextNormalizer().normalize("账户被盗用"))
    }
}
