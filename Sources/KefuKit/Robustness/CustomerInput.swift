/// Cleans one line typed or piped by a customer before the engine sees it: whatever people paste
/// (escape sequences, control characters, invisible marks, a megabyte of text) becomes a bounded,
/// printable line, or nothing at all.
///
/// - At most `maximumScalars` (2,000) Unicode scalars are kept; the rest is cut and `truncated` says so.
///   Counting scalars rather than Characters bounds the work even for one "character" carrying a
///   million combining marks.
/// - Terminal escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL/ST`, any other `ESC x`) are
///   removed; other control characters (C0, DEL, C1) become a space.
/// - Runs of more than 30 combining marks (UAX #15 stream-safe limit) are cut to 30.
/// - Invisible formatting (zero-width space, word joiner, BOM, left-to-right/right-to-left marks and
///   embeddings, bidi isolates) is removed; the zero-width joiner and non-joiner stay (emoji, scripts).
/// - Surrounding whitespace is trimmed; a line that ends up empty gets no reply.
public enum CustomerInput {
    /// The documented limit for one customer line, in Unicode scalars.
    public static let maximumScalars = 2_000
    /// The longest run of combining marks kept (the stream-safe limit of UAX #15).
    public static let maximumCombiningRun = 30

    public struct Prepared: Equatable, Sendable {
        /// The cleaned line (may be empty: then there is nothing to answer).
        public var text: String
        /// True when the line was longer than the limit and was cut.
        public var truncated: Bool
        /// How many scalars the raw line had (only counted up to a point when truncated: at least
        /// `maximumScalars + 1`).
        public var originalScalars: Int
    }

    public static func prepare(_ raw: String, limit: Int = maximumScalars) -> Prepared {
        var out = String.UnicodeScalarView()
        var kept = 0
        var seen = 0
        var truncated = false
        var iterator = raw.unicodeScalars.makeIterator()
        var pendingSpace = false
        var combining = 0
        // Leading whitespace is skipped without counting; the scan stops as soon as the limit is passed.
        while let scalar = iterator.next() {
            seen += 1
            if scalar == "\u{1B}" {
                skipEscapeSequence(&iterator, seen: &seen)
                continue
            }
            var current = scalar
            if isControl(scalar) { current = " " }
            if isInvisible(current) { continue }
            // Stream-safe text (UAX #15): at most 30 combining marks in a row; a "Zalgo" flood of marks
            // on one letter is cut there (one grapheme of thousands of scalars is slow to handle).
            if current.properties.canonicalCombiningClass != .notReordered {
                combining += 1
                if combining > maximumCombiningRun { continue }
            } else {
                combining = 0
            }
            if current.properties.isWhitespace {
                if kept > 0 { pendingSpace = true }
                continue
            }
            if pendingSpace {
                if kept + 2 > limit { truncated = true; break }
                out.append(" ")
                kept += 1
                pendingSpace = false
            }
            if kept + 1 > limit { truncated = true; break }
            out.append(current)
            kept += 1
        }
        if truncated { seen += 1 }
        return Prepared(text: String(out), truncated: truncated, originalScalars: seen)
    }

    /// Consumes the rest of an escape sequence whose ESC was just read.
    static func skipEscapeSequence(_ iterator: inout String.UnicodeScalarView.Iterator, seen: inout Int) {
        guard let introducer = iterator.next() else { return }
        seen += 1
        switch introducer {
        case "[":  // CSI: parameter and intermediate bytes, then one final byte 0x40–0x7E
            while let next = iterator.next() {
                seen += 1
                if (0x40...0x7E).contains(next.value) { return }
                if !(0x20...0x3F).contains(next.value) { return }
            }
        case "]", "P", "_", "^", "X":  // OSC, DCS, APC, PM, SOS: up to BEL or ST (ESC \)
            var previousWasEscape = false
            while let next = iterator.next() {
                seen += 1
                if next == "\u{7}" || next == "\u{9C}" { return }
                if previousWasEscape && next == "\\" { return }
                previousWasEscape = next == "\u{1B}"
            }
        default:
            return  // two-character sequences such as ESC c (reset) or ESC 7
        }
    }

    /// C0 controls (tab and newline are whitespace, everything else), DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        return scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
    }

    /// Zero-width and bidirectional formatting characters that change nothing a customer means.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0x200E, 0x200F, 0x2060...0x2064, 0xFEFF, 0x061C, 0x202A...0x202E, 0x2066...0x2069, 0x180E:
            return true
        default:
            return false
        }
    }
}
