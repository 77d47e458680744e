/// Reads traditional Chinese as simplified, character by character, before anything reads a line: customers in Hong
/// Kong, Macau and Taiwan, and many older customers, type 帳戶 and 還, while the knowledge is written in 账户 and 还.
/// "欠債還不起，活著還有什麼意義" (safety round 8) was no escalation (despair 0.05) although "欠债还不起，活着还有什么意义"
/// escalates at once; "帳戶被盜用，有陌生人轉帳出去" was read as nothing. Script, not meaning: a fixed character table
/// (`pairs`), so it lives in code (see knowledge/README.md, "What stays in code").
public enum ChineseScript {
    /// The simplified text. Characters the table does not hold (simplified ones, Cantonese 嘅/喺/冇, all other scripts)
    /// are kept as they are; no simplified form is itself in the table, so reading twice is reading once. (A few
    /// characters also typed in simplified text are folded, 著 as 着, and Cantonese 係 and 搵 as 系 and 揾: examples and
    /// lines alike, so they still meet.)
    public static func simplified(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { simplified($0) != nil }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { out.append(simplified(scalar) ?? scalar) }
        return String(out)
    }

    /// The simplified form of one traditional character, or nil.
    static func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let value = scalar.value
        guard value >= first, value <= last else { return nil }
        let simple = table[Int(value - first)]
        return simple == 0 ? nil : Unicode.Scalar(simple)
    }

    private static let first: UInt32 = 0x4E00
    private static let last: UInt32 = 0x9FFF

    /// One slot per character of the block: its simplified form, or 0.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: Int(last - first) + 1)
        var traditional: UInt32?
        for scalar in pairs.unicodeScalars where scalar.value >= first && scalar.value <= last {
            if let from = traditional {
                table[Int(from - first)] = scalar.value
                traditional = nil
            } else {
                traditional = scalar.value
            }
        }
        return table
    }()
}
