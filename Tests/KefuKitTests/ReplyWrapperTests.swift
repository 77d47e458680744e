import KefuKit
import XCTest

/// Replies wrapped by display width (issue 19): where a row may end, and how wide things are.
final class ReplyWrapperTests: XCTestCase {
    struct Case {
        var text: String
        var columns: Int
        var protected: [String] = []
        var rows: [String]
        var line: UInt
    }

    func check(_ cases: [Case], file: StaticString = #filePath) {
        for c in cases {
            let rows = ReplyWrapper(columns: c.columns, protectedPhrases: c.protected).rows(of: c.text)
            XCTAssertEqual(rows, c.rows, "“\(c.text)” at \(c.columns)", file: file, line: c.line)
            for row in rows where c.columns >= 8 {
                XCTAssertLessThanOrEqual(DisplayWidth.of(row), c.columns, "“\(row)” is too wide", file: file, line: c.line)
            }
        }
    }

    func testDisplayWidthCountsWideCharactersTwiceAndMarksNever() {
        XCTAssertEqual(DisplayWidth.of("提现ab"), 6)
        XCTAssertEqual(DisplayWidth.of("，。（）"), 8, "full-width punctuation")
        XCTAssertEqual(DisplayWidth.of("ＡＢ"), 4, "full-width Latin letters")
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent takes no column")
        XCTAssertEqual(DisplayWidth.of("한국"), 4)
        XCTAssertEqual(DisplayWidth.of("👍"), 2)
        XCTAssertEqual(DisplayWidth.of("¥5,000 · 3.5%"), 13)
    }

    func testRowsEndWhereChineseAndEnglishTypesettingAllow() {
        check([
            // Short enough: untouched.
            Case(text: "提现多久到账？", columns: 20, rows: ["提现多久到账？"], line: #line),
            // Between Chinese characters; the full stop is never first on a row.
            Case(text: "快速转出一般几分钟内到账。", columns: 12, rows: ["快速转出一般", "几分钟内到", "账。"], line: #line),
            Case(text: "快速转出一般几分钟内到账。", columns: 24, rows: ["快速转出一般几分钟内到", "账。"], line: #line),
            // English breaks at spaces, which are dropped there; words are never cut.
            Case(text: "Cash Plus starts from ¥1 and Fixed Term from ¥1,000.", columns: 20,
                 rows: ["Cash Plus starts", "from ¥1 and Fixed", "Term from ¥1,000."], line: #line),
            // A number, a percentage, a ticket id stay whole, even next to Chinese.
            Case(text: "工单号T20261206-0003，预计等待5分钟", columns: 16, rows: ["工单号", "T20261206-0003，", "预计等待5分钟"], line: #line),
            Case(text: "历史年化收益2.35%-3.10%，不代表未来", columns: 20, rows: ["历史年化收益", "2.35%-3.10%，不代表", "未来"], line: #line),
            // Opening brackets never end a row.
            Case(text: "完成实名认证（身份证+人脸识别）就能绑卡", columns: 14, rows: ["完成实名认证", "（身份证+人脸", "识别）就能绑卡"], line: #line),
            // A product name is never broken, in either language.
            Case(text: "推荐您看看稳健理财90天，风险等级R2", columns: 14, protected: ["稳健理财90天"],
                 rows: ["推荐您看看", "稳健理财90天，", "风险等级R2"], line: #line),
            // Unprotected, "Education" would end the first row at 44 columns.
            Case(text: "most funds start from ¥100 and the Education Savings Plan from ¥200", columns: 44,
                 rows: ["most funds start from ¥100 and the Education", "Savings Plan from ¥200"], line: #line),
            Case(text: "most funds start from ¥100 and the Education Savings Plan from ¥200", columns: 44, protected: ["Education Savings Plan"],
                 rows: ["most funds start from ¥100 and the", "Education Savings Plan from ¥200"], line: #line),
            // Where two names start at the same place, the longer is kept whole.
            Case(text: "买入稳健理财90天增强版", columns: 20, protected: ["稳健理财", "稳健理财90天增强版"],
                 rows: ["买入", "稳健理财90天增强版"], line: #line),
            // Edge cases: nothing, spaces only, a tiny terminal, a piece wider than a row after a hanging indent.
            Case(text: "", columns: 20, rows: [""], line: #line),
            Case(text: "          ", columns: 8, rows: [""], line: #line),
            // Under 8 columns nothing is wrapped: the terminal's own wrapping is all that is left to do.
            Case(text: "一二三四五六七八九十", columns: 6, rows: ["一二三四五六七八九十"], line: #line),
            Case(text: "- see https://example.com/a-long-path", columns: 16,
                 rows: ["- see", "  https://exampl", "  e.com/a-long-p", "  ath"], line: #line),
            // Not list markers: an amount or a figure at the start.
            Case(text: "3.5% is the highest rate in the last year", columns: 20,
                 rows: ["3.5% is the highest", "rate in the last", "year"], line: #line),
            Case(text: "-5% was the worst month for the fund", columns: 20,
                 rows: ["-5% was the worst", "month for the fund"], line: #line),
            Case(text: "2、赎回后资金一般一个交易日到账", columns: 16,
                 rows: ["2、赎回后资金一", "   般一个交易日", "   到账"], line: #line),
            // Only a piece wider than a whole row is cut.
            Case(text: "see https://example.com/a-very-long-path-indeed", columns: 20,
                 rows: ["see", "https://example.com/", "a-very-long-path-ind", "eed"], line: #line),
            // A list item continues under its text.
            Case(text: "1) 稳健理财90天：历史年化2%–3%，随时可赎回", columns: 20,
                 rows: ["1) 稳健理财90天：历", "   史年化2%–3%，随时", "   可赎回"], line: #line),
            Case(text: "- a fund that invests in bonds, medium-low risk", columns: 24,
                 rows: ["- a fund that invests in", "  bonds, medium-low risk"], line: #line),
        ])
    }

    func testFormattedRepliesIndentEveryRowAfterTheFirst() {
        let wrapper = ReplyWrapper(columns: 14)
        let text = Transcript.formatReply("快速转出一般几分钟内到账，普通转出下一个交易日到账。\n有问题随时问我。", wrappedBy: wrapper)
        XCTAssertEqual(text, """
        kefu> 快速转出一般几
              分钟内到账，普
              通转出下一个交
              易日到账。
              有问题随时问
              我。
        """)
        XCTAssertEqual(Transcript.formatReply("a\nb", wrappedBy: nil), Transcript.formatReply("a\nb"), "no terminal, no wrapping")
    }
}
