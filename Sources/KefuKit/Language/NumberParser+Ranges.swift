/// Ranges, signs and currencies: the readings where taking one number silently would be a guess.
extension NumberParser {
    /// What joins the two ends of a range: 1-2万, 8000~10000, 一到两万, 3至5年.
    static let rangeMarks: Set<Unicode.Scalar> = ["-", "–", "—", "~", "到", "至"]
    /// Marks of a currency that is not yuan. `$` alone is included: a dollar amount is asked about, not converted.
    static let foreignBefore = ["$", "usd", "€", "£", "hk$", "us$"]
    static let foreignAfter = ["dollars", "dollar", "bucks", "usd", "美元", "美金", "港币", "港元", "欧元", "日元", "英镑", "euro", "pounds", "hkd"]

    /// Time units a range may repeat after its first end ("两年到三年"); longest first.
    static let repeatableUnits = ["个月", "年", "月"]

    /// What follows a number that starts a time span: 一万一个月 is 10,000 a month, not 11,000.
    static let spanStarts: Set<Unicode.Scalar> = ["个", "年", "月"]

    /// The multiplier a unit applied (1万5 = 15,000 carries 万 = 10,000).
    static func unitScale(_ ratio: Double) -> Double {
        [100_000_000, 1_000_000, 10_000, 1000, 100].first { ratio >= $0 } ?? 1
    }

    /// 负三千, -5000: the offset of the sign, unless the dash joins two numbers (that is a range or an id).
    static func negativeSign(_ s: [Unicode.Scalar], before start: Int) -> Int? {
        guard start > 0 else { return nil }
        let c = s[start - 1]
        if c == "负" { return start - 1 }
        guard c == "-" || c == "−" else { return nil }
        if start >= 2 {
            let p = s[start - 2]
            if isDigit(p) || ("a"..."z").contains(p) || chineseDigits[p] != nil || chineseUnits[p] != nil { return nil }
        }
        return start - 1
    }

    /// "1-2万", "8000-10000", "一到两万", "3 to 5 years": one mention, `value` the lower end and `upper` the
    /// higher. A bare lower end shares the upper end's unit when that keeps it below ("1-2万" = 1万–2万,
    /// "8000-1万" = 8,000–10,000). Nil when what follows is no higher number (then they stay two mentions).
    func range(_ s: [Unicode.Scalar], _ first: NumberMention) -> NumberMention? {
        guard first.upper == nil else { return nil }
        var j = first.end
        while j < s.count && s[j] == " " { j += 1 }
        guard j < s.count else { return nil }
        var k: Int
        // "两年到三年", "3个月到6个月": the first end's time unit repeated before the mark; the range is read as "两到三年".
        var repeatedUnit: [Unicode.Scalar] = []
        for unit in NumberParser.repeatableUnits {
            let scalars = Array(unit.unicodeScalars)
            if j + scalars.count < s.count, Array(s[j..<(j + scalars.count)]) == scalars, NumberParser.rangeMarks.contains(s[j + scalars.count]) {
                repeatedUnit = scalars
                j += scalars.count
                break
            }
        }
        if NumberParser.rangeMarks.contains(s[j]) {
            k = j + 1
        } else if j + 3 <= s.count, String(scalars: s[j..<(j + 3)]) == "to " || String(scalars: s[j..<(j + 3)]) == "or " {
            // "2 to 3 years", and "2 or 3 years" (a customer unsure between two is giving a range too).
            k = j + 3
        } else if j + 4 <= s.count, String(scalars: s[j..<(j + 4)]) == "and ",
                  String(scalars: s[max(0, first.start - 8)..<first.start]).hasSuffix("between ") {
            // "each month between 8000 and 12000": read as 8000 and then 12000, the income was the higher.
            k = j + 4
        } else {
            return nil
        }
        while k < s.count && s[k] == " " { k += 1 }
        guard k < s.count else { return nil }
        let second: NumberMention?
        if NumberParser.isDigit(s[k]) {
            second = arabicMention(s, from: k)
        } else if NumberParser.chineseDigits[s[k]] != nil || s[k] == "十" {
            second = chineseMention(s, from: k)
        } else {
            return nil
        }
        guard let second, second.upper == nil else { return nil }
        if !repeatedUnit.isEmpty {
            // Only the same unit after the second end makes one range ("两年到三年", not "两年到三万").
            var after = second.end
            while after < s.count && s[after] == " " { after += 1 }
            guard after + repeatedUnit.count <= s.count, Array(s[after..<(after + repeatedUnit.count)]) == repeatedUnit else { return nil }
        }
        var lower = first.value
        if !first.hasMagnitude, second.hasMagnitude, lower * second.scale < second.value { lower *= second.scale }
        // "一到两成": the bare lower end is in tenths too (10% to 20%, not 1% to 20%).
        if second.isPercent, !first.isPercent, second.end > 0, s[second.end - 1] == "成", lower * 10 <= second.value { lower *= 10 }
        guard lower < second.value else { return nil }
        var m = second
        m.start = first.start
        m.value = lower
        m.upper = second.value
        m.isApproximate = first.isApproximate || second.isApproximate
        m.hasCurrency = first.hasCurrency || second.hasCurrency
        m.isForeignCurrency = first.isForeignCurrency || second.isForeignCurrency
        m.isPercent = first.isPercent || second.isPercent
        return m
    }
}
