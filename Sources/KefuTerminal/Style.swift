import Foundation

/// Colours for the terminal, decided once: only on a terminal, never with NO_COLOR or --no-color
/// (https://no-color.org), so pipes and files always get plain text.
public struct Style: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour when `fd` is a terminal, `NO_COLOR` is unset and the user did not ask for none.
    public static func detect(fileDescriptor fd: Int32, disabledByFlag: Bool) -> Style {
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return Style(enabled: !disabledByFlag && !noColor && !dumb && isatty(fd) == 1)
    }

    private func wrap(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }
    public func magenta(_ text: String) -> String { wrap(text, "35") }
}

/// Makes untrusted text (customer input, knowledge files) safe to print: escape sequences and other
/// control characters are shown as visible `\u{..}` text instead of being obeyed by the terminal.
public enum TerminalSafe {
    public static func text(_ text: String) -> String {
        var needs = false
        for scalar in text.unicodeScalars where isControl(scalar) { needs = true; break }
        guard needs else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\n" || scalar == "\t" { return false }
        return scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}

/// Writes to standard output and error with plain write(2): each call goes out at once (replies appear
/// immediately in pipes and interleave correctly with stderr), and a closed pipe (`kefu replay x | head -1`)
/// ends the program quietly instead of crashing.
public enum Console {
    public static func out(_ text: String) { write(1, text + "\n") }
    public static func err(_ text: String) { write(2, text + "\n") }
    public static func outNoNewline(_ text: String) { write(1, text) }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { exit(0) }
                return
            }
            offset += written
        }
        _ = bytes.count
        bytes.removeAll()
    }
}
