/// The figures of an answer, one recogniser per fact. `read` hands each figure to the recognisers in order (age, loss
/// percent, time span, income, past investing, amount, bare answer); the first that explains the figure takes it.
/// Numbers stay with this grammar, not with the examples of `profile-answers.txt`: exactness matters for them (see
/// knowledge/README.md).
extension ProfileExtractor {
    /// One figure of the line, with the words around it within its clause (never past a neighbouring figure).
    struct Figure {
        let mentions: [NumberMention]
        let index: Int
        let folded: [Unicode.Scalar]
        /// The whole line, ready for phrase searches.
        let search: SearchText
        let pending: InvestorProfile.Fact?
        /// The line's intent, or the conversation's.
        let intent: InvestorProfile.Intent?
        /// "month" or "year" when a span next to the figure says how often it comes ("15000一个月").
        let period: String?
        let before: String
        let after: String
        let afterTrim: String

        var mention: NumberMention { mentions[index] }

        init(mentions: [NumberMention], index: Int, folded: [Unicode.Scalar], search: SearchText, pending: InvestorProfile.Fact?,
             intent: InvestorProfile.Intent?, period: String?) {
            self.mentions = mentions
            self.index = index
            self.folded = folded
            self.search = search
            self.pending = pending
            self.intent = intent
            self.period = period
            let mention = mentions[index]
            let previousEnd = index > 0 ? mentions[index - 1].end : 0
            let nextStart = index + 1 < mentions.count ? mentions[index + 1].start : folded.count
            var from = max(previousEnd, mention.start - 20)
            for k in stride(from: mention.start - 1, through: from, by: -1) where ProfileExtractor.isClauseBreak(folded[k]) { from = k + 1; break }
            var to = min(nextStart, mention.end + 20)
            for k in mention.end..<to where ProfileExtractor.isClauseBreak(folded[k]) { to = k; break }
            before = ProfileExtractor.window(folded, from, mention.start)
            after = ProfileExtractor.window(folded, mention.end, to)
            afterTrim = after.trimmingWhitespace()
        }
    }

    /// Age: 35岁, 三十五岁, 35 years old, i'm 35, age 35.
    func age(_ figure: Figure, _ out: inout Extraction) -> Bool {
        let (mention, before, afterTrim) = (figure.mention, figure.before, figure.afterTrim)
        let named = ["岁", "周岁", "years old", "year old", "yo "].contains { afterTrim.hasPrefix($0) } || afterTrim == "yo"
        let introduced = ProfileExtractor.ageIntroducers.contains { before.hasSuffix($0) }
            && !mention.hasMagnitude && !mention.hasCurrency && !mention.isPercent && !ProfileExtractor.isTimeUnit(afterTrim)
        // "when I am 60", "until I turn 65", "到60岁", "60岁退休", asked how long the money can stay: an age the customer will
        // reach, not their age ("I want to stop working when I am 60, so until then" made a 52-year-old 60). Only while the
        // horizon is asked, only in a line about no one else (a relative's is `othersAge`: "孩子4岁，到18岁上大学", "my wife wants
        // to retire at 60"),
        // and only a working life's end (40 to 100: "retirement at 3000 a month" is money).
        if figure.pending == .horizon, !mention.hasMagnitude, !mention.hasCurrency, !mention.isPercent, !ProfileExtractor.isTimeUnit(afterTrim),
           ProfileExtractor.isFutureAge(before: before, after: afterTrim) {
            if figure.search.containsAnyWord(ProfileExtractor.otherPeople) || out.othersAge != nil {
                othersAge(figure, &out)
                return true
            }
            if (ProfileExtractor.youngestRetirementAge...ProfileExtractor.oldestAge).contains(mention.value) {
                out.ownFutureAge = mention.value
                return true
            }
        }
        guard named || introduced else { return false }
        // Someone else's age is not the customer's: "孩子8岁了，想给他存点教育金" and "my son is 10 years old" made a parent a
        // minor, and nothing could be recommended. Once someone else's age is said, a later one without "I" is theirs too.
        let subject = SearchText(before)
        // "my 17 year old", "our 8-year-old": an age right after "my" or "our" names a person (nobody says "my 35 years old"
        // of themselves). "Can my 17 year old get a small loan with you, like ¥2,000?" made the parent a minor describing
        // themselves, and started the loan questions.
        let possessed = ["my ", "our "].contains { before.hasSuffix($0) }
        if possessed || subject.containsAnyWord(ProfileExtractor.otherPeople) || (out.othersAge != nil && !subject.containsAnyWord(ProfileExtractor.ownWords)) {
            othersAge(figure, &out)
            return true
        }
        // The first age said is the customer's ("29 (Korean age 30, haha)"), unless the line corrects it ("不是35，是36岁"): the
        // answer reader's `[answer/correction]` examples decide that, once the words are read (`laterAge`).
        if out.value(.age) != nil {
            out.laterAge = mention.value
            return true
        }
        addAge(ProfileExtractor.ageNow(mention.value, before: before), &out)
        return true
    }

    /// The age now, of an age said with "turning" or 快 ("Turning 40 next month.", "快18了"): one year less, which matters most
    /// at 18 ("turning 18 next month" is a minor today).
    static func ageNow(_ value: Double, before: String) -> Double {
        let tail = before.lowercased().trimmingWhitespace()
        return ageAboutToBe.contains(where: { tail.hasSuffix($0) }) ? value - 1 : value
    }

    /// Words right before an age the customer is about to reach, asked their age now.
    /// (Not "I'll be" nor "I turn": "I'll be 60 when I retire" is no age of 59, "I turn 18 today" no minor.)
    static let ageAboutToBe = ["turning", "about to turn", "gonna turn", "going to turn", "快", "快要", "快到", "马上", "马上就", "马上到",
                               "快满", "下个月就", "下个月满", "明年就", "就要"]

    /// Whether an age is one the customer will reach: after "when I am", "until I'm", "when I turn"…, or "到" ("干到60岁"),
    /// or before 岁 and then 退休 ("60岁退休").
    /// Not 到 after 快, 已经, 刚, 都 or 马上, nor an age followed by 了: "快到50岁了", "我都到52岁了" say the age now.
    static func isFutureAge(before: String, after: String) -> Bool {
        if futureAgeMarkers.contains(where: { before.hasSuffix($0) }) { return true }
        if after.hasPrefix("岁了") || after.hasPrefix("了") { return false }
        let trimmed = before.trimmingWhitespace()
        if trimmed.hasSuffix("到") {
            return after.hasPrefix("岁") && !["快到", "已经到", "刚到", "都到", "马上到", "就到"].contains { trimmed.hasSuffix($0) }
        }
        return ["岁退休", "岁就退休", "岁以后退休", "周岁退休"].contains { after.hasPrefix($0) }
    }

    /// The range of ages at which a customer stops working, for an age to reach (`age`).
    static let youngestRetirementAge = 40.0
    static let oldestAge = 100.0

    /// English words right before an age the customer will reach (lowercased, as the figure's window is).
    static let futureAgeMarkers = ["when i am ", "when i'm ", "when im ", "until i am ", "until i'm ", "until im ", "till i am ", "till i'm ",
                                   "til i'm ", "when i turn ", "until i turn ", "till i turn ", "once i'm ", "once i am ", "once i turn ",
                                   "by the time i'm ", "by the time i am ", "retire at ", "retiring at ", "retirement at "]

    /// Someone else's age: their first age is noted; a later, higher one says when the money is needed ("孩子4岁，18岁上大学",
    /// "He's 4, so until he's 18": 14 years), when the horizon is asked or nothing is.
    private func othersAge(_ figure: Figure, _ out: inout Extraction) {
        let value = figure.mention.value
        guard let now = out.othersAge else {
            out.othersAge = value
            return
        }
        if value > now, value <= ProfileExtractor.oldestOthersAgeForAHorizon, figure.pending == .horizon || figure.pending == nil, out.value(.horizon) == nil {
            out.facts.append((.horizon, .number((value - now) * 12)))
        }
    }

    /// An age of someone else up to which a horizon is counted (school, university, a wedding).
    static let oldestOthersAgeForAHorizon = 30.0

    /// "He's 4", "my son is 8 years now": a figure right after a person other than the customer and "is" is their age.
    static func followsSomeoneIs(_ before: String) -> Bool {
        let tail = before.trimmingWhitespace()
        guard SearchText(tail).containsAnyWord(otherPeople) else { return false }
        return ["'s", " is", " is now", "'s now", "今年", "现在"].contains { tail.hasSuffix($0) }
            || otherPeople.phrases.contains { !$0.isEmpty && $0.unicodeScalars.first!.value > 0x2E80 && tail.hasSuffix($0) }
    }

    /// Whether the clause a figure ends names a person other than the customer and not the customer ("对象那边", "her dad gives").
    static func isAboutSomeoneElse(clauseBefore before: String) -> Bool {
        let clause = SearchText(lastClause(before))
        return clause.containsAnyWord(otherPeople) && !clause.containsAnyWord(ownWords)
    }

    /// The text after its last clause mark (the clause a figure that follows ends).
    static func lastClause(_ text: String) -> String {
        let marks: Set<Character> = ["，", ",", "。", ".", "；", ";", "！", "!", "？", "?"]
        return String(text.split(omittingEmptySubsequences: false, whereSeparator: { marks.contains($0) }).last ?? "")
    }

    /// Words before an age that make it the customer's own.
    static let ownWords: PhraseList = ["我", "本人", "自己", "i'm", "i am", "im", "me", "my age", "myself"]

    /// Words before an age that make it someone else's (the clause's subject).
    static let otherPeople: PhraseList = [
        "儿子", "女儿", "孩子", "小孩", "娃", "闺女", "宝宝", "老婆", "老公", "爱人", "媳妇", "丈夫", "妻子", "对象", "爸", "妈", "父亲",
        "母亲", "父母", "老人", "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷", "孙子", "孙女", "外孙", "弟弟", "妹妹", "哥哥", "姐姐",
        "他", "她", "朋友", "同事",
        "son", "daughter", "kid", "kids", "child", "children", "boy", "girl", "baby", "wife", "husband", "partner", "mom", "mum",
        "dad", "mother", "father", "parents", "grandson", "granddaughter", "grandma", "grandpa", "grandmother", "grandfather",
        "brother", "sister", "he", "she", "he's", "she's", "his", "her", "friend",
        // A child named by rank: "Youngest is 8, so about 10 years" was a horizon of 8 years.
        "youngest", "eldest", "oldest", "little one", "toddler", "老大", "老二", "老幺", "小的那个", "大的那个",
    ]

    /// Percent: the loss tolerance when talking about losses (or when asked). A percent about anything else (a return)
    /// is explained as nothing.
    func lossPercent(_ figure: Figure, _ out: inout Extraction) -> Bool {
        guard figure.mention.isPercent else { return false }
        let context = SearchText(figure.before + figure.after)
        let cued = context.containsAny(ProfileExtractor.lossPercentCues) && !context.containsAny(ProfileExtractor.returnContext)
        if figure.pending == .loss || context.containsAny(ProfileExtractor.lossContext) || cued {
            out.facts.append((.loss, .word(ProfileExtractor.lossBand(percent: figure.mention.value))))
        }
        return true
    }

    /// Time spans: 一年内要用, 三年不用, 6 months, half a year; or years of experience, or "a month" of income.
    /// Asked the age, the first figure is the age, "years" or not ("31 years only.", "I am 47 years this year.").
    func timeSpan(_ figure: Figure, _ out: inout Extraction) -> Bool {
        let (mention, before, after, afterTrim) = (figure.mention, figure.before, figure.after, figure.afterTrim)
        let ageAsked = figure.pending == .age && out.value(.age) == nil && !out.invalid.contains(.age)
        guard !ageAsked, let months = ProfileExtractor.months(mention, after: afterTrim) else { return false }
        // "He is 8 years now, so around 10 years we will need it": someone's age in years, not a length of time (unless it is
        // how far away something is: "my son is 2 years away from college").
        let rest = String(afterTrim.dropFirst(ProfileExtractor.timeUnitLength(afterTrim))).trimmingWhitespace()
        if ProfileExtractor.followsSomeoneIs(before), !(["away", "from", "until", "till", "to go", "left", "later", "more"] + ProfileExtractor.laterAfter).contains(where: { rest.hasPrefix($0) }) {
            othersAge(figure, &out)
            return true
        }
        out.sawSpan = true
        if figure.pending == .horizon, case .number(let earlier)? = out.value(.horizon), Double(months) < earlier,
           ProfileExtractor.saysPassed(before: before, rest: rest) {
            // "It is three years, and one year already passed", "合同三年，已经过了一年": what is left of the first length.
            out.facts.removeAll { $0.0 == .horizon }
            out.ranges.removeAll { $0.fact == .horizon }
            out.facts.append((.horizon, .number(earlier - Double(months))))
            return true
        }
        switch ProfileExtractor.spanRole(figure.mentions, figure.index, folded: figure.folded, before: before, rest: rest, months: months, pending: figure.pending) {
        case .experience(let level):
            out.facts.append((.experience, .word(level)))
        case .horizon:
            // "一年内要用" = needed within the span; "三年内都用不到" = not needed for the whole span.
            let negated = SearchText(rest).containsAny(ProfileExtractor.notNeeded) || after.includes("+") || rest.hasPrefix("以上") || rest.hasPrefix("多")
            // (A loan repaid "within 2 years" is a 24-month term: only money needed within a span is needed before its end.)
            let withinNeed = !negated && figure.intent != .loan
                && (ProfileExtractor.withinAfter.contains { rest.hasPrefix($0) } || before.hasSuffix("within ") || before.hasSuffix("in the next "))
            // Two lengths in one answer ("三年五年的都中", "maybe 2 years, maybe 5") are a range: the shorter, to be careful.
            var length = Double(withinNeed ? max(0, months - 1) : months)
            // The lengths said so far, as one range said back ("1-2 years"; "six months to a year", two lengths, was taken
            // as 6 months without a word; "半年，或者一到两年" is 6 to 24 months).
            var lengths = [length]
            if let upper = mention.upper, mention.value >= 0 { lengths.append((Double(months) * upper / (mention.value > 0 ? mention.value : 1)).rounded()) }
            if case .number(let earlier)? = out.value(.horizon) {
                lengths.append(earlier)
                length = min(length, earlier)
            }
            if let range = out.ranges.first(where: { $0.fact == .horizon }) { lengths += [range.lower, range.upper] }
            if let lower = lengths.min(), let upper = lengths.max(), lower < upper {
                out.ranges.removeAll { $0.fact == .horizon }
                out.ranges.append(.init(fact: .horizon, lower: lower, upper: upper))
            }
            out.facts.append((.horizon, .number(length)))
        case .frequency, .unrelated:
            break
        }
        return true
    }

    /// Whether a length is said to have passed already ("one year already passed", "已经过了一年", "一年过去了"): the part of an
    /// earlier length that is gone.
    static func saysPassed(before: String, rest: String) -> Bool {
        let after = rest.lowercased()
        if ["already passed", "already gone", "already done", "has passed", "have passed", "has gone", "have gone", "passed", "gone by",
            "过去了", "已经过去", "已经过了"].contains(where: { after.hasPrefix($0) }) { return true }
        let tail = before.trimmingWhitespace()
        return ["已经过了", "已经过去了", "已经干了", "已经做了", "已经待了"].contains { tail.hasSuffix($0) }
    }

    /// Income: 月薪两万, 年薪30万, i earn 8k a month, income 20000 per month; a day's pay (日薪三百, "300 a day") times the days
    /// worked in a month when the answer says them ("一天三百，一个月干个二十天"), else times 21.75, the legal average of paid
    /// days in a month (劳社部发〔2008〕3号). Read as a month's income, "一天三百" was ¥300 a month.
    func income(_ figure: Figure, _ out: inout Extraction) -> Bool {
        let (mention, before, after, pending) = (figure.mention, figure.before, figure.after, figure.pending)
        // Asked the income, a pay word right after the figure names it too: "I have 16000 yuan salary every month." (its "I
        // have" made it money to invest, and the income was asked twice, then assumed to be none). Whole words ("payout" is
        // no pay), and not money saved from it ("I have 80k saved from salary", "存了5万工资").
        let isIncomeWord = SearchText(before).containsAny(ProfileExtractor.incomeBefore)
            || (pending == .income && SearchText(after).containsAnyWord(ProfileExtractor.incomeAfter)
                && !SearchText(before + " " + after).containsAny(ProfileExtractor.savingBefore) && !SearchText(before).contains("存"))
        if pending == .income || isIncomeWord {
            let days = ProfileExtractor.daysWorked(figure)
            if pending == .income, days?.index == figure.index { return true }
            if SearchText(before + " " + after).containsAny(ProfileExtractor.dailyWords), mention.value >= 20, !mention.isPercent {
                out.facts.append((.income, .number((mention.value * (days?.days ?? ProfileExtractor.paidDaysInAMonth)).rounded())))
                return true
            }
        }
        let period = figure.period ?? ProfileExtractor.period(after: after)
        // What is saved each month is not what is earned: "finally saving around 3k a month and it just sits there" was an
        // income of ¥3,000 (and a 29-year-old's level fell to C1 by it).
        let moneyContext = ProfileExtractor.isInvestContext(before) || ProfileExtractor.isLoanContext(before)
            || SearchText(before).containsAny(ProfileExtractor.savingBefore)
        guard isIncomeWord || ((pending == .income || period != nil) && !moneyContext) else { return false }
        // Answering the income question, the whole answer says how often ("Annual package is about 600k RMB").
        let amounts = figure.mentions.filter { $0.hasMagnitude || $0.hasCurrency || $0.value >= 100 }.count
        let incomeContext = SearchText(pending == .income && amounts == 1 ? String(scalars: figure.folded) : before + " " + after)
        // A period named right before the figure is the figure's ("My monthly salary is 38,000 RMB, plus yearly bonus but
        // I am not counting that" was 3,167 a month: the bonus's "yearly" read as the salary's).
        let monthlyBefore = SearchText(before).containsAny(ProfileExtractor.monthlyWords) && !SearchText(before).containsAny(ProfileExtractor.annualWords)
        let annual = period == "year" || (period == nil && !monthlyBefore && incomeContext.containsAny(ProfileExtractor.annualWords))
        let monthly = period == "month" || incomeContext.containsAny(ProfileExtractor.monthlyWords)
        if mention.value < 0 || before.hasSuffix("-") {
            out.invalid.append(.income)
            return true
        }
        // After the customer's own, a figure in a clause about someone else is theirs: "我一个月九千，对象那边六千，她的应该不算吧"
        // was ¥6,000 a month, "我自己工资四千二，她爸每个月给两千抚养费" ¥2,000.
        if out.value(.income) != nil, ProfileExtractor.isAboutSomeoneElse(clauseBefore: before) { return true }
        if mention.isForeignCurrency {
            out.foreignCurrency.append(.income)
            return true
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
        return true
    }

    /// Words that make an amount a day's pay.
    static let dailyWords: PhraseList = ["一天", "每天", "日薪", "日结", "一日", "天天", "a day", "per day", "daily", "/day", "each day"]
    /// The legal average of paid days in a month (21.75, 劳社部发〔2008〕3号).
    static let paidDaysInAMonth = 21.75

    /// The days worked in a month said in the answer ("一个月干个二十天", "22 days a month"): the figure and its position.
    static func daysWorked(_ figure: Figure) -> (index: Int, days: Double)? {
        for (index, mention) in figure.mentions.enumerated() where (4...31).contains(mention.value) && !mention.hasMagnitude && !mention.hasCurrency {
            let after = window(figure.folded, mention.end, min(figure.folded.count, mention.end + 8)).trimmingWhitespace()
            if ["天", "个工作日", "days", "day "].contains(where: { after.hasPrefix($0) }) || after == "day" { return (index, mention.value) }
        }
        return nil
    }

    /// Asked about experience, a figure is about investing done ("以前跟到邻居买过一回啥子基金，亏了两百块", "银行理财买过
    /// 一两回"): the amount to invest now is asked for later, unless the answer says it ("没买过，这次想投5万").
    func pastInvesting(_ figure: Figure, _ out: inout Extraction) -> Bool {
        figure.pending == .experience && !SearchText(figure.before).containsAny(ProfileExtractor.amountNow)
    }

    /// Amount to invest or borrow: 想投10万, 借2万, invest 100k, borrow 20k.
    func amount(_ figure: Figure, _ out: inout Extraction) -> Bool {
        let (mention, before, after, pending) = (figure.mention, figure.before, figure.after, figure.pending)
        // Asked how much loss is acceptable, money is the loss, not the amount to invest ("亏个三五千还能接受" was ¥3,000 to invest).
        if pending == .loss, !ProfileExtractor.isInvestContext(before) { return false }
        guard ProfileExtractor.isInvestContext(before) || ProfileExtractor.isLoanContext(before) || ProfileExtractor.isLoanContext(after)
            || pending == .amount || ((mention.hasMagnitude || mention.hasCurrency) && figure.intent != nil && pending != .income && pending != .age
                // Asked what the money is for, a figure without a word of putting it in, or of having it, is what the goal
                // costs: "攒钱结婚，对象家要二十万彩礼，愁死我了" was ¥200,000 to invest, and the amount (1.5万) was never asked
                // ("10万想存起来养老" and "手上有20万想养老" keep theirs).
                && (pending != .goal || ProfileExtractor.isInvestContext(after) || SearchText(before).containsAny(ProfileExtractor.ownMoneyBefore)))
        else { return false }
        // Borrowing, money the customer already has is no amount to borrow: "6k, i have 2k myself" (asked how much to borrow)
        // was a loan of ¥2,000.
        if figure.intent == .loan || out.intent == .loan, !ProfileExtractor.isLoanContext(before),
           SearchText(before).containsAny(ProfileExtractor.ownMoneyBefore) { return true }
        // Money counted in 个 with nothing after it is counted in 万, as people say it: "目前存款二十多个" was ¥20 to invest.
        let scale = ProfileExtractor.countsTenThousandsAlone(mention, afterTrim: figure.afterTrim)
            && (pending == .amount || SearchText(before).containsAny(ProfileExtractor.moneyHeldBefore)) ? 10_000.0 : 1
        if mention.value <= 0 {
            out.invalid.append(.amount)
        } else if mention.isForeignCurrency {
            out.foreignCurrency.append(.amount)
        } else {
            if let upper = mention.upper { out.ranges.append(.init(fact: .amount, lower: mention.value * scale, upper: upper * scale)) }
            out.facts.append((.amount, .number(mention.value * scale)))
            if out.intent == nil && ProfileExtractor.isLoanContext(before + after) { out.intent = .loan }
            if out.intent == nil && ProfileExtractor.isInvestContext(before) { out.intent = .invest }
        }
        return true
    }

    /// Words of money held or saved right before a figure counted in 个 ("存款二十多个", "攒了三十个"): not "基金买过二十多个".
    static let moneyHeldBefore: PhraseList = ["存款", "存了", "攒了", "攒", "积蓄", "手上有", "手里有", "手头有", "卡里有", "存着"]

    /// A bare figure from 1 to 999 followed by 个 (or 多个) and then the end of its clause: spoken Chinese for that many 万
    /// ("存款二十多个", "攒了三十个"). Not before a noun: "二十多个基金" counts funds.
    static func countsTenThousandsAlone(_ mention: NumberMention, afterTrim: String) -> Bool {
        guard !mention.hasMagnitude, !mention.hasCurrency, !mention.isPercent, (1...999).contains(mention.value) else { return false }
        var rest = Substring(afterTrim)
        if rest.hasPrefix("多") { rest = rest.dropFirst() }
        guard rest.hasPrefix("个") else { return false }
        rest = rest.dropFirst().drop { $0 == " " }
        return rest.isEmpty || ["，", "。", ",", ".", "！", "!", "？", "?", "；", ";", "吧", "啊", "呢", "左右", "的样子"].contains { rest.hasPrefix($0) }
    }

    /// Whether the words after a figure start a month, a week or a day ("one month", "3个月", "两周"): never an age.
    /// (Not 月 alone: "28 月入八千" is an age and an income.)
    static func isShortSpan(_ afterTrim: String) -> Bool {
        if ["个月", "个星期", "个礼拜", "周", "星期", "礼拜", "天"].contains(where: { afterTrim.hasPrefix($0) }) { return true }
        let word = afterTrim.lowercased().prefix { $0.isLetter }
        return ["month", "months", "mo", "mos", "week", "weeks", "wk", "wks", "day", "days"].contains(String(word))
    }

    /// A bare number answering the question just asked: the age or the horizon.
    /// (Only the first: in "今年整六十，刚好一个甲子" and "29了，快奔三" what follows the age is no second age.)
    func bareAnswer(_ figure: Figure, _ out: inout Extraction) -> Bool {
        let (mention, before, pending) = (figure.mention, figure.before, figure.pending)
        // A time of day or a day of the month answers neither: "能不能晚上6点以后给我打个电话", asked the age, was a
        // six-year-old, and every recommendation was blocked as for a minor.
        // (The windows around a figure stop at its neighbours: in "6:30" only ":" is after the 6 and before the 30.)
        let colon: Set<String> = [":", "："]
        let hoursOrMinutes = (figure.index + 1 < figure.mentions.count && colon.contains(figure.after)) || (figure.index > 0 && colon.contains(before))
        if hoursOrMinutes || ProfileExtractor.isClockOrDate(figure.after) { return false }
        if pending == .age && !mention.hasMagnitude && !mention.hasCurrency && out.value(.age) == nil && !out.invalid.contains(.age) {
            // "我爸妈都60多了，我35": the parents' age first.
            if SearchText(before).containsAnyWord(ProfileExtractor.otherPeople) { return true }
            // A Chinese figure before 年 is a length, never an age (ages take 岁): "在内地工作十年了", asked the age, made the
            // customer ten years old, and every recommendation was blocked as for a minor; "我来内地三年了，今年40" is 40.
            if figure.afterTrim.hasPrefix("年"), !["年纪", "年龄"].contains(where: { figure.afterTrim.hasPrefix($0) }) { return true }
            // Nor is a figure before a month, a week or a day: "one month i get 7000 around" (the income, said when the age
            // was asked) made a 24-year-old rider one year old, and every recommendation was blocked as for a minor.
            if ProfileExtractor.isShortSpan(figure.afterTrim) { return true }
            addAge(ProfileExtractor.ageNow(mention.value, before: before), &out)
            return true
        }
        // "He's 4, so until he's 18": the child's age now, then the age the money is for.
        if pending == .horizon || pending == nil, !mention.hasMagnitude, !mention.hasCurrency, ProfileExtractor.followsSomeoneIs(before) {
            othersAge(figure, &out)
            return true
        }
        // "Ten years, she'll go at 18.": a length already said is the answer, and "at 18" is an age.
        // ("娃才一年级，十几年后才用得上呢": 一 is a school year, not a bare length.)
        if pending == .horizon, !mention.hasMagnitude, !ProfileExtractor.isSomeonesAge(figure.afterTrim), out.value(.horizon) == nil,
           !figure.afterTrim.hasPrefix("年级"),
           !["at ", "till she's ", "till he's "].contains(where: { before.hasSuffix($0) }) {
            // A bare figure in an answer that speaks of years counts years ("We can leave it alone for a few years, say 4
            // at least"); otherwise months, as asked.
            let inYears = figure.search.containsAnyWord(["years", "yrs"]) || figure.search.contains("年")
            out.facts.append((.horizon, .number(inYears ? mention.value * 12 : mention.value)))
            return true
        }
        return false
    }

    /// A calendar year: four digits from 1950 to 2035 with no money mark, after "since", "seen", "back in", "until" or
    /// another year ("2008 and 2015"), or before 年 that is no 年薪/年收入 ("2015年入市"). Not after "in" or "from": "want to put
    /// in 2000" is money.
    static func isCalendarYear(_ figure: Figure, afterYear: Bool) -> Bool {
        let mention = figure.mention
        guard mention.end - mention.start == 4, (1950...2035).contains(mention.value), mention.value == mention.value.rounded(),
              !mention.hasMagnitude, !mention.hasCurrency, !mention.isPercent, mention.upper == nil else { return false }
        if figure.afterTrim.hasPrefix("年"), !ProfileExtractor.startsYearWord(figure.afterTrim) { return true }
        let before = figure.before.lowercased()
        if ["since ", "seen ", "until ", "till ", "year ", "back in ", "during "].contains(where: { before.hasSuffix($0) }) { return true }
        return afterYear && ["and ", "or ", "& ", "和", "跟", "、", ", ", "/"].contains(where: { before.hasSuffix($0) })
    }

    /// A figure followed by a unit of distance, weight or area ("三十万公里", "80平", "120 sqm", "200,000 km"): a measure, no money,
    /// age or length of time.
    static func isMeasure(_ figure: Figure) -> Bool {
        let after = figure.afterTrim.lowercased()
        if ["公里", "千米", "公斤", "斤", "平米", "平方", "平的", "米", "里路"].contains(where: { after.hasPrefix($0) }) { return true }
        guard let word = after.split(whereSeparator: { !$0.isLetter }).first else { return false }
        return ["km", "kms", "kilometres", "kilometers", "miles", "kg", "kgs", "kilos", "sqm", "square"].contains(String(word))
            && after.hasPrefix(word)
    }

    /// A generation: two digits that end in 0 or 5 right before 后 ("00后", "90后", "95后": born after 2000, 1990, 1995),
    /// never an age.
    static func isGeneration(_ figure: Figure) -> Bool {
        let mention = figure.mention
        // (后年, 后天, 后面, 后来 are other words: "我今年55后年退休" is 55.)
        guard mention.end - mention.start == 2, figure.after.hasPrefix("后"), !mention.hasMagnitude, !mention.hasCurrency, !mention.isPercent,
              !["后年", "后天", "后面", "后来"].contains(where: { figure.after.hasPrefix($0) }) else { return false }
        return Int(mention.value) % 5 == 0
    }

    /// Words right after a figure that make it a time of day or a day of the month ("6点", "6pm", "6 pm", "6:30", "15号").
    /// "am" must touch the figure ("45 am I too old for this" is an age). A colon counts only between hours and minutes
    /// (see `bareAnswer`): "年龄：45" is a label.
    static func isClockOrDate(_ after: String) -> Bool {
        let lower = after.lowercased()
        let trimmed = lower.trimmingWhitespace()
        // 日元 is yen, not a day.
        if trimmed.hasPrefix("日元") { return false }
        if ["点", "号", "日", "o'clock", "oclock", "p.m", "a.m"].contains(where: { trimmed.hasPrefix($0) }) { return true }
        for (marker, touching) in [("pm", false), ("am", true)] where (touching ? lower : trimmed).hasPrefix(marker) {
            if (touching ? lower : trimmed).dropFirst(2).first.map({ !$0.isLetter }) ?? true { return true }
        }
        return false
    }

    func addAge(_ value: Double, _ out: inout Extraction) {
        if value < 1 || value > 120 || value != value.rounded() {
            out.invalid.append(.age)
        } else {
            out.facts.append((.age, .number(value)))
        }
    }
}
