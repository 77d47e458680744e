import KefuKit

/// Prints knowledge diagnostics as `file:line: error: message`, coloured on a terminal, in file order.
public struct DiagnosticPrinter {
    public var style: Style

    public init(style: Style) { self.style = style }

    public func render(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity == .error ? style.red(style.bold("error")) : style.yellow(style.bold("warning"))
        return "\(style.bold(TerminalSafe.text(diagnostic.location))): \(severity): \(TerminalSafe.text(diagnostic.message))"
    }

    public func print(_ diagnostics: DiagnosticsEngine) {
        for diagnostic in diagnostics.sorted { Console.err(render(diagnostic)) }
    }
}
