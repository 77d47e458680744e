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

    public init(file: String, line: Int?, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.severity = severity
        self.message = message
    }

    public var location: String { line.map { "\(file):\($0)" } ?? file }
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Collects diagnostics so that every problem is reported together rather than stopping at the first,
/// as swift-format's DiagnosticsEngine does.
public struct DiagnosticsEngine: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func error(_ message: String, file: String, line: Int? = nil) {
        diagnostics.append(Diagnostic(file: file, line: line, severity: .error, message: message))
    }

    public mutating func warning(_ message: String, file: String, line: Int? = nil) {
        diagnostics.append(Diagnostic(file: file, line: line, severity: .warning, message: message))
    }

    public mutating func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

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
