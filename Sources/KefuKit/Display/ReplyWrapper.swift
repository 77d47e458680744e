/// Breaks a reply into rows that fit the terminal, by display width, so a long reply reads as one aligned
/// paragraph: left alone, the terminal breaks it at its margin, under the `kefu>` label, and can cut a word,
/// a number or a ticket id in two.
///
/// Rules, as Chinese and English typesetting have them:
/// - Between two Chinese characters a row may end; inside a run of letters, digits and the signs that go
///   with them ("T20261206-0003", "¥5,000", "2.5%", "don't") it may not; a space is a break and is dropped
///   there.
/// - Closing punctuation (，。、）」%…) never starts a row, opening punctuation (（「“) never ends one.
/// - A protected phrase (a product's name, "Steady Growth Fund", "稳盈90天") is never broken.
/// - Only a piece wider than a whole row is cut, at the last character that fits.
public struct ReplyWrapper: Sendable {
    /// The columns a row of text may take (the terminal's width less the indent).
    public var columns: Int
    /// Phrases kept on one row (unless one is wider than a whole row); where two start at the same place,
    /// the longer wins.
    public let protected: [[Character]]

    public init(columns: Int, protectedPhrases: [String] = []) {
        self.columns = columns
        self.protected = Set(protectedPhrases.filter { $0.count > 1 }).sorted { $0.count > $1.count }.map(Array.init)
    }

    /// The rows of one paragraph (a line of the reply without "\n"). A line that begins with a list marker
    /// ("1) ", "- ", "· ") continues under the text after the marker.
    public func rows(of paragraph: String) -> [String] {
        let characters = Array(paragraph)
        guard columns >= 8, !characters.isEmpty, DisplayWidth.of(paragraph) > columns else {
            return [paragraph]
        }
        let hanging = ReplyWrapper.hangingIndent(characters, columns: columns)
        let breakable = breakOpportunities(characters)
        var rows: [String] = []
        var row: [Character] = []
        var rowWidth = 0
        var atRowStart = true
        func endRow() {
            rows.append(String(row).trimmingTrailingSpaces())
            row = hanging
            rowWidth = hanging.count
            atRowStart = true
        }
        var index = 0
        while index < characters.count {
            // The next piece: from here up to the next place a row may end.
            var end = index + 1
            while end < characters.count && !breakable[end] { end += 1 }
            var start = index
            if atRowStart && !rows.isEmpty {
                while start < end && characters[start] == " " { start += 1 }  // a break at a space drops it
                if start == end { index = end; continue }
            }
            let piece = characters[start..<end]
            let pieceWidth = width(Array(piece))
            if rowWidth + pieceWidth <= columns {
                row += piece
                rowWidth += pieceWidth
                atRowStart = false
                index = end
                continue
            }
            if !atRowStart {
                endRow()
                continue
            }
            // A piece wider than a whole row: cut it at the last character that fits.
            var cut = start
            while cut < end {
                let w = DisplayWidth.of(String(characters[cut]))
                if rowWidth + w > columns && cut > start { break }
                row.append(characters[cut])
                rowWidth += w
                cut += 1
            }
            index = cut
            endRow()
        }
        if !atRowStart || rows.isEmpty { rows.append(String(row).trimmingTrailingSpaces()) }
        return rows
    }

    /// `text` after `label` ("kefu> ", "customer> "), each of its lines wrapped, every row after the first
    /// starting under the text. The wrapper's columns must leave room for the label.
    public func labelled(_ text: String, label: String) -> String {
        let indent = String(repeating: " ", count: DisplayWidth.of(label))
        let rows = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { self.rows(of: String($0)) }
        return rows.enumerated()
            .map { $0.offset == 0 ? label + $0.element : ($0.element.isEmpty ? "" : indent + $0.element) }
            .joined(separator: "\n")
    }

    /// For each position, whether a row may end just before it.
    func breakOpportunities(_ characters: [Character]) -> [Bool] {
        var breakable = [Bool](repeating: false, count: characters.count)
        for index in 1..<max(1, characters.count) {
            let before = characters[index - 1], after = characters[index]
            if ReplyWrapper.closing.contains(after) || ReplyWrapper.opening.contains(before) { continue }
            if after == " " { breakable[index] = before != " "; continue }
            if before == " " { breakable[index] = true; continue }
            if isIdeographic(before) || isIdeographic(after) { breakable[index] = true }
        }
        // Nothing breaks inside a protected phrase.
        var index = 0
        while index < characters.count {
            if let phrase = protected.first(where: { matches($0, characters, at: index) }) {
                for inner in (index + 1)..<(index + phrase.count) { breakable[inner] = false }
                index += phrase.count
            } else {
                index += 1
            }
        }
        return breakable
    }

    private func matches(_ phrase: [Character], _ characters: [Character], at index: Int) -> Bool {
        guard index + phrase.count <= characters.count, characters[index] == phrase[0] else { return false }
        for offset in 1..<phrase.count where characters[index + offset] != phrase[offset] { return false }
        return true
    }

    private func isIdeographic(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return DisplayWidth.of(scalar) == 2
    }

    private func width(_ characters: [Character]) -> Int {
        characters.reduce(0) { $0 + DisplayWidth.of(String($1)) }
    }

    /// Never at the start of a row.
    static let closing: Set<Character> = Set("，。、；：！？）」』》〉】〕”’…%,.;:!?)]}·～—")
    /// Never at the end of a row.
    static let opening: Set<Character> = Set("（「『《〈【〔“‘([{¥$")

    /// The spaces a list item's continuation rows start with: the width of "1) ", "- ", "· " and any
    /// indent before them; none for an ordinary paragraph, or when that would leave too little room.
    static func hangingIndent(_ characters: [Character], columns: Int) -> [Character] {
        var index = 0
        while index < characters.count && characters[index] == " " { index += 1 }
        var marker = index
        func followedBySpace(_ at: Int) -> Bool { at < characters.count && characters[at] == " " }
        if marker < characters.count, "-•·*".contains(characters[marker]), followedBySpace(marker + 1) {
            marker += 1  // "- item", never "-5%"
        } else {
            while marker < characters.count, characters[marker].isASCII, characters[marker].isNumber { marker += 1 }
            // "1) ", "1. " need the space ("3.5%" is no list); "1、" and "1）" are Chinese list markers as they are.
            if marker > index, marker < characters.count,
               ("）、".contains(characters[marker]) || (").".contains(characters[marker]) && followedBySpace(marker + 1))) {
                marker += 1
            } else {
                marker = index
            }
        }
        while marker < characters.count && characters[marker] == " " { marker += 1 }
        let width = DisplayWidth.of(String(characters[0..<marker]))
        return width * 2 < columns ? Array(repeating: " ", count: width) : []
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var characters = Substring(self)
        while characters.last == " " { characters.removeLast() }
        return String(characters)
    }
}
