import Foundation

/// Product knowledge in a trainee's line: the rates, minimum amounts and terms quoted must agree with
/// products.txt for the product being discussed.
///
/// Rates are read wherever a percentage is written. Minimums and terms are read only next to the words of
/// scoring.txt's `[minimum]` and `[term]` entries, because numbers in a sales call are mostly about the
/// customer ("您一年内要用吗", "you have 50k saved"), and a trainee must not lose points for asking about them.
public struct ProductFactChecker: Sendable {
    /// The judgement of one line, with the product whose catalogue line the suggestion should show.
    public struct Finding: Sendable, Equatable {
        public var verdict: Verdict
        public var note: String
        public var product: Product?
    }

    /// A length of time in days: a single term has `low == high`; "at least 3 years" has `high` infinite.
    public struct Span: Sendable, Equatable {
        public var low: Double
        public var high: Double

        public init(low: Double, high: Double) {
            self.low = low
            self.high = high
        }

        /// Whether a quoted length falls in the span; 5% slack lets "3 months" match "90 days" and "12 months" a year.
        public func admits(_ days: Double) -> Bool { days >= low * 0.95 && days <= high * 1.05 }
    }

    public let rules: ScoringRules
    let parser = NumberParser(readsRanges: false)  // each quoted figure is judged on its own

    public init(rules: ScoringRules) { self.rules = rules }

    typealias Scalars = [Unicode.Scalar]

    /// Judges the figures of a line. `named` are the products the line names, `proposed` those it names by
    /// full name, `discussed` the product the conversation was last about (for "起投1000元" said on its own).
    /// Nil when the line quotes no figure and proposes nothing.
    /// `heard`: the customer's last line. A rate said back from it is no quote ("Fair point, 24% would sting", to "24% a
    /// year? That's over two thousand in interest", was "rate 24% quoted without naming a product").
    public func check(_ line: String, named: [Product], proposed: [Product], discussed: Product?, heard: String? = nil, language: Language) -> Finding? {
        let zh = language == .zh
        let echoed = heard.map(quotedRates) ?? []
        let rates = quotedRates(line).filter { rate in !echoed.contains { abs($0 - rate) < 0.001 } }
        // A rate said without a product name is about the product the conversation is on ("Your actual rate depends on
        // the approval, between 7.2% and 24% a year", said of Flex Loan a line earlier): nobody repeats the name each time.
        // With no product in the conversation yet, nobody can tell which product it is for.
        let subject = named.isEmpty ? discussed.map { [$0] } ?? [] : named
        if !rates.isEmpty && subject.isEmpty {
            let quoted = rates.map { Product.percent($0) + "%" }.joined(separator: ", ")
            return Finding(verdict: .poor, note: zh ? "报了利率 \(quoted)，却没有说是哪款产品" : "rate \(quoted) quoted without naming a product", product: discussed)
        }
        if !rates.isEmpty {
            let low = subject.map(\.rateLow).min() ?? 0, high = subject.map(\.rateHigh).max() ?? 0
            let wrong = rates.filter { $0 < low - 0.001 || $0 > high + 0.001 }
            if !wrong.isEmpty {
                let quoted = wrong.map { Product.percent($0) + "%" }.joined(separator: ", ")
                let catalogue = subject.map { "\($0.name[language]) \($0.rateText)" }.joined(separator: zh ? "；" : "; ")
                return Finding(verdict: .poor, note: zh ? "\(quoted) 不在产品目录的区间内（\(catalogue)）" : "\(quoted) is outside the catalogue (\(catalogue))", product: subject.first)
            }
        }
        let scalars = Self.blankingNames(of: named, in: Array(Self.writingLengthsInDigits(String(String.UnicodeScalarView(NumberParser.fold(line)))).unicodeScalars))
        let minimums = subject.isEmpty ? [] : quotedMinimums(scalars)
        let terms = subject.isEmpty ? [] : quotedTerms(scalars)
        // Both a wrong minimum and a wrong term are told, in one note: the trainee fixes them together.
        var problems: [String] = []
        if let wrong = minimums.first(where: { quoted in !subject.contains { abs($0.minAmount - quoted) < 0.5 } }) {
            let catalogue = subject.map { zh ? "\($0.name.zh) \(Product.percent($0.minAmount)) 元起" : "\($0.name.en) from ¥\(Product.percent($0.minAmount))" }
                .joined(separator: zh ? "；" : "; ")
            problems.append(zh ? "起投金额说成了 \(Product.percent(wrong)) 元（产品目录：\(catalogue)）" : "minimum quoted as ¥\(Product.percent(wrong)) (catalogue: \(catalogue))")
        }
        if let wrong = terms.first(where: { quoted in !subject.contains { product in spans(of: product).contains { $0.admits(quoted.days) } } }) {
            let catalogue = subject.map { "\($0.name[language])\(zh ? "：" : ": ")\($0.term[language])" }.joined(separator: zh ? "；" : "; ")
            problems.append(zh ? "期限说成了「\(wrong.text)」（产品目录：\(catalogue)）" : "term quoted as '\(wrong.text)' (catalogue: \(catalogue))")
        }
        if !problems.isEmpty { return Finding(verdict: .poor, note: problems.joined(separator: zh ? "；" : "; "), product: subject[0]) }
        if rates.isEmpty && proposed.isEmpty && minimums.isEmpty && terms.isEmpty { return nil }
        let names = subject.map { $0.name[language] }.joined(separator: zh ? "、" : ", ")
        let quoted = !rates.isEmpty || !minimums.isEmpty || !terms.isEmpty
        let note = quoted ? (zh ? "\(names)的数字与产品目录一致" : "figures for \(names) match the catalogue")
                          : (zh ? "介绍了\(names)" : "names \(names) correctly")
        return Finding(verdict: .good, note: note, product: subject.first)
    }

    /// The percentages quoted as rates: a clause about a fee ("有 1.5% 的赎回费", "a 0.5% fee") quotes a
    /// fee, which the catalogue's rate range says nothing about.
    /// A percentage in a clause about a fee, or about a loss ("Ouch, losing 30% hurts", said back to a customer who lost 30%
    /// in a fund, was "rate 30% quoted without naming a product"), is no rate.
    func quotedRates(_ line: String) -> [Double] {
        line.split(whereSeparator: { "，,；;。!?！？".contains($0) }).flatMap { clause -> [Double] in
            let folded = RehearsalScorer.fold(String(clause))
            if RehearsalScorer.any(folded, rules.fee) != nil || SearchText(folded).containsAny(ProfileExtractor.lossContext) { return [] }
            return RehearsalScorer.percentages(in: String(clause))
        }
    }

    /// English lengths of time written in words ("a year", "one month", "half a year") in digits, so that
    /// they are read as quoted terms like "12 months" is; Chinese numerals (一年, 三个月) are read already.
    static func writingLengthsInDigits(_ text: String) -> String {
        let words = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                     "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12]
        let units: Set<String> = ["year", "years", "month", "months", "week", "weeks", "day", "days"]
        var tokens = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index + 1 < tokens.count {
            let unit = tokens[index + 1].trimmingCharacters(in: .punctuationCharacters)
            if units.contains(unit) {
                if index >= 1, tokens[index - 1] == "half", tokens[index] == "a", unit == "year" {
                    tokens[index - 1] = ""
                    tokens[index] = "6"
                    tokens[index + 1] = tokens[index + 1].replacingOccurrences(of: "year", with: "months")
                } else if let value = words[tokens[index]] {
                    tokens[index] = String(value)
                }
            }
            index += 1
        }
        return tokens.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The line with the named products' names and aliases blanked out, so that the numbers inside a name
    /// ("定期宝 90 天", "Pension 2045") and the words ("Fixed Term") are not read as quoted figures.
    static func blankingNames(of products: [Product], in s: Scalars) -> Scalars {
        var s = s
        let names = products.flatMap { [$0.name.zh.lowercased(), $0.name.en.lowercased()] + $0.aliases }.filter { !$0.isEmpty }
        for name in names.sorted(by: { $0.unicodeScalars.count > $1.unicodeScalars.count }) {
            for range in occurrences(of: Array(NumberParser.fold(name)), in: s) { for i in range { s[i] = " " } }
        }
        return s
    }

    // MARK: - Minimums

    /// Amounts written right next to a `[minimum]` word ("起投1000元", "1000 元起", "from ¥1,000", "minimum 100"):
    /// for each occurrence of such a word, the nearest number within four characters in the same clause.
    public func quotedMinimums(_ s: [Unicode.Scalar]) -> [Double] {
        let amounts = parser.mentions(inFolded: s).filter { mention in
            !mention.isPercent && unit(after: mention.end, in: s) == nil && !Self.isLabel(before: mention.start, in: s)
        }
        var values: [Double] = []
        for phrase in rules.minimum {
            for occurrence in Self.occurrences(of: Array(phrase.unicodeScalars), in: s) {
                let near = amounts.compactMap { mention -> (gap: Int, value: Double)? in
                    let gap = mention.start >= occurrence.upperBound ? mention.start - occurrence.upperBound
                        : occurrence.lowerBound >= mention.end ? occurrence.lowerBound - mention.end : 0
                    let between = mention.start >= occurrence.upperBound ? occurrence.upperBound..<mention.start : mention.end..<max(mention.end, occurrence.lowerBound)
                    guard gap <= 4, !s[between].contains(where: Self.isClauseBreak) else { return nil }
                    return (gap, mention.value)
                }
                if let nearest = near.min(by: { $0.gap < $1.gap }), !values.contains(nearest.value) { values.append(nearest.value) }
            }
        }
        return values
    }

    // MARK: - Terms

    /// Lengths of time written in a clause that has a `[term]` word ("期限90天", "locked for 3 months").
    public func quotedTerms(_ s: [Unicode.Scalar]) -> [(days: Double, text: String)] {
        let keywords = rules.term.flatMap { Self.occurrences(of: Array($0.unicodeScalars), in: s) }
        guard !keywords.isEmpty else { return [] }
        return lengths(in: s).filter { length in
            let clause = Self.clause(around: length.start, in: s)
            return keywords.contains { clause.contains($0.lowerBound) }
        }.map { (days: $0.span.low, text: $0.text) }
    }

    /// The terms a product's catalogue entry states, from its `term.zh` and `term.en` lines: "90 天",
    /// "3、6、12、24 或 36 个月" (each one), "6 至 36 个月" (the range), "建议持有 2 年以上" (2 years or more).
    /// Empty for a product with no fixed term: then any term quoted for it is wrong.
    public func spans(of product: Product) -> [Span] {
        var result: [Span] = []
        for text in [product.term.zh, product.term.en] {
            for length in lengths(in: NumberParser.fold(text)) where !result.contains(length.span) { result.append(length.span) }
        }
        return result
    }

    /// Every length of time in the text, with list members and range ends sharing the unit written after the last one.
    func lengths(in s: Scalars) -> [(span: Span, start: Int, text: String)] {
        let mentions = parser.mentions(inFolded: s).filter { !$0.isPercent && !Self.isLabel(before: $0.start, in: s) }
        var result: [(span: Span, start: Int, text: String)] = []
        var index = 0
        while index < mentions.count {
            let mention = mentions[index]
            guard let found = unit(after: mention.end, in: s) else { index += 1; continue }
            let (perUnit, unitEnd) = found
            let text = String(String.UnicodeScalarView(s[mention.start..<unitEnd])).trimmingWhitespace()
            let openEnded = Self.isOpenEnded(s, start: mention.start, unitEnd: unitEnd)
            var span = Span(low: mention.value * perUnit, high: openEnded ? .infinity : mention.value * perUnit)
            // Walk back over the numbers that share this unit: "6 至 36 个月" is a range, "3、6、12 个月" a list.
            var members: [Span] = []
            var back = index - 1
            var end = mention.start
            while back >= 0, unit(after: mentions[back].end, in: s) == nil {
                let joint = String(String.UnicodeScalarView(s[mentions[back].end..<end])).trimmingWhitespace()
                if Self.rangeJoints.contains(joint), members.isEmpty, span.low == span.high {
                    span.low = mentions[back].value * perUnit
                    break
                } else if Self.listJoints.contains(joint) {
                    members.append(Span(low: mentions[back].value * perUnit, high: mentions[back].value * perUnit))
                    end = mentions[back].start
                    back -= 1
                } else {
                    break
                }
            }
            result.append((span, mention.start, text))
            for member in members { result.append((member, mention.start, text)) }
            index += 1
        }
        return result
    }

    static let rangeJoints: Set<String> = ["至", "到", "-", "–", "—", "~", "～", "to"]
    static let listJoints: Set<String> = ["、", ",", "，", "或", "和", "/", "or", ", or", "and", ", and"]

    /// Units of time and their length in days, longest spelling first.
    static let units: [(String, Double)] = [
        ("个星期", 7), ("个月", 30.4), ("星期", 7), ("天", 1), ("日", 1), ("周", 7), ("月", 30.4), ("年", 365),
        ("days", 1), ("day", 1), ("weeks", 7), ("week", 7), ("months", 30.4), ("month", 30.4), ("years", 365), ("year", 365), ("yrs", 365), ("yr", 365),
    ]
    /// What a unit must not be followed by: 年化 (annualised), 月薪 (monthly pay), 月份, 年级, 日期…
    static let notAfterUnit: [String] = ["化", "薪", "份", "级", "利", "收", "息", "代"]

    /// The unit of time right after a number (spaces and a hyphen allowed between), with where it ends.
    func unit(after end: Int, in s: Scalars) -> (Double, Int)? {
        var i = end
        while i < s.count && (s[i] == " " || s[i] == "-") { i += 1 }
        for (name, days) in Self.units {
            let unit = Array(name.unicodeScalars)
            guard i + unit.count <= s.count, Array(s[i..<(i + unit.count)]) == unit else { continue }
            let next = i + unit.count
            if next < s.count {
                if unit[0].isASCII && ("a"..."z").contains(s[next]) { continue }
                if !unit[0].isASCII && Self.notAfterUnit.contains(String(s[next])) { return nil }
            }
            return (days, next)
        }
        return nil
    }

    static func isOpenEnded(_ s: Scalars, start: Int, unitEnd: Int) -> Bool {
        let before = String(String.UnicodeScalarView(s[max(0, start - 10)..<start]))
        let after = String(String.UnicodeScalarView(s[unitEnd..<min(s.count, unitEnd + 10)])).trimmingWhitespace()
        return ["至少", "最短", "最少", "at least", "minimum of"].contains { before.contains($0) }
            || ["以上", "or more", "or longer", "+"].contains { after.hasPrefix($0) }
    }

    /// "R2", "C3", "T+1": a letter or plus sign right before the digits makes a label, not an amount.
    static func isLabel(before start: Int, in s: Scalars) -> Bool {
        guard start > 0 else { return false }
        let previous = s[start - 1]
        return previous == "+" || ("a"..."z").contains(previous)
    }

    static func isClauseBreak(_ scalar: Unicode.Scalar) -> Bool { "，。；;！？!?\n,".unicodeScalars.contains(scalar) }

    /// The offsets of the clause (between commas, full stops…) that holds `offset`; a full stop between digits is a decimal point.
    static func clause(around offset: Int, in s: Scalars) -> Range<Int> {
        func isBreak(_ i: Int) -> Bool {
            if isClauseBreak(s[i]) { return !(s[i] == "," && i > 0 && i + 1 < s.count && NumberParser.isDigit(s[i - 1]) && NumberParser.isDigit(s[i + 1])) }
            return s[i] == "." && !(i > 0 && i + 1 < s.count && NumberParser.isDigit(s[i - 1]) && NumberParser.isDigit(s[i + 1]))
        }
        var low = offset, high = offset
        while low > 0 && !isBreak(low - 1) { low -= 1 }
        while high < s.count && !isBreak(high) { high += 1 }
        return low..<high
    }

    /// Where a phrase occurs; an English phrase must start a word (as everywhere in scoring).
    static func occurrences(of phrase: Scalars, in s: Scalars) -> [Range<Int>] {
        guard let first = phrase.first, phrase.count <= s.count else { return [] }
        let wordStart = first.isASCII && first.properties.isAlphabetic
        var found: [Range<Int>] = []
        for i in 0...(s.count - phrase.count) where s[i] == first && Array(s[i..<(i + phrase.count)]) == phrase {
            if wordStart && i > 0 && s[i - 1].isASCII && (s[i - 1].properties.isAlphabetic || NumberParser.isDigit(s[i - 1])) { continue }
            found.append(i..<(i + phrase.count))
        }
        return found
    }
}
