/// A number as a customer wrote it, found inside a message.
public struct NumberMention: Sendable, Equatable {
    public var value: Double
    /// Scalar offsets into the scanned text, for reading the words around the number.
    public var start: Int
    public var end: Int
    /// Had a magnitude unit (万, 千, k, w, thousand…): certainly an amount of money, not an age.
    public var hasMagnitude: Bool
    public var isPercent: Bool
    /// ¥, 元, RMB, $, yuan… next to it.
    public var hasCurrency: Bool
    /// 左右, 大概, about, around… next to it.
    public var isApproximate: Bool
    /// The upper end of a range ("1-2万", "一到两万", "两三万", "十几年"); `value` is then the lower end, the
    /// cautious reading, and the caller says so rather than picking one silently.
    public var upper: Double? = nil
    /// $, USD, dollars, 美元, 港币…: not yuan, so never to be read as yuan without asking.
    public var isForeignCurrency = false
    /// The unit multiplier the number carried (万 = 10,000); a bare lower end of a range shares it ("1-2万").
    var scale: Double = 1
}

/// Reads numbers the way people write them: Arabic and Chinese numerals (三十五, 两万, 一万五, 1.5万),
/// units 万/千/k/w, thousands separators, currency marks and approximate words.
public struct NumberParser: Sendable {
    /// Whether "1-2万" is one range rather than 1 and 2万 (the rehearsal's fact checker judges each figure).
    public var readsRanges: Bool

    public init(readsRanges: Bool = true) { self.readsRanges = readsRanges }

    static let chineseDigits: [Unicode.Scalar: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let chineseUnits: [Unicode.Scalar: Int] = ["十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000]

    /// Lowercases and folds full-width forms, keeping punctuation (decimal points, %, ¥) that matters here.
    public static func fold(_ text: String) -> [Unicode.Scalar] {
        var folded = text.unicodeScalars.map { scalar -> Unicode.Scalar in
            var s = scalar
            if (0xFF01...0xFF5E).contains(s.value) { s = Unicode.Scalar(s.value - 0xFEE0)! }
            if s.value == 0x3000 { s = " " }
            if s.value == 0x2019 { s = "'" }  // a curly apostrophe ("can’t") is the straight one
            if ("A"..."Z").contains(s) { s = Unicode.Scalar(s.value + 32)! }
            return s
        }
        // The numerals of cheques and receipts ("贰万伍仟元" was ¥1,000): a cheque digit is the everyday one beside another
        // cheque numeral, a unit or 元; a cheque unit (拾, 佰, 仟) beside a cheque numeral, a figure, 万, 亿 or 元. So 伍, 陆 and 拾
        // stay words beside an everyday digit: "我叫陆一鸣" and "我先收拾一下", asked the age, were eleven-year-olds.
        let original = folded
        for i in original.indices {
            guard let plain = formalNumerals[original[i]] else { continue }
            let isUnit = formalUnits.contains(original[i])
            let beside = { (k: Int) -> Bool in
                guard original.indices.contains(k) else { return false }
                let c = original[k]
                if formalNumerals[c] != nil || ["元", "圆", "块", "整", "万", "亿"].contains(c) { return true }
                return isUnit ? isDigit(c) : chineseUnits[c] != nil
            }
            if beside(i - 1) || beside(i + 1) { folded[i] = plain }
        }
        return folded
    }

    /// The cheque units among `formalNumerals` (拾, 佰, 仟, 萬, 億).
    static let formalUnits = Set(formalNumerals.filter { chineseUnits[$0.value] != nil }.keys)

    /// Whether the 个 at `index` counts ten-thousands or hundred-millions: "5个w", "两个亿" (not "三个月", "五个人").
    /// Not when the unit starts a word: 万一 ("一个万一" is "in case"), 万能险, 万科, 亿万富翁.
    static func countsTenThousands(_ s: [Unicode.Scalar], after index: Int) -> Bool {
        guard index + 1 < s.count else { return false }
        let next = s[index + 1], following: Unicode.Scalar? = index + 2 < s.count ? s[index + 2] : nil
        if let following, next == "万" || next == "亿", wordsAfterUnit.contains(following) { return false }
        return next == "万" || next == "亿" || ((next == "w" || next == "W") && !(following.map { ("a"..."z").contains($0) } ?? false))
    }

    /// Characters that make 万 or 亿 the start of a word rather than a unit, after 个.
    static let wordsAfterUnit: Set<Unicode.Scalar> = ["一", "能", "科", "达", "事", "分", "物", "里", "岁", "幸", "万", "象", "向", "全"]

    /// The old single characters for twenty and thirty: 廿万 = 200,000.
    static let tens: [Unicode.Scalar: Double] = ["廿": 20, "卅": 30]

    /// Financial (anti-fraud) numerals and traditional units, read as the everyday ones.
    static let formalNumerals: [Unicode.Scalar: Unicode.Scalar] = [
        "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八",
        "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿",
    ]

    public func mentions(in text: String) -> [NumberMention] { mentions(inFolded: NumberParser.fold(text)) }

    public func mentions(inFolded s: [Unicode.Scalar]) -> [NumberMention] {
        var result: [NumberMention] = []
        var i = 0
        while i < s.count {
            if NumberParser.isDigit(s[i]) || (s[i] == "." && i + 1 < s.count && NumberParser.isDigit(s[i + 1]) && (i == 0 || !NumberParser.isDigit(s[i - 1]))) {
                if let mention = arabicMention(s, from: i) {
                    let full = finish(s, mention)
                    if NumberParser.isPlausible(full.value) { result.append(full) }
                    i = full.end
                    continue
                }
            } else if (s[i] == "万" || s[i] == "千"), i + 1 < s.count, s[i + 1] == "把" || s[i + 1] == "几", i == 0 || NumberParser.chineseDigits[s[i - 1]] == nil {
                // 万把块, 千把块: "a ten-thousand or so", read as the round figure; Cantonese 万几蚊 ("一个月净落大概万几蚊啦"),
                // ten thousand and some, at its lower end.
                let value: Double = s[i] == "万" ? 10_000 : 1_000
                var mention = NumberMention(value: value, start: i, end: i + 2, hasMagnitude: true, isPercent: false, hasCurrency: false, isApproximate: true)
                if i + 2 < s.count, s[i + 2] == "块" || s[i + 2] == "元" || s[i + 2] == "蚊" { mention.end += 1; mention.hasCurrency = true }
                result.append(mention)
                i = mention.end
                continue
            } else if NumberParser.isSchoolYear(s, at: i) {
                // 初二, 高三, 大一: a school year ("闺女现在初二"), not a number of anything.
                i += 1
                continue
            } else if NumberParser.chineseDigits[s[i]] != nil || (s[i] == "十" ) || (s[i] == "半") || NumberParser.tens[s[i]] != nil {
                if let mention = chineseMention(s, from: i) {
                    let full = finish(s, mention)
                    // 几十万, 几千块: "some tens of thousands" is no figure ("手上有笔拆迁款，几十万" is not 100,000 to invest).
                    let vague = i > 0 && s[i - 1] == "几"
                    if NumberParser.isPlausible(full.value), !vague { result.append(full) }
                    i = full.end
                    continue
                }
            }
            i += 1
        }
        return result
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }

    /// A comma that groups digits: exactly three digits follow it ("22,000"; not the list "3,4" nor "1,2345").
    static func isGroupingComma(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        s[i] == "," && (1...3).allSatisfy { i + $0 < s.count && isDigit(s[i + $0]) } && !(i + 4 < s.count && isDigit(s[i + 4]))
    }

    /// A point that groups thousands: "000" after it and two or three digits before ("250.000"), or three digits and another
    /// such point ("1.500.000"). "1.500" and a fund's value "净值1.000" stay one and a half and one.
    static func isGroupingPoint(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        guard s[i] == ".", (1...3).allSatisfy({ i + $0 < s.count && isDigit(s[i + $0]) }), !(i + 4 < s.count && isDigit(s[i + 4])) else { return false }
        if i + 4 < s.count && s[i + 4] == "." && isGroupingPoint(s, at: i + 4) { return true }
        var digitsBefore = 0
        while i - digitsBefore - 1 >= 0, isDigit(s[i - digitsBefore - 1]) { digitsBefore += 1 }
        return (2...3).contains(digitsBefore) && (1...3).allSatisfy { s[i + $0] == "0" }
    }

    /// A space that groups thousands, as French, Russian and many Europeans write them: one to three digits before it, then
    /// exactly three digits and no letter or further digit ("40 000 yuan", "1 200 000"). "40 000 yuan", asked the amount, was
    /// read as 0 and the question came back eight times. A phone number's groups ("138 1234 5678") and "35 100k" stay apart.
    static func isGroupingSpace(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        guard [" ", "\u{00A0}", "\u{202F}", "\u{2009}"].contains(s[i]), (1...3).allSatisfy({ i + $0 < s.count && isDigit(s[i + $0]) }) else { return false }
        if i + 4 < s.count {
            let after = s[i + 4]
            if isDigit(after) || after.properties.isAlphabetic && !(0x4E00...0x9FFF).contains(after.value) { return false }
            // "我今年45 100万": an age, then an amount with its unit, not ¥451,000,000.
            if ["%", "万", "亿", "千", "百", "w", "W", "k", "K"].contains(after) { return false }
        }
        var digitsBefore = 0
        while i - digitsBefore - 1 >= 0, isDigit(s[i - digitsBefore - 1]) { digitsBefore += 1 }
        return (1...3).contains(digitsBefore)
    }

    /// A single numeral right after 初, 高 or 大 with no unit after it: 初二, 高三, 大一 are school years.
    static func isSchoolYear(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        guard i > 0, ["初", "高", "大"].contains(s[i - 1]), let digit = chineseDigits[s[i]], (1...6).contains(digit) else { return false }
        guard i + 1 < s.count else { return true }
        let next = s[i + 1]
        return chineseDigits[next] == nil && chineseUnits[next] == nil && !["年", "个", "岁", "块", "元", "月", "%", "成"].contains(next)
    }

    /// A mention with its sign and, when it opens a range, the range's upper end.
    private func finish(_ s: [Unicode.Scalar], _ mention: NumberMention) -> NumberMention {
        var m = readsRanges ? range(s, mention) ?? mention : mention
        if let upper = m.upper, !NumberParser.isPlausible(upper) { m = mention }  // "1-99999999999999999999万": no range
        if let sign = NumberParser.negativeSign(s, before: m.start) {
            m.value = -m.value
            m.upper = m.upper.map { -$0 }
            m.start = sign
        }
        return m
    }

    /// The largest number taken from a message (a thousand trillion). Anything bigger (a pasted run of
    /// digits, "99999999999999999999万") is no age, income or amount, and would overflow the Int
    /// conversions downstream (the dialogue fuzzer found `Int(value)` trapping on one).
    public static let maximumValue = 1e15

    static func isPlausible(_ value: Double) -> Bool { value.isFinite && abs(value) <= maximumValue }

    func arabicMention(_ s: [Unicode.Scalar], from start: Int) -> NumberMention? {
        var i = start
        var digits = ""
        var sawPoint = false
        while i < s.count {
            let c = s[i]
            if NumberParser.isDigit(c) {
                digits.unicodeScalars.append(c)
                i += 1
            } else if !sawPoint, NumberParser.isGroupingComma(s, at: i) {
                i += 1  // thousands separator: exactly three digits follow
            } else if !sawPoint, NumberParser.isGroupingPoint(s, at: i) {
                i += 1  // "250.000 yuan", "1.500.000": a point that groups thousands, as in German and Russian
            } else if !sawPoint, NumberParser.isGroupingSpace(s, at: i) {
                i += 1  // "40 000 yuan", "1 200 000": a space that groups thousands
            } else if c == ".", !sawPoint, i + 1 < s.count, NumberParser.isDigit(s[i + 1]) {
                sawPoint = true
                digits += "."
                i += 1
            } else {
                break
            }
        }
        guard var value = Double(digits.hasPrefix(".") ? "0" + digits : digits) else { return nil }
        var mention = NumberMention(value: value, start: start, end: i, hasMagnitude: false, isPercent: false, hasCurrency: false, isApproximate: false)
        let written = value
        applyUnits(s, &mention, &value)
        if mention.hasMagnitude && written != 0 { mention.scale = NumberParser.unitScale(value / written) }
        mention.value = value
        return decorate(s, mention)
    }

    private func applyUnits(_ s: [Unicode.Scalar], _ mention: inout NumberMention, _ value: inout Double) {
        var i = mention.end
        while i < s.count && s[i] == " " { i += 1 }
        if i < s.count, s[i] == "个", NumberParser.countsTenThousands(s, after: i) { i += 1 }  // "5个w" was ¥5
        guard i < s.count else { return }
        let rest = String(scalars: s[i..<min(s.count, i + 9)])
        let lettersFollow: (Int) -> Bool = { k in k < s.count && ("a"..."z").contains(s[k]) }
        if s[i] == "万" || (s[i] == "w" && !lettersFollow(i + 1)) {
            value *= 10_000
            mention.end = i + 1
            mention.hasMagnitude = true
            // 1万5 = 15,000 (a trailing digit counts thousands)
            if i + 1 < s.count, let d = NumberParser.chineseDigits[s[i + 1]] ?? (NumberParser.isDigit(s[i + 1]) && !(i + 2 < s.count && NumberParser.isDigit(s[i + 2])) ? Int(String(s[i + 1])) : nil), d > 0,
               !(i + 2 < s.count && (NumberParser.chineseUnits[s[i + 2]] != nil || s[i + 2] == "岁" || NumberParser.spanStarts.contains(s[i + 2]))) {
                value += Double(d) * 1000
                mention.end = i + 2
            }
        } else if s[i] == "千" || (s[i] == "k" && !lettersFollow(i + 1)) {
            value *= 1000
            mention.end = i + 1
            mention.hasMagnitude = true
            if i + 1 < s.count, let d = NumberParser.chineseDigits[s[i + 1]], d > 0 {
                value += Double(d) * 100
                mention.end = i + 2
            }
        } else if s[i] == "亿" {
            value *= 100_000_000
            mention.end = i + 1
            mention.hasMagnitude = true
        } else if s[i] == "百" && !(i + 1 < s.count && s[i + 1] == "分") {
            value *= 100
            mention.end = i + 1
            mention.hasMagnitude = true
        } else if rest.hasPrefix("thousand") {
            value *= 1000
            mention.end = i + 8
            mention.hasMagnitude = true
        } else if rest.hasPrefix("grand") {
            // "about 8 grand a month" is 8,000.
            value *= 1000
            mention.end = i + 5
            mention.hasMagnitude = true
        } else if rest.hasPrefix("million") {
            value *= 1_000_000
            mention.end = i + 7
            mention.hasMagnitude = true
        } else if rest.hasPrefix("mil") && !lettersFollow(i + 3) {
            // "half a mil", "1.5 mil"
            value *= 1_000_000
            mention.end = i + 3
            mention.hasMagnitude = true
        } else if rest.hasPrefix("lakh") || rest.hasPrefix("lac ") {
            // "2 lakh RMB" (Indian English): a hundred thousand.
            value *= 100_000
            mention.end = i + (rest.hasPrefix("lakh") ? 4 : 3)
            mention.hasMagnitude = true
        } else if s[i] == "m", i == mention.end, !lettersFollow(i + 1) {
            // "1.2m", "1m of the 1.2m": millions, written right after the digits.
            value *= 1_000_000
            mention.end = i + 1
            mention.hasMagnitude = true
        } else if rest.hasPrefix("mn") && !lettersFollow(i + 2) {
            value *= 1_000_000
            mention.end = i + 2
            mention.hasMagnitude = true
        }
    }

    /// `decorated`: with the percent, currency and approximate marks around it (the lower end of a pair is read bare, and
    /// the pair decorated once: decorated twice, 一两成 was 100% to 20%).
    func chineseMention(_ s: [Unicode.Scalar], from start: Int, decorated: Bool = true) -> NumberMention? {
        if s[start] == "半" {
            // 半年 = half a year: a number only in time expressions.
            // (上半年, 下半年 are halves of the calendar year: "婚礼定在明年下半年" is a date, not six months.)
            guard start + 1 < s.count, s[start + 1] == "年", start == 0 || (s[start - 1] != "上" && s[start - 1] != "下") else { return nil }
            return decorate(s, NumberMention(value: 0.5, start: start, end: start + 1, hasMagnitude: false, isPercent: false, hasCurrency: false, isApproximate: false))
        }
        var i = start
        var total = 0.0       // completed 万/亿 sections
        var section = 0.0     // below 万
        var digit: Double?    // pending digit
        var lastUnit = 1
        var sawZero = false
        var hasMagnitude = false
        var pairAt: Int?      // the second digit of 两三万
        var fewAt: Int?       // the 几 of 十几
        var approximateTail = false  // the 来 of 三十来万
        while i < s.count {
            let c = s[i]
            if let d = NumberParser.chineseDigits[c] {
                if d == 0 {
                    // 一万零五: the zero only marks a skipped place.
                    sawZero = true
                    i += 1
                    continue
                }
                if let previous = digit {
                    // 两三万, 七八千, 十二三: two neighbouring digits are a range; other pairs (一二) are no number.
                    // 三五年 is the one everyday pair that skips a digit ("three to five years").
                    guard pairAt == nil, Double(d) == previous + 1 || (previous == 3 && d == 5) else { break }
                    pairAt = i
                }
                digit = Double(d)
                i += 1
            } else if let unit = NumberParser.chineseUnits[c] ?? ((c == "w" || c == "W") && i > start && !(i + 1 < s.count && ("a"..."z").contains(s[i + 1])) ? 10_000 : nil) {
                // (三四w, 两w: the w of 万, as typed on a phone.)
                if unit >= 10_000 {
                    section += digit ?? 0
                    total = (total + (section == 0 ? 1 : section)) * Double(unit)
                    section = 0
                    hasMagnitude = true
                } else {
                    section += (digit ?? 1) * Double(unit)
                    if unit >= 100 { hasMagnitude = true }
                }
                digit = nil
                lastUnit = unit
                sawZero = false
                i += 1
            } else if let tens = NumberParser.tens[c], i == start || lastUnit >= 10_000 {
                section += tens
                digit = nil
                lastUnit = 10
                sawZero = false
                i += 1
            } else if c == "个", digit != nil || lastUnit == 10, NumberParser.countsTenThousands(s, after: i) {
                // 四个W, 二十五个W, 两个亿: 个 counts the 万 that follows ("二十五个W" was ¥25).
                i += 1
            } else if c == "几", digit == nil, lastUnit == 10, fewAt == nil {
                fewAt = i  // 十几, 二十几: "ten-odd", read as a range up to 十九
                i += 1
            } else if c == "来" || c == "多", digit == nil, lastUnit >= 10, i + 1 < s.count, let unit = NumberParser.chineseUnits[s[i + 1]], unit >= 1000, unit > lastUnit {
                // 三十来万, 二十多万: "thirty-odd ten-thousands" is read at its lower end, 三十万, and is approximate.
                fewAt = nil
                i += 1
                approximateTail = true
            } else if c == "来" || c == "多", digit == nil, lastUnit == 10, i + 1 < s.count, ["年", "岁", "个", "块", "元", "天", "周"].contains(s[i + 1]) {
                // 十来年, 十多年, 二十来岁: "ten-odd years" at its lower end (read as 十 and then 来年, "next year", it was ten
                // months).
                fewAt = nil
                i += 1
                approximateTail = true
            } else {
                break
            }
        }
        if i == start { return nil }
        // A lone 两/一 without units is a word (一些, 两个人), not a number we want.
        if i == start + 1 && (s[start] == "两" || s[start] == "一") && NumberParser.chineseUnits[s[start]] == nil {
            if !(i < s.count && (s[i] == "岁" || s[i] == "年" || s[i] == "个" || s[i] == "成" || NumberParser.rangeMarks.contains(s[i]))) { return nil }
        }
        if digit == 1, lastUnit >= 1000, pairAt == nil, i < s.count, NumberParser.spanStarts.contains(s[i]) {
            // "一万一个月", "30万一年": the 一 opens the time span ("a month"), it is no 一万一 = 11,000.
            digit = nil
            i -= 1
        }
        if let d = digit {
            // Colloquial tail: 一万五 = 15,000, 三千五 = 3,500 (but 一万零五 = 10,005).
            if lastUnit >= 100 && !sawZero && i - start >= 3 {
                section += d * Double(lastUnit) / 10
            } else {
                section += d
            }
        }
        let value = total + section
        var mention = NumberMention(value: value, start: start, end: i, hasMagnitude: hasMagnitude, isPercent: false, hasCurrency: false, isApproximate: false)
        if let unit = NumberParser.chineseUnits[s[i - 1]], unit >= 100 { mention.scale = Double(unit) }
        // The lower end is read with what follows the pair: 两三年 without its 三 is 两年, and a lone 两 is no number.
        if let p = pairAt, let lower = chineseMention(Array(s[start..<p]) + Array(s[(p + 1)...]), from: 0, decorated: false) {
            mention.upper = value
            mention.value = lower.value
        } else if approximateTail {
            mention.isApproximate = true
        } else if let f = fewAt {
            var nine = Array(s[start..<i])
            nine[f - start] = "九"
            mention.upper = chineseMention(nine, from: 0)?.value
            mention.isApproximate = true
        }
        return decorated ? decorate(s, mention) : mention
    }

    /// Percent signs, currency marks and approximate words around a number.
    private func decorate(_ s: [Unicode.Scalar], _ mention: NumberMention) -> NumberMention {
        var m = mention
        let before = String(scalars: s[max(0, m.start - 12)..<m.start])
        var after = m.end
        while after < s.count && s[after] == " " { after += 1 }
        let afterText = String(scalars: s[after..<min(s.count, after + 12)])
        if afterText.hasPrefix("个点") || afterText.hasPrefix("个百分点"), m.value > 0, m.value <= 30, !m.hasMagnitude {
            // 五个点 = 5%: percentage points, as losses and rates are said in the market ("亏五个点以内能接受" was a medium loss).
            // (Up to 30: "大盘跌个50个点" is an index's points.)
            m.isPercent = true
            m.end = after + (afterText.hasPrefix("个点") ? 2 : 4)
        } else if afterText.hasPrefix("%") || afterText.hasPrefix("percent") || before.hasSuffix("百分之") {
            m.isPercent = true
            if afterText.hasPrefix("%") { m.end = after + 1 }
        } else if afterText.hasPrefix("成"), m.value > 0, m.value <= 10, !["成年", "成本", "成交", "成功", "成绩", "成人"].contains(where: { afterText.hasPrefix($0) }) {
            // 一成 = 10%, 三四成 = 30–40%: tenths, as loss is said in the market.
            m.isPercent = true
            m.value *= 10
            m.upper = m.upper.map { $0 * 10 }
            m.end = after + 1
        }
        let trimmedBefore = before.trimmingWhitespace()
        if ["¥", "$", "rmb", "cny", "usd", "￥", "€", "£"].contains(where: { trimmedBefore.hasSuffix($0) })
            || ["元", "块", "rmb", "yuan", "cny", "dollars", "bucks", "$"].contains(where: { afterText.hasPrefix($0) })
            || NumberParser.foreignAfter.contains(where: { afterText.hasPrefix($0) }) {
            m.hasCurrency = true
        }
        if NumberParser.foreignBefore.contains(where: { trimmedBefore.hasSuffix($0) }) || NumberParser.foreignAfter.contains(where: { afterText.hasPrefix($0) }) {
            m.isForeignCurrency = true
        }
        // "about $5000": the approximate word stands before the currency mark.
        let beforeMark = ["¥", "$", "rmb", "cny", "usd", "￥", "€", "£"].first { trimmedBefore.hasSuffix($0) }
            .map { String(trimmedBefore.dropLast($0.count)).trimmingWhitespace() } ?? trimmedBefore
        if ["左右", "上下", "出头", "多"].contains(where: { afterText.hasPrefix($0) })
            || ["大概", "大约", "约", "差不多", "将近", "about", "around", "roughly", "approximately", "approx", "~", "almost", "nearly"].contains(where: { beforeMark.hasSuffix($0) }) {
            m.isApproximate = true
        }
        return m
    }
}
