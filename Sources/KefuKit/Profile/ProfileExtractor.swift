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
        /// "不想说", "skip": the customer prefers not to answer the pending question.
        public var skip = false
        /// "不对", "actually": the customer is correcting something said before.
        public var isCorrection = false
        /// The intent read from the message's words, before its numbers were looked at. When set, the
        /// extraction does not depend on the intent passed in (so a caller may reuse it with another one).
        var wordIntent: InvestorProfile.Intent?

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

        public static func == (a: Extraction, b: Extraction) -> Bool {
            a.facts.map { "\($0.0)=\($0.1)" } == b.facts.map { "\($0.0)=\($0.1)" } && a.intent == b.intent && a.invalid == b.invalid
                && a.ambiguousIncome == b.ambiguousIncome && a.skip == b.skip && a.isCorrection == b.isCorrection
                && a.ranges == b.ranges && a.foreignCurrency == b.foreignCurrency && a.horizonFromWords == b.horizonFromWords
        }
    }

    private let numbers = NumberParser()

    public init() {}

    // MARK: - Vocabulary

    static let skipWords: PhraseList = ["不想说", "不方便说", "不方便透露", "不想透露", "保密", "不告诉你", "跳过", "不说了", "skip", "prefer not to say", "rather not say", "rather not", "none of your business", "pass", "不想回答"]
    static let correctionWords: PhraseList = ["不对", "说错了", "更正", "其实", "应该是", "改一下", "actually", "correction", "i meant", "sorry i mean", "not right", "wrong"]
    static let occupations: [(String, PhraseList)] = [
        ("student", ["学生", "在读", "上大学", "读大学", "大学生", "研究生", "读研", "高中生", "student", "at university", "in college", "studying"]),
        ("retired", ["退休", "retired", "pensioner", "retiree"]),
        ("unemployed", ["无业", "失业", "没工作", "待业", "没有工作", "unemployed", "between jobs", "no job", "not working", "lost my job"]),
        ("business-owner", ["做生意", "开店", "开了个", "个体户", "个体工商户", "小老板", "老板", "开公司", "开饭馆", "开餐馆", "经营", "商户", "business owner", "own a shop", "run a shop", "own a business", "run a business", "my own business", "self-employed", "self employed", "shop owner", "merchant", "shop", "store owner", "small business", "restaurant", "my own company"]),
        ("freelancer", ["自由职业", "freelance", "freelancer", "gig"]),
        ("employed", ["上班", "职员", "白领", "打工", "公务员", "老师", "教师", "医生", "护士", "工程师", "程序员", "销售", "会计", "员工", "公司上班", "employed", "employee", "office worker", "work at", "work for", "work in", "engineer", "teacher", "nurse", "doctor", "civil servant", "full-time job", "full time job", "developer", "accountant", "salesperson"]),
    ]
    static let goals: [(String, PhraseList)] = [
        ("education", ["教育", "上学", "学费", "孩子读书", "留学", "education", "tuition", "school fees", "college fund", "kid's school", "child's school"]),
        ("retirement", ["养老", "退休后", "老了", "retirement", "for my pension", "for a pension", "for pension", "when i retire", "old age"]),
        ("liquidity", ["随时用", "随时要用", "随时取", "应急", "备用", "零花", "流动性", "随存随取", "emergency", "spare cash", "any time", "anytime", "rainy day", "access", "liquid"]),
        ("growth", ["增值", "高收益", "收益高", "赚多点", "多赚", "升值", "长期投资", "growth", "grow", "higher return", "high return", "beat inflation", "make more"]),
        ("saving", ["存钱", "攒钱", "稳健", "稳一点", "稳定", "储蓄", "存起来", "saving", "save", "steady", "stable", "safe place", "keep it safe"]),
    ]
    static let lossNone: PhraseList = ["不能亏", "不想亏", "不接受亏", "一分都不能", "不能接受亏", "亏不起", "不能承受亏", "不能有亏损", "不要亏", "不愿意亏", "一点都不能", "没法接受亏", "no loss", "can't afford to lose", "cannot afford to lose", "don't want to lose", "do not want to lose", "can't accept any loss", "zero loss", "not lose any", "not willing to lose", "none at all",
                                       // Feelings about any loss read as none: the cautious reading ("亏一点都心疼").
                                       "心疼", "一点都", "一分钱都", "都不能亏", "不敢亏", "受不了亏", "亏了睡不着",
                                       "cannot accept any loss", "can not accept any loss", "can't afford any loss", "cannot afford any loss", "can't take any loss",
                                       "not accept any loss", "no losses", "any loss at all", "不接受任何亏损", "不能接受任何亏损",
                                       "hate to lose", "hate losing", "can't bear to lose", "can't stand losing", "not even a little", "not a cent", "not a penny"]
    /// Whole answers to the loss question that mean no loss at all ("none", the question's own example).
    static let lossNoneAnswers: Set<String> = ["none", "zero", "nothing", "nil", "0", "no", "无", "零", "不能", "一点都不行", "不行"]
    /// Words next to a bare percent that make it a loss limit ("up to 10%", "最多10%", "10%以内") when it is not a return.
    static let lossPercentCues: PhraseList = ["up to", "at most", "max", "maximum", "no more than", "not more than", "within", "最多", "不超过", "以内", "之内"]
    static let returnContext: PhraseList = ["收益", "回报", "年化", "利息", "利率", "return", "yield", "interest", "gain", "earn", "apr"]
    static let lossSmall: PhraseList = ["小幅", "少量", "少许", "小额亏", "亏一点", "小亏", "少量亏损", "一点点", "亏一点点", "稍微亏", "a little", "a bit", "small loss", "small losses", "slight", "low risk"]
    static let lossMedium: PhraseList = ["适中", "中等", "一般的波动", "moderate", "medium", "some ups and downs", "average"]
    static let lossLarge: PhraseList = ["较大", "亏多点没关系", "能承受大", "高风险", "激进", "无所谓", "大起大落", "large loss", "big loss", "big swings", "aggressive", "high risk", "a lot", "don't mind losing"]
    static let experienceNone: PhraseList = ["没买过", "没投资过", "从来没", "从没", "新手", "小白", "第一次", "没有经验", "没经验", "没炒过", "没有投资", "never invested", "never bought", "first time", "no experience", "beginner", "new to investing", "never"]
    static let experienceExperienced: PhraseList = ["炒股多年", "多年", "十几年", "好几年", "几十年", "经验丰富", "很有经验", "老股民", "资深", "专业", "experienced", "many years", "for years", "years of", "seasoned", "trader", "a lot of experience"]
    static let experienceSome: PhraseList = ["买过", "投资过", "有一点经验", "有些经验", "炒过股", "买过基金", "一点经验", "some experience", "a little experience", "a few times", "bought funds", "have invested", "i have some", "yes", "有", "是的", "一些"]
    static let investVerbs: PhraseList = ["投资", "投入", "想投", "投", "理财", "买", "存", "放", "invest", "put in", "buy", "save", "deposit", "to invest", "put"]
    static let loanVerbs: PhraseList = ["借", "贷款", "贷", "周转", "borrow", "loan", "lend", "credit"]
    static let adviceInvest: PhraseList = ["理财推荐", "推荐", "理财", "怎么投资", "买什么", "投什么", "投资建议", "有什么产品", "invest", "recommend", "what should i buy", "investment advice", "where to put", "suggest"]

    static let spanIncomeWords: PhraseList = ["earn", "income", "salary", "make", "paid", "wage", "k ", "000", "pension"]
    static let lossContext: PhraseList = ["亏", "损", "跌", "lose", "loss", "drop", "fall", "down"]
    static let notNeeded: PhraseList = ["不用", "用不到", "用不上", "不会用", "不需要", "不动"]
    static let incomeBefore: PhraseList = ["月薪", "月入", "月收入", "每月收入", "每个月收入", "工资", "收入", "年薪", "年收入", "年入", "薪水", "薪资", "挣", "赚", "earn", "income", "salary", "make", "paid", "earning", "wage", "pension", "退休金", "养老金"]
    static let annualWords: PhraseList = ["年薪", "年收入", "年入", "一年", "每年", "a year", "per year", "per annum", "annual", "yearly", "/year", "/yr", "p.a"]
    static let monthlyWords: PhraseList = ["月薪", "月入", "月收入", "每月", "每个月", "一个月", "a month", "per month", "monthly", "/month", "/mo", "月"]
    static let noIncome: PhraseList = ["没有收入", "没收入", "无收入", "no income", "don't have income", "don't have any income", "zero income", "没有工资"]
    static let longTerm: PhraseList = ["长期", "long term", "long-term", "for a long time", "很久不用", "多年不用"]
    static let shortTerm: PhraseList = ["随时", "短期", "马上要用", "any time", "anytime", "short term", "short-term", "soon"]
    static let experienceNoneClearly: PhraseList = ["没买过", "没投资过", "新手", "小白", "没有经验", "没经验", "never invested", "no experience", "beginner", "new to investing"]
    static let experienceSomeClearly: PhraseList = ["买过基金", "炒过股", "买过几次", "买过一些", "买过股票", "买过理财", "定投过", "投资过基金",
                                                    "some experience", "bought funds", "have invested", "bought a few", "bought some", "i've bought",
                                                    "i have bought", "i've invested", "invested before", "a few funds", "some funds", "a few stocks"]
    static let investContext: PhraseList = ["投资", "投入", "想投", "投了", "打算投", "准备投", "理财", "买", "存", "invest", "put in", "put ", "buy", "have ", "got "]
    static let loanContext: PhraseList = ["借", "贷款", "贷", "borrow", "loan", "lend"]

    // MARK: - Extraction

    static let englishSpans: [(String, String)] = [
        ("half a year", "6 months"), ("a year and a half", "18 months"), ("a year", "1 year"), ("an year", "1 year"), ("a month", "1 month"),
        ("one year", "1 year"), ("two years", "2 years"), ("three years", "3 years"), ("four years", "4 years"), ("five years", "5 years"),
        ("ten years", "10 years"), ("six months", "6 months"), ("three months", "3 months"), ("nine months", "9 months"),
        ("eighteen months", "18 months"), ("twelve months", "12 months"), ("two months", "2 months"), ("one month", "1 month"),
        ("more than 3 years", "3+ years"), ("over 3 years", "3+ years"),
    ]

    public func extract(_ text: String, pending: InvestorProfile.Fact?, intent currentIntent: InvestorProfile.Intent?) -> Extraction {
        complete(read(text, pending: pending, intent: currentIntent))
    }

    /// An extraction without its word-level facts (occupation, goal, loss, experience…), which add no
    /// intent and no amount: enough to decide whether a question starts advice, and `complete` finishes it.
    struct Reading {
        var extraction: Extraction
        let search: SearchText
        let pending: InvestorProfile.Fact?
    }

    /// `extract` of the reading: the same extraction as reading and completing in one go.
    func complete(_ reading: Reading) -> Extraction {
        var out = reading.extraction
        wordFacts(reading.search, pending: reading.pending, into: &out)
        return out
    }

    /// The intent and the facts in the message's numbers (see `Reading`).
    func read(_ text: String, pending: InvestorProfile.Fact?, intent currentIntent: InvestorProfile.Intent?) -> Reading {
        var scalars = NumberParser.fold(text)
        let plain = String(scalars: scalars)
        var text = ProfileExtractor.markingFrequencies(plain)
        // English time spans in words ("a year", "six months") become numbers, unless "a month" is about income.
        var spans = SearchText(text)
        var rewritten = text != plain
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
        out.skip = search.containsAnyWord(ProfileExtractor.skipWords)
        out.isCorrection = search.containsAny(ProfileExtractor.correctionWords)
        if search.containsAnyWord(ProfileExtractor.loanVerbs) && !search.contains("借记卡") {
            out.intent = .loan
        } else if search.containsAny(ProfileExtractor.adviceInvest) {
            out.intent = .invest
        }
        out.wordIntent = out.intent
        let intent = out.intent ?? currentIntent

        var used = Set<Int>()  // mention indices already explained
        let mentions = numbers.mentions(inFolded: folded)
        // "15000一个月", "一个月挣一万": the span is how often the amount beside it comes.
        var periodOf: [Int: String] = [:]
        for (index, mention) in mentions.enumerated() where mention.value == 1 {
            let unit = ProfileExtractor.window(folded, mention.end, mention.end + 6).trimmingWhitespace()
            guard let months = ProfileExtractor.months(mention, after: unit), ProfileExtractor.isNextToAmount(mentions, index, folded: folded) else { continue }
            let close = index > 0 && mention.start - mentions[index - 1].end <= 2 ? index - 1 : index + 1
            periodOf[close] = months == 1 ? "month" : "year"
        }
        for (index, mention) in mentions.enumerated() {
            // Words around the number, within its clause and not past a neighbouring number.
            let previousEnd = index > 0 ? mentions[index - 1].end : 0
            let nextStart = index + 1 < mentions.count ? mentions[index + 1].start : folded.count
            var from = max(previousEnd, mention.start - 20)
            for k in stride(from: mention.start - 1, through: from, by: -1) where ProfileExtractor.isClauseBreak(folded[k]) { from = k + 1; break }
            var to = min(nextStart, mention.end + 20)
            for k in mention.end..<to where ProfileExtractor.isClauseBreak(folded[k]) { to = k; break }
            let before = ProfileExtractor.window(folded, from, mention.start)
            let after = ProfileExtractor.window(folded, mention.end, to)
            let afterTrim = after.trimmingWhitespace()

            // Age: 35岁, 三十五岁, 35 years old, i'm 35, age 35
            if afterTrim.hasPrefix("岁") || afterTrim.hasPrefix("周岁") || afterTrim.hasPrefix("years old") || afterTrim.hasPrefix("year old") || afterTrim.hasPrefix("yo ") || afterTrim == "yo"
                || ((before.hasSuffix("i'm ") || before.hasSuffix("i am ") || before.hasSuffix("age ") || before.hasSuffix("aged ") || before.hasSuffix("今年")) && !mention.hasMagnitude && !mention.hasCurrency && !mention.isPercent && !ProfileExtractor.isTimeUnit(afterTrim)) {
                addAge(mention.value, &out)
                used.insert(index)
                continue
            }
            // Percent: loss tolerance when talking about losses (or when asked).
            if mention.isPercent {
                let context = before + after
                let search = SearchText(context)
                let cued = search.containsAny(ProfileExtractor.lossPercentCues) && !search.containsAny(ProfileExtractor.returnContext)
                if pending == .loss || search.containsAny(ProfileExtractor.lossContext) || cued {
                    out.facts.append((.loss, .word(ProfileExtractor.lossBand(percent: mention.value))))
                    used.insert(index)
                }
                continue
            }
            // Time spans: 一年内要用, 三年不用, 6 months, half a year; or years of experience, or "a month" of income.
            if let months = ProfileExtractor.months(mention, after: afterTrim) {
                used.insert(index)
                let rest = String(afterTrim.dropFirst(ProfileExtractor.timeUnitLength(afterTrim))).trimmingWhitespace()
                switch ProfileExtractor.spanRole(mentions, index, folded: folded, before: before, rest: rest, pending: pending) {
                case .experience(let level):
                    out.facts.append((.experience, .word(level)))
                case .horizon:
                    // "一年内要用" = needed within the span; "三年内都用不到" = not needed for the whole span.
                    let negated = SearchText(rest).containsAny(ProfileExtractor.notNeeded) || after.includes("+") || rest.hasPrefix("以上") || rest.hasPrefix("多")
                    let withinNeed = !negated && (["内", "以内", "之内"].contains { rest.hasPrefix($0) } || before.hasSuffix("within ") || before.hasSuffix("in the next "))
                    out.facts.append((.horizon, .number(Double(withinNeed ? max(0, months - 1) : months))))
                    if let upper = mention.upper, mention.value >= 0 { out.ranges.append(.init(fact: .horizon, lower: Double(months), upper: (Double(months) * upper / max(mention.value, 1)).rounded())) }
                case .frequency, .unrelated:
                    break
                }
                continue
            }
            // Income: 月薪两万, 年薪30万, i earn 8k a month, income 20000 per month
            let isIncomeWord = SearchText(before).containsAny(ProfileExtractor.incomeBefore)
            let period = periodOf[index] ?? ProfileExtractor.period(after: after)
            let moneyContext = ProfileExtractor.isInvestContext(before) || ProfileExtractor.isLoanContext(before)
            if isIncomeWord || ((pending == .income || period != nil) && !moneyContext) {
                let context = before + " " + after
                let incomeContext = SearchText(context)
                let annual = period == "year" || (period == nil && incomeContext.containsAny(ProfileExtractor.annualWords))
                let monthly = period == "month" || incomeContext.containsAny(ProfileExtractor.monthlyWords)
                used.insert(index)
                if mention.value < 0 || before.hasSuffix("-") {
                    out.invalid.append(.income)
                    continue
                }
                if mention.isForeignCurrency {
                    out.foreignCurrency.append(.income)
                    continue
                }
                if let upper = mention.upper, annual || monthly || pending == .income {
                    out.ranges.append(.init(fact: .income, lower: annual ? (mention.value / 12).rounded() : mention.value, upper: annual ? (upper / 12).rounded() : upper))
                }
                if annual {
                    out.facts.append((.income, .number((mention.value / 12).rounded())))
                } else if monthly || pending == .income {
                    out.facts.append((.income, .number(mention.value)))
                } else {
                    out.ambiguousIncome = mention.value
                }
                continue
            }
            // Amount to invest or borrow: 想投10万, 借2万, invest 100k, borrow 20k
            if ProfileExtractor.isInvestContext(before) || ProfileExtractor.isLoanContext(before) || ProfileExtractor.isLoanContext(after)
                || (pending == .amount) || ((mention.hasMagnitude || mention.hasCurrency) && intent != nil && pending != .income && pending != .age) {
                if mention.value <= 0 {
                    out.invalid.append(.amount)
                } else if mention.isForeignCurrency {
                    out.foreignCurrency.append(.amount)
                } else {
                    if let upper = mention.upper { out.ranges.append(.init(fact: .amount, lower: mention.value, upper: upper)) }
                    out.facts.append((.amount, .number(mention.value)))
                    if out.intent == nil && ProfileExtractor.isLoanContext(before + after) { out.intent = .loan }
                    if out.intent == nil && ProfileExtractor.isInvestContext(before) { out.intent = .invest }
                }
                used.insert(index)
                continue
            }
            // A bare number answering the question just asked.
            if pending == .age && !mention.hasMagnitude && !mention.hasCurrency {
                addAge(mention.value, &out)
                used.insert(index)
            } else if pending == .horizon, !mention.hasMagnitude {
                out.facts.append((.horizon, .number(mention.value)))
                used.insert(index)
            }
        }

        return Reading(extraction: out, search: search, pending: pending)
    }

    private func addAge(_ value: Double, _ out: inout Extraction) {
        if value < 1 || value > 120 || value != value.rounded() {
            out.invalid.append(.age)
        } else {
            out.facts.append((.age, .number(value)))
        }
    }

    private func wordFacts(_ search: SearchText, pending: InvestorProfile.Fact?, into out: inout Extraction) {
        let lower = search.string
        if search.containsAny(ProfileExtractor.noIncome) {
            out.facts.append((.income, .number(0)))
        }
        for (occupation, words) in ProfileExtractor.occupations where search.containsAnyWord(words) {
            if occupation == "employed" && out.value(.occupation) != nil { continue }
            out.facts.append((.occupation, .word(occupation)))
            break
        }
        for (goal, words) in ProfileExtractor.goals where search.containsAnyWord(words) {
            out.facts.append((.goal, .word(goal)))
            break
        }
        if search.containsAny(ProfileExtractor.longTerm) && out.value(.horizon) == nil {
            out.facts.append((.horizon, .number(60)))
            out.horizonFromWords = pending != .horizon
        } else if search.containsAny(ProfileExtractor.shortTerm) && out.value(.horizon) == nil && (pending == .horizon || pending == .goal || out.intent != nil || search.contains("用")) {
            out.facts.append((.horizon, .number(0)))
            out.horizonFromWords = pending != .horizon
        }
        if out.value(.loss) == nil {
            let bare = lower.filter { !$0.isWhitespace && !".。!！,，".contains($0) }
            if search.containsAny(ProfileExtractor.lossNone) || (pending == .loss && ProfileExtractor.lossNoneAnswers.contains(bare)) {
                out.facts.append((.loss, .word("none")))
            } else if pending == .loss || search.contains("亏") || search.contains("loss") || search.contains("lose") || search.contains("risk") || search.contains("风险") {
                if search.containsAny(ProfileExtractor.lossLarge) {
                    out.facts.append((.loss, .word("large")))
                } else if search.containsAny(ProfileExtractor.lossMedium) {
                    out.facts.append((.loss, .word("medium")))
                } else if search.containsAny(ProfileExtractor.lossSmall) {
                    out.facts.append((.loss, .word("small")))
                }
            }
        }
        // Years of investing already said how experienced ("有十年投资经验"): its 有 is no bare "yes".
        if out.value(.experience) != nil { return }
        if pending == .experience && (lower == "no" || lower == "没有" || lower == "没" || lower == "nope" || lower == "没买过" || lower.hasPrefix("no,") || lower.hasPrefix("no ")) {
            out.facts.append((.experience, .word("none")))
            return
        }
        let saysNone = search.containsAnyWord(ProfileExtractor.experienceNone)
        let saysNoneClearly = search.containsAny(ProfileExtractor.experienceNoneClearly)
        if saysNoneClearly || (saysNone && pending == .experience) {
            out.facts.append((.experience, .word("none")))
        } else if search.containsAny(ProfileExtractor.experienceExperienced) && (pending == .experience || search.contains("股") || search.contains("invest") || search.contains("trad")) {
            out.facts.append((.experience, .word("experienced")))
        } else if pending == .experience, search.containsAnyWord(ProfileExtractor.experienceSome) {
            out.facts.append((.experience, .word("some")))
        } else if search.containsAny(ProfileExtractor.experienceSomeClearly) {
            out.facts.append((.experience, .word("some")))
        }
        if pending == .experience && out.value(.experience) == nil && (lower == "no" || lower == "没有" || lower == "没" || lower == "nope" || lower.hasPrefix("no,") || lower.hasPrefix("no ")) {
            out.facts.append((.experience, .word("none")))
        }
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
        return 0
    }

    static func isTimeUnit(_ text: String) -> Bool { timeUnitLength(text) > 0 }

    /// A time span in months, if the number is followed by a time unit.
    static func months(_ mention: NumberMention, after: String) -> Int? {
        guard !mention.hasMagnitude, !mention.hasCurrency, mention.value >= 0 else { return nil }
        let after = after.hasPrefix("+") ? String(after.dropFirst()).trimmingWhitespace() : after
        // "4500 monthly" / "yearly" say how often, not how long.
        if after.hasPrefix("monthly") || after.hasPrefix("yearly") { return nil }
        if after.hasPrefix("个月") || after.hasPrefix("month") { return Int(mention.value.rounded()) }
        if after.hasPrefix("年") || after.hasPrefix("year") || after.hasPrefix("yr") {
            if after.hasPrefix("年薪") || after.hasPrefix("年收入") || after.hasPrefix("年入") || after.hasPrefix("year old") || after.hasPrefix("years old") { return nil }
            return Int((mention.value * 12).rounded())
        }
        return nil
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

