import KefuKit
import KefuTestSupport
import XCTest

/// Goal fit, "nothing fits" explanations and the language of `/profile`.
final class RecommendationFitTests: XCTestCase {
    let engine = Fixtures.fixtureEngine
    let catalog = Fixtures.fixture.knowledge.products

    func run(_ lines: [String]) -> [TurnRecord] { engine.records(of: lines) }

    /// Every recommended product is made for the customer's goal; fewer than three is fine.
    func testProductsFromAnotherGoalDoNotFillTheList() {
        let cases: [(String, String)] = [
            ("我58岁，上班族，月入8000，想投10万，为养老做准备，三年以上不用，最多亏10%，买过基金", "retirement"),
            ("I'm 30, office worker, earn 15k a month, want to invest 50k for growth, 5 years, can accept 20% loss, some experience", "growth"),
            ("我30岁，上班族，月入一万，想投5万，两年不用，最多亏10%，买过基金，想稳健存钱", "saving"),
        ]
        for (line, goal) in cases {
            let record = run([line]).last!
            let ids = record.recommendation?.products.map(\.id) ?? []
            XCTAssertFalse(ids.isEmpty, line)
            XCTAssertFalse(ids.contains("education-plan"), "\(line): \(ids)")
            for id in ids { XCTAssertTrue(catalog.product(id: id)!.goals.contains(goal), "\(id) is not made for \(goal)") }
            XCTAssertFalse(record.reply.contains("孩子") || record.reply.contains("child"), record.reply)
        }
    }

    /// No product made for the goal suits (a 70-year-old saving for retirement): suitable products by
    /// horizon, with a note saying so.
    func testNoProductForTheGoalIsSaid() {
        let record = run(["我70岁，退休了，月入5000，想投5万，为养老，三年以上，最多亏10%，买过基金"]).last!
        XCTAssertTrue(record.reply.contains("没有专为“养老”设计"), record.reply)
        XCTAssertFalse(record.recommendation?.products.isEmpty ?? true)
    }

    /// "Nothing fits" names each product's deciding rule with the customer's own figure, and does not
    /// suggest a product that was itself ruled out.
    func testNothingFitsSaysWhyPerProduct() {
        let small = run(["我想借50块钱", "30", "上班族", "月入8000", "一年"]).last!
        XCTAssertEqual(small.recommendation?.products, [])
        XCTAssertTrue(small.reply.contains("起借金额高于您需要的 50 元：随心借 1000 元起"), small.reply)
        XCTAssertTrue(small.reply.contains("不面向上班族：商户贷"), small.reply)
        let old = run(["I need to borrow 20k", "62", "retired", "5000 a month", "12 months"]).last!
        XCTAssertTrue(old.reply.contains("outside the age range (you are 62): Flex Loan ages 22–55, Merchant Loan ages 22–60"), old.reply)
        for record in [small, old] {
            XCTAssertFalse(record.reply.contains("零钱通") || record.reply.contains("Cash Plus"), record.reply)
        }
    }

    func testProfileRulesInTheConversationLanguage() {
        let zh = run(["我35岁，月薪两万，想投10万，一年内可能要用，上班族，稳健存钱，亏10%以内，买过基金", "/profile"]).last!.reply
        XCTAssertTrue(zh.contains("年龄 35 岁 → +5 分（suitability.txt 第"), zh)
        XCTAssertFalse(zh.contains("age 35") || zh.contains("experience some"), zh)
        let en = run(["I'm 35, earn 20k a month, want to invest 100k, may need it within a year, office worker, steady saving, up to 10% loss, bought funds before", "/profile"]).last!.reply
        XCTAssertTrue(en.contains("age 35: +5"), en)
        XCTAssertFalse(en.contains("年龄"), en)
    }
}
