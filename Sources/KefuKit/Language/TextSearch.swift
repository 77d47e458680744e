import Foundation

/// Substring search over UTF-8 bytes that gives exactly the answers of Foundation's `contains(_:)` and
/// `replacingOccurrences(of:with:)`, many times faster: Foundation searched every phrase table on every
/// turn and was most of a turn's time.
///
/// Foundation's search is non-literal: canonically equivalent sequences match, cluster by cluster. A byte
/// search agrees with it whenever every scalar of the text and of the phrase is "plain", that is its own
/// cluster with no canonical decomposition (ASCII, Han, CJK and full-width punctuation, quotes and dashes).
/// Anything else (accents, combining marks, kana, Hangul, emoji) goes to Foundation, so answers never change.
enum TextSearch {
    /// A scalar that is a whole cluster and canonically equivalent only to itself (checked against the
    /// Unicode data: no canonical decomposition, combining class 0, not a mark or format character).
    @inline(__always)
    static func isPlain(_ value: UInt32) -> Bool {
        switch value {
        case 0x0D: return false  // "\r\n" is one cluster
        case 0...0x7F: return true
        case 0xA0...0xAC, 0xAE...0xBF, 0xD7, 0xF7: return true  // ¥ · × ÷ (not the soft hyphen U+00AD)
        case 0x2010...0x2027, 0x2030...0x205E: return true  // dashes, quotes, ellipsis, ‰
        case 0x2190...0x2199, 0x2264, 0x2265: return true  // arrows, ≤ ≥ (not the negated forms like ≠)
        case 0x2460...0x24FF, 0x2500...0x25FF: return true  // ①, box drawing, ▶
        case 0x3000...0x3029, 0x3030...0x303F: return true  // CJK punctuation (U+302A–302F combine)
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return true  // Han (not the compatibility ideographs)
        case 0xFF01...0xFF60, 0xFFE0...0xFFE6: return true  // full-width forms
        default: return false
        }
    }

    /// The scalar starting at byte `offset` of valid UTF-8 and its length in bytes; nil for four-byte
    /// scalars, none of which is plain.
    @inline(__always)
    static func scalar(at offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> (value: UInt32, length: Int)? {
        let lead = bytes[offset]
        if lead < 0x80 { return (UInt32(lead), 1) }
        if lead < 0xE0 {
            guard offset + 1 < bytes.count else { return nil }
            return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F), 2)
        }
        guard lead < 0xF0, offset + 2 < bytes.count else { return nil }
        return (UInt32(lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6 | UInt32(bytes[offset + 2] & 0x3F), 3)
    }

    /// Whether every scalar of valid UTF-8 is plain.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                if lead == 0x0D { return false }
                i += 1
                continue
            }
            guard let (value, length) = scalar(at: i, bytes), isPlain(value) else { return false }
            i += length
        }
        return true
    }

    /// Whether the scalar starting at byte `offset` of plain UTF-8 is a letter (false past the end).
    /// In plain text a scalar is a whole `Character`, so this is `Character.isLetter`.
    static func isLetter(startingAt offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset < bytes.count else { return false }
        let lead = bytes[offset]
        if lead < 0x80 { return (lead | 0x20) >= 0x61 && (lead | 0x20) <= 0x7A }
        guard let (value, _) = scalar(at: offset, bytes), let scalar = Unicode.Scalar(value) else { return false }
        return Character(scalar).isLetter
    }

    /// Whether the scalar ending just before byte `offset` is a letter (false at the start).
    static func isLetter(endingAt offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = offset - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start >= 0 && isLetter(startingAt: start, bytes)
    }

    /// The old answer, for text a byte search cannot judge.
    static func foundationContains(_ text: String, _ phrase: String) -> Bool { text.contains(phrase) }

    /// The offset of the first occurrence of `needle` at or after `start`, or nil (also for an empty needle,
    /// as Foundation finds nothing there).
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let m = needle.count, n = haystack.count
        guard m > 0, start >= 0, m <= n - start, let base = haystack.baseAddress, let pattern = needle.baseAddress else { return nil }
        // memchr (vectorised) finds candidates by the needle's last byte, memcmp checks the rest. The last
        // byte of a Chinese character is one of 64, its first one of a handful: anchoring on the first made
        // a Chinese reply a candidate at almost every character.
        let anchor = Int32(pattern[m - 1])
        var end = start + m - 1
        while end < n {
            guard let hit = memchr(base + end, anchor, n - end) else { return nil }
            end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if m == 1 || memcmp(base + end - (m - 1), pattern, m - 1) == 0 { return end - (m - 1) }
            end += 1
        }
        return nil
    }

    /// `String.lowercased()` of plain UTF-8 (whose only cased scalars are A–Z, full-width Ａ–Ｚ and
    /// circled Ⓐ–Ⓩ), with "’" read as "'" when `straightenApostrophes`; nil when the text is not plain.
    static func lowercasedPlain(_ bytes: UnsafeBufferPointer<UInt8>, straightenApostrophes: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                if lead == 0x0D { return nil }
                out.append(lead >= 0x41 && lead <= 0x5A ? lead + 0x20 : lead)
                i += 1
                continue
            }
            guard let (value, length) = scalar(at: i, bytes), isPlain(value) else { return nil }
            let lower: UInt32
            switch value {
            case 0xFF21...0xFF3A: lower = value + 0x20
            case 0x24B6...0x24CF: lower = value + 0x1A
            case 0x2019 where straightenApostrophes: lower = 0x27
            default: lower = value
            }
            if lower == value {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<i + length]))
            } else {
                out.append(contentsOf: Unicode.Scalar(lower)!.utf8)
            }
            i += length
        }
        return out
    }
}

extension StringProtocol {
    /// Foundation's `contains(_:)` answer (false for an empty phrase), by a byte search when that is exact.
    func includes(_ phrase: String) -> Bool {
        let fast = utf8.withContiguousStorageIfAvailable { text in
            phrase.utf8.withContiguousStorageIfAvailable { needle -> Bool? in
                guard TextSearch.isPlain(needle), TextSearch.isPlain(text) else { return nil }
                return TextSearch.find(needle, in: text) != nil
            } ?? nil
        } ?? nil
        return fast ?? TextSearch.foundationContains(String(self), phrase)
    }
}

extension String {
    /// Foundation's `replacingOccurrences(of:with:)` result, by bytes when that is exact; the string itself
    /// (no copy) when the target does not occur.
    func replacingAll(_ target: String, with replacement: String) -> String {
        var copy = self
        let answer: String?? = copy.withUTF8 { text in
            target.utf8.withContiguousStorageIfAvailable { needle -> String? in
                guard TextSearch.isPlain(needle), TextSearch.isPlain(text) else { return nil }
                guard var at = TextSearch.find(needle, in: text) else { return self }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(text.count + 16)
                var done = 0
                while true {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[done..<at]))
                    bytes.append(contentsOf: replacement.utf8)
                    done = at + needle.count
                    guard let next = TextSearch.find(needle, in: text, from: done) else { break }
                    at = next
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[done...]))
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        if let answer, let answer { return answer }
        return replacingOccurrences(of: target, with: replacement)
    }
}
