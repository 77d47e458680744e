/// Picks the products that suit a customer: only those at or below the investor's risk level whose every
/// eligibility rule holds, ranked by fit with goal, horizon and amount. Pure, so that property tests can
/// check thousands of profiles.
public struct Recommender: Sendable {
    public struct Ineligibility: Sendable, Equatable {
        /// Which eligibility rule failed, so that "nothing fits" can group products by the deciding reason.
        public enum Rule: Int, Sendable, Comparable {
            case kind, minor, age, occupation, occupationUnknown, income, risk, minAmount, maxAmount, incomeMultiple
            public static func < (a: Rule, b: Rule) -> Bool { a.rawValue < b.rawValue }
        }
        public var product: String
        public var rule: Rule
        public var reason: Bilingual
    }

    public struct Result: Sendable, Equatable {
        public var picks: [Product]
        public var rejected: [Ineligibility]
        /// False when the customer's goal has no suitable product made for it, so the picks were chosen
        /// by horizon, amount and risk instead (and the customer is told so).
        public var goalMatched = true
    }

    public let catalog: ProductCatalog

    public init(catalog: ProductCatalog) { self.catalog = catalog }

    /// `level` is the investor's C-level (1…5); `profile` facts that are missing take `assumed` values.
    public func recommend(_ profile: InvestorProfile, level: Int, assumed: (InvestorProfile.Fact) -> RuleValue?, limit: Int = 3) -> Result {
        var scored: [(Product, Double, Int)] = []
        var rejected: [Ineligibility] = []
        for (index, product) in catalog.products.enumerated() {
            if let why = rejection(product, profile: profile, level: level, assumed: assumed) {
                rejected.append(why)
                continue
            }
            scored.append((product, fit(product, profile: profile, level: level, assumed: assumed), index))
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.2 < $1.2 }
        // Only products made for the customer's goal: one or two that fit beat three with a stranger's
        // reason (an education plan for someone saving for retirement). When none is made for it, the
        // best by horizon and amount, flagged so that the customer hears why.
        let goal = (profile.intent ?? .invest) == .invest ? profile.goal ?? assumed(.goal)?.description : nil
        let forGoal = goal.map { goal in scored.filter { $0.0.goals.contains(goal) } } ?? scored
        let chosen = forGoal.isEmpty ? scored : forGoal
        return Result(picks: chosen.prefix(limit).map(\.0), rejected: rejected, goalMatched: !forGoal.isEmpty || scored.isEmpty)
    }

    /// Why a product may not be offered to this customer, or nil when it may.
    public func ineligibility(_ product: Product, profile: InvestorProfile, level: Int, assumed: (InvestorProfile.Fact) -> RuleValue?) -> Bilingual? {
        rejection(product, profile: profile, level: level, assumed: assumed)?.reason
    }

    /// `ineligibility` with the rule that failed.
    public func rejection(_ product: Product, profile: InvestorProfile, level: Int, assumed: (InvestorProfile.Fact) -> RuleValue?) -> Ineligibility? {
        func no(_ rule: Ineligibility.Rule, _ zh: String, _ en: String) -> Ineligibility { Ineligibility(product: product.id, rule: rule, reason: Bilingual(zh: zh, en: en)) }
        let intent = profile.intent ?? .invest
        if intent == .loan && !product.isLoan { return no(.kind, "不是借款产品", "not a loan") }
        if intent == .invest && product.isLoan { return no(.kind, "是借款产品", "is a loan") }
        let age = profile.age ?? assumed(.age).flatMap { if case .number(let n) = $0 { return Int(n) } else { return nil } }
        if let age, age < 18 { return no(.minor, "未满 18 周岁", "under 18") }
        if let age, !product.ageRange.contains(age) {
            return no(.age, "适合 \(product.ageRange.lowerBound)–\(product.ageRange.upperBound) 岁", "for ages \(product.ageRange.lowerBound)–\(product.ageRange.upperBound)")
        }
        if !product.isLoan && product.risk > level {
            return no(.risk, "风险等级 \(product.riskLabel) 高于您的 C\(level)", "risk \(product.riskLabel) is above your C\(level)")
        }
        let occupation = profile.occupation ?? assumed(.occupation).map(\.description)
        if let occupation, product.excludes.contains(occupation) {
            return no(.occupation, "不面向\(Recommender.occupationName(occupation, .zh))", "not available to \(Recommender.occupationName(occupation, .en))")
        }
        if product.isLoan && occupation == nil && profile.skipped.contains(.occupation) {
            return no(.occupationUnknown, "借款需要了解职业", "a loan needs your occupation")
        }
        let income = profile.monthlyIncome ?? assumed(.income).flatMap { if case .number(let n) = $0 { return n } else { return nil } } ?? 0
        if income < product.minIncome {
            return no(.income, "需要月收入 \(Int(product.minIncome)) 元以上", "needs a monthly income of ¥\(Int(product.minIncome)) or more")
        }
        if let amount = profile.amount {
            if amount < product.minAmount {
                return no(.minAmount, "\(Int(product.minAmount)) 元起", "starts at ¥\(Int(product.minAmount))")
            }
            if product.isLoan {
                if let max = product.maxAmount, amount > max {
                    return no(.maxAmount, "最高可借 \(Int(max)) 元", "lends at most ¥\(Int(max))")
                }
                if let multiple = product.maxIncomeMultiple, amount > multiple * income {
                    return no(.incomeMultiple, "金额超过月收入的 \(Int(multiple)) 倍", "the amount is more than \(Int(multiple)) times monthly income")
                }
            }
        }
        return nil
    }

    func fit(_ product: Product, profile: InvestorProfile, level: Int, assumed: (InvestorProfile.Fact) -> RuleValue?) -> Double {
        var score = 0.0
        let goal = profile.goal ?? assumed(.goal)?.description
        if let goal, product.goals.contains(goal) { score += 3 }
        if product.isLoan {
            // Merchant loans suit business owners; consumer loans everyone else.
            if profile.occupation == "business-owner" && product.goals.contains("borrow") && product.excludes.contains("employed") { score += 2 }
            return score
        }
        let horizon = profile.horizonMonths ?? assumed(.horizon).flatMap { if case .number(let n) = $0 { return Int(n) } else { return nil } } ?? 0
        if product.termMonths <= horizon {
            score += 2 + Double(product.termMonths) / 36.0   // use the time the customer has
        } else if product.liquidity == "low" {
            score -= 6                                        // locked longer than the customer can wait
        } else {
            score -= 2 + Double(product.termMonths - horizon) / 12.0
        }
        if horizon < 6 && product.liquidity == "high" { score += 2 }
        score += Double(product.risk) * 0.4                     // within the allowed level, use the capacity for return
        // Respect the stated loss tolerance: a historical fall deeper than the customer accepts ranks last.
        let worst = -product.rateLow
        switch profile.lossTolerance ?? assumed(.loss)?.description {
        case "none": if worst > 0 { score -= 6 }
        case "small": if worst > 10 { score -= 6 }
        case "medium": if worst > 25 { score -= 6 }
        default: break
        }
        if let amount = profile.amount, amount < product.minAmount * 2 { score -= 0.5 }
        return score
    }

    public static func occupationName(_ occupation: String, _ language: Language) -> String {
        let names: [String: Bilingual] = [
            "student": Bilingual(zh: "学生", en: "students"), "retired": Bilingual(zh: "退休人士", en: "retired people"),
            "unemployed": Bilingual(zh: "暂无工作的客户", en: "people without a job"), "business-owner": Bilingual(zh: "经营者", en: "business owners"),
            "freelancer": Bilingual(zh: "自由职业者", en: "freelancers"), "employed": Bilingual(zh: "上班族", en: "employees"),
        ]
        return names[occupation]?[language] ?? occupation
    }
}
