import Foundation

/// Scans text for promises that financial regulation forbids (guaranteed principal or returns).
/// It runs on every reply before it is shown and on the whole knowledge base in `kefu check`,
/// so a careless edit can never reach a customer.
public struct ComplianceChecker: Sendable {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public var phrase: String
        public var description: String { "forbidden phrase '\(phrase)' (no promise of guaranteed principal or returns)" }
    }

    public static let forbiddenPhrases: [String] = [
        "保本", "保息", "稳赚", "零风险", "无风险", "包赚", "只赚不赔", "稳赚不赔", "保证收益", "保收益",
        "guaranteed", "guarantee", "risk-free", "risk free", "no risk", "can't lose", "cannot lose", "can not lose", "won't lose",
    ]

    public var phrases: [String]

    public init(phrases: [String] = ComplianceChecker.forbiddenPhrases) {
        self.phrases = phrases.map { $0.lowercased() }
    }

    public func violations(in text: String) -> [Violation] {
        let folded = SearchText(lowercasing: text, straightenApostrophes: true)
        var found: [Violation] = []
        for phrase in phrases where folded.contains(phrase) {
            // Report the longest phrase only ("稳赚不赔" rather than also "稳赚").
            if found.contains(where: { $0.phrase.includes(phrase) }) { continue }
            found.removeAll { phrase.includes($0.phrase) }
            found.append(Violation(phrase: phrase))
        }
        return found
    }

    public func isCompliant(_ text: String) -> Bool { violations(in: text).isEmpty }
}
