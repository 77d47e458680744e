/// Brings the many ways people type the same words to one form before matching: full-width letters
/// and digits become ASCII, case is folded, punctuation becomes a space, invisible characters vanish,
/// traditional Chinese characters become simplified, and runs of one character ("sooo", "好好好好") are shortened to two.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = true
        var previous: Unicode.Scalar?
        var runLength = 0
        for var scalar in text.unicodeScalars {
            // Full-width ASCII variants (Ａ, １, ？) and the ideographic space.
            if (0xFF01...0xFF5E).contains(scalar.value) {
                scalar = Unicode.Scalar(scalar.value - 0xFEE0)!
            } else if scalar.value == 0x3000 {
                scalar = " "
            }
            if TextNormalizer.isInvisible(scalar) { continue }
            // Traditional characters as simplified (帳戶 as 账户): see `ChineseScript`.
            if let simple = ChineseScript.simplified(scalar) { scalar = simple }
            if scalar.isASCII {
                if ("A"..."Z").contains(scalar) { scalar = Unicode.Scalar(scalar.value + 32)! }
            } else if !TextNormalizer.isHan(scalar) && scalar.properties.changesWhenLowercased {
                scalar = scalar.properties.lowercaseMapping.unicodeScalars.first ?? scalar
            }
            let keep = TextNormalizer.isWordScalar(scalar) || scalar == "'"
            if !keep {
                if !lastWasSpace { out.append(" "); lastWasSpace = true }
                previous = nil
                runLength = 0
                continue
            }
            if scalar == "'" { continue }  // "don't" -> "dont", "what's" -> "whats"
            if scalar == previous {
                runLength += 1
                if runLength > 2 && !("0"..."9").contains(scalar) { continue }
            } else {
                previous = scalar
                runLength = 1
            }
            out.append(scalar)
            lastWasSpace = false
        }
        if out.last == " " { out.removeLast() }
        return String(out)
    }

    /// Letters, digits and CJK ideographs carry meaning; everything else separates words.
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        if isHan(scalar) { return true }
        let category = scalar.properties.generalCategory
        switch category {
        case .lowercaseLetter, .uppercaseLetter, .titlecaseLetter, .otherLetter, .modifierLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0xF900...0xFAFF: return true
        default: return false
        }
    }

    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        // ASCII and Han hold no marks or format characters: answered without a Unicode property lookup,
        // which made normalising the examples most of loading a large knowledge base.
        case 0..<0x80, 0x4E00...0x9FFF: return false
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFEFF, 0x00AD: return true
        default:
            let category = scalar.properties.generalCategory
            return category == .nonspacingMark || category == .enclosingMark || category == .format
        }
    }
}
