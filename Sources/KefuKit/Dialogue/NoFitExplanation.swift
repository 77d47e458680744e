/// Why no product fits, for the "nothing fits" reply: every product of the kind the customer asked for,
/// grouped by the rule that ruled it out, with the product's limit next to the customer's own figure
/// ("起投金额高于您打算投入的 50 元：稳利债券基金 100 元起…"), so that the customer sees what decided it.
struct NoFitExplanation {
    let catalog: ProductCatalog

    func lines(_ rejected: [Recommender.Ineligibility], declined: [String], profile: InvestorProfile, level: Int, language: Language) -> [String] {
        let zh = language == .zh
        let separator = zh ? "、" : ", "
        var lines: [String] = []
        let relevant = rejected.filter { $0.rule != .kind && !declined.contains($0.product) }
        for (rule, group) in Dictionary(grouping: relevant, by: \.rule).sorted(by: { $0.key < $1.key }) {
            let products = group.compactMap { catalog.product(id: $0.product) }
            let items = products.map { item($0, rule: rule, language: language) }.joined(separator: separator)
            lines.append("- " + header(rule, loan: products.contains(where: \.isLoan), profile: profile, level: level, language: language) + items)
        }
        let turnedDown = declined.compactMap { catalog.product(id: $0)?.name[language] }
        if !turnedDown.isEmpty {
            lines.append("- " + (zh ? "您已表示不需要：" : "you said no to: ") + turnedDown.joined(separator: separator))
        }
        return lines
    }

    /// The deciding reason, with the customer's own figure where there is one.
    private func header(_ rule: Recommender.Ineligibility.Rule, loan: Bool, profile: InvestorProfile, level: Int, language: Language) -> String {
        let zh = language == .zh
        let amount = profile.amount.map { AdviceFlow.money($0, language) } ?? ""
        let income = AdviceFlow.money(profile.monthlyIncome ?? 0, language)
        switch rule {
        case .kind: return ""
        case .minor: return zh ? "未满 18 周岁不能购买或借款：" : "not open to anyone under 18: "
        case .age:
            let age = profile.age.map(String.init) ?? "?"
            return zh ? "年龄不在适用范围内（您 \(age) 岁）：" : "outside the age range (you are \(age)): "
        case .occupation:
            let who = profile.occupation.map { Recommender.occupationName($0, language) } ?? ""
            return zh ? "不面向\(who)：" : "not available to \(who): "
        case .occupationUnknown: return zh ? "借款需要了解您的职业：" : "a loan needs your occupation: "
        case .income: return zh ? "月收入要求高于您的 \(income)：" : "the income required is above your \(income) a month: "
        case .risk: return zh ? "风险等级高于您的 C\(level)：" : "the risk level is above your C\(level): "
        case .minAmount:
            if loan { return zh ? "起借金额高于您需要的 \(amount)：" : "the smallest loan is more than the \(amount) you need: " }
            return zh ? "起投金额高于您打算投入的 \(amount)：" : "the minimum is more than the \(amount) you have in mind: "
        case .maxAmount: return zh ? "最高额度低于您需要的 \(amount)：" : "the largest loan is less than the \(amount) you need: "
        case .incomeMultiple: return zh ? "\(amount) 超过按月收入 \(income) 可借的上限：" : "\(amount) is more than your \(income) monthly income allows: "
        }
    }

    /// The product with its own limit for that rule.
    private func item(_ product: Product, rule: Recommender.Ineligibility.Rule, language: Language) -> String {
        let zh = language == .zh
        let name = product.name[language]
        switch rule {
        case .age: return zh ? "\(name) \(product.ageRange.lowerBound)–\(product.ageRange.upperBound) 岁" : "\(name) ages \(product.ageRange.lowerBound)–\(product.ageRange.upperBound)"
        case .income: return zh ? "\(name) 需 \(AdviceFlow.money(product.minIncome, .zh)) 以上" : "\(name) needs \(AdviceFlow.money(product.minIncome, .en))"
        case .risk: return "\(name) \(product.riskLabel)"
        case .minAmount: return zh ? "\(name) \(AdviceFlow.money(product.minAmount, .zh))起" : "\(name) from \(AdviceFlow.money(product.minAmount, .en))"
        case .maxAmount: return zh ? "\(name) 最高 \(AdviceFlow.money(product.maxAmount ?? 0, .zh))" : "\(name) up to \(AdviceFlow.money(product.maxAmount ?? 0, .en))"
        case .incomeMultiple:
            let multiple = Int(product.maxIncomeMultiple ?? 0)
            return zh ? "\(name) 最多月收入的 \(multiple) 倍" : "\(name) at most \(multiple) times monthly income"
        default: return name
        }
    }
}
