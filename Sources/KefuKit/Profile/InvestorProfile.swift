/// What Kefu knows about the customer, gathered one friendly question at a time. Every fact is
/// optional until given; `skipped` remembers facts the customer preferred not to share (a conservative
/// value is then assumed and said).
public struct InvestorProfile: Sendable, Equatable, Codable {
    public enum Fact: String, Sendable, CaseIterable, Codable {
        case age, income, occupation, goal, horizon, loss, experience, amount
    }

    public enum Intent: String, Sendable, Equatable, Codable { case invest, loan }

    public var intent: Intent?
    public var age: Int?
    /// Monthly, in yuan.
    public var monthlyIncome: Double?
    public var occupation: String?
    public var goal: String?
    /// Months the money can stay invested (invest) or the repayment term (loan).
    public var horizonMonths: Int?
    /// none, small, medium or large.
    public var lossTolerance: String?
    /// none, some or experienced.
    public var experience: String?
    /// Amount to invest or to borrow, in yuan.
    public var amount: Double?
    public var skipped: Set<Fact> = []
    /// Facts read from other words rather than given ("随时备用" gives a horizon of 0 months): shown as such.
    public var inferred: Set<Fact> = []

    public init() {}

    public func has(_ fact: Fact) -> Bool {
        switch fact {
        case .age: return age != nil
        case .income: return monthlyIncome != nil
        case .occupation: return occupation != nil
        case .goal: return goal != nil
        case .horizon: return horizonMonths != nil
        case .loss: return lossTolerance != nil
        case .experience: return experience != nil
        case .amount: return amount != nil
        }
    }

    /// The value of a fact as the suitability rules see it (numbers for ranges, words for the rest).
    public func ruleValue(_ fact: Fact) -> RuleValue? {
        switch fact {
        case .age: return age.map { .number(Double($0)) }
        case .income: return monthlyIncome.map { .number($0) }
        case .horizon: return horizonMonths.map { .number(Double($0)) }
        case .amount: return amount.map { .number($0) }
        case .occupation: return occupation.map { .word($0) }
        case .goal: return goal.map { .word($0) }
        case .loss: return lossTolerance.map { .word($0) }
        case .experience: return experience.map { .word($0) }
        }
    }

    public mutating func set(_ fact: Fact, _ value: RuleValue) {
        switch (fact, value) {
        case (.age, .number(let n)): age = Int(n)
        case (.income, .number(let n)): monthlyIncome = n
        case (.horizon, .number(let n)): horizonMonths = Int(n)
        case (.amount, .number(let n)): amount = n
        case (.occupation, .word(let w)): occupation = w
        case (.goal, .word(let w)): goal = w
        case (.loss, .word(let w)): lossTolerance = w
        case (.experience, .word(let w)): experience = w
        default: break
        }
    }

    /// The age from which a person may hold an investment account or borrow.
    public static let adultAge = 18
    public var isMinor: Bool { (age ?? Self.adultAge) < Self.adultAge }
}

/// A fact's value in the rules: a number (age, income, months) or a word (occupation, loss…).
public enum RuleValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case number(Double)
    case word(String)

    public var description: String {
        switch self {
        case .number(let n): return n == n.rounded() ? String(Int(n)) : String(n)
        case .word(let w): return w
        }
    }
}
