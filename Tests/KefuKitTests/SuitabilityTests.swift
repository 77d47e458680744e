import KefuKit
import KefuTestSupport
import XCTest

/// Suitability and eligibility, table-driven: each row is a profile with the level the rules in
/// knowledge/suitability.txt give and the products knowledge/products.txt allows. The expectations were
/// computed by an independent implementation of the rules and checked by hand for the caps.
final class SuitabilityTests: XCTestCase {
    struct Row {
        var age: Int, income: Double, occupation: String, goal: String, horizon: Int, loss: String, experience: String, amount: Double
        var intent: InvestorProfile.Intent
        var level: Int
        var allowed: [String]

        init(_ age: Int, _ income: Double, _ occupation: String, _ goal: String, _ horizon: Int, _ loss: String, _ experience: String,
             _ amount: Double, _ intent: InvestorProfile.Intent, level: Int, allowed: [String]) {
            (self.age, self.income, self.occupation, self.goal, self.horizon, self.loss, self.experience, self.amount) = (age, income, occupation, goal, horizon, loss, experience, amount)
            self.intent = intent
            self.level = level
            self.allowed = allowed
        }

        var profile: InvestorProfile {
            var p = InvestorProfile()
            p.intent = intent
            p.age = age
            p.monthlyIncome = income
            p.occupation = occupation
            p.goal = goal
            p.horizonMonths = horizon
            p.lossTolerance = loss
            p.experience = experience
            p.amount = amount
            return p
        }
    }

    static let rows: [Row] = [
        Row(17, 0, "student", "saving", 12, "none", "none", 1000, .invest, level: 1, allowed: []),
        Row(18, 0, "student", "growth", 36, "large", "none", 5000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund"]),
        Row(19, 2000, "student", "liquidity", 0, "small", "none", 2000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund"]),
        Row(20, 0, "student", "borrow", 12, "small", "none", 5000, .loan, level: 2, allowed: []),
        Row(22, 4000, "employed", "saving", 12, "small", "none", 10000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "annuity-insurance", "education-plan"]),
        Row(23, 6000, "employed", "growth", 60, "large", "some", 20000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(25, 8000, "employed", "liquidity", 3, "none", "none", 5000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(26, 12000, "freelancer", "growth", 36, "medium", "some", 50000, .invest, level: 4, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "annuity-insurance", "education-plan"]),
        Row(28, 15000, "employed", "borrow", 12, "small", "none", 20000, .loan, level: 3, allowed: ["flex-loan"]),
        Row(29, 30000, "employed", "growth", 48, "large", "experienced", 200000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(30, 20000, "employed", "retirement", 240, "medium", "some", 30000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(32, 9000, "employed", "education", 72, "small", "some", 20000, .invest, level: 4, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "annuity-insurance", "education-plan"]),
        Row(35, 20000, "employed", "saving", 11, "small", "some", 100000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "annuity-insurance", "education-plan"]),
        Row(35, 20000, "employed", "borrow", 24, "small", "some", 300000, .loan, level: 4, allowed: []),
        Row(36, 50000, "business-owner", "growth", 36, "large", "experienced", 500000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(38, 30000, "business-owner", "borrow", 24, "medium", "some", 300000, .loan, level: 4, allowed: ["merchant-loan"]),
        Row(40, 0, "unemployed", "saving", 6, "none", "none", 10000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(40, 0, "unemployed", "borrow", 12, "none", "none", 10000, .loan, level: 1, allowed: []),
        Row(42, 8000, "employed", "education", 36, "small", "none", 5000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "education-plan"]),
        Row(45, 25000, "employed", "retirement", 120, "medium", "experienced", 100000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(47, 60000, "business-owner", "growth", 60, "large", "experienced", 1000000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "equity-fund", "annuity-insurance", "education-plan"]),
        Row(48, 5000, "freelancer", "liquidity", 1, "small", "some", 3000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "education-plan"]),
        Row(50, 12000, "employed", "saving", 24, "small", "some", 80000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "annuity-insurance", "education-plan"]),
        Row(52, 18000, "employed", "retirement", 60, "medium", "some", 60000, .invest, level: 4, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "index-fund", "annuity-insurance", "education-plan"]),
        Row(54, 7000, "employed", "borrow", 36, "small", "none", 50000, .loan, level: 3, allowed: ["flex-loan"]),
        Row(56, 10000, "employed", "borrow", 12, "small", "none", 20000, .loan, level: 3, allowed: []),
        Row(58, 9000, "business-owner", "borrow", 12, "small", "some", 100000, .loan, level: 3, allowed: ["merchant-loan"]),
        Row(60, 6000, "retired", "saving", 12, "none", "none", 50000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(62, 15000, "employed", "growth", 36, "large", "experienced", 100000, .invest, level: 5, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund", "index-fund", "equity-fund"]),
        Row(64, 4000, "retired", "liquidity", 0, "small", "some", 20000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund"]),
        Row(65, 5000, "retired", "saving", 24, "medium", "experienced", 100000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund"]),
        Row(66, 8000, "retired", "growth", 60, "large", "experienced", 300000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund"]),
        Row(68, 3000, "retired", "borrow", 12, "small", "none", 10000, .loan, level: 2, allowed: []),
        Row(70, 6000, "retired", "retirement", 36, "small", "some", 50000, .invest, level: 3, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund", "balanced-fund", "gold-fund"]),
        Row(72, 0, "retired", "saving", 12, "none", "none", 10000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(75, 5000, "retired", "growth", 60, "large", "experienced", 200000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund"]),
        Row(78, 4000, "retired", "liquidity", 0, "none", "none", 5000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(80, 3000, "retired", "education", 36, "small", "some", 20000, .invest, level: 2, allowed: ["cash-plus", "fixed-term-90", "fixed-term-365", "bond-fund"]),
        Row(85, 2000, "retired", "saving", 6, "none", "none", 1000, .invest, level: 1, allowed: ["cash-plus"]),
        Row(33, 100000, "employed", "growth", 36, "large", "experienced", 50, .invest, level: 5, allowed: ["cash-plus", "index-fund"]),
        Row(27, 7000, "employed", "saving", 12, "small", "none", 500, .invest, level: 3, allowed: ["cash-plus", "bond-fund", "balanced-fund", "gold-fund", "pension-2045", "education-plan"]),
        Row(31, 3000, "employed", "borrow", 6, "small", "none", 40000, .loan, level: 2, allowed: []),
    ]

    var knowledge: KnowledgeBase { Fixtures.shipped.knowledge }

    func testProfileTable() {
        XCTAssertGreaterThanOrEqual(Self.rows.count, 40)
        let recommender = Recommender(catalog: knowledge.products)
        for row in Self.rows {
            let profile = row.profile
            let assessment = knowledge.suitability.assess(profile) { _ in nil }
            XCTAssertEqual(assessment.level, row.level, "level for age \(row.age), income \(row.income), \(row.occupation)")
            let allowed = knowledge.products.products.filter {
                recommender.ineligibility($0, profile: profile, level: assessment.level, assumed: { _ in nil }) == nil
            }.map(\.id)
            XCTAssertEqual(allowed, row.allowed, "allowed products for age \(row.age), \(row.occupation), \(row.intent)")
            let picks = recommender.recommend(profile, level: assessment.level, assumed: { _ in nil }).picks.map(\.id)
            XCTAssertTrue(Set(picks).isSubset(of: Set(row.allowed)))
            XCTAssertEqual(picks.isEmpty, row.allowed.isEmpty)
        }
    }

    func testCapsAreExplained() {
        var profile = Self.rows.first { $0.age == 66 }!.profile
        profile.intent = .invest
        let assessment = knowledge.suitability.assess(profile) { _ in nil }
        XCTAssertEqual(assessment.level, 3)
        XCTAssertTrue(assessment.capsApplied.contains { $0.fact == .age && $0.effect == "≤ C3" })
    }

    /// Thousands of random profiles: no recommendation above the investor's level or against an
    /// eligibility rule; minors and students never get a loan.
    func testRandomProfilesNeverGetUnsuitableProducts() {
        var random = SeededRandom(seed: 20261127)
        let recommender = Recommender(catalog: knowledge.products)
        let occupations = ["employed", "student", "retired", "business-owner", "freelancer", "unemployed"]
        let goals = ["liquidity", "saving", "growth", "retirement", "education", "borrow"]
        let losses = ["none", "small", "medium", "large"]
        let experiences = ["none", "some", "experienced"]
        var recommendations = 0
        for _ in 0..<5000 {
            var p = InvestorProfile()
            p.intent = random.next(100) < 30 ? .loan : .invest
            if random.next(100) < 90 { p.age = 10 + random.next(85) }
            if random.next(100) < 90 { p.monthlyIncome = Double([0, 500, 3000, 8000, 20000, 60000, 200000][random.next(7)]) }
            if random.next(100) < 90 { p.occupation = occupations[random.next(occupations.count)] }
            p.goal = goals[random.next(goals.count)]
            p.horizonMonths = [0, 3, 6, 12, 24, 36, 120][random.next(7)]
            p.lossTolerance = losses[random.next(losses.count)]
            p.experience = experiences[random.next(experiences.count)]
            if random.next(100) < 90 { p.amount = Double([100, 1000, 5000, 20000, 100000, 500000, 2000000][random.next(7)]) }
            let questions = knowledge.questions
            let assumed: (InvestorProfile.Fact) -> RuleValue? = { questions.assumed($0, intent: p.intent) }
            let level = knowledge.suitability.assess(p, assumed: assumed).level
            let picks = recommender.recommend(p, level: level, assumed: assumed).picks
            recommendations += picks.isEmpty ? 0 : 1
            let age = p.age ?? 65
            let occupation = p.occupation ?? "unemployed"
            let income = p.monthlyIncome ?? 0
            for product in picks {
                XCTAssertTrue(age >= 18, "a minor got \(product.id)")
                XCTAssertTrue(product.ageRange.contains(age), "\(product.id) outside its ages for \(age)")
                XCTAssertFalse(product.excludes.contains(occupation), "\(product.id) for \(occupation)")
                XCTAssertGreaterThanOrEqual(income, product.minIncome, "\(product.id) income")
                if let amount = p.amount { XCTAssertGreaterThanOrEqual(amount, product.minAmount, "\(product.id) minimum") }
                if product.isLoan {
                    XCTAssertEqual(p.intent, .loan)
                    XCTAssertNotEqual(occupation, "student", "a student got a loan")
                    if let amount = p.amount {
                        XCTAssertLessThanOrEqual(amount, product.maxIncomeMultiple! * income)
                        XCTAssertLessThanOrEqual(amount, product.maxAmount!)
                    }
                } else {
                    XCTAssertEqual(p.intent, .invest)
                    XCTAssertLessThanOrEqual(product.risk, level, "\(product.id) R\(product.risk) above C\(level)")
                }
            }
        }
        XCTAssertGreaterThan(recommendations, 1000, "the property must be exercised on real recommendations")
    }
}
