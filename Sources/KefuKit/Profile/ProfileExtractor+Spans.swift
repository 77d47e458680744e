import Foundation

/// What a length of time in a message is about. "4500 a month" is how often income arrives, "10 years of
/// stocks" is experience, and only "invest for 2 years" / "一年内要用" (or an answer to the horizon question)
/// is the horizon: a span read as the horizon by default once turned a retiree's two years into ten.
extension ProfileExtractor {
    enum SpanRole: Equatable {
        case horizon
        /// Years of investing: "experienced" from `experiencedYears` on, "some" below.
        case experience(String)
        /// "一个月" / "a year" next to an amount: income per month or per year, not a span.
        case frequency
        /// A span that says nothing about the profile ("放了三年了"): ignored rather than guessed.
        case unrelated
    }

    /// Words that make a span the horizon: how long the money stays, or when it is needed.
    static let horizonWords: PhraseList = ["用", "投", "存", "放", "持有", "期限", "锁", "还", "定期", "理财", "不动", "取",
                                           "invest", "for", "need", "within", "in the next", "keep", "hold", "lock", "term", "repay",
                                           "pay back", "pay it back", "over", "until", "leave", "stay", "use", "spend", "save", "withdraw", "horizon"]
    /// Words that make a span when the money is needed, whatever was asked.
    static let neededWords: PhraseList = ["用", "取", "need", "use", "withdraw", "spend", "later", "from now"]
    /// Right after the unit, a span ends when the money is needed (三年后) or the money is needed within it (一年内).
    static let laterAfter = ["后", "以后", "之后"]
    static let withinAfter = ["内", "以内", "之内"]
    /// Right after the unit: 一年内, 三年后, 三年以上, "3 years or more".
    static let horizonAfter = withinAfter + laterAfter + ["以上", "或以上", "或更久", "或更长",
                               "or more", " or more", "or longer", " or longer", "+", " plus"]
    /// Right after the unit, words that make a span time already spent: "3 years now", "9 years already", "two years ago".
    static let sinceAfter = ["now", "already", "ago", "so far"]
    /// Whether `text` starts with one of `words` as a whole word.
    static func startsWithWord(_ text: String, among words: [String]) -> Bool {
        words.contains { word in
            guard text.hasPrefix(word) else { return false }
            return text.dropFirst(word.count).first.map { !$0.isLetter } ?? true
        }
    }
    /// Words that make a span years of investing.
    static let experienceWords: PhraseList = ["经验", "炒股", "股龄", "炒了", "股民", "investor", "investing", "experience", "trading", "traded",
                                              "years of", "in the market", "of stocks", "in stocks", "of funds"]
    /// Investing words that make a past span ("炒股十几年了", "投资三年了") experience.
    static let investingPast: PhraseList = ["炒", "股", "投资", "投了", "基金", "定投", "理财", "etf", "invest", "stock", "fund", "trad", "401k", "shares", "portfolio"]
    /// From this many years of investing on, a customer counts as experienced.
    static let experiencedYears = 3.0
    /// Income frequency written after an amount ("4500 monthly", "8k per month", "30万/年").
    static let monthlyAfter = ["per month", "a month", "monthly", "/month", "/mo", "每月", "每个月", "/月", "一个月", "1个月"]
    static let annualAfter = ["per year", "a year", "per annum", "yearly", "annually", "/year", "/yr", "p.a", "每年", "/年", "一年"]

    /// "4500 a month" → "4500 per month" before English spans become numbers, so that "a month" after an
    /// amount reads as how often, never as a one-month horizon.
    static func markingFrequencies(_ text: String) -> String {
        let search = SearchText(text)
        guard search.contains(" a ") || search.contains(" one ") || search.contains(" an ") else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = ["a month", "one month", "a year", "one year", "an year"].compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let head = rest[..<range.lowerBound]
            let phrase = String(rest[range])
            let afterOK = range.upperBound == rest.endIndex || !rest[range.upperBound].isLetter
            if afterOK, followsAmount(head) {
                out += head + (phrase.hasSuffix("month") ? "per month" : "per year")
            } else {
                out += head + phrase
            }
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    /// Whether text ends with an amount: a digit or a money unit (8k, 两万, 5000 yuan).
    static func followsAmount(_ head: Substring) -> Bool {
        let trimmed = head.trimmingWhitespace()
        guard let last = trimmed.unicodeScalars.last else { return false }
        if NumberParser.isDigit(last) || ["k", "w", "万", "千", "元", "块"].contains(last) { return true }
        return ["yuan", "rmb", "dollars", "bucks", "usd", "thousand", "million"].contains { trimmed.hasSuffix(" " + $0) || trimmed == $0 }
    }

    /// The role of a time span found at `index`, from its words, its neighbours and the pending question.
    static func spanRole(_ mentions: [NumberMention], _ index: Int, folded: [Unicode.Scalar], before: String, rest: String, months: Int,
                         pending: InvestorProfile.Fact?) -> SpanRole {
        let mention = mentions[index]
        let context = SearchText(before + " " + rest)
        // Asked about experience, a length followed by 期 is a product's term, not years of investing ("买过国债，三年期的"
        // was experienced).
        if pending == .experience, rest.hasPrefix("期") { return .unrelated }
        // While experience is asked, investing words anywhere in the answer make a span years of investing
        // ("a 401k and some index funds back in the States for about 8 years").
        let investing = pending == .experience ? SearchText(String(scalars: folded)).containsAny(investingPast) : context.containsAny(investingPast)
        // Years of holding investments, said while experience is asked ("基金定投三年多", "had stocks for 4 years"), are experience too.
        // Asked about experience, a length is how long they have invested ("20+ yrs", "over 20 years" were a horizon of 240
        // months), unless it says when the money is needed ("三年后要用").
        let yearsOfInvesting = pending == .experience && !context.containsAnyWord(neededWords) && !(laterAfter + withinAfter).contains(where: { rest.hasPrefix($0) })
        if context.containsAny(experienceWords) || ((rest.hasPrefix("了") || pending == .experience) && investing) || yearsOfInvesting {
            // "trading stocks for like 6 months" is half a year: some experience, not years of it.
            return .experience(Double(months) / 12 >= experiencedYears ? "experienced" : "some")
        }
        if rest.hasPrefix("了") { return .unrelated }
        // Counted back from now, a span is time already spent ("working at a private hospital for the past seven years"
        // was a horizon of 84 months), never how long the money can stay.
        let trimmed = before.trimmingWhitespace()
        if ["the past", "the last", "past", "these"].contains(where: { trimmed.hasSuffix($0) }) { return .unrelated }
        // So is a span said to reach up to now ("freelancing out of Chengdu for a couple yrs now" was a horizon of 24 months).
        if startsWithWord(rest, among: sinceAfter) { return .unrelated }
        // Or said in the present perfect ("I have been buying ceramics in Foshan and shipping to Lagos for 6 years" was a horizon
        // of 72 months, and the horizon, a year, was never asked).
        if saysTimeSpent(clauseBefore: window(folded, max(0, mention.start - 80), mention.start)) { return .unrelated }
        if horizonAfter.contains(where: { rest.hasPrefix($0) }) { return .horizon }
        if mention.value == 1, isNextToAmount(mentions, index, folded: folded) { return .frequency }
        // Asked about the job or the income, "I taught economics for 35 years" is the career, not how long the money stays.
        if let pending, [.occupation, .income, .age].contains(pending) { return .unrelated }
        if pending == .horizon || context.containsAnyWord(horizonWords) { return .horizon }
        // A clause that is only a length ("…, for saving, 6 months, …") is the horizon in a list of facts.
        if before.trimmingWhitespace().isEmpty && rest.isEmpty { return .horizon }
        return .unrelated
    }

    /// Whether the clause before a length is in the present perfect and ends in "for": "I've been teaching here for".
    static func saysTimeSpent(clauseBefore before: String) -> Bool {
        let clause = lastClause(before.lowercased())
        // "…for about four years", "for almost 3 years": the length may be hedged.
        var tail = clause.trimmingWhitespace()
        for hedge in [" about", " around", " almost", " nearly", " over", " like", " roughly", " close to", " more than"] where tail.hasSuffix(hedge) {
            tail = String(tail.dropLast(hedge.count))
            break
        }
        guard tail.hasSuffix(" for") else { return false }
        // The perfect must govern the length: after it, a verb of keeping the money or a wish makes the length the
        // horizon again ("It's been sitting in my account and I can leave it there for 2 years", "I have been told to keep
        // it invested for 3 years").
        guard let perfect = ["been ", "have had ", "'ve had ", "ve had ", "has had "].compactMap({ tail.range(of: $0, options: .backwards)?.upperBound }).max()
        else { return false }
        let after = SearchText(String(tail[perfect...]))
        return !after.containsAnyWord(["keep", "leave", "stay", "lock", "hold", "invest", "invested", "put", "want", "can", "could", "will",
                                       "plan", "need", "park"])
    }

    /// "15000一个月", "一个月挣一万": a one-month or one-year span right beside an amount, in the same clause.
    static func isNextToAmount(_ mentions: [NumberMention], _ index: Int, folded: [Unicode.Scalar]) -> Bool {
        func isMoney(_ m: NumberMention) -> Bool { m.hasMagnitude || m.hasCurrency || m.value >= 100 }
        func gapIsClose(_ from: Int, _ to: Int, limit: Int) -> Bool {
            to - from <= limit && !(from..<max(from, to)).contains { isClauseBreak(folded[$0]) }
        }
        let mention = mentions[index]
        if index > 0, isMoney(mentions[index - 1]), gapIsClose(mentions[index - 1].end, mention.start, limit: 2) { return true }
        if index + 1 < mentions.count, isMoney(mentions[index + 1]) {
            let unitEnd = mention.end + timeUnitLength(window(folded, mention.end, folded.count).trimmingWhitespace())
            return gapIsClose(unitEnd, mentions[index + 1].start, limit: 5)
        }
        return false
    }

    /// The period written right after an amount, past its currency word: "month", "year" or nil.
    static func period(after: String) -> String? {
        var text = Substring(after.trimmingWhitespace())
        for word in ["yuan", "rmb", "元", "块", "dollars", "bucks"] where text.hasPrefix(word) { text = text.dropFirst(word.count).drop { $0 == " " }; break }
        if monthlyAfter.contains(where: { text.hasPrefix($0) }) { return "month" }
        if annualAfter.contains(where: { text.hasPrefix($0) }) { return "year" }
        return nil
    }

    /// English numbers in words before a magnitude: "one million" → "1 million", "half a mil" → "0.5 mil", "fifty
    /// thousand" → "50 thousand" (the number grammar reads digits; "one million", the amount asked, was no amount).
    static func englishAmounts(_ text: String) -> String {
        guard text.contains("thousand") || text.contains("mil") || text.contains("grand") else { return text }
        var out = text
        for half in ["half a million", "half a mil", "half million", "half mil"] where out.contains(half) {
            out = out.replacingAll(half, with: "0.5 million")
        }
        // "between 30 and 40 thousand": the magnitude belongs to both ends, the lower one is taken.
        out = betweenAmounts?.stringByReplacingMatches(in: out, range: NSRange(location: 0, length: (out as NSString).length), withTemplate: "$1-$2 $3") ?? out
        return replacingNumberWords(in: out, amountWords)
    }

    /// Every number word of an amount ("about eleven thousand a month" was no income at all; "twenty-five thousand").
    static let amountWords = numberWords(amountWordValues, before: "(?=\\s*(?:thousand|million|mil|grand)\\b)")
    static let amountWordValues: [String: Int] = {
        var values = ["a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                      "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
                      "eighteen": 18, "nineteen": 19, "hundred": 100, "a hundred": 100, "one hundred": 100, "a few hundred": 300,
                      "several hundred": 300]
        for (tens, value) in ageTens {
            values[tens] = value
            for (unit, digit) in ageUnits { values[tens + " " + unit] = value + digit; values[tens + "-" + unit] = value + digit }
        }
        return values
    }()
    static let betweenAmounts = try? NSRegularExpression(pattern: "(\\d+)\\s*(?:and|to|or)\\s*(\\d+)\\s*(thousand|grand|million|k)\\b")

    /// Number words and the pattern that finds them (longest first) where `lookahead` says what must follow, compiled once.
    static func numberWords(_ values: [String: Int], before lookahead: String) -> (regex: NSRegularExpression?, values: [String: Int]) {
        let pattern = "\\b(" + values.keys.sorted { $0.count > $1.count }.joined(separator: "|") + ")\\b" + lookahead
        return (try? NSRegularExpression(pattern: pattern), values)
    }

    /// Every number word that `words` finds in `text`, replaced by its figure.
    static func replacingNumberWords(in text: String, _ words: (regex: NSRegularExpression?, values: [String: Int])) -> String {
        guard let regex = words.regex else { return text }
        let values = words.values
        let ns = text as NSString
        var result = ""
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            result += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            result += String(values[ns.substring(with: match.range)] ?? 0)
            last = match.range.location + match.range.length
        }
        return result + ns.substring(from: last)
    }

    /// A share said as a fraction while the loss is asked ("A tenth, at the very most.", "maybe a third"): a percentage.
    static func englishFractions(_ text: String) -> String {
        var out = text
        for (words, percent) in [("a tenth", "10%"), ("one tenth", "10%"), ("a fifth", "20%"), ("one fifth", "20%"), ("a quarter", "25%"),
                                 ("one quarter", "25%"), ("a third", "33%"), ("one third", "33%"), ("half of it", "50%"), ("half", "50%")]
        where SearchText(out).containsWord(words) {
            out = out.replacingAll(words, with: percent)
        }
        return out
    }

    /// An age in English words ("Thirty-three.", "sixty two"), read while the age is asked.
    static func englishAge(_ text: String) -> String {
        let ns = text as NSString
        guard let match = ageWords?.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { return text }
        var value = 0
        if match.range(at: 1).location != NSNotFound { value += ageTens[ns.substring(with: match.range(at: 1))] ?? 0 }
        if match.range(at: 2).location != NSNotFound { value += ageUnits[ns.substring(with: match.range(at: 2))] ?? 0 }
        if match.range(at: 3).location != NSNotFound { value += ageTeens[ns.substring(with: match.range(at: 3))] ?? 0 }
        return ns.replacingCharacters(in: match.range, with: String(value))
    }

    static let ageTens = ["twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90]
    static let ageUnits = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9]
    static let ageTeens = ["eighteen": 18, "nineteen": 19, "seventeen": 17, "sixteen": 16, "fifteen": 15, "fourteen": 14, "thirteen": 13]
    static let ageWords = try? NSRegularExpression(pattern: "\\b(" + ageTens.keys.joined(separator: "|") + ")(?:[- ](" + ageUnits.keys.joined(separator: "|")
                                                   + "))?\\b|\\b(" + ageTeens.keys.joined(separator: "|") + ")\\b")

    /// English numbers in words before a time unit: "two or three years" → "2 or 3 years", "Two, maybe three years" → "2, maybe
    /// 3 years" (a range, read at its lower end), "eight months" → "8 months",
    /// "a couple of years" → "2 years". Only before a unit (or a second number and a unit), so "no one" stays words.
    static func englishNumberSpans(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { ("a"..."z").contains($0) }) else { return text }
        var out = text
        for (phrase, digits) in [("a couple of ", "2 "), ("couple of ", "2 "), ("a couple ", "2 ")] {
            for unit in ["year", "month", "yr"] where out.contains(phrase + unit) { out = out.replacingAll(phrase + unit, with: digits + unit) }
        }
        // Two passes, as before: a word whose neighbour the first pass turned into a figure.
        for _ in 0..<2 { out = replacingNumberWords(in: out, spanWords) }
        return out
    }

    static let spanWords = numberWords(["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                                        "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty": 20, "thirty": 30],
                                       before: "(?=(?:\\s*(?:or|to|-|–|,)\\s*(?:maybe\\s+|perhaps\\s+|possibly\\s+)?(?:[a-z]+|\\d+))?\\s*(?:more\\s+)?(?:years?|yrs?|months?|semesters?)\\b)")
}
