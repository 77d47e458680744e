import Foundation

/// Takes every profile fact it can from one message ("我35岁，月薪两万，想投10万，一年内可能要用" gives four),
/// using the question Kefu just asked to read bare answers ("35", "两万", "一年"). Values it cannot
/// place safely are reported as ambiguous so that Kefu asks instead of guessing.
public struct ProfileExtractor: Sendable {
    public struct Extraction: Sendable, Equatable {
        public var facts: [(InvestorProfile.Fact, RuleValue)] = []
        public var intent: InvestorProfile.Intent?
        /// Facts given with an impossible value (age 150, negative income).
        public var invalid: [InvestorProfile.Fact] = []
        /// An income amount without "a month" or "a year".
        public var ambiguousIncome: Double?
        /// Facts given as a range ("1-2万"): the lower end was taken, and the reply says so.
        public var ranges: [Range] = []
        /// Facts given in a currency that is not yuan ("$5,000"): asked again in yuan, never taken as yuan.
        public var foreignCurrency: [InvestorProfile.Fact] = []
        /// The horizon was read from words ("随时备用" = any time), not given as a length: the reply says so.
        public var horizonFromWords = false
        /// Likely values of other facts that the words suggest (`suggests:` in profile-answers.txt): spare cash may be
        /// needed any time. Put to the customer to confirm when that fact is asked; never recorded unasked.
        public var suggested: [(InvestorProfile.Fact, RuleValue)] = []
        /// "不想说", "skip": the customer prefers not to answer the pending question.
        public var skip = false
        /// "不对", "actually": the customer is correcting something said before.
        public var isCorrection = false
        /// "不知道", "what do you mean?": the customer would answer with help (Kefu offers the choices).
        public var unsure = false
        /// The intent read from the message's words, before its numbers were looked at. When set, the
        /// extraction does not depend on the intent passed in (so a caller may reuse it with another one).
        var wordIntent: InvestorProfile.Intent?
        /// A length of time was read from a number ("1 year"), whatever it was about: a horizon in words is then not
        /// taken from the same line ("I bought some funds my friend recommended, 1 year" is experience, not "long term").
        var sawSpan = false
        /// Facts read from the answer's words (the answer reader), not from its figures: "没收入" is no income in words.
        var fromWords: Set<InvestorProfile.Fact> = []
        /// Someone else's age said in the line ("孩子4岁"): a later age of theirs says how long until then.
        var othersAge: Double?
        /// An age the customer said after their first ("不是35，是36岁"): theirs only when the line corrects itself, which
        /// the answer reader decides from the words (`wordFacts`).
        var laterAge: Double?
        /// An age the customer will reach, said while the horizon is asked ("I want to stop working when I am 60, so until
        /// then", "干到60岁退休"): with the age already known, how long until then is the horizon (`AdviceFlow`). Never a
        /// relative's age ("我爸明年60岁退休" is `othersAge`).
        public var ownFutureAge: Double?

        public struct Range: Sendable, Equatable {
            public var fact: InvestorProfile.Fact
            public var lower: Double
            public var upper: Double

            public init(fact: InvestorProfile.Fact, lower: Double, upper: Double) {
                self.fact = fact
                self.lower = lower
                self.upper = upper
            }
        }

        public var isEmpty: Bool { facts.isEmpty && intent == nil && invalid.isEmpty && ambiguousIncome == nil && !skip && foreignCurrency.isEmpty }

        public func value(_ fact: InvestorProfile.Fact) -> RuleValue? { facts.last { $0.0 == fact }?.1 }

        /// The kinds of fact the message states (two amounts are one kind).
        public var statedFacts: Set<InvestorProfile.Fact> { Set(facts.map(\.0)) }

        public static func == (a: Extraction, b: Extraction) -> Bool {
            a.facts.map { "\($0.0)=\($0.1)" } == b.facts.map { "\($0.0)=\($0.1)" } && a.intent == b.intent && a.invalid == b.invalid
                && a.ambiguousIncome == b.ambiguousIncome && a.skip == b.skip && a.isCorrection == b.isCorrection && a.unsure == b.unsure
                && a.ranges == b.ranges && a.foreignCurrency == b.foreignCurrency && a.horizonFromWords == b.horizonFromWords
                && a.suggested.map { "\($0.0)=\($0.1)" } == b.suggested.map { "\($0.0)=\($0.1)" }
        }
    }

    private let numbers = NumberParser()
    /// Reads what the words of an answer mean (occupation, goal, loss, experience, horizon words, skip,
    /// correction, no income), learned from `profile-answers.txt`; nil reads numbers only.
    public let answers: ProfileAnswerReader?

    public init(answers: ProfileAnswerReader? = nil) { self.answers = answers }

    // MARK: - Vocabulary

    /// Words next to a bare percent that make it a loss limit ("up to 10%", "最多10%", "10%以内") when it is not a return.
    static let lossPercentCues: PhraseList = ["up to", "at most", "max", "maximum", "no more than", "not more than", "within", "最多", "不超过", "以内", "之内"]
    static let returnContext: PhraseList = ["收益", "回报", "年化", "利息", "利率", "return", "yield", "interest", "gain", "earn", "apr"]
    static let loanVerbs: PhraseList = ["借", "贷款", "贷", "周转", "borrow", "loan", "lend", "credit"]
    static let adviceInvest: PhraseList = ["理财推荐", "推荐", "理财", "怎么投资", "买什么", "投什么", "投资建议", "有什么产品", "invest", "recommend", "what should i buy", "investment advice", "where to put", "suggest"]

    static let spanIncomeWords: PhraseList = ["earn", "income", "salary", "make", "paid", "wage", "k ", "000", "pension"]
    static let lossContext: PhraseList = ["亏", "损", "跌", "lose", "losing", "lost", "loss", "drop", "fall", "down"]
    /// Words that make a figure in an answer about experience the amount to invest now.
    static let amountNow: PhraseList = ["想投", "打算投", "准备投", "想买", "打算买", "准备买", "这次", "这回", "want to", "plan to", "planning to", "going to", "would like to", "this time"]
    static let notNeeded: PhraseList = ["不用", "用不到", "用不上", "用不着", "不会用", "不需要", "不动", "不打算动", "不会动", "不带动", "不碰", "不取", "动不了",
                                         "唔会郁", "唔郁", "唔使", "唔用", "唔会用", "用唔到", "用唔着"]
    static let incomeBefore: PhraseList = ["月薪", "月入", "月收入", "每月收入", "每个月收入", "工资", "收入", "年薪", "年收入", "年入", "薪水", "薪资", "挣", "赚", "earn", "income", "salary", "make", "paid", "earning", "wage", "pension", "退休金", "养老金"]
    /// Pay words after a figure ("16000 yuan salary"): read only while the income is asked.
    static let incomeAfter: PhraseList = ["salary", "wage", "pay", "income", "pension", "工资", "薪水", "收入", "退休金", "养老金"]
    static let annualWords: PhraseList = ["年薪", "年收入", "年入", "年包", "年终总包", "一年", "每年", "全年收入", "全年到手", "全年挣", "全年赚", "一整年下来", "去年一共", "去年总共", "last year", "a year", "per year", "per annum", "annual", "yearly", "1 year", "package", "/year", "/yr", "p.a"]
    static let monthlyWords: PhraseList = ["月薪", "月入", "月收入", "每月", "每个月", "一个月", "a month", "per month", "monthly", "/month", "/mo", "月"]
    static let investContext: PhraseList = ["投资", "投入", "想投", "投了", "打算投", "准备投", "理财", "买", "存", "invest", "put in", "put ", "buy", "have ", "got "]
    /// Words before a figure that make it money saved, not earned.
    static let savingBefore: PhraseList = ["save", "saving", "put away", "putting away", "set aside", "setting aside", "攒", "存下", "结余", "剩下"]
    static let loanContext: PhraseList = ["借", "贷款", "贷", "borrow", "loan", "lend"]
    /// Words before a figure that make it money the customer has (in a loan conversation: not the amount to borrow).
    static let ownMoneyBefore: PhraseList = ["i have", "i've got", "i got", "i already have", "我有", "自己有", "手上有", "手里有", "我自己出", "自己出"]

    // MARK: - Extraction

    static let englishSpans: [(String, String)] = [
        // "The car we plan to buy after one and half year." was half a year.
        ("one and a half year", "18 months"), ("one and half year", "18 months"), ("1 and a half year", "18 months"), ("1 and half year", "18 months"),
        ("two and a half year", "30 months"), ("two and half year", "30 months"), ("2 and a half year", "30 months"),
        ("half a year", "6 months"), ("half year", "6 months"), ("a year and a half", "18 months"), ("a year", "1 year"), ("an year", "1 year"), ("a month", "1 month"),
        ("one year", "1 year"), ("two years", "2 years"), ("three years", "3 years"), ("four years", "4 years"), ("five years", "5 years"),
        ("ten years", "10 years"), ("six months", "6 months"), ("three months", "3 months"), ("nine months", "9 months"),
        ("eighteen months", "18 months"), ("twelve months", "12 months"), ("two months", "2 months"), ("one month", "1 month"),
        ("more than 3 years", "3+ years"), ("over 3 years", "3+ years"),
        // "I've had a 403(b) and some index funds for decades": at least two decades.
        ("a couple of decades", "20 years"), ("a few decades", "20 years"), ("two decades", "20 years"), ("three decades", "30 years"),
        ("for decades", "for 20 years"), ("half a decade", "5 years"), ("a decade", "10 years"), ("one decade", "10 years"),
    ]

    /// Dates relative to today, as the length of time until them (longest first: "the year after next" before "next year").
    static let relativeDates: [(String, String)] = [
        ("end of next year", "in 1 year"), ("the year after next", "in 2 years"), ("year after next", "in 2 years"), ("next year", "in 1 year"), ("next month", "in 1 month"),
        // "明年年底就得拿出来" (asked how long): the end of next year, at its nearest a year away; 年 in 年底 is no length.
        ("明年年底", "一年后"), ("明年年初", "一年后"), ("明年年中", "一年后"), ("明年底", "一年后"), ("明年初", "一年后"),
        ("大后年", "三年后"), ("后年", "两年后"), ("明年", "一年后"), ("下个月", "一个月后"),
    ]

    /// Whether the text names a length of time (besides any relative date taken out of it).
    static func statesLength(_ text: String) -> Bool { ["year", "month", "yr", "年", "个月", "semester", "学期"].contains { text.contains($0) } }

    public func extract(_ text: String, pending: InvestorProfile.Fact?, intent currentIntent: InvestorProfile.Intent?) -> Extraction {
        complete(read(text, pending: pending, intent: currentIntent))
    }

    /// An extraction without its word-level facts (occupation, goal, loss, experience…), which add no
    /// intent and no amount: enough to decide whether a question starts advice, and `complete` finishes it.
    struct Reading {
        var extraction: Extraction
        let search: SearchText
        /// The message as typed (with English spans as numbers), for the answer reader.
        let text: String
        let pending: InvestorProfile.Fact?
    }

    /// `extract` of the reading: the same extraction as reading and completing in one go.
    func complete(_ reading: Reading) -> Extraction {
        var out = reading.extraction
        wordFacts(reading.text, pending: reading.pending, into: &out)
        // Asked the income, two figures are a range, read at its lower end and said back: "一个月有六千多点，加班多就七千"
        // was read as 7,000 (the last figure won).
        // (Figures under 100 are counts, not a month's pay: "我一个人一万一" holds 一个人, one person.)
        let incomes = out.facts.compactMap { fact, value -> Double? in
            if fact == .income, case .number(let amount) = value, amount >= 100 { return amount }
            return nil
        }
        // A count beside a month's pay is no income of its own: "about 8 grand, 2 kids to feed" was an income of ¥2.
        if reading.pending == .income, !incomes.isEmpty {
            out.facts.removeAll { fact, value in
                if fact == .income, case .number(let amount) = value { return amount > 0 && amount < 100 }
                return false
            }
        }
        // An average said with them is the income ("旺季一个月能挣三万，淡季也就一万，平均个两万吧").
        let averaged = ["平均", "average"].contains { reading.text.lowercased().contains($0) }
        // A range said among them joins it: "一个月六千七八，加绩效有时候七千多" was said back as 6,700 to 6,800 and recorded
        // as 7,000.
        // Only figures of a month's pay alike: "一个月六千七八，年终奖两万" is no range up to 20,000.
        let said = out.ranges.filter { $0.fact == .income }.flatMap { [$0.lower, $0.upper] }
        let alike = said.isEmpty ? incomes : incomes.filter { $0 <= (said.max() ?? 0) * 1.5 }
        if reading.pending == .income, !averaged, alike.count > 1, let lower = (alike + said).min(), let upper = (alike + said).max(), lower < upper {
            out.facts.removeAll { $0.0 == .income }
            out.facts.append((.income, .number(lower)))
            out.ranges.removeAll { $0.fact == .income }
            out.ranges.append(.init(fact: .income, lower: lower, upper: upper))
        }
        return out
    }

    /// The intent and the facts in the message's numbers (see `Reading`).
    func read(_ text: String, pending: InvestorProfile.Fact?, intent currentIntent: InvestorProfile.Intent?) -> Reading {
        let original = text
        var scalars = NumberParser.fold(text)
        let plain = String(scalars: scalars)
        var text = ProfileExtractor.markingFrequencies(ProfileExtractor.withoutPlanNames(plain))
        // English time spans in words ("a year", "six months") become numbers, unless "a month" is about income.
        text = ProfileExtractor.englishAmounts(ProfileExtractor.englishNumberSpans(text))
        if pending == .age { text = ProfileExtractor.englishAge(text) }
        if pending == .loss { text = ProfileExtractor.englishFractions(text) }
        var spans = SearchText(text)
        var rewritten = text != plain
        // "明年这时候要用", "need it next year": a date relative to today is a length of time, while the horizon is asked or
        // before any question ("打算明年装修房子，钱先放哪好"); asked about the job, "明年退休" says nothing about the money.
        // A loan's horizon is its term: "下个月结婚，彩礼还差点，能不能贷款" says when the wedding is, not for how long to borrow.
        // A length said in the same answer wins over the date ("by end of next year, so about a year and a half from now").
        let dates = ProfileExtractor.relativeDates.filter { spans.contains($0.0) }
        if !dates.isEmpty,
           pending == .horizon || (pending == nil && currentIntent != .loan && !spans.containsAnyWord(ProfileExtractor.loanVerbs)),
           !ProfileExtractor.statesLength(ProfileExtractor.relativeDates.reduce(spans.string) { $0.replacingAll($1.0, with: "") }) {
            for (words, span) in dates {
                text = text.replacingAll(words, with: span)
                spans = SearchText(text)
                rewritten = true
            }
        }
        for (words, digits) in ProfileExtractor.englishSpans where spans.contains(words) {
            if words == "a month" || words == "a year" {
                if spans.containsAny(ProfileExtractor.spanIncomeWords) && pending != .horizon { continue }
            }
            text = text.replacingAll(words, with: digits)
            spans = SearchText(text)
            rewritten = true
        }
        // Folding is idempotent: an unchanged text is already folded (and `spans` already prepared).
        if rewritten { scalars = NumberParser.fold(text) }
        let folded = scalars
        let search = rewritten ? SearchText(String(scalars: folded)) : spans
        var out = Extraction()
        if search.containsAnyWord(ProfileExtractor.loanVerbs) && !search.contains("借记卡") {
            out.intent = .loan
        } else if search.containsAny(ProfileExtractor.adviceInvest) {
            out.intent = .invest
        }
        out.wordIntent = out.intent
        let intent = out.intent ?? currentIntent

        var mentions = numbers.mentions(inFolded: folded)
        if pending == .income { mentions = ProfileExtractor.inThousands(mentions, folded: folded) }
        // "15000一个月", "一个月挣一万": the span is how often the amount beside it comes.
        var periodOf: [Int: String] = [:]
        for (index, mention) in mentions.enumerated() where mention.value == 1 {
            let unit = ProfileExtractor.window(folded, mention.end, mention.end + 6).trimmingWhitespace()
            guard let months = ProfileExtractor.months(mention, after: unit), ProfileExtractor.isNextToAmount(mentions, index, folded: folded) else { continue }
            let close = index > 0 && mention.start - mentions[index - 1].end <= 2 ? index - 1 : index + 1
            periodOf[close] = months == 1 ? "month" : "year"
        }
        // Each figure goes to the first recogniser that explains it, in this order.
        let recognisers: [(Figure, inout Extraction) -> Bool] = [age, lossPercent, timeSpan, income, pastInvesting, amount, bareAnswer]
        var years: Set<Int> = []
        for index in mentions.indices {
            let figure = Figure(mentions: mentions, index: index, folded: folded, search: search, pending: pending, intent: intent, period: periodOf[index])
            // A calendar year or a generation is no fact's figure: "I can take a 40% drawdown. I have seen 2008 and 2015." was
            // an amount of ¥2,008, and "00后，今年23" an age of 0 asked again and again.
            // Nor is a distance, a weight or an area: "攒起换个车，现在这个车都跑了三十万公里了" (the goal asked) was ¥300,000 to invest.
            if ProfileExtractor.isMeasure(figure) { continue }
            if ProfileExtractor.isCalendarYear(figure, afterYear: years.contains(index - 1)) || ProfileExtractor.isGeneration(figure) {
                years.insert(index)
                continue
            }
            for recognise in recognisers where recognise(figure, &out) { break }
        }

        return Reading(extraction: out, search: search, text: original, pending: pending)
    }

    /// "儿子二十四了": a figure followed by 了 or 岁 is someone's age, not how long the money stays.
    static func isSomeonesAge(_ after: String) -> Bool {
        after.hasPrefix("了") || after.hasPrefix("岁") || after.hasPrefix("years old") || after.hasPrefix("yrs old")
    }

    /// The facts in the answer's words, from the answer reader: numbers already read win ("最多亏10%" is the
    /// percent's band whatever the words), and a horizon in words is marked as read from words unless asked.
    private func wordFacts(_ text: String, pending: InvestorProfile.Fact?, into out: inout Extraction) {
        guard let answers else { return }
        let reading = answers.read(text, pending: pending)
        out.skip = reading.skip
        out.unsure = reading.unsure
        out.isCorrection = reading.correction
        if out.isCorrection, let later = out.laterAge {
            out.facts.removeAll { $0.0 == .age }
            addAge(later, &out)
        }
        // Numbers the grammar already placed win, or asked about: "收入两万" (per month or per year?) and "月入负三千"
        // are asked again, never read as "no income" for their words.
        let touched = Set(out.invalid + out.foreignCurrency + (out.ambiguousIncome != nil ? [.income] : []))
        for (fact, value) in reading.facts where out.value(fact) == nil && !touched.contains(fact) && !(fact == .horizon && out.sawSpan) {
            if fact == .horizon { out.horizonFromWords = pending != .horizon }
            out.facts.append((fact, value))
            out.fromWords.insert(fact)
        }
        // What a value suggests about another fact ("随时备用" is money that may be needed any time), from `suggests:` in
        // profile-answers.txt: asked as a question to confirm, since "Mostly spare cash for the months with no work" was
        // taken as a horizon of 0 months when the customer, asked, would have said about six.
        for (fact, value) in reading.facts {
            guard let (other, otherValue) = answers.suggestion(fact, value), !touched.contains(other) else { continue }
            out.suggested.append((other, otherValue))
        }
    }

    /// American retirement plans named by their tax-code section ("I've had a 401k and some index funds back in the
    /// States"): a name, not 401,000 yuan to invest.
    static let planNames = ["401(k)", "401k", "403(b)", "403b", "457(b)", "457b"]

    static func withoutPlanNames(_ text: String) -> String {
        guard text.contains("401") || text.contains("403") || text.contains("457") else { return text }
        var out = text
        for name in planNames { out = out.replacingAll(name, with: "retirement plan") }
        return out
    }

    // MARK: - Helpers

    static func isClauseBreak(_ s: Unicode.Scalar) -> Bool {
        ["，", ",", "。", ";", "；", "!", "！", "?", "？", "、", "\n"].contains(s) || (s == "." )
    }

    static func window(_ s: [Unicode.Scalar], _ from: Int, _ to: Int) -> String {
        let a = max(0, min(from, s.count)), b = max(a, min(to, s.count))
        return String(scalars: s[a..<b])
    }

    static func isInvestContext(_ before: String) -> Bool {
        SearchText(before).containsAny(investContext)
    }

    static func isLoanContext(_ text: String) -> Bool {
        let search = SearchText(text)
        return search.containsAny(loanContext) && !search.contains("借记卡")
    }

    static func timeUnitLength(_ text: String) -> Int {
        for unit in ["个月", "年", "月", "months", "month", "years", "year", "yrs", "yr"] where text.hasPrefix(unit) { return unit.count }
        // "3y", "6m" as typed in a hurry: the letter alone, with no word after it.
        if let first = text.unicodeScalars.first, first == "y" || first == "m",
           text.unicodeScalars.dropFirst().first.map({ !("a"..."z").contains($0) }) ?? true { return 1 }
        return 0
    }

    static func isTimeUnit(_ text: String) -> Bool { timeUnitLength(text) > 0 }

    /// Asked the income, a bare figure said after thousands were named is in thousands: "a few grand a month — usually 4,
    /// sometimes 6 when clients pay on time" was an income of ¥6, and "usually 4k, sometimes 6" a range of ¥6 to ¥4,000.
    /// Only a figure under 100 with nothing after it but a pause or a joining word ("2 kids", "6 months" keep their
    /// nouns), and only after "grand", "thousand" or a figure in k (a Chinese 万 or 千 is said with each figure).
    static func inThousands(_ mentions: [NumberMention], folded: [Unicode.Scalar]) -> [NumberMention] {
        var result = mentions
        for (index, mention) in mentions.enumerated() {
            guard !mention.hasMagnitude, !mention.hasCurrency, !mention.isPercent, mention.value >= 1, mention.value < 100 else { continue }
            let before = SearchText(window(folded, 0, mention.start))
            let thousandsEarlier = mentions[..<index].contains { $0.hasMagnitude && $0.value >= 1000 && $0.value < 100_000 && window(folded, $0.start, $0.end).contains("k") }
            guard before.containsAnyWord(["grand", "thousand"]) || thousandsEarlier else { continue }
            // Nor a figure introduced as an age ("8k a month, I'm 35").
            let said = window(folded, max(0, mention.start - 8), mention.start)
            guard !(ageIntroducers + ageIntroducersTyped).contains(where: { said.hasSuffix($0) }) else { continue }
            let after = window(folded, mention.end, folded.count).trimmingWhitespace()
            let nextWord = after.prefix { $0.isLetter }
            guard nextWord.isEmpty || thousandsJoiners.contains(String(nextWord)) else { continue }
            result[index].value = mention.value * 1000
            result[index].upper = mention.upper.map { $0 * 1000 }
            result[index].hasMagnitude = true
        }
        return result
    }

    /// Words right before a figure that make it an age (`age`), and that keep it out of `inThousands`.
    static let ageIntroducers = ["i'm ", "i am ", "age ", "aged ", "今年"]
    /// The same typed loosely ("im 35", "年龄35"): kept out of `inThousands` too, but not (yet) read as an age by `age`,
    /// which would change the dev conversations that say them.
    static let ageIntroducersTyped = ["im ", "年龄"]
    /// Words that may follow a bare figure in thousands ("sometimes 6 when clients pay", "4 or 5").
    static let thousandsJoiners: Set<String> = ["or", "to", "and", "when", "if", "sometimes", "usually", "maybe", "on", "in", "depending", "but"]

    /// A time span in months, if the number is followed by a time unit.
    static func months(_ mention: NumberMention, after: String) -> Int? {
        guard !mention.hasMagnitude, !mention.hasCurrency, mention.value >= 0 else { return nil }
        var after = after.hasPrefix("+") ? String(after.dropFirst()).trimmingWhitespace() : after
        // "3 more years", "Three more semesters, give or take": the length still to come.
        if after.hasPrefix("more ") { after = String(after.dropFirst(5)) }
        // A semester (学期) is half a year.
        if after.hasPrefix("semester") || after.hasPrefix("个学期") || after.hasPrefix("学期") { return Int((mention.value * 6).rounded()) }
        // "4500 monthly" / "yearly" say how often, not how long.
        if after.hasPrefix("monthly") || after.hasPrefix("yearly") { return nil }
        if after.hasPrefix("个月") || after.hasPrefix("month") { return Int(mention.value.rounded()) }
        // "3y", "6m": the bare letter (timeUnitLength 1).
        if (after.hasPrefix("y") || after.hasPrefix("m")), timeUnitLength(after) == 1 {
            return after.hasPrefix("y") ? Int((mention.value * 12).rounded()) : Int(mention.value.rounded())
        }
        if after.hasPrefix("年") || after.hasPrefix("year") || after.hasPrefix("yr") {
            // "娃才一年级" (first grade) is a school year, not a year's length.
            if startsYearWord(after) || after.hasPrefix("year old") || after.hasPrefix("years old")
                || after.hasPrefix("years of age") || after.hasPrefix("year of age") { return nil }
            // 一年半 = a year and a half.
            if after.hasPrefix("年半") { return Int(((mention.value + 0.5) * 12).rounded()) }
            return Int((mention.value * 12).rounded())
        }
        return nil
    }

    /// Words that begin with 年 after a figure without making it years, or a calendar year: a salary (年薪, 年收入, 年入,
    /// 年包), a school year (一年级), a year-end bonus (2000年终奖), a yearly rate (年化, 年利).
    static func startsYearWord(_ after: String) -> Bool {
        ["年薪", "年收入", "年入", "年包", "年级", "年终", "年化", "年利"].contains { after.hasPrefix($0) }
    }

    static func lossBand(percent: Double) -> String {
        switch percent {
        case ..<1: return "none"
        case ...10: return "small"
        case ...25: return "medium"
        default: return "large"
        }
    }

    /// Chinese words match anywhere; English words match whole words only.
    static func containsWord(_ text: String, _ word: String) -> Bool { SearchText(text).containsWord(word) }

    /// The same by Foundation and characters, for text a byte search cannot judge.
    static func containsWordByCharacters(_ text: String, _ word: String) -> Bool {
        var searchStart = text.startIndex
        while let range = text.range(of: word, range: searchStart..<text.endIndex) {
            let beforeOK = range.lowerBound == text.startIndex || !text[text.index(before: range.lowerBound)].isLetter
            let afterOK = range.upperBound == text.endIndex || !text[range.upperBound].isLetter
            if beforeOK && afterOK { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }
}

