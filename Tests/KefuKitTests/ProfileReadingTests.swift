@testable import KefuKit
import KefuTestSupport
import XCTest

/// How the profile reads numbers as people write them: which fact a number belongs to (a span is the
/// horizon only with horizon words; years of investing are experience; "a month" next to an amount is how
/// often income comes), ranges read at their lower end, negative and foreign amounts asked again.
final class ProfileReadingTests: XCTestCase {
    let extractor = Fixtures.fixtureProfileExtractor

    func facts(_ text: String, pending: InvestorProfile.Fact? = nil, intent: InvestorProfile.Intent? = nil) -> [String: String] {
        var out: [String: String] = [:]
        for (fact, value) in extractor.extract(text, pending: pending, intent: intent).facts { out[fact.rawValue] = value.description }
        return out
    }

    /// (message, pending question, intent, expected facts): every fact of the message, not just the first number's.
    static let table: [(String, InvestorProfile.Fact?, InvestorProfile.Intent?, [String: String])] = [
        // Income frequency is not a horizon.
        ("4500 monthly", .income, .invest, ["income": "4500"]),
        ("4500 monthly", nil, .invest, ["income": "4500"]),
        ("4500 a month", .income, .invest, ["income": "4500"]),
        ("4500 a month", nil, .invest, ["income": "4500"]),
        ("I make 6000 a month", nil, nil, ["income": "6000"]),
        ("一个月挣一万", .income, .invest, ["income": "10000"]),
        ("一个月挣一万", nil, .invest, ["income": "10000"]),
        ("一个月收入八千", nil, .invest, ["income": "8000"]),
        ("RMB 15000一个月", .income, .invest, ["income": "15000"]),
        ("RMB 15000一个月", nil, .invest, ["income": "15000"]),
        ("一万一个月", .income, .invest, ["income": "10000"]),
        ("30万一年", .income, .invest, ["income": "25000"]),
        // Years of experience are experience, not horizon.
        ("I'm an experienced investor, 10 years of stocks", nil, .invest, ["experience": "experienced"]),
        ("有十年投资经验", nil, .invest, ["experience": "experienced"]),
        ("有十年投资经验", .horizon, .invest, ["experience": "experienced"]),
        ("有十年投资经验", .experience, .invest, ["experience": "experienced"]),
        ("my pension is 8000 a month", nil, .invest, ["income": "8000"]),
        ("saving for my pension", nil, .invest, ["goal": "retirement"]),
        ("我有两年投资经验", nil, .invest, ["experience": "some"]),
        ("炒股十几年了", nil, .invest, ["experience": "experienced"]),
        ("炒股十几年了", .horizon, .invest, ["experience": "experienced"]),
        ("I've been investing for 5 years", nil, .invest, ["experience": "experienced"]),
        ("I've bought a few funds", nil, .invest, ["experience": "some"]),
        ("买过几次基金", nil, .invest, ["experience": "some"]),
        // Spans with horizon words, or answering the horizon question, are the horizon.
        ("invest for 2 years", nil, .invest, ["horizon": "24"]),
        // Feelings about any loss are no tolerance for loss, whatever else the line says.
        ("辛苦攒的钱 亏一点都心疼", .loss, .invest, ["loss": "none"]),
        ("I'd hate to lose even a little", .loss, .invest, ["loss": "none"]),
        ("为养老，三年以上，最多亏10%", nil, .invest, ["horizon": "36", "loss": "small", "goal": "retirement"]),
        ("growth, 3 years or more, some experience", nil, .invest, ["experience": "some", "horizon": "36", "goal": "growth"]),
        ("I need it in 3 years", nil, .invest, ["horizon": "36"]),
        ("within 6 months", nil, .invest, ["horizon": "5"]),
        ("两年内要用", nil, .invest, ["horizon": "23"]),
        ("钱能放三年", nil, .invest, ["horizon": "36"]),
        ("一年", .horizon, .invest, ["horizon": "12"]),
        ("a year", .horizon, .invest, ["horizon": "12"]),
        ("放了三年了", nil, .invest, [:]),
        ("Half a decade or so.", .horizon, .invest, ["horizon": "60"]),
        // A semester is half a year; "more" before the unit is the length still to come.
        ("Three more semesters, give or take.", .horizon, .invest, ["horizon": "18"]),
        ("还有三个学期", .horizon, .invest, ["horizon": "18"]),
        ("three more years", .horizon, .invest, ["horizon": "36"]),
        // A school year is no length ("一年级" is first grade).
        ("娃才一年级，十几年后才用得上呢", .horizon, .invest, ["horizon": "120"]),
        // Approximate words and currency marks do not hide the income word.
        ("I earn about 8k per month", nil, .invest, ["income": "8000"]),
        ("about 8k per month", .income, .invest, ["income": "8000"]),
        ("I earn around 5,000 a month", nil, .invest, ["income": "5000"]),
        ("earn 5000 yuan a month", nil, .invest, ["income": "5000"]),
        ("I earn roughly ¥9,000 per month", nil, .invest, ["income": "9000"]),
        ("Hi, I'm 58, retired, I earn about 12k a month.", nil, .invest, ["age": "58", "occupation": "retired", "income": "12000"]),
        // Ranges: the lower end.
        ("1-2万", .income, .invest, ["income": "10000"]),
        ("8000-10000", .income, .invest, ["income": "8000"]),
        ("一到两万", .income, .invest, ["income": "10000"]),
        ("两三万", .income, .invest, ["income": "20000"]),
        ("月入万把块钱", .income, .invest, ["income": "10000"]),
        // Two incomes are a range, at its lower end (an average said with them is the income); a count is no income.
        ("一个月有六千多点，加班多就七千", .income, .invest, ["income": "6000"]),
        ("旺季一个月能挣三万，淡季也就一万，平均个两万吧", .income, .invest, ["income": "20000"]),
        ("我一个人一万一，老婆的另算", .income, .invest, ["income": "11000"]),
        // Cantonese 万几蚊: ten thousand and some.
        ("一个月净落大概万几蚊啦", .income, .invest, ["income": "10000"]),
        ("月入1-2万", nil, .invest, ["income": "10000"]),
        ("想投5到10万", nil, nil, ["amount": "50000"]),
        ("三到五年不用", nil, .invest, ["horizon": "36"]),
        ("Two, maybe three years to pay off", .horizon, .loan, ["horizon": "24"]),
        // Several facts in one message.
        ("我63岁，退休了，钱两年内要用", nil, .invest, ["age": "63", "occupation": "retired", "horizon": "23"]),
        ("我35岁，月入1-2万，想投10万，三年不用", nil, nil, ["age": "35", "income": "10000", "amount": "100000", "horizon": "36"]),
        ("RMB 15000一个月，想投5万，一年内要用", nil, .invest, ["income": "15000", "amount": "50000", "horizon": "11"]),
        ("I'm 40, I earn around 5,000 a month and want to invest 20k for 2 years", nil, nil,
         ["age": "40", "income": "5000", "amount": "20000", "horizon": "24"]),
        ("I'm 63, retired, experienced investor with 10 years of stocks, need the money in 2 years", nil, .invest,
         ["age": "63", "occupation": "retired", "experience": "experienced", "horizon": "24"]),
        // Asked the income, an occupation is an occupation, not "no income".
        ("上班族", .income, .invest, ["occupation": "employed"]),
        // A time of day or a day of the month is no age ("6点" was a six-year-old, blocked as a minor) and no horizon.
        ("能不能晚上6点以后给我打个电话", .age, .invest, [:]),
        ("call me after 6pm", .age, .invest, [:]),
        ("6:30以后打给我", .age, .invest, [:]),
        ("我15号发工资再说", .age, .invest, [:]),
        ("6am works", .age, .invest, [:]),
        // …but a colon that labels the figure, or an "am" apart from it, leaves an age.
        ("年龄：45", .age, .invest, ["age": "45"]),
        ("45 am I too old for this", .age, .invest, ["age": "45"]),
        // Goals.
        ("给孩子存教育金", nil, .invest, ["goal": "education"]),
        // Spare cash only suggests a horizon (asked to confirm, see `testASuggestedValueIsNoFact`); said in words, it is one.
        ("随时备用", .goal, .invest, ["goal": "liquidity"]),
        ("应急用，随时可能要取", .goal, .invest, ["goal": "liquidity", "horizon": "0"]),
    ]

    func testWhichFactEachNumberIs() {
        for (text, pending, intent, expected) in Self.table {
            XCTAssertEqual(facts(text, pending: pending, intent: intent), expected, "'\(text)' (asked: \(pending?.rawValue ?? "nothing"))")
        }
    }

    func testRangesAreReportedAtTheirLowerEnd() {
        let income = extractor.extract("1-2万", pending: .income, intent: .invest)
        XCTAssertEqual(income.ranges, [.init(fact: .income, lower: 10_000, upper: 20_000)])
        XCTAssertEqual(extractor.extract("年薪24-36万", pending: nil, intent: .invest).ranges, [.init(fact: .income, lower: 20_000, upper: 30_000)])
        XCTAssertEqual(extractor.extract("想投5到10万", pending: nil, intent: nil).ranges, [.init(fact: .amount, lower: 50_000, upper: 100_000)])
        XCTAssertEqual(extractor.extract("三到五年不用", pending: nil, intent: .invest).ranges, [.init(fact: .horizon, lower: 36, upper: 60)])
        // Half a year at the lower end: "半年到一年吧" was said back as "6 个月–6 个月".
        XCTAssertEqual(extractor.extract("半年到一年吧", pending: .horizon, intent: .invest).ranges, [.init(fact: .horizon, lower: 6, upper: 12)])
        // Two lengths are a range too, said back like one ("six months to a year" was taken as 6 months silently).
        XCTAssertEqual(extractor.extract("six months to a year", pending: .horizon, intent: .invest).ranges, [.init(fact: .horizon, lower: 6, upper: 12)])
        // One range however the lengths come: "半年，或者一到两年" is 6 to 24 months, not two ranges.
        XCTAssertEqual(extractor.extract("半年，或者一到两年", pending: .horizon, intent: .invest).ranges, [.init(fact: .horizon, lower: 6, upper: 24)])
        XCTAssertEqual(extractor.extract("两万", pending: .income, intent: .invest).ranges, [])
        // A dash between two numbers is never a minus sign.
        XCTAssertEqual(extractor.extract("8000-10000", pending: .income, intent: .invest).invalid, [])
    }

    func testNegativeAndForeignAmountsAreAskedAgain() {
        XCTAssertEqual(extractor.extract("月入负三千", pending: nil, intent: .invest).invalid, [.income])
        XCTAssertEqual(extractor.extract("负三千", pending: .income, intent: .invest).invalid, [.income])
        XCTAssertEqual(extractor.extract("-5000", pending: .income, intent: .invest).invalid, [.income])
        XCTAssertEqual(extractor.extract("想投负一万", pending: nil, intent: .invest).invalid, [.amount])
        for (text, pending, fact) in [("$5,000", InvestorProfile.Fact.income, InvestorProfile.Fact.income), ("I earn about $5000 a month", nil, .income),
                                      ("invest 1000 dollars", nil, .amount), ("想投1000美元", nil, .amount)] {
            let extraction = extractor.extract(text, pending: pending, intent: .invest)
            XCTAssertEqual(extraction.foreignCurrency, [fact], "'\(text)'")
            XCTAssertNil(extraction.value(fact), "'\(text)' must not be read as yuan")
        }
    }

    /// A Chinese clause that asks without a question mark (有没有…, …吗) volunteers nothing: "有没有稳妥的" read as no
    /// investing experience (没有), and the experience question was never asked. "没有没有" is two noes, not a question.
    func testAChineseQuestionVolunteersNothing() {
        for (text, line): (String, UInt) in [("在县里税务局上班，想提前为退休做点准备，有没有稳妥的", #line), ("我45了，上班的，有没有不亏本的", #line),
                                             ("上班族，想存点钱，能买点基金吗", #line)] {
            XCTAssertNil(extractor.extract(text, pending: nil, intent: .invest).value(.experience), text, line: line)
        }
        XCTAssertEqual(extractor.extract("没有没有，从来没买过", pending: .experience, intent: .invest).value(.experience), .word("none"))
        // Statements that hold a question's form: two noes, "either way", a closing 呢.
        for (text, fact, value, line): (String, InvestorProfile.Fact, String, UInt) in [("不会不会我从来没买过基金", .experience, "none", #line),
                                                                                     ("我是退休教师呢", .occupation, "retired", #line),
                                                                                     ("好不好都行，我退休了", .occupation, "retired", #line)] {
            XCTAssertEqual(extractor.extract(text, pending: nil, intent: .invest).value(fact), .word(value), text, line: line)
        }
    }

    /// The question forms are replies.txt's, Chinese only; every other list still needs both languages.
    func testQuestionFormsAreKnowledgeInChineseOnly() {
        var diagnostics = DiagnosticsEngine()
        let file = BlockFile.parse("[question-form]\nphrases.zh: 有没有\n[have]\nphrases.zh: 有\n", path: "replies.txt", diagnostics: &diagnostics)
        let replies = ReplyPhrases.parse(file, diagnostics: &diagnostics)
        XCTAssertEqual(replies["question-form"], ["有没有"])
        XCTAssertFalse(diagnostics.diagnostics.contains { $0.message.contains("'question-form' has no") }, "\(diagnostics.diagnostics)")
        XCTAssertTrue(diagnostics.diagnostics.contains { $0.message.contains("'have' has no phrases.en") }, "\(diagnostics.diagnostics)")
        // Without the lists nothing is read as a question: the clause volunteers its fact.
        let bare = ProfileAnswerReader(answers: Fixtures.fixture.knowledge.profileAnswers, replies: ReplyPhrases(), extractor: FeatureExtractor(synonyms: Fixtures.fixture.knowledge.synonyms))
        XCTAssertFalse(bare.asksWithoutMark("有没有稳妥的"))
        XCTAssertTrue(extractor.answers!.asksWithoutMark("有没有稳妥的"))
    }

    /// The suggestion comes from the profile as it is: a goal changed since suggests nothing.
    func testASuggestionFollowsTheProfile() throws {
        let answers = try XCTUnwrap(extractor.answers)
        var profile = InvestorProfile()
        XCTAssertNil(answers.suggestion(for: .horizon, from: profile))
        profile.goal = "liquidity"
        XCTAssertEqual(answers.suggestion(for: .horizon, from: profile), .number(0))
        profile.goal = "growth"
        XCTAssertNil(answers.suggestion(for: .horizon, from: profile))
    }

    /// `suggests: horizon=0` on spare cash: a likely value, put to the customer when the horizon is asked, never a fact.
    func testASuggestedValueIsNoFact() {
        let spare = extractor.extract("随时备用", pending: .goal, intent: .invest)
        XCTAssertNil(spare.value(.horizon))
        XCTAssertEqual(spare.suggested.map { "\($0.0)=\($0.1)" }, ["horizon=0"])
        // A fact the line gives stands beside the suggestion.
        let said = extractor.extract("应急用，随时可能要取", pending: .goal, intent: .invest)
        XCTAssertEqual(said.value(.horizon), .number(0))
    }

    func testHorizonFromWordsIsFlagged() {
        XCTAssertTrue(extractor.extract("应急用，随时可能要取", pending: .goal, intent: .invest).horizonFromWords)
        XCTAssertFalse(extractor.extract("随时要用", pending: .horizon, intent: .invest).horizonFromWords)
        XCTAssertFalse(extractor.extract("一年", pending: .horizon, intent: .invest).horizonFromWords)
    }

    /// Answers to the loss question, and loss limits in a one-line profile, in both languages.
    static let lossTable: [(String, InvestorProfile.Fact?, String)] = [
        ("none", .loss, "none"), ("None.", .loss, "none"), ("zero", .loss, "none"), ("0", .loss, "none"), ("0%", .loss, "none"),
        ("cannot accept any loss", .loss, "none"), ("I cannot accept any loss", nil, "none"), ("I can't afford any loss", .loss, "none"),
        ("I can’t afford any loss", nil, "none"), ("不能接受任何亏损", .loss, "none"), ("一点都不能亏", .loss, "none"),
        ("可以接受小幅亏损", .loss, "small"), ("可以接受小幅亏损", nil, "small"), ("能接受少量亏损", .loss, "small"),
        ("up to 10%", .loss, "small"), ("up to 10%", nil, "small"), ("at most 20%", nil, "medium"), ("最多10%", nil, "small"),
        ("10%以内", nil, "small"), ("no more than 30%", nil, "large"),
    ]

    func testLossAnswers() {
        for (text, pending, expected) in Self.lossTable {
            XCTAssertEqual(facts(text, pending: pending, intent: .invest)["loss"], expected, "'\(text)' (asked: \(pending?.rawValue ?? "nothing"))")
        }
        // A percent that is a return, not a loss limit, is not a loss tolerance.
        XCTAssertNil(facts("收益最多10%", intent: .invest)["loss"])
        XCTAssertNil(facts("I want a return of up to 10%", intent: .invest)["loss"])
        // The English one-line profile of the issue: every fact, the loss limit too.
        XCTAssertEqual(facts("I'm 35, earn 20k a month, office worker, invest 100k, saving, 3 years, up to 10%, bought funds before"),
                       ["age": "35", "income": "20000", "occupation": "employed", "amount": "100000", "goal": "saving", "horizon": "36", "loss": "small", "experience": "some"])
    }
}
