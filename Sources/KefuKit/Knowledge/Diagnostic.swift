/// A problem found in the knowledge base, located precisely enough that a trainer can open the file
/// at that line and fix it without reading code.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var file: String
    public var line: Int?
    public var severity: Severity
    public var message: String
    /// The id of an entry this error kept out of the knowledge base (a product that did not parse).
    public var dropped: String?
    /// The id this error is about and could not find ("names unknown product 'cash-plus'").
    public var needs: String?
    /// Errors that only follow from this one (each naming the entry it dropped), folded under it by
    /// `DiagnosticsEngine.folded`: one bad yield in products.txt made 19 "unknown product" errors elsewhere.
    public var consequences: [Diagnostic] = []

    public init(file: String, line: Int?, severity: Severity, message: String, dropped: String? = nil, needs: String? = nil) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
        self.dropped = dropped
        self.needs = needs
    }

    public var location: String { line.map { "\(file):\($0)" } ?? file }
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Collects diagnostics so that every problem is reported together rather than stopping at the first,
/// as swift-format's DiagnosticsEngine does.
public struct DiagnosticsEngine: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ message: String, file: String, line: Int? = nil, needs: String? = nil, dropped: String? = nil) {
        diagnostics.append(Diagnostic(file: file, line: line, severity: .error, message: message, dropped: dropped, needs: needs))
    }

    /// Marks the first error at `file` between `lines` as the one that kept entry `id` out.
    public mutating func markDropped(_ id: String, file: String, lines: ClosedRange<Int>) {
        if let index = diagnostics.firstIndex(where: { $0.severity == .error && $0.file == file && $0.line.map(lines.contains) == true }) {
            diagnostics[index].dropped = id
        }
    }

    public mutating func warning(_ message: String, file: String, line: Int? = nil) {
        diagnostics.append(Diagnostic(file: file, line: line, severity: .warning, message: message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The report as a trainer should read it: each message once; an error that only follows from another
    /// (an unknown product whose own entry failed to parse) folded under its cause; the causes first, then the
    /// rest by file and line.
    public var folded: [Diagnostic] {
        var seen = Set<String>()
        let unique = sorted.filter { seen.insert($0.description).inserted }
        var roots: [Diagnostic] = []
        var rest: [Diagnostic] = []
        var rootIndex: [String: Int] = [:]
        for diagnostic in unique where diagnostic.dropped != nil {
            rootIndex[diagnostic.dropped!] = roots.count
            roots.append(diagnostic)
        }
        for diagnostic in unique where diagnostic.dropped == nil {
            if let needed = diagnostic.needs, let index = rootIndex[needed] {
                roots[index].consequences.append(diagnostic)
            } else {
                rest.append(diagnostic)
            }
        }
        return roots + rest
    }

    /// Sorted by file, then line, so the report reads top to bottom like the files themselves.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            if a.element.file != b.element.file { return a.element.file < b.element.file }
            let la = a.element.line ?? 0, lb = b.element.line ?? 0
            if la != lb { return la < lb }
            return a.offset < b.offset
        }.map(\.element)
    }
}
