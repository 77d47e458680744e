import Foundation

/// How a profile becomes an investor risk level C1–C5, read from `suitability.txt` so that compliance
/// staff can change the policy without a code change. Points add up to a level; caps then limit it.
public struct SuitabilityRules: Sendable {
    public enum Condition: Sendable, Equatable, CustomStringConvertible {
        case range(Double, Double?)
        case word(String)

        func matches(_ value: RuleValue) -> Bool {
            switch (self, value) {
            case (.range(let low, let high), .number(let n)): return n >= low && (high.map { n <= $0 } ?? true)
            case (.word(let w), .word(let v)): return w == v
            default: return false
            }
        }

        public var description: String {
            switch self {
            case .range(let low, let high):
                let l = RuleValue.number(low).description
                guard let high else { return "\(l)+" }
                return high == low ? l : "\(l)–\(RuleValue.number(high).description)"
            case .word(let w): return w
            }
        }
    }

    public struct PointsRule: Sendable, Equatable {
        public var fact: InvestorProfile.Fact
        public var condition: Condition
        public var points: Int
        public var line: Int
    }

    public struct LevelBand: Sendable, Equatable {
        public var level: Int
        public var low: Int
        public var high: Int?
        public var line: Int
    }

    public struct CapRule: Sendable, Equatable {
        public var fact: InvestorProfile.Fact
        public var condition: Condition
        public var level: Int
        public var line: Int
    }

    /// One line of the `/profile` explanation.
    public struct Contribution: Sendable, Equatable {
        public var fact: InvestorProfile.Fact
        public var value: String
        public var effect: String
        public var line: Int
    }

    public struct Assessment: Sendable, Equatable {
        public var level: Int
        public var points: Int
        public var contributions: [Contribution]
        /// Caps that lowered the level.
        public var capsApplied: [Contribution]
    }

    public var points: [PointsRule] = []
    public var levels: [LevelBand] = []
    public var caps: [CapRule] = []
    public var askInvest: [InvestorProfile.Fact] = [.age, .income, .occupation, .goal, .horizon, .loss, .experience, .amount]
    public var askLoan: [InvestorProfile.Fact] = [.age, .occupation, .income, .amount, .horizon]

    public init() {}

    public static func levelName(_ level: Int, _ language: Language) -> String {
        let zh = ["", "保守型", "谨慎型", "稳健型", "积极型", "激进型"]
        let en = ["", "conservative", "cautious", "balanced", "growth", "aggressive"]
        guard (1...5).contains(level) else { return "" }
        return language == .zh ? zh[level] : en[level]
    }

    // MARK: - Parsing

    public static func parse(_ text: String, path: String, diagnostics: inout DiagnosticsEngine) -> SuitabilityRules {
        var rules = SuitabilityRules()
        var lineNumber = 0
        var sawAskInvest = false, sawAskLoan = false
        for raw in text.physicalLines() {
            lineNumber += 1
            var line = raw.trimmingWhitespace()
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]).trimmingWhitespace() }
            if line.isEmpty { continue }
            if line.hasPrefix("ask ") {
                let body = line.dropFirst(4)
                guard let colon = body.firstIndex(of: ":") else {
                    diagnostics.error("expected 'ask invest: fact, fact…'", file: path, line: lineNumber)
                    continue
                }
                let which = body[..<colon].trimmingWhitespace()
                var facts: [InvestorProfile.Fact] = []
                for name in body[body.index(after: colon)...].split(separator: ",").map({ $0.trimmingWhitespace() }) {
                    if let fact = InvestorProfile.Fact(rawValue: name) { facts.append(fact) } else {
                        diagnostics.error("unknown fact '\(name)' (known: \(InvestorProfile.Fact.allCases.map(\.rawValue).joined(separator: ", ")))", file: path, line: lineNumber)
                    }
                }
                if which == "invest" { rules.askInvest = facts; sawAskInvest = true } else if which == "loan" { rules.askLoan = facts; sawAskLoan = true } else {
                    diagnostics.error("'ask' must be followed by invest or loan, found '\(which)'", file: path, line: lineNumber)
                }
                continue
            }
            let sides = line.components(separatedBy: "=>")
            guard sides.count == 2 else {
                diagnostics.error("expected 'points FACT VALUE => N', 'level CN => A..B' or 'cap FACT VALUE => CN'", file: path, line: lineNumber)
                continue
            }
            let left = sides[0].split(separator: " ").map(String.init)
            let right = sides[1].trimmingWhitespace()
            switch left.first {
            case "points":
                guard left.count == 3, let fact = fact(left[1], path, lineNumber, &diagnostics),
                      let condition = condition(left[2], fact: fact, path, lineNumber, &diagnostics) else {
                    if left.count != 3 { diagnostics.error("expected 'points FACT VALUE => N'", file: path, line: lineNumber) }
                    continue
                }
                guard let value = Int(right) else {
                    diagnostics.error("points must be a whole number, found '\(right)'", file: path, line: lineNumber)
                    continue
                }
                rules.points.append(PointsRule(fact: fact, condition: condition, points: value, line: lineNumber))
            case "level":
                guard left.count == 2, let level = levelNumber(left[1]) else {
                    diagnostics.error("expected 'level C1..C5 => A..B'", file: path, line: lineNumber)
                    continue
                }
                guard case .range(let low, let high)? = parseRange(right) else {
                    diagnostics.error("level range must look like 12..16 or 22.., found '\(right)'", file: path, line: lineNumber)
                    continue
                }
                rules.levels.append(LevelBand(level: level, low: Int(low), high: high.map { Int($0) }, line: lineNumber))
            case "cap":
                guard left.count == 3, let fact = fact(left[1], path, lineNumber, &diagnostics),
                      let condition = condition(left[2], fact: fact, path, lineNumber, &diagnostics) else {
                    if left.count != 3 { diagnostics.error("expected 'cap FACT VALUE => CN'", file: path, line: lineNumber) }
                    continue
                }
                guard let level = levelNumber(right) else {
                    diagnostics.error("a cap must name a level C1…C5, found '\(right)'", file: path, line: lineNumber)
                    continue
                }
                rules.caps.append(CapRule(fact: fact, condition: condition, level: level, line: lineNumber))
            default:
                diagnostics.error("a rule starts with points, level, cap or ask; found '\(left.first ?? "")'", file: path, line: lineNumber)
            }
        }
        if !sawAskInvest { diagnostics.warning("no 'ask invest:' line; using the default order", file: path) }
        if !sawAskLoan { diagnostics.warning("no 'ask loan:' line; using the default order", file: path) }
        rules.validateLevels(path: path, diagnostics: &diagnostics)
        rules.validatePoints(path: path, diagnostics: &diagnostics)
        return rules
    }

    private static func fact(_ name: String, _ path: String, _ line: Int, _ diagnostics: inout DiagnosticsEngine) -> InvestorProfile.Fact? {
        if let fact = InvestorProfile.Fact(rawValue: name) { return fact }
        diagnostics.error("unknown fact '\(name)' (known: \(InvestorProfile.Fact.allCases.map(\.rawValue).joined(separator: ", ")))", file: path, line: line)
        return nil
    }

    static let numericFacts: Set<InvestorProfile.Fact> = [.age, .income, .horizon, .amount]
    static let words: [InvestorProfile.Fact: Set<String>] = [
        .occupation: ProductCatalog.knownOccupations, .goal: ProductCatalog.knownGoals,
        .loss: ["none", "small", "medium", "large"], .experience: ["none", "some", "experienced"],
    ]

    private static func condition(_ text: String, fact: InvestorProfile.Fact, _ path: String, _ line: Int, _ diagnostics: inout DiagnosticsEngine) -> Condition? {
        if numericFacts.contains(fact) {
            if let range = parseRange(text) { return range }
            diagnostics.error("\(fact.rawValue) needs a number or a range like 18..29 or 65.., found '\(text)'", file: path, line: line)
            return nil
        }
        if let allowed = words[fact], !allowed.contains(text) {
            diagnostics.error("\(fact.rawValue) has no value '\(text)' (known: \(allowed.sorted().joined(separator: ", ")))", file: path, line: line)
            return nil
        }
        return .word(text)
    }

    static func parseRange(_ text: String) -> Condition? {
        if let dots = text.range(of: "..") {
            guard let low = Double(text[..<dots.lowerBound]) else { return nil }
            let rest = text[dots.upperBound...]
            if rest.isEmpty { return .range(low, nil) }
            guard let high = Double(rest), high >= low else { return nil }
            return .range(low, high)
        }
        guard let value = Double(text) else { return nil }
        return .range(value, value)
    }

    private static func levelNumber(_ text: String) -> Int? {
        let t = text.uppercased()
        guard t.count == 2, t.hasPrefix("C"), let n = Int(t.dropFirst()), (1...5).contains(n) else { return nil }
        return n
    }

    /// Levels must cover every possible total from 0 up, without gaps or overlaps.
    func validateLevels(path: String, diagnostics: inout DiagnosticsEngine) {
        guard !levels.isEmpty else {
            diagnostics.error("no 'level' lines: totals cannot become a risk level", file: path)
            return
        }
        let sorted = levels.sorted { $0.low < $1.low }
        if sorted[0].low > 0 { diagnostics.error("totals 0..\(sorted[0].low - 1) have no level", file: path, line: sorted[0].line) }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            guard let high = a.high else {
                diagnostics.error("level C\(a.level) is open-ended but C\(b.level) starts after it", file: path, line: b.line)
                continue
            }
            if b.low > high + 1 { diagnostics.error("totals \(high + 1)..\(b.low - 1) have no level", file: path, line: b.line) }
            if b.low <= high { diagnostics.error("level C\(b.level) overlaps C\(a.level)", file: path, line: b.line) }
        }
        if sorted.last?.high != nil { diagnostics.error("the highest level must be open-ended (e.g. 22..)", file: path, line: sorted.last!.line) }
    }

    /// Where the numbers of a fact start: investment accounts are for adults, so ages below 18 need no
    /// points; incomes and horizons start at 0.
    static func lowestValue(of fact: InvestorProfile.Fact) -> Double { fact == .age ? 18 : 0 }

    /// The number bands of each fact must cover every whole value from where the fact starts, without
    /// gaps or overlaps: a value in a gap would score nothing and quietly lower the customer's level, and
    /// two bands that overlap would both count.
    func validatePoints(path: String, diagnostics: inout DiagnosticsEngine) {
        var bands: [InvestorProfile.Fact: [(low: Double, high: Double?, line: Int)]] = [:]
        for rule in points {
            if case .range(let low, let high) = rule.condition { bands[rule.fact, default: []].append((low, high, rule.line)) }
        }
        func show(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        for fact in bands.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            let sorted = bands[fact]!.sorted { $0.low < $1.low }
            let start = Self.lowestValue(of: fact)
            if sorted[0].low > start {
                diagnostics.error("\(fact.rawValue) \(show(start))..\(show(sorted[0].low - 1)) gets no points", file: path, line: sorted[0].line)
            }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                guard let high = a.high else {
                    diagnostics.error("\(fact.rawValue) \(show(a.low)).. is open-ended, so it overlaps the band on this line", file: path, line: b.line)
                    continue
                }
                if b.low <= high {
                    diagnostics.error("\(fact.rawValue) band overlaps the one on line \(a.line)", file: path, line: b.line)
                } else if b.low > high + 1 {
                    diagnostics.error("\(fact.rawValue) \(show(high + 1))..\(show(b.low - 1)) gets no points", file: path, line: b.line)
                }
            }
            if let last = sorted.last, last.high != nil {
                diagnostics.error("the highest \(fact.rawValue) band must be open-ended (e.g. \(show(last.low))..)", file: path, line: last.line)
            }
        }
    }

    // MARK: - Assessment

    /// The risk level with its reasons. Missing facts take the conservative value (what a skip assumes).
    public func assess(_ profile: InvestorProfile, assumed: (InvestorProfile.Fact) -> RuleValue?) -> Assessment {
        var total = 0
        var contributions: [Contribution] = []
        var capsApplied: [Contribution] = []
        func value(_ fact: InvestorProfile.Fact) -> RuleValue? { profile.ruleValue(fact) ?? assumed(fact) }
        for rule in points {
            guard let v = value(rule.fact), rule.condition.matches(v) else { continue }
            total += rule.points
            contributions.append(Contribution(fact: rule.fact, value: v.description, effect: "+\(rule.points)", line: rule.line))
        }
        var level = levels.first { total >= $0.low && (($0.high.map { total <= $0 }) ?? true) }?.level ?? 1
        for cap in caps {
            guard let v = value(cap.fact), cap.condition.matches(v), cap.level < level || true else { continue }
            if cap.level < level {
                capsApplied.append(Contribution(fact: cap.fact, value: v.description, effect: "≤ C\(cap.level)", line: cap.line))
                level = cap.level
            }
        }
        return Assessment(level: level, points: total, contributions: contributions, capsApplied: capsApplied)
    }
}
