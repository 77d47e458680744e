/// Groups of words that mean the same thing. Every variant is rewritten to the group's first word,
/// in example questions and customer input alike, so "取钱" matches an entry written with "提现".
public struct SynonymTable: Sendable {
    public private(set) var groups: [[String]] = []
    /// variant (normalised) -> canonical (normalised)
    public private(set) var replacements: [String: String] = [:]

    public init() {}

    public init(groups: [[String]]) {
        for group in groups { add(group) }
    }

    public mutating func add(_ group: [String]) {
        guard let canonical = group.first else { return }
        groups.append(group)
        for variant in group.dropFirst() where variant != canonical {
            replacements[variant] = canonical
        }
    }

    /// Parses `a = b = c` lines.
    public static func parse(_ text: String, path: String, normalizer: TextNormalizer, diagnostics: inout DiagnosticsEngine) -> SynonymTable {
        var table = SynonymTable()
        var seen: [String: Int] = [:]
        var lineNumber = 0
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        for raw in text.physicalLines() {
            lineNumber += 1
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: "=").map { normalizer.normalize(String($0)) }
            if words.count < 2 || words.contains(where: \.isEmpty) {
                diagnostics.error("a synonym line needs at least two words separated by '=', found '\(line.prefix(40))'", file: path, line: lineNumber)
                continue
            }
            for word in words {
                if let previous = seen[word] {
                    diagnostics.warning("'\(word)' is already in the synonym group on line \(previous)", file: path, line: lineNumber)
                }
                seen[word] = lineNumber
            }
            table.add(words)
        }
        return table
    }
}
