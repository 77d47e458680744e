/// Masks personal data in free text before it is written anywhere (database, history file, saved and
/// recorded transcripts, tickets). The conversation on screen is never masked: only what is kept.
///
/// What is masked, and how:
/// - mainland ID card numbers: 17 digits + a check character (digit or X) that passes the ISO 7064
///   MOD 11-2 checksum, with a plausible birth date → `**************123X`
/// - bank card numbers: 16–19 digits (spaces or dashes between groups allowed) passing the Luhn check
///   → `**** **** **** 1234`
/// - mainland mobile numbers: 1[3-9] + 9 digits, with or without +86, spaces or dashes → `*******5678`
/// - e-mail addresses → `****@example.com` (the domain is kept: it says which provider, not who)
/// - verification codes, passwords and PINs named as such ("验证码是 123456", "code is 123456") → `******`
///
/// Numbers that only look alike are left alone: amounts (`100000`, `¥13800000000`, `5000元`), dates
/// (`20261127`), decimals, and order or reference numbers whose checksums fail. Full-width digits
/// (`１３８…`), as some Chinese input methods type them, count as digits.
///
/// Pure and deterministic; masking masked text changes nothing.
public struct PersonalDataMasker: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case idCard = "id-card", bankCard = "bank-card", mobile, email, code
    }

    /// One masked stretch of the original text (offsets in Unicode scalars).
    public struct Finding: Sendable, Equatable {
        public var kind: Kind
        public var range: Range<Int>
        public var replacement: String
    }

    public init() {}

    /// `text` with every piece of personal data replaced by its mask.
    public func mask(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let found = findings(in: scalars)
        if found.isEmpty { return text }
        var out = String.UnicodeScalarView()
        var position = 0
        for finding in found {
            out.append(contentsOf: scalars[position..<finding.range.lowerBound])
            out.append(contentsOf: finding.replacement.unicodeScalars)
            position = finding.range.upperBound
        }
        out.append(contentsOf: scalars[position...])
        return String(out)
    }

    /// What `mask` would replace, in order.
    public func findings(in text: String) -> [Finding] { findings(in: Array(text.unicodeScalars)) }

    /// Whether the text holds anything that would be masked.
    public func containsPersonalData(_ text: String) -> Bool { !findings(in: text).isEmpty }

    // MARK: - Scanning

    private func findings(in s: [Unicode.Scalar]) -> [Finding] {
        // Cheap exit for the common case: no digit and no @ means nothing to mask.
        guard s.contains(where: { Self.digit($0) != nil || $0 == "@" }) else { return [] }
        var found = emails(in: s)
        found += codes(in: s, excluding: found)
        found += numbers(in: s, excluding: found)
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    private static func overlaps(_ range: Range<Int>, _ taken: [Finding]) -> Bool {
        taken.contains { $0.range.overlaps(range) }
    }

    // MARK: E-mail

    private static func isLocalPart(_ c: Unicode.Scalar) -> Bool {
        isASCIIAlnum(c) || "._%+-".unicodeScalars.contains(c)
    }

    private static func isDomainPart(_ c: Unicode.Scalar) -> Bool { isASCIIAlnum(c) || c == "." || c == "-" }

    private func emails(in s: [Unicode.Scalar]) -> [Finding] {
        var result: [Finding] = []
        var index = 0
        while index < s.count {
            defer { index += 1 }
            guard s[index] == "@" else { continue }
            var start = index
            while start > 0, Self.isLocalPart(s[start - 1]) { start -= 1 }
            while start < index, s[start] == "." { start += 1 }
            guard start < index else { continue }
            var end = index + 1
            while end < s.count, Self.isDomainPart(s[end]) { end += 1 }
            while end > index + 1, s[end - 1] == "." || s[end - 1] == "-" { end -= 1 }
            let domain = String(scalars: s[(index + 1)..<end])
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 2, !labels.contains(where: \.isEmpty),
                  let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) else { continue }
            if let last = result.last, last.range.upperBound > start { continue }
            result.append(Finding(kind: .email, range: start..<end, replacement: "****@" + domain))
            index = end - 1
        }
        return result
    }

    // MARK: Verification codes, passwords and PINs named in the text

    /// Words after which a short number is a secret. Matched case-insensitively; an English keyword must
    /// not be glued to other letters ("barcode 1234" is not a code).
    private static let codeKeywords: [[Unicode.Scalar]] = [
        "验证码", "驗證碼", "校验码", "校驗碼", "动态码", "動態碼", "短信码", "激活码", "确认码", "授权码", "密码", "密碼",
        "verification code", "security code", "passcode", "password", "code", "otp", "pin", "cvv", "cvc",
    ].map { Array($0.unicodeScalars) }

    /// What may stand between the keyword and the number ("是", "为", ":", "is", "was", …).
    private static let fillerWords: [[Unicode.Scalar]] = ["is", "was", "are", "number", "no", "no."].map { Array($0.unicodeScalars) }
    private static let fillerScalars: Set<Unicode.Scalar> = [
        " ", "\u{3000}", "\t", ":", "：", "=", "是", "为", "為", "「", "“", "\"", "'", "#", "号", "號", "码", "碼",
        ",", "，", "-", "—",
    ]

    private func codes(in s: [Unicode.Scalar], excluding taken: [Finding]) -> [Finding] {
        var result: [Finding] = []
        var index = 0
        outer: while index < s.count {
            for keyword in Self.codeKeywords where Self.matches(keyword, in: s, at: index) {
                let isEnglish = keyword[0].isASCII
                if isEnglish {
                    if index > 0, Self.isASCIILetter(s[index - 1]) { continue }
                    let after = index + keyword.count
                    if after < s.count, Self.isASCIILetter(s[after]) { continue }
                }
                // Skip a few filler characters or words, then expect 4–8 digits and nothing more.
                var cursor = index + keyword.count
                var budget = 12
                while cursor < s.count, budget > 0 {
                    if Self.fillerScalars.contains(s[cursor]) {
                        cursor += 1
                        budget -= 1
                        continue
                    }
                    if let word = Self.fillerWords.first(where: { Self.matches($0, in: s, at: cursor) && !(cursor + $0.count < s.count && Self.isASCIILetter(s[cursor + $0.count])) }) {
                        cursor += word.count
                        budget -= word.count
                        continue
                    }
                    break
                }
                var end = cursor
                while end < s.count, Self.digit(s[end]) != nil { end += 1 }
                let length = end - cursor
                let glued = end < s.count && (Self.isASCIIAlnum(s[end]) || s[end] == ".")
                if (4...8).contains(length), !glued, cursor == 0 || Self.digit(s[cursor - 1]) == nil {
                    let range = cursor..<end
                    if !Self.overlaps(range, taken) {
                        result.append(Finding(kind: .code, range: range, replacement: String(repeating: "*", count: length)))
                        index = end
                        continue outer
                    }
                }
            }
            index += 1
        }
        return result
    }

    // MARK: ID cards, bank cards, mobiles

    /// A run of digits: where it is in the text and the digits themselves.
    private struct Group {
        var start: Int
        var end: Int
        var digits: [UInt8]
    }

    private func numbers(in s: [Unicode.Scalar], excluding taken: [Finding]) -> [Finding] {
        var result: [Finding] = []
        var index = 0
        while index < s.count {
            guard Self.digit(s[index]) != nil, index == 0 || Self.digit(s[index - 1]) == nil else {
                index += 1
                continue
            }
            // Collect digit groups joined by a single space or dash ("6222 0212 3456 7890 128").
            var groups: [Group] = []
            var cursor = index
            while true {
                let start = cursor
                var digits: [UInt8] = []
                while cursor < s.count, let d = Self.digit(s[cursor]) {
                    digits.append(d)
                    cursor += 1
                }
                groups.append(Group(start: start, end: cursor, digits: digits))
                if cursor + 1 < s.count, Self.isSeparator(s[cursor]), Self.digit(s[cursor + 1]) != nil {
                    cursor += 1
                    continue
                }
                break
            }
            var first = 0
            while first < groups.count {
                if let finding = bestMatch(groups, from: first, in: s), !Self.overlaps(finding.0.range, taken) {
                    result.append(finding.0)
                    first = finding.1 + 1
                } else {
                    first += 1
                }
            }
            index = groups.last!.end
        }
        return result
    }

    /// The longest span of groups starting at `first` that is an ID, card or mobile number.
    private func bestMatch(_ groups: [Group], from first: Int, in s: [Unicode.Scalar]) -> (Finding, Int)? {
        let start = groups[first].start
        // Right after a currency sign, or the fraction of a decimal number: an amount, not personal data.
        if start > 0 {
            let before = s[start - 1]
            if before == ".", start >= 2, Self.digit(s[start - 2]) != nil { return nil }
            var sign = start - 1
            if sign > 0, before == " " || before == "\u{3000}" { sign -= 1 }
            if "¥￥$".unicodeScalars.contains(s[sign]) { return nil }
        }
        var digits: [UInt8] = []
        var best: (Finding, Int)?
        for last in first..<groups.count {
            digits += groups[last].digits
            if digits.count > 19 { break }
            var end = groups[last].end
            if end < s.count {
                // Followed by a decimal point and digits, or by a unit of money or a percent sign: an amount.
                let next = s[end]
                if next == ".", end + 1 < s.count, Self.digit(s[end + 1]) != nil { continue }
                if Self.moneyUnitFollows(s, at: end) { continue }
            }
            if digits.count == 17, end < s.count, s[end] == "X" || s[end] == "x" || s[end] == "Ｘ" {
                // ID card ending in X.
                let glued = end + 1 < s.count && Self.isASCIIAlnum(s[end + 1])
                if !glued, Self.validID(digits + [10]) {
                    end += 1
                    best = (Finding(kind: .idCard, range: start..<end, replacement: Self.idMask(digits + [10])), last)
                }
            } else if digits.count == 18, Self.validID(digits) {
                best = (Finding(kind: .idCard, range: start..<end, replacement: Self.idMask(digits)), last)
            } else if (16...19).contains(digits.count), Self.luhn(digits) {
                best = (Finding(kind: .bankCard, range: start..<end, replacement: "**** **** **** " + Self.lastFour(digits)), last)
            } else if digits.count == 11, digits[0] == 1, (3...9).contains(digits[1]) {
                best = (Finding(kind: .mobile, range: Self.withCountryCode(start, in: s)..<end,
                               replacement: "*******" + Self.lastFour(digits)), last)
            } else if digits.count == 13, digits[0] == 8, digits[1] == 6, digits[2] == 1, (3...9).contains(digits[3]),
                      start > 0, s[start - 1] == "+", groups[first].digits.count == 2 || first == last {
                // "+8613812345678", "+86 138 1234 5678", "+86-13812345678": the 86 is part of the run.
                best = (Finding(kind: .mobile, range: (start - 1)..<end, replacement: "*******" + Self.lastFour(digits)), last)
            }
        }
        return best
    }

    /// A unit of money or a percent sign at `index`, or after one space: "5000元", "13800000000 元",
    /// "20000 RMB", "8.5 %".
    private static func moneyUnitFollows(_ s: [Unicode.Scalar], at index: Int) -> Bool {
        var i = index
        if i < s.count, s[i] == " " || s[i] == "\u{3000}" { i += 1 }
        guard i < s.count else { return false }
        if "元块塊万萬亿億円%％".unicodeScalars.contains(s[i]) { return true }
        guard i > index else { return false }  // a glued ASCII word ("123456rmb") is not a unit written apart
        var word = ""
        while i < s.count, s[i].isASCII, s[i].properties.isAlphabetic, word.unicodeScalars.count < 8 {
            word.unicodeScalars.append(s[i])
            i += 1
        }
        return ["rmb", "cny", "yuan", "usd", "dollars", "hkd"].contains(word.lowercased())
    }

    /// Moves the start of a mobile number back over a "+86" / "(+86)" written before it, with or
    /// without a space or dash between.
    private static func withCountryCode(_ start: Int, in s: [Unicode.Scalar]) -> Int {
        var i = start
        if i > 0, isSeparator(s[i - 1]) { i -= 1 }
        var parenthesised = false
        if i > 0, s[i - 1] == ")" || s[i - 1] == "）" {
            i -= 1
            parenthesised = true
        }
        guard i >= 3, s[i - 3] == "+", s[i - 2] == "8", s[i - 1] == "6" else { return start }
        i -= 3
        if parenthesised {
            guard i > 0, s[i - 1] == "(" || s[i - 1] == "（" else { return start }
            i -= 1
        }
        return i
    }

    // MARK: Checksums

    /// GB 11643: the 18th character is the ISO 7064 MOD 11-2 check character of the first 17 digits
    /// (10 stands for X); the birth date (digits 7–14) must be a real calendar date.
    static func validID(_ digits: [UInt8]) -> Bool {
        guard digits.count == 18, digits[..<17].allSatisfy({ $0 <= 9 }) else { return false }
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for i in 0..<17 { sum += Int(digits[i]) * weights[i] }
        let checks: [UInt8] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2]
        guard checks[sum % 11] == digits[17] else { return false }
        guard (1...8).contains(digits[0]) else { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(digits[$1]) } }
        let year = number(6..<10), month = number(10..<12), day = number(12..<14)
        guard (1900...2099).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var d = Int(digit)
            if offset % 2 == 1 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return sum % 10 == 0
    }

    private static func lastFour(_ digits: [UInt8]) -> String {
        digits.suffix(4).map { $0 == 10 ? "X" : String($0) }.joined()
    }

    private static func idMask(_ digits: [UInt8]) -> String { String(repeating: "*", count: 14) + lastFour(digits) }

    // MARK: Characters

    /// 0–9 for ASCII and full-width digits.
    static func digit(_ c: Unicode.Scalar) -> UInt8? {
        switch c.value {
        case 0x30...0x39: return UInt8(c.value - 0x30)
        case 0xFF10...0xFF19: return UInt8(c.value - 0xFF10)
        default: return nil
        }
    }

    private static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == " " || c == "-" || c == "\u{3000}" }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (0x41...0x5A).contains(c.value) || (0x61...0x7A).contains(c.value) }

    private static func isASCIIAlnum(_ c: Unicode.Scalar) -> Bool { isASCIILetter(c) || (0x30...0x39).contains(c.value) }

    private static func matches(_ word: [Unicode.Scalar], in s: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + word.count <= s.count else { return false }
        for (offset, w) in word.enumerated() {
            var c = s[index + offset]
            if (0x41...0x5A).contains(c.value) { c = Unicode.Scalar(c.value + 0x20)! }
            if c != w { return false }
        }
        return true
    }
}
