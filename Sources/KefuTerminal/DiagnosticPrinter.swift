import KefuKit

/// Prints knowledge diagnostics as `file:line: error: message`, coloured on a terminal, in file order.
public struct DiagnosticPrinter {
    public var style: Style

    public init(style: Style) { self.style = style }

    public func render(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity == .error ? style.red(style.bold("error")) : style.yellow(style.bold("warning"))
        return "\(style.bold(TerminalSafe.text(diagnostic.location))): \(severity): \(TerminalSafe.text(diagnostic.message))"
    }

    /// The root causes first, each with the errors that only follow from it folded under it (with a count).
    public func print(_ diagnostics: DiagnosticsEngine) {
        for diagnostic in diagnostics.folded {
            Console.err(render(diagnostic))
            let followers = diagnostic.consequences
            guard !followers.isEmpty else { continue }
            let what = diagnostic.dropped.map { "'\($0)' is missing until this is fixed" } ?? "they follow from this"
            Console.err(style.dim("  … and \(followers.count) more error(s) only because \(what):"))
            for follower in followers { Console.err(style.dim("    " + TerminalSafe.text(follower.description))) }
        }
    }
}
