import KefuKit
import XCTest

final class LanguageTests: XCTestCase {
    let normalizer = TextNormalizer()

    func testNormalisation() {
        XCTAssertEqual(normalizer.normalize("ＡＢＣ１２３，Hello！！"), "abc123 hello")
        XCTAssertEqual(normalizer.normalize("提现多久到账？？？"), "提现多久到账")
        XCTAssertEqual(normalizer.normalize("soooo   slow"), "soo slow")
        XCTAssertEqual(normalizer.normalize("好好好好好"), "好好")
        XCTAssertEqual(normalizer.normalize("What's\u{200B}  the fee?"), "whats the fee")
        XCTAssertEqual(normalizer.normalize("我的cash plus收益"), "我的cash plus收益")
        XCTAssertEqual(normalizer.normalize("100000"), "100000")
        XCTAssertEqual(normalizer.normalize("\u{3000}全角　空格\u{3000}"), "全角 空格")
    }

    func testSynonymsRewriteChineseAnywhereAndEnglishWholeWords() {
        let table = SynonymTable(groups: [["提现", "取钱", "转出"], ["withdraw", "cash out", "take out"], ["fee", "fees"]])
        let rewriter = SynonymRewriter(table)
        XCTAssertEqual(rewriter.rewrite("我想取钱"), "我想提现")
        XCTAssertEqual(rewriter.rewrite("how do i cash out fast"), "how do i withdraw fast")
        XCTAssertEqual(rewriter.rewrite("any fees"), "any fee")
        XCTAssertEqual(rewriter.rewrite("feedback"), "feedback", "English synonyms match whole words only")
        XCTAssertEqual(rewriter.rewrite("takeout"), "takeout")
    }

    func testFeaturesCoverBothLanguagesAndTypos() {
        let extractor = FeatureExtractor()
        let correct = extractor.features("withdrawal")
        let typo = extractor.features("withdrawl")
        let shared = Set(correct.keys).intersection(typo.keys)
        XCTAssertGreaterThan(shared.count, 3, "character n-grams make typos overlap")
        let chinese = extractor.features("提现到账")
        // 4 unigrams + 3 bigrams + 2 trigrams
        XCTAssertEqual(chinese.count, 9)
        let mixed = extractor.features("cash plus 收益")
        XCTAssertGreaterThan(mixed.count, 5)
        XCTAssertEqual(extractor.features("提现").keys.sorted(), FeatureExtractor().features("提现").keys.sorted(), "hashing is stable")
    }

    func testLanguageDetection() {
        let detector = LanguageDetector()
        XCTAssertEqual(detector.detect("提现多久到账"), .zh)
        XCTAssertEqual(detector.detect("How long does a withdrawal take?"), .en)
        XCTAssertEqual(detector.detect("我想买ETF"), .zh)
        XCTAssertEqual(detector.detect("what is 零钱通"), .zh, "a customer who types Chinese reads it")
        XCTAssertEqual(detector.detect("how do I open a 零钱通 account"), .en)
        XCTAssertEqual(detector.detect("app 怎么 unbind 卡"), .zh)
        XCTAssertEqual(detector.detect("零钱通 cash plus 是什么"), .zh)
        XCTAssertNil(detector.detect("2"))
        XCTAssertNil(detector.detect("？？"))
    }

    func testChoiceParsing() {
        let parser = ChoiceParser()
        XCTAssertEqual(parser.parse("2"), 2)
        XCTAssertEqual(parser.parse("２"), 2)
        XCTAssertEqual(parser.parse("第二个"), 2)
        XCTAssertEqual(parser.parse("选1"), 1)
        XCTAssertEqual(parser.parse("the first one"), 1)
        XCTAssertEqual(parser.parse("option 3"), 3)
        XCTAssertEqual(parser.parse("second"), 2)
        XCTAssertNil(parser.parse("提现要2天吗"))
        XCTAssertNil(parser.parse("I want 2 loans"))
        XCTAssertNil(parser.parse("hello"))
    }

    func testComplianceChecker() {
        let checker = ComplianceChecker()
        XCTAssertEqual(checker.violations(in: "稳赚不赔的好产品").map(\.phrase), ["稳赚不赔"])
        XCTAssertEqual(checker.violations(in: "This is Risk-Free!").map(\.phrase), ["risk-free"])
        XCTAssertEqual(checker.violations(in: "You can’t lose").map(\.phrase), ["can't lose"])
        XCTAssertTrue(checker.isCompliant("历史年化 1.5%–2.5%，过往业绩不代表未来表现，投资有风险。"))
    }
}
