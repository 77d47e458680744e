/// Masks personal data in free text before it is written anywhere (database, history file, saved and
/// recorded transcripts, tickets). The conversation on screen is never masked: only what is kept.
///
/// What is masked, and how. Checksums are never a reason to keep a number: a customer's mistyped card or
/// ID number ("我卡号6222021234567890123，身份证号110101199003071234", both checksums wrong) is still
/// theirs, and was stored in full until the rules below stopped asking whether it was valid.
/// - anything shaped like an ID card: 17 digits then a digit or X, or the old 15-digit form
///   → `**************123X` (the last four kept)
/// - any other run of 15–19 digits, spaces or dashes allowed between groups (a bank card, valid or not, and
///   any account, order or reference number that long) → `**** **** **** 1234`
/// - a number of 6 or more digits right after a label (卡号, 银行卡, 身份证, 证件号, 账号, 账户, 密码, 验证码,
///   card number, account, ID number, password, code…) → stars and the last four digits, or all stars for a
///   password or code
/// - mainland mobile numbers: 1[3-9] + 9 digits, with or without +86, spaces or dashes → `*******5678`
/// - e-mail addresses → `****@example.com` (the domain is kept: it says which provider, not who)
/// - verification codes, passwords and PINs named as such ("验证码是 1234", "code is 1234") → `****`
///
/// Numbers shorter than 15 digits that only look alike are left alone: amounts (`100000`, `¥13800000000`,
/// `5000元`), dates (`20261127`) and decimals. Full-width digits (`１３８…`), as some Chinese input methods
/// type them, count as digits.
///
/// Pure and deterministic; masking masked text changes nothing.
public struct PersonalDataMasker: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case idCard = "id-card", bankCard = "bank-card", mobile, email, code
        /// A number of 6 or more digits after a label (卡号, 账号, account…) that no other rule took.
        case labelled
    }

    /// One masked stretch of the original text (offsets in Unicode scalars).
    public struct Finding: Sendable, Equatable {
        public var kind: Kind
        public var range: Range<Int>
        public var replacement: String
    }

    public init() {}

    /// `text` with every piece of personal data replaced by its mask.
    public func mask(_ text: String) -> String { replacing(text) { $0.replacement } }

    /// `text` with every piece of personal data replaced by `replacement(finding)` (its mask, or the matcher's placeholder).
    public func replacing(_ text: String, with replacement: (Finding) -> String) -> String {
        let scalars = Array(text.unicodeScalars)
        let found = findings(in: scalars)
        if found.isEmpty { return text }
        var out = String.UnicodeScalarView()
        var position = 0
        for finding in found {
            out.append(contentsOf: scalars[position..<finding.range.lowerBound])
            out.append(contentsOf: replacement(finding).unicodeScalars)
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
        found += labelledNumbers(in: s, excluding: found)
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

    /// What may stand between the keyword and the number ("是", "为", ":", "is", "was", …).
    private static let fillerWords: [[Unicode.Scalar]] = ["is", "was", "are", "number", "no.", "no", "of"].map { Array($0.unicodeScalars) }
    private static let fillerScalars: Set<Unicode.Scalar> = [
        " ", "\u{3000}", "\t", ":", "：", "=", "是", "为", "為", "「", "“", "\"", "'", "#", "号", "號", "码", "碼",
        ",", "，", "-", "—",
    ]

    private func codes(in s: [Unicode.Scalar], excluding taken: [Finding]) -> [Finding] {
        var result: [Finding] = []
        var index = 0
        outer: while index < s.count {
            for (label, secret) in Self.numberLabels where secret && Self.labelStands(label, in: s, at: index) {
                // Skip a few filler characters or words, then expect 4–8 digits and nothing more.
                let cursor = Self.skipFiller(s, from: index + label.count)
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

    // MARK: Numbers after a label

    /// Labels after which a number is personal data: 6 or more digits after any of them, whatever the length or
    /// checksum ("卡号 622202123456", "account 00123456789"); 4–8 digits after a secret one ("验证码 8842"). A secret
    /// is masked whole (a password or code keeps no digits). These stay in code, not in knowledge/: the issue names
    /// them exactly, a trainer's edit must never make a number leak, and the store masks without loading knowledge.
    private static let numberLabels: [(label: [Unicode.Scalar], secret: Bool)] = [
        ("卡号", false), ("卡號", false), ("银行卡", false), ("銀行卡", false), ("身份证", false), ("身份證", false),
        ("证件号", false), ("證件號", false), ("账号", false), ("賬號", false), ("账户", false), ("賬戶", false),
        ("验证码", true), ("驗證碼", true), ("校验码", true), ("校驗碼", true), ("动态码", true), ("動態碼", true), ("短信码", true),
        ("激活码", true), ("确认码", true), ("授权码", true), ("密码", true), ("密碼", true),
        ("card number", false), ("card no", false), ("card", false), ("account number", false), ("account no", false),
        ("account", false), ("id number", false), ("id no", false), ("id card", false), ("id", false),
        ("verification code", true), ("security code", true), ("passcode", true), ("password", true), ("code", true),
        ("otp", true), ("pin", true), ("cvv", true), ("cvc", true),
    ].map { (Array($0.0.unicodeScalars), $0.1) }

    /// Whether `label` is written at `index`; an English one must be a word of its own ("barcode 123456", "idle").
    private static func labelStands(_ label: [Unicode.Scalar], in s: [Unicode.Scalar], at index: Int) -> Bool {
        guard matches(label, in: s, at: index) else { return false }
        guard label[0].isASCII else { return true }
        if index > 0, isASCIILetter(s[index - 1]) { return false }
        let after = index + label.count
        return !(after < s.count && isASCIILetter(s[after]))
    }

    private func labelledNumbers(in s: [Unicode.Scalar], excluding taken: [Finding]) -> [Finding] {
        var result: [Finding] = []
        var index = 0
        outer: while index < s.count {
            for (label, secret) in Self.numberLabels where Self.labelStands(label, in: s, at: index) {
                let cursor = Self.skipFiller(s, from: index + label.count)
                // The number: digit groups joined by one space or dash, as cards are written.
                var end = cursor
                var digits: [UInt8] = []
                while end < s.count, let d = Self.digit(s[end]) {
                    digits.append(d)
                    end += 1
                    if let gap = Self.separatorLength(s, at: end), end + gap < s.count, Self.digit(s[end + gap]) != nil { end += gap }
                }
                let glued = end < s.count && (Self.isASCIILetter(s[end]) || s[end] == ".")
                let xEnd = end < s.count && (s[end] == "X" || s[end] == "x" || s[end] == "Ｘ") && !(end + 1 < s.count && Self.isASCIIAlnum(s[end + 1]))
                guard digits.count >= 6, !glued || xEnd, cursor == 0 || Self.digit(s[cursor - 1]) == nil,
                      !Self.moneyUnitFollows(s, at: end) else { continue }
                if xEnd {
                    end += 1
                    digits.append(10)
                }
                let range = cursor..<end
                guard !Self.overlaps(range, taken) else { continue }
                // A card-length number keeps the card's mask, an ID-shaped one the ID's, whatever its grouping.
                let replacement = secret ? String(repeating: "*", count: digits.count)
                    : digits.count == 18 || digits.count == 15 ? Self.idMask(digits)
                    : digits.count >= 15 ? "**** **** **** " + Self.lastFour(digits)
                    : String(repeating: "*", count: max(digits.count - 4, 2)) + Self.lastFour(digits)
                let kind: Kind = secret ? .code : digits.count == 18 || digits.count == 15 ? .idCard : digits.count >= 15 ? .bankCard : .labelled
                result.append(Finding(kind: kind, range: range, replacement: replacement))
                index = end
                continue outer
            }
            index += 1
        }
        return result
    }

    /// Past the filler between a label and its number ("是", "：", " is ", "号"), at most 12 characters.
    private static func skipFiller(_ s: [Unicode.Scalar], from start: Int) -> Int {
        var cursor = start
        var budget = 12
        while cursor < s.count, budget > 0 {
            if fillerScalars.contains(s[cursor]) {
                cursor += 1
                budget -= 1
                continue
            }
            if let word = fillerWords.first(where: { matches($0, in: s, at: cursor) && !(cursor + $0.count < s.count && isASCIILetter(s[cursor + $0.count])) }) {
                cursor += word.count
                budget -= word.count
                continue
            }
            break
        }
        return cursor
    }

    // MARK: ID cards, bank cards, mobiles

    /// A run of digits: where it is in the text and the digits themselves.
    struct Group {
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
                if let gap = Self.separatorLength(s, at: cursor), cursor + gap < s.count, Self.digit(s[cursor + gap]) != nil {
                    cursor += gap
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

    /// The longest span of groups starting at `first` that is an ID, card or mobile number, or a run long
    /// enough (15–19 digits) to be one whatever its checksum.
    private func bestMatch(_ groups: [Group], from first: Int, in s: [Unicode.Scalar]) -> (Finding, Int)? {
        let start = groups[first].start
        // Right after a currency sign, or the fraction of a decimal number: an amount, not personal data
        // (unless it is 15 digits or longer, which no amount a customer types is).
        var amountBefore = false
        if start > 0 {
            let before = s[start - 1]
            if before == ".", start >= 2, Self.digit(s[start - 2]) != nil { return nil }
            var sign = start - 1
            if sign > 0, before == " " || before == "\u{3000}" { sign -= 1 }
            if "¥￥$".unicodeScalars.contains(s[sign]) { amountBefore = true }
        }
        var digits: [UInt8] = []
        var best: (Finding, Int)?
        // A run longer than any card (a mistyped one with a digit too many, "62220212345678901234"): masked whole.
        if groups[first].digits.count > 19 {
            let run = groups[first]
            return (Finding(kind: .bankCard, range: start..<run.end, replacement: "**** **** **** " + Self.lastFour(run.digits)), first)
        }
        for last in first..<groups.count {
            digits += groups[last].digits
            if digits.count > 19 { break }
            var end = groups[last].end
            var amount = amountBefore
            if end < s.count {
                // Followed by a decimal point and digits: a decimal number, never masked. Followed by a unit of
                // money or a percent sign: an amount, unless it is too long to be one.
                let next = s[end]
                if next == ".", end + 1 < s.count, Self.digit(s[end + 1]) != nil { continue }
                if Self.moneyUnitFollows(s, at: end) { amount = true }
            }
            // Groups however written ("6222 0212 3456 7890 123", "110101 19900307 1234", "6222021234 567890123") are one
            // number, except dates ("2026-11-01 2026-11-27") and a year before a mobile ("2026 13812345678").
            let span = groups[first...last]
            // Several groups before a unit of money are amounts ("转了 5000 3000 2000 1000 元").
            let oneNumber = first == last || (!Self.isDates(span) && !(span.count == 2 && span.first!.digits.count == 4 && span.last!.digits.count == 11)
                && !(amount && !amountBefore))
            let xFollows = end < s.count && (s[end] == "X" || s[end] == "x" || s[end] == "Ｘ")
                && !(end + 1 < s.count && Self.isASCIIAlnum(s[end + 1]))
            if oneNumber, digits.count == 17, xFollows {
                // ID card ending in X, whether or not its check character is right.
                end += 1
                best = (Finding(kind: .idCard, range: start..<end, replacement: Self.idMask(digits + [10])), last)
            } else if oneNumber, digits.count == 18 || digits.count == 15 {
                // The 18-digit ID card, or the old 15-digit form: masked as an ID whatever the checksum.
                best = (Finding(kind: .idCard, range: start..<end, replacement: Self.idMask(digits)), last)
            } else if oneNumber, (15...19).contains(digits.count) {
                // A bank card (valid or mistyped), or any account number that long.
                best = (Finding(kind: .bankCard, range: start..<end, replacement: "**** **** **** " + Self.lastFour(digits)), last)
            } else if amount {
                continue
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

    /// Groups that read as dates: year, month and day, once or more ("2026-11-01", "2026-11-01 2026-11-27").
    static func isDates(_ groups: ArraySlice<Group>) -> Bool {
        guard groups.count % 3 == 0 else { return false }
        func value(_ g: Group) -> Int { g.digits.reduce(0) { $0 * 10 + Int($1) } }
        var index = groups.startIndex
        while index < groups.endIndex {
            let year = groups[index], month = groups[index + 1], day = groups[index + 2]
            guard year.digits.count == 4, (1900...2100).contains(value(year)), month.digits.count <= 2, (1...12).contains(value(month)),
                  day.digits.count <= 2, (1...31).contains(value(day)) else { return false }
            index += 3
        }
        return true
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

    // MARK: Masks

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

    private static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == " " || c == "-" || c == "\u{3000}" || c == "－" || c == "—" || c == "–" }

    /// The length of the separator between two digit groups at `i` ("-", " ", "－", " - "), or nil.
    static func separatorLength(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        guard i < s.count, isSeparator(s[i]) else { return nil }
        // "6222 - 0212": a dash with a space on each side is one separator.
        if s[i] == " ", i + 2 < s.count, s[i + 1] != " ", isSeparator(s[i + 1]), s[i + 2] == " " { return 3 }
        return 1
    }

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
