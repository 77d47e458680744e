import KefuKit
import KefuTestSupport
import XCTest

final class ProfileExtractorTests: XCTestCase {
    let extractor = Fixtures.fixtureProfileExtractor

    func facts(_ text: String, pending: InvestorProfile.Fact? = nil, intent: InvestorProfile.Intent? = nil) -> [String: String] {
        var out: [String: String] = [:]
        for (fact, value) in extractor.extract(text, pending: pending, intent: intent).facts { out[fact.rawValue] = value.description }
        return out
    }

    func testSeveralFactsFromOneChineseMessage() {
        let extraction = extractor.extract("我35岁，月薪两万，想投10万，一年内可能要用", pending: nil, intent: nil)
        XCTAssertEqual(extraction.intent, .invest)
        XCTAssertEqual(facts("我35岁，月薪两万，想投10万，一年内可能要用"), ["age": "35", "income": "20000", "amount": "100000", "horizon": "11"])
    }

    func testEnglishFacts() {
        XCTAssertEqual(facts("I'm 42, I earn 8k a month and want to invest 50,000 for 3 years"),
                       ["age": "42", "income": "8000", "amount": "50000", "horizon": "36"])
        XCTAssertEqual(facts("salary 300k a year"), ["income": "25000"])
        XCTAssertEqual(facts("income of 120,000 per annum"), ["income": "10000"])
        XCTAssertEqual(extractor.extract("I need to borrow 20k", pending: nil, intent: nil).intent, .loan)
        XCTAssertEqual(facts("I need to borrow 20k"), ["amount": "20000"])
    }

    /// Someone else's age is not the customer's, and the first age said is theirs unless the line corrects it. "孩子8岁了，想给
    /// 他存点教育金" made a parent a minor, and nothing could be recommended.
    func testOnlyTheCustomersOwnAge() {
        let rows: [(text: String, pending: InvestorProfile.Fact?, age: String?, line: UInt)] = [
            ("孩子8岁了，想给他存点教育金", nil, nil, #line),
            ("my son is 10 years old, want to save for his college", nil, nil, #line),
            ("我今年35岁，孩子8岁", .age, "35", #line),
            ("I'm 35, my son is 10 years old", .age, "35", #line),
            ("我爸妈都60多岁了，我35", .age, "35", #line),
            ("29 (Korean age 30, haha)", .age, "29", #line),
            ("不是35，是36岁", .age, "36", #line),
            ("我17岁", .age, "17", #line),
            ("Can my 17 year old get a small loan with you, like ¥2,000?", nil, nil, #line),
            ("our 8-year-old starts school soon", nil, nil, #line),
            ("I'm 40 and my 15 year old wants a savings account", nil, "40", #line),
        ]
        for row in rows {
            XCTAssertEqual(facts(row.text, pending: row.pending)["age"], row.age, row.text, line: row.line)
        }
    }

    /// A child's age is no length of time; their age now and the age the money is for are ("He's 4, so until he's 18" was a
    /// horizon of 4 months). Asked about experience, a length is years of investing ("20+ yrs" was a horizon of 240 months).
    func testAgesOfOthersAndLengthsOfInvesting() {
        let rows: [(text: String, pending: InvestorProfile.Fact, fact: String, value: String?, line: UInt)] = [
            ("He's 4, so until he's 18. That's a long while.", .horizon, "horizon", "168", #line),
            ("He is 8 years now, so around 10 years we will need it.", .horizon, "horizon", "120", #line),
            ("孩子4岁，18岁上大学", .horizon, "horizon", "168", #line),
            ("my son is 2 years away from college", .horizon, "horizon", "24", #line),
            ("20+ yrs", .experience, "experience", "experienced", #line),
            ("over 20 years", .experience, "horizon", nil, #line),
            ("3年后要用", .experience, "horizon", "36", #line),
            ("买过国债，三年期的", .experience, "experience", "some", #line),
            // A child named by rank ("Youngest is 8, so about 10 years" was a horizon of 8 years).
            ("Youngest is 8, so about 10 years", .horizon, "horizon", "120", #line),
        ]
        for row in rows {
            XCTAssertEqual(facts(row.text, pending: row.pending)[row.fact], row.value, row.text, line: row.line)
        }
    }

    /// Time already spent is no horizon ("freelancing out of Chengdu for a couple yrs now" was a horizon of 24 months).
    func testTimeAlreadySpentIsNoHorizon() {
        let rows: [(text: String, horizon: String?, line: UInt)] = [
            ("So I've been freelancing out of Chengdu for a couple yrs now", nil, #line),
            ("living in Hangzhou 9 years already", nil, #line),
            ("moved here 3 years ago, I want to invest for 5 years", "60", #line),
            ("can leave it 3 years, no problem", "36", #line),
            // The present perfect ("…for 6 years" was a horizon of 72 months, and the horizon, a year, was never asked).
            ("I have been buying ceramics in Foshan and shipping to Lagos for 6 years. I want my profit to grow", nil, #line),
            ("We've had the shop for 10 years and want to keep this for 2 years", "24", #line),
            ("I've been freelancing as a photographer here in Shenzhen for about four years, weddings, product shoots", nil, #line),
            // The perfect must govern the length: a verb of keeping the money after it makes it the horizon again.
            ("It's been sitting in my account and I can leave it there for 2 years", "24", #line),
            ("I have been told to keep it invested for 3 years", "36", #line),
        ]
        for row in rows {
            XCTAssertEqual(facts(row.text)["horizon"], row.horizon, row.text, line: row.line)
        }
        XCTAssertEqual(facts("I've been trading stocks for 5 years now")["experience"], "experienced")
    }

    /// "small one" refers back to the company just named: no loss tolerance is volunteered (the loss was never asked).
    func testAClauseReferringBackVolunteersNothing() {
        XCTAssertEqual(facts("I run my own export company, small one.", pending: .occupation), ["occupation": "business-owner"])
        XCTAssertEqual(facts("I'm 63, retired, I want to invest", pending: nil)["occupation"], "retired")
    }

    func testAnnualAndMonthlyIncome() {
        XCTAssertEqual(facts("年薪30万"), ["income": "25000"])
        XCTAssertEqual(facts("月入8千左右"), ["income": "8000"])
        XCTAssertEqual(facts("年收入二十四万"), ["income": "20000"])
        XCTAssertEqual(facts("没有收入"), ["income": "0"])
        // Amounts in English words, teens and compound tens included ("about eleven thousand a month" was no income).
        XCTAssertEqual(facts("about eleven thousand a month", pending: .income), ["income": "11000"])
        XCTAssertEqual(facts("twenty-five thousand a month", pending: .income), ["income": "25000"])
        // A day's pay is a month's at the days worked, or at 21.75 paid days ("一天三百" was ¥300 a month).
        XCTAssertEqual(facts("一天三百，一个月干个二十天", pending: .income), ["income": "6000"])
        XCTAssertEqual(facts("300 a day", pending: .income), ["income": "6525"])
        XCTAssertEqual(facts("一天内可能要用，5万", pending: .amount)["income"], nil)
        // Asked the income, a bare figure after thousands were named is in thousands ("usually 4, sometimes 6" was ¥6), and
        // the two are a range read at its lower end; a figure that names something else keeps its noun.
        XCTAssertEqual(facts("a few grand a month — usually 4, sometimes 6 when clients pay on time", pending: .income)["income"], "4000")
        XCTAssertEqual(facts("usually 4k, sometimes 6", pending: .income)["income"], "4000")
        XCTAssertEqual(facts("make 6 grand, 2 kids", pending: .income)["income"], "6000")
        // (and a count beside a month's pay is no income of its own: "about 8 grand, 2 kids to feed" was ¥2)
        XCTAssertEqual(facts("about 8 grand, 2 kids to feed", pending: .income)["income"], "8000")
        // Nor an age: "8k a month, I'm 35" (35 was ¥35,000, and the age was lost).
        XCTAssertEqual(facts("8k a month, I'm 35", pending: .income), ["income": "8000", "age": "35"])
        // What is saved each month is not what is earned ("finally saving around 3k a month" was an income of ¥3,000).
        XCTAssertNil(facts("I'm 29, finally saving around 3k a month and it just sits there")["income"])
        XCTAssertEqual(facts("I make 12k a month and save 3k")["income"], "12000")
        XCTAssertEqual(facts("月入一万二，每个月能攒三千")["income"], "12000")
        // A year's total said as last year's ("去年一共挣了二十四万" was ¥240,000 a month).
        XCTAssertEqual(facts("干一单结一单，去年一共挣了二十四万", pending: .income)["income"], "20000")
        XCTAssertEqual(facts("全年到手十八万", pending: .income)["income"], "15000")
        XCTAssertEqual(facts("全年无休，8000", pending: .income)["income"], "8000")
        // Asked how much loss is acceptable, money is the loss, never the amount ("亏个三五千还能接受" was ¥3,000 to invest).
        XCTAssertNil(facts("亏个三五千还能接受，多了俺老伴得骂", pending: .loss, intent: .invest)["amount"])
    }

    func testAmbiguousIncomeIsAskedNotGuessed() {
        let extraction = extractor.extract("收入两万", pending: nil, intent: .invest)
        XCTAssertEqual(extraction.ambiguousIncome, 20_000)
        XCTAssertNil(extraction.value(.income))
        // When Kefu asked for the monthly income, a bare amount is monthly.
        XCTAssertEqual(facts("两万", pending: .income), ["income": "20000"])
    }

    func testBareAnswersToTheQuestionAsked() {
        XCTAssertEqual(facts("35", pending: .age), ["age": "35"])
        XCTAssertEqual(facts("三十五", pending: .age), ["age": "35"])
        XCTAssertEqual(facts("10万", pending: .amount), ["amount": "100000"])
        XCTAssertEqual(facts("一年", pending: .horizon), ["horizon": "12"])
        XCTAssertEqual(facts("半年", pending: .horizon), ["horizon": "6"])
        XCTAssertEqual(facts("三年以上", pending: .horizon), ["horizon": "36"])
        // The end of next year is a year away at its nearest (年 in 年底 is no length); a length said first is the answer,
        // and "at 18" is an age.
        XCTAssertEqual(facts("明年年底就得拿出来", pending: .horizon), ["horizon": "12"])
        XCTAssertEqual(facts("明年年底前肯定还上", pending: .horizon)["horizon"], "12")
        XCTAssertEqual(facts("by the end of next year", pending: .horizon), ["horizon": "12"])
        XCTAssertEqual(facts("Ten years, she'll go at 18.", pending: .horizon)["horizon"], "120")
        XCTAssertEqual(facts("10%", pending: .loss), ["loss": "small"])
        XCTAssertEqual(facts("一分钱都不能亏", pending: .loss), ["loss": "none"])
        XCTAssertEqual(facts("没有", pending: .experience), ["experience": "none"])
        XCTAssertEqual(facts("买过基金", pending: .experience), ["experience": "some"])
    }

    /// Calendar years and generations are no figures of the profile: "I have seen 2008 and 2015" was ¥2,008 to invest, and
    /// "00后，今年23" an age of 0 asked three times.
    func testYearsAndGenerationsAreNoFigures() {
        XCTAssertEqual(facts("I can take a 40% drawdown. I have seen 2008 and 2015.", pending: .loss, intent: .invest), ["loss": "large"])
        XCTAssertEqual(facts("Trading stocks since 1998.", pending: .experience, intent: .invest)["amount"], nil)
        XCTAssertEqual(facts("2015年入的市，亏过三成", pending: .loss, intent: .invest)["amount"], nil)
        XCTAssertEqual(facts("00后，今年23", pending: .age), ["age": "23"])
        XCTAssertEqual(facts("90后", pending: .age)["age"], nil)
        XCTAssertEqual(facts("我今年55后年退休", pending: .age)["age"], "55")
        // Asked the age, a Chinese figure before 年 is a length ("在内地工作十年了" was an age of 10).
        XCTAssertNil(facts("在内地工作十年了", pending: .age)["age"])
        // Nor before a month, a week or a day ("one month i get 7000 around", asked the age, was an age of 1).
        XCTAssertNil(facts("one month i get 7000 around", pending: .age)["age"])
        XCTAssertNil(facts("3个月前刚毕业", pending: .age)["age"])
        XCTAssertEqual(facts("24, one month i get 7000", pending: .age)["age"], "24")
        XCTAssertEqual(facts("28 月入八千", pending: .age)["age"], "28")
        XCTAssertNil(facts("3 mos ago i started work", pending: .age)["age"])
        XCTAssertEqual(facts("我来内地三年了，今年40", pending: .age)["age"], "40")
        XCTAssertEqual(facts("31 years only.", pending: .age)["age"], "31")
        // An age about to be reached is one year less now: "turning 18 next month" is a minor today.
        XCTAssertEqual(facts("Turning 40 next month.", pending: .age)["age"], "39")
        XCTAssertEqual(facts("turning 18 next month", pending: .age)["age"], "17")
        XCTAssertEqual(facts("快18了", pending: .age)["age"], "17")
        XCTAssertEqual(facts("我今年快50岁了", pending: .age)["age"], "49")
        XCTAssertEqual(facts("I'm 40", pending: .age)["age"], "40")
        XCTAssertEqual(facts("快到50岁了", pending: .age)["age"], "49")
        XCTAssertEqual(facts("I turn 18 today", pending: .age)["age"], "18")
        XCTAssertEqual(facts("2000年终奖全投", pending: .amount)["amount"], "2000")
        // Money counted in 个 alone is in 万 ("目前存款二十多个" was ¥20); 个 before a noun counts the noun.
        XCTAssertEqual(facts("沪漂攒首付中，目前存款二十多个，想让它稍微跑快一点", intent: .invest)["amount"], "200000")
        XCTAssertEqual(facts("攒了三十个", pending: .amount)["amount"], "300000")
        XCTAssertNil(facts("买过二十多个基金", pending: .experience)["amount"])
        XCTAssertNotEqual(facts("我想理财，基金买过二十多个", intent: .invest)["amount"], "200000")
        // Cheque numerals only beside a cheque numeral, a unit or 元: names and words stay ("我叫陆一鸣" was an age of 11).
        XCTAssertNil(facts("我叫陆一鸣", pending: .age)["age"])
        XCTAssertNil(facts("我先收拾一下", pending: .age)["age"])

        // What was made last year is a year's income ("The shop netted me about 360k last year." was ¥360,000 a month).
        XCTAssertEqual(facts("The shop netted me about 360k last year.", pending: .income)["income"], "30000")
        XCTAssertEqual(facts("last year I made around 180k in total, so it averages out I guess", pending: .income)["income"], "15000")
        XCTAssertEqual(facts("got a raise last year, now 20k a month", pending: .income)["income"], "20000")
        // A range beside another figure: the lowest of them, the range said back being the income recorded.
        XCTAssertEqual(facts("一个月六千七八，加绩效有时候七千多", pending: .income)["income"], "6700")
        XCTAssertEqual(extractor.extract("一个月六千七八，加绩效有时候七千多", pending: .income, intent: nil).ranges.first.map { "\($0.lower)-\($0.upper)" }, "6700.0-7000.0")
        // Asked the income, a pay word after the figure names it ("I have 16000 yuan salary every month." was ¥16,000 to invest).
        XCTAssertEqual(facts("I have 16000 yuan salary every month.", pending: .income)["income"], "16000")
        XCTAssertNil(facts("I have 16000 yuan salary every month.", pending: .income)["amount"])
        XCTAssertNotEqual(facts("I have 300k insurance payout", pending: .income)["income"], "300000")
        XCTAssertNil(facts("I have 80k saved from salary", pending: .income)["income"])
        // Asked the goal, a figure with no word of putting it in is the goal's cost, not the amount to invest.
        XCTAssertNil(facts("攒钱结婚，对象家要二十万彩礼，愁死我了", pending: .goal, intent: .invest)["amount"])
        XCTAssertEqual(facts("想存10万养老", pending: .goal, intent: .invest)["amount"], "100000")
        XCTAssertEqual(facts("10万想存起来养老", pending: .goal, intent: .invest)["amount"], "100000")
        XCTAssertEqual(facts("手上有20万想养老", pending: .goal, intent: .invest)["amount"], "200000")
        // Borrowing, money the customer has is no amount to borrow.
        XCTAssertEqual(facts("6k, i have 2k myself", pending: .amount, intent: .loan)["amount"], "6000")
        XCTAssertEqual(facts("手上有两万，还差三万，想借三万", pending: .amount, intent: .loan)["amount"], "30000")
        XCTAssertEqual(facts("I have 50k and would put in 30k", pending: .amount, intent: .invest)["amount"], "30000")
        // After the customer's own income, a figure in a clause about someone else is theirs.
        XCTAssertEqual(facts("我一个月九千，对象那边六千，她的应该不算吧", pending: .income)["income"], "9000")
        XCTAssertEqual(facts("我自己工资四千二，她爸每个月给两千抚养费，那是孩子的，不算", pending: .income)["income"], "4200")
        XCTAssertEqual(facts("I make 12k a month, my wife about 8k", pending: .income)["income"], "12000")
        // A distance, weight or area is no money ("攒起换个车，现在这个车都跑了三十万公里了", asked the goal, was ¥300,000 to invest).
        XCTAssertNil(facts("攒起换个车，现在这个车都跑了三十万公里了", pending: .goal, intent: .invest)["amount"])
        XCTAssertNil(facts("the car has done 200,000 km, want to save for a new one", pending: .goal, intent: .invest)["amount"])
        XCTAssertEqual(facts("家里100平的房子还有贷款，这次想投10万", intent: .invest)["amount"], "100000")

        XCTAssertEqual(facts("2000", pending: .amount), ["amount": "2000"])
        XCTAssertEqual(facts("about 2000 yuan", pending: .amount), ["amount": "2000"])
        XCTAssertEqual(facts("want to put in 2000", intent: .invest)["amount"], "2000")
        // "one and half year" is eighteen months, not half a year; 五个点 is 5%.
        XCTAssertEqual(facts("The car we plan to buy after one and half year.", pending: .horizon)["horizon"], "18")
        XCTAssertEqual(facts("two and a half years", pending: .horizon)["horizon"], "30")
        XCTAssertEqual(facts("亏五个点以内能接受", pending: .loss), ["loss": "small"])
        XCTAssertEqual(facts("最多亏十五个百分点", pending: .loss), ["loss": "medium"])
        // 不带动 (northern for 不动): the money stays for the whole length ("这钱两年之内都不带动的" was 23 months).
        XCTAssertEqual(facts("这钱两年之内都不带动的", pending: .horizon), ["horizon": "24"])
    }

    func testImpossibleValuesAreInvalid() {
        XCTAssertEqual(extractor.extract("150岁", pending: nil, intent: nil).invalid, [.age])
        XCTAssertEqual(extractor.extract("0", pending: .age, intent: nil).invalid, [.age])
        XCTAssertEqual(extractor.extract("-5000", pending: .income, intent: nil).invalid, [.income])
    }

    func testOccupationGoalAndSkip() {
        XCTAssertEqual(facts("我是学生"), ["occupation": "student"])
        XCTAssertEqual(facts("已经退休了"), ["occupation": "retired"])
        XCTAssertEqual(facts("I run a small shop"), ["occupation": "business-owner"])
        XCTAssertEqual(facts("为孩子上学存钱"), ["goal": "education"])
        XCTAssertEqual(facts("saving for retirement"), ["goal": "retirement"])
        XCTAssertTrue(extractor.extract("不想说", pending: .income, intent: .invest).skip)
        XCTAssertTrue(extractor.extract("I'd rather not say", pending: .age, intent: .invest).skip)
    }

    func testCorrections() {
        let extraction = extractor.extract("不对，我是45岁", pending: nil, intent: .invest)
        XCTAssertTrue(extraction.isCorrection)
        XCTAssertEqual(extraction.value(.age), .number(45))
        let english = extractor.extract("actually I earn 8k a month", pending: nil, intent: .invest)
        XCTAssertTrue(english.isCorrection)
        XCTAssertEqual(english.value(.income), .number(8000))
    }

    func testTimeSpansInWordsAndNegations() {
        XCTAssertEqual(facts("a year", pending: .horizon), ["horizon": "12"])
        XCTAssertEqual(facts("six months", pending: .horizon), ["horizon": "6"])
        XCTAssertEqual(facts("more than three years", pending: .horizon), ["horizon": "36"])
        XCTAssertEqual(facts("3+ years", pending: .horizon), ["horizon": "36"])
        XCTAssertEqual(facts("三年内都用不到"), ["horizon": "36"])
        XCTAssertEqual(facts("一年内要用"), ["horizon": "11"])
        // Cantonese negation: "won't touch it within a year" is a year, not eleven months.
        XCTAssertEqual(facts("一年之内应该唔会郁佢嘅", pending: .horizon), ["horizon": "12"])
        XCTAssertEqual(facts("I earn 8k a month"), ["income": "8000"])
    }
}
