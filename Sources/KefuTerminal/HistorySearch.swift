/// Ctrl-R, as readline users know it, with a prompt a customer can read: each key typed narrows the search
/// to older lines that contain the pattern; Ctrl-R again finds the next older one; Enter runs the line
/// shown; Esc or Ctrl-G gives back the line as it was; any other key (an arrow, Ctrl-A) keeps the line
/// found for editing and then does what it always does.
///
/// Pure: `LineEditor` reads the keys and shows the result.
struct HistorySearch {
    /// What the editor should do after a key.
    enum Outcome: Equatable {
        /// Show `line` with the cursor at `cursor` under the search prompt.
        case show
        /// Run `line` as if typed and entered.
        case accept
        /// Put back the line that was being edited before the search.
        case cancel
        /// End the search with the line found, then handle `key` as an ordinary key.
        case finish(passing: [Unicode.Scalar])
    }

    /// History, newest first.
    let entries: [[Unicode.Scalar]]
    let originalLine: [Unicode.Scalar]
    let originalCursor: Int
    private(set) var pattern: [Unicode.Scalar] = []
    /// Index in `entries` of the line shown, nil before anything was found.
    private(set) var match: Int?
    /// False after a key for which no line matches (the last match stays shown).
    private(set) var found = true
    /// The state before each key that changed the pattern or the match, for Backspace.
    private var undo: [(pattern: [Unicode.Scalar], match: Int?, found: Bool)] = []

    init(entries: [[Unicode.Scalar]], line: [Unicode.Scalar], cursor: Int) {
        self.entries = entries
        self.originalLine = line
        self.originalCursor = cursor
    }

    /// The line to show: the match, or the original line while nothing matched.
    var line: [Unicode.Scalar] { match.map { entries[$0] } ?? originalLine }

    /// The cursor: at the start of the pattern in the match, as readline puts it.
    var cursor: Int {
        guard let match, !pattern.isEmpty, let at = HistorySearch.find(pattern, in: entries[match]) else {
            return match == nil ? originalCursor : line.count
        }
        return at
    }

    mutating func handle(_ key: [Unicode.Scalar]) -> Outcome {
        guard let first = key.first else { return .show }
        switch (first.value, key.count) {
        case (0x12, 1):  // Ctrl-R: the next older match
            undo.append((pattern, match, found))
            search(from: (match ?? -1) + 1)
            return .show
        case (0x7F, 1), (0x08, 1):  // Backspace: undo the last key
            if let previous = undo.popLast() {
                (pattern, match, found) = previous
            }
            return .show
        case (0x07, 1), (0x1B, 1):  // Ctrl-G, Esc alone
            return .cancel
        case (0x0D, 1), (0x0A, 1):
            return .accept
        case (0x20..., 1) where first.value != 0x7F && !(0x80...0x9F).contains(first.value):  // not a C1 control
            undo.append((pattern, match, found))
            pattern.append(first)
            search(from: match ?? 0)
            return .show
        default:
            return .finish(passing: key)
        }
    }

    /// The first entry at or after `start` holding the pattern; when none, the match stays and `found` is
    /// false.
    private mutating func search(from start: Int) {
        guard !pattern.isEmpty else { found = true; return }
        var index = start
        while index < entries.count {
            if HistorySearch.find(pattern, in: entries[index]) != nil {
                match = index
                found = true
                return
            }
            index += 1
        }
        found = false
    }

    /// Where `pattern` starts in `line`, ignoring case.
    static func find(_ pattern: [Unicode.Scalar], in line: [Unicode.Scalar]) -> Int? {
        guard !pattern.isEmpty, pattern.count <= line.count else { return nil }
        let folded = pattern.map(fold)
        outer: for start in 0...(line.count - pattern.count) {
            for offset in 0..<folded.count where fold(line[start + offset]) != folded[offset] { continue outer }
            return start
        }
        return nil
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
    }
}
