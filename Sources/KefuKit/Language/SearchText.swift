/// A text prepared once for many phrase searches (a message against the phrase tables): its UTF-8
/// bytes, and whether a byte search is exact for it (see `TextSearch`), decided once instead of per phrase.
struct SearchText {
    let string: String
    private let bytes: [UInt8]
    private let isPlain: Bool

    init(_ string: String) {
        let bytes = Array(string.utf8)
        self.init(string: string, bytes: bytes, isPlain: bytes.withUnsafeBufferPointer { TextSearch.isPlain($0) })
    }

    /// `SearchText(string.lowercased())`, with "’" read as "'" when `straightenApostrophes`, made in one
    /// pass for plain text (lowercasing every reply was half of the compliance check).
    init(lowercasing string: String, straightenApostrophes: Bool) {
        var copy = string
        if let lower = copy.withUTF8({ TextSearch.lowercasedPlain($0, straightenApostrophes: straightenApostrophes) }) {
            self.init(string: String(decoding: lower, as: UTF8.self), bytes: lower, isPlain: true)
        } else {
            let lower = string.lowercased()
            self.init(straightenApostrophes ? lower.replacingAll("’", with: "'") : lower)
        }
    }

    private init(string: String, bytes: [UInt8], isPlain: Bool) {
        self.string = string
        self.bytes = bytes
        self.isPlain = isPlain
    }

    /// Foundation's `contains(_:)` answer.
    func contains(_ phrase: String) -> Bool {
        let found: Bool? = phrase.utf8.withContiguousStorageIfAvailable { contains(needle: $0) } ?? nil
        return found ?? TextSearch.foundationContains(string, phrase)
    }

    /// Chinese words match anywhere; English words (starting with an ASCII scalar) match whole words only.
    func containsWord(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first.isASCII else { return contains(word) }
        let found: Bool? = word.utf8.withContiguousStorageIfAvailable { containsWord(needle: $0) } ?? nil
        return found ?? ProfileExtractor.containsWordByCharacters(string, word)
    }

    func containsAny(_ phrases: [String]) -> Bool { phrases.contains { contains($0) } }

    /// Whether any phrase of the list is contained (`contains`).
    func containsAny(_ list: PhraseList) -> Bool {
        guard isPlain else { return list.phrases.contains { TextSearch.foundationContains(string, $0) } }
        return bytes.withUnsafeBufferPointer { haystack in
            for k in list.phrases.indices {
                let found = list.isPlain[k]
                    ? list.utf8[k].withUnsafeBufferPointer { TextSearch.find($0, in: haystack) != nil }
                    : TextSearch.foundationContains(string, list.phrases[k])
                if found { return true }
            }
            return false
        }
    }

    /// Whether any phrase of the list is contained as a word (`containsWord`).
    func containsAnyWord(_ list: PhraseList) -> Bool {
        guard isPlain else {
            return list.phrases.indices.contains { k in
                list.startsWithASCII[k] ? ProfileExtractor.containsWordByCharacters(string, list.phrases[k])
                    : TextSearch.foundationContains(string, list.phrases[k])
            }
        }
        return bytes.withUnsafeBufferPointer { haystack in
            for k in list.phrases.indices {
                let found: Bool
                if !list.isPlain[k] {
                    found = list.startsWithASCII[k] ? ProfileExtractor.containsWordByCharacters(string, list.phrases[k])
                        : TextSearch.foundationContains(string, list.phrases[k])
                } else {
                    found = list.utf8[k].withUnsafeBufferPointer { needle in
                        list.startsWithASCII[k] ? SearchText.findWord(needle, in: haystack) : TextSearch.find(needle, in: haystack) != nil
                    }
                }
                if found { return true }
            }
            return false
        }
    }

    /// The byte search's answer, or nil when it would not be exact.
    private func contains(needle: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard isPlain, TextSearch.isPlain(needle) else { return nil }
        return bytes.withUnsafeBufferPointer { TextSearch.find(needle, in: $0) != nil }
    }

    /// `findWord`, or nil when a byte search would not be exact.
    private func containsWord(needle: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard isPlain, TextSearch.isPlain(needle) else { return nil }
        return bytes.withUnsafeBufferPointer { SearchText.findWord(needle, in: $0) }
    }

    /// An occurrence of `needle` in plain text with no letter on either side.
    private static func findWord(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let at = TextSearch.find(needle, in: haystack, from: from) {
            if !TextSearch.isLetter(endingAt: at, haystack) && !TextSearch.isLetter(startingAt: at + needle.count, haystack) { return true }
            from = at + 1
        }
        return false
    }
}

/// A fixed list of phrases (a vocabulary table) with each phrase's bytes and plainness worked out once.
struct PhraseList: ExpressibleByArrayLiteral, Sendable {
    let phrases: [String]
    fileprivate let utf8: [[UInt8]]
    fileprivate let isPlain: [Bool]
    fileprivate let startsWithASCII: [Bool]

    init(_ phrases: [String]) {
        self.phrases = phrases
        utf8 = phrases.map { Array($0.utf8) }
        isPlain = utf8.map { bytes in bytes.withUnsafeBufferPointer { TextSearch.isPlain($0) } }
        startsWithASCII = phrases.map { $0.unicodeScalars.first?.isASCII ?? false }
    }

    init(arrayLiteral phrases: String...) { self.init(phrases) }
}
