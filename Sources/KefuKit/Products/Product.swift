import Foundation

/// A product of the catalogue, with what suitability and eligibility need to know about it.
public struct Product: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case invest, loan, insurance }

    public var id: String
    public var name: Bilingual
    /// Other names customers use ("股票基金", "stock fund"), lowercased.
    public var aliases: [String] = []
    public var description: Bilingual
    public var kind: Kind
    /// 1…5 for R1…R5; loans carry no investment risk level (0).
    public var risk: Int
    public var minAmount: Double
    public var maxAmount: Double?
    public var maxIncomeMultiple: Double?
    public var term: Bilingual
    public var termMonths: Int
    public var liquidity: String
    /// Historical yield (investments) or APR (loans) range, in percent.
    public var rateLow: Double
    public var rateHigh: Double
    public var fees: Bilingual
    public var ageRange: ClosedRange<Int>
    public var minIncome: Double
    public var excludes: [String]
    public var goals: [String]
    public var reason: Bilingual
    public var file: String
    public var line: Int

    public var riskLabel: String { "R\(risk)" }
    public var isLoan: Bool { kind == .loan }

    public static func riskName(_ level: Int, _ language: Language) -> String {
        let zh = ["", "低风险", "中低风险", "中风险", "中高风险", "高风险"]
        let en = ["", "low risk", "medium-low risk", "medium risk", "medium-high risk", "high risk"]
        guard (1...5).contains(level) else { return "" }
        return language == .zh ? zh[level] : en[level]
    }

    /// "1.5%–2.5%": the range as shown to customers.
    public var rateText: String { "\(Product.percent(rateLow))%–\(Product.percent(rateHigh))%" }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
