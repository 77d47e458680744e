/// Customers for `kefu simulate`, the trainers' regression tool for the advice conversation: each has an
/// opening line, an answer in their own words for every fact Kefu may ask, the facts those answers mean, and
/// what they should be offered.
///
/// ```
/// [zh-01-retired-teacher]
/// intent: invest
/// opening: 我今年七十二岁,退休了,每月退休金四千,想存点钱随时能用
/// age: 七十二了
/// goal: 随时能取出来用
/// facts: age=72 income=4000 occupation=retired goal=liquidity horizon=0 loss=none experience=none amount=50000
/// expect: C1
/// ```
/// `expect:` is `C1`…`C5`, `loan <product id>`, `no product` or `person` (a large amount goes to an adviser); `kefu simulate --fill-expect` writes it from
/// `facts:` by the suitability rules, for a trainer to read over before it is kept.
public struct Simulation: Sendable {
    public enum Expectation: Sendable, Equatable, CustomStringConvertible {
        case level(String)
        case loan(String)
        case noProduct
        /// A person takes over (an amount at or above the large-amount rule's limit).
        case person

        public init?(_ text: String) {
            let t = text.trimmingWhitespace().lowercased()
            if t == "no product" || t == "none" { self = .noProduct; return }
            if t == "person" { self = .person; return }
            if t.hasPrefix("loan ") { self = .loan(String(t.dropFirst(5)).trimmingWhitespace()); return }
            if t.count == 2, t.hasPrefix("c"), let n = Int(t.dropFirst()), (1...9).contains(n) { self = .level("C\(n)"); return }
            return nil
        }

        public var description: String {
            switch self {
            case .level(let level): return level
            case .loan(let id): return "loan \(id)"
            case .noProduct: return "no product"
            case .person: return "person"
            }
        }
    }

    /// A fact as the customer means it: a value, or "I'd rather not say".
    public enum FactValue: Sendable, Equatable, CustomStringConvertible {
        case value(RuleValue)
        case skip

        public var description: String {
            switch self {
            case .value(let v): return v.description
            case .skip: return "skip"
            }
        }
    }

    public struct Customer: Sendable {
        public var id: String
        public var file: String
        public var line: Int
        public var intent: InvestorProfile.Intent
        public var opening: String
        public var answers: [InvestorProfile.Fact: String]
        public var facts: [InvestorProfile.Fact: FactValue]
        public var expect: Simulation.Expectation?
        /// The line of `facts:` (where `--fill-expect` adds `expect:`).
        public var factsLine: Int
    }

    public var customers: [Customer] = []

    public init() {}

    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> Simulation {
        var simulation = Simulation()
        let factKeys = Set(InvestorProfile.Fact.allCases.map(\.rawValue))
        for block in file.blocks {
            func error(_ message: String, _ line: Int?) { diagnostics.error("customer '\(block.id)': \(message)", file: file.path, line: line ?? block.line) }
            var answers: [InvestorProfile.Fact: String] = [:]
            for field in block.fields {
                if let fact = InvestorProfile.Fact(rawValue: field.key) {
                    answers[fact] = field.value
                } else if !["intent", "opening", "facts", "expect"].contains(field.key) {
                    error("unknown key '\(field.key)' (known: intent, opening, facts, expect, \(factKeys.sorted().joined(separator: ", ")))", field.line)
                }
            }
            guard let intentField = block.first("intent"), let intent = InvestorProfile.Intent(rawValue: intentField.value) else {
                error("needs intent: invest or intent: loan", block.first("intent")?.line)
                continue
            }
            guard let opening = block.first("opening"), !opening.value.isEmpty else {
                error("needs opening: (the customer's first message)", nil)
                continue
            }
            guard let factsField = block.first("facts") else {
                error("needs facts: (what the answers mean, e.g. facts: age=35 income=12000 occupation=employed …)", nil)
                continue
            }
            var facts: [InvestorProfile.Fact: FactValue] = [:]
            var valid = true
            for pair in factsField.value.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let fact = InvestorProfile.Fact(rawValue: parts[0]) else {
                    error("facts: '\(pair)' is not fact=value", factsField.line)
                    valid = false
                    continue
                }
                if parts[1] == "skip" {
                    facts[fact] = .skip
                } else if SuitabilityRules.numericFacts.contains(fact) {
                    guard let n = Double(parts[1]) else {
                        error("facts: \(fact.rawValue) needs a number or skip, found '\(parts[1])'", factsField.line)
                        valid = false
                        continue
                    }
                    facts[fact] = .value(.number(n))
                } else {
                    guard SuitabilityRules.words[fact]?.contains(parts[1]) ?? false else {
                        error("facts: \(fact.rawValue) has no value '\(parts[1])' (known: \((SuitabilityRules.words[fact] ?? []).sorted().joined(separator: ", ")))", factsField.line)
                        valid = false
                        continue
                    }
                    facts[fact] = .value(.word(parts[1]))
                }
            }
            var expect: Expectation?
            if let field = block.first("expect") {
                expect = Expectation(field.value)
                if expect == nil { error("expect: must be C1…C5, 'loan <product id>', 'no product' or 'person', found '\(field.value)'", field.line) }
            }
            guard valid else { continue }
            simulation.customers.append(Customer(id: block.id, file: file.path, line: block.line, intent: intent, opening: opening.value,
                                                 answers: answers, facts: facts, expect: expect, factsLine: factsField.line))
        }
        return simulation
    }
}
