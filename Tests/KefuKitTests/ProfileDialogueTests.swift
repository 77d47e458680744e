import KefuKit
import KefuTestSupport
import XCTest

/// The advice conversation around how numbers were read: what is said (lower end of a range, a horizon
/// from words, a fact replaced), what is asked again (negative, foreign currency), and profile answers
/// that must not be answered as FAQ questions.
final class ProfileDialogueTests: XCTestCase {
    let engine = Fixtures.fixtureEngine

    /// Runs the lines and returns the final state and every reply.
    func run(_ lines: [String]) -> (state: DialogueState, replies: [String]) {
        var state = DialogueState()
        var replies: [String] = []
        for line in lines {
            guard let turn = engine.handle(line, in: state, at: .replayDefault) else {
                XCTFail("no turn for '\(line)'")
                continue
            }
            state = turn.state
            replies.append(turn.record.reply)
        }
        return (state, replies)
    }

    /// An age the customer will reach, said as when the money is needed, is the horizon from the age already given, never a
    /// new age: "I want to stop working when I am 60, so until then" made a 52-year-old 60 and asked the horizon three times.
    func testAnAgeToReachIsTheHorizonFromTheAgeGiven() {
        let lead = ["我想理财", "52", "月入一万八", "上班", "养老"]
        for (line, months) in [("I want to stop working when I am 60, so until then.", 96), ("干到60岁就退休，到时候再用", 96),
                                ("until I retire at 65", 156), ("60岁退休", 96), ("until I turn 55", 36)] {
            let state = run(lead + [line]).state
            XCTAssertEqual(state.profile.age, 52, line)
            XCTAssertEqual(state.profile.horizonMonths, months, line)
        }
        // An age already passed is no length; a relative's is theirs; an age said now is the age; money is no age.
        XCTAssertNotEqual(run(lead + ["until I turn 50"]).state.profile.age, 50)
        for line in ["我爸明年60岁退休，到时候要用", "my wife wants to retire at 60", "an income in retirement at 3000 a month"] {
            XCTAssertNotEqual(run(lead + [line]).state.profile.horizonMonths, 96, line)
            XCTAssertEqual(run(lead + [line]).state.profile.age, 52, line)
        }
        XCTAssertEqual(run(["我想理财", "我都到52岁了"]).state.profile.age, 52)
        // An age about to be reached is the age now, one year less (`ageAboutToBe`), as "快50了": never a horizon.
        XCTAssertEqual(run(["我想理财", "快到50岁了"]).state.profile.age, 49)
        XCTAssertEqual(run(["我想理财", "40", "月入一万", "上班", "孩子教育", "孩子4岁，到18岁上大学"]).state.profile.horizonMonths, 168)
        XCTAssertEqual(run(["我想理财", "I'm 60"]).state.profile.age, 60)
    }

    /// A length with part of it said to have passed is what is left: "When my husband's contract is finished. It is three
    /// years, and one year already passed." was three years.
    func testALengthPartlyPassedIsWhatIsLeft() {
        let lead = ["我想理财", "40", "月入一万", "上班", "存钱"]
        for (line, months) in [("When my husband's contract is finished. It is three years, and one year already passed.", 24),
                               ("合同三年，已经过了一年", 24), ("三年吧，一年过去了", 24), ("3 years, 6 months have passed", 30)] {
            XCTAssertEqual(run(lead + [line]).state.profile.horizonMonths, months, line)
        }
    }

    /// A short first message's "savings" says where the money is, not what it is for (`ask-anyway: saving`): the goal is
    /// asked all the same; a customer who describes themselves and says "想稳健存钱" is not asked again.
    func testALooseGoalInAShortOpeningIsAskedAnyway() {
        for opening in ["Where's a good place to put my savings? Bank interest is so low now.", "俺孙子今年刚出生，俺想给他存点钱，以后念书用"] {
            let run = run([opening, "45", "10000", "上班族"])
            XCTAssertNil(run.state.profile.goal, opening)
            XCTAssertEqual(run.state.phase, .profiling(.goal), "\(opening): \(run.replies)")
        }
        let described = run(["我30岁，上班族，月入一万，想投5万，两年不用，最多亏10%，买过基金，想稳健存钱"])
        XCTAssertEqual(described.state.profile.goal, "saving")
    }

    func testExperienceYearsDoNotTouchTheHorizonAndAReplacedFactIsSaid() {
        let (state, replies) = run(["我63岁，退休了，想理财，钱两年内要用", "I'm an experienced investor, 10 years of stocks"])
        XCTAssertEqual(state.profile.horizonMonths, 23)
        XCTAssertEqual(state.profile.experience, "experienced")
        let corrected = run(["我想理财", "35", "月入一万", "上班", "稳健存钱", "两年", "三年不用"])
        XCTAssertEqual(corrected.state.profile.horizonMonths, 36)
        XCTAssertTrue(corrected.replies.last!.contains("已更新：期限 36 个月"), corrected.replies.last!)
        XCTAssertFalse(replies.last!.contains("已更新"), "nothing was replaced: \(replies.last!)")
    }

    /// "您之前买过基金、股票之类的投资产品吗？" is a yes-or-no question: the bare yes or no answers it (replies.txt [have]).
    func testABareYesOrNoAnswersTheExperienceQuestion() {
        let before = ["我想理财", "35", "月入一万", "上班", "稳健存钱", "三年", "最多亏10%"]
        for (answer, expected, line): (String, String, UInt) in [("有", "some", #line), ("有过", "some", #line), ("没有", "none", #line), ("yes", "some", #line),
                                         ("nope", "none", #line)] {
            let (state, _) = run(before + [answer])
            XCTAssertEqual(state.profile.experience, expected, answer, line: line)
        }
    }

    func testIncomeFrequencyIsNotAHorizon() {
        for answer in ["4500 monthly", "4500 a month", "一个月挣一万", "RMB 15000一个月"] {
            let (state, _) = run(["我想理财", "35", answer])
            XCTAssertNil(state.profile.horizonMonths, answer)
            XCTAssertNotNil(state.profile.monthlyIncome, answer)
        }
    }

    func testRangeTakesTheLowerEndAndSaysSo() {
        let (state, replies) = run(["我想理财", "35", "1-2万"])
        XCTAssertEqual(state.profile.monthlyIncome, 10_000)
        XCTAssertTrue(replies.last!.contains("较低的 1 万元"), replies.last!)
        XCTAssertFalse(replies.last!.contains("负数"), replies.last!)
    }

    func testNegativeAndForeignIncomeAreAskedAgain() {
        let negative = run(["我想理财", "35", "月入负三千"])
        XCTAssertNil(negative.state.profile.monthlyIncome)
        XCTAssertTrue(negative.replies.last!.contains("不能是负数"), negative.replies.last!)
        let foreign = run(["what should I invest in", "35", "$5,000"])
        XCTAssertNil(foreign.state.profile.monthlyIncome)
        XCTAssertEqual(foreign.state.phase, .profiling(.income))
        XCTAssertTrue(foreign.replies.last!.contains("in yuan"), foreign.replies.last!)
        let answered = run(["what should I invest in", "35", "$5,000", "35000 yuan"])
        XCTAssertEqual(answered.state.profile.monthlyIncome, 35_000)
    }

    func testProfileAnswersAreNotAnsweredAsFAQ() {
        let stocks = run(["我想理财", "35", "月入一万", "上班", "养老", "三年以上", "10%", "炒股十几年了"])
        XCTAssertEqual(stocks.state.profile.experience, "experienced")
        XCTAssertEqual(stocks.state.profile.horizonMonths, 36)
        let education = run(["我想理财", "35", "月入一万", "上班", "给孩子存教育金"])
        XCTAssertEqual(education.state.profile.goal, "education")
        XCTAssertEqual(education.state.phase, .profiling(.horizon))
        let early = run(["我想理财", "35", "买过几次基金"])
        XCTAssertEqual(early.state.profile.experience, "some")
        let english = run(["what should I invest in", "I've bought a few funds"])
        XCTAssertEqual(english.state.profile.experience, "some")
    }

    func testHorizonFromAGoalIsSaidAndShown() {
        let (state, replies) = run(["我想理财", "35", "月入一万", "上班", "应急用，随时可能要取"])
        XCTAssertEqual(state.profile.horizonMonths, 0)
        XCTAssertTrue(replies.last!.contains("随时可能取用（0 个月）"), replies.last!)
        let profile = engine.handle("/profile", in: state, at: .replayDefault)!.record.reply
        XCTAssertTrue(profile.contains("期限 0 个月（根据您说的用途推断）"), profile)
    }

    /// Spare cash suggests the money may be needed any time (`suggests: horizon=0`): the horizon question asks the customer
    /// to confirm (`confirm:`), in the words of that choice. A yes gives it; a length is read as ever; a bare no gets the
    /// question in other words. "Mostly spare cash for the months with no work" was taken as "any time" when the customer,
    /// asked, said about six months.
    func testSpareCashAsksToConfirmTheHorizon() {
        let before = ["我想理财", "35", "月入一万", "上班", "随时备用"]
        let asked = run(before)
        XCTAssertNil(asked.state.profile.horizonMonths)
        XCTAssertEqual(asked.state.phase, .profiling(.horizon))
        XCTAssertTrue(asked.replies.last!.contains("“随时可能要用”吗"), asked.replies.last!)
        for (answer, months, line): (String, Int?, UInt) in [("对", 0, #line), ("是的", 0, #line), ("半年左右", 6, #line), ("不是，能放一年", 12, #line), ("不是", nil, #line),
                                                             // Saying again what suggested it is a yes, whatever faint length its words read as.
                                                             ("应急用的，家里老人身体不好", 0, #line), ("应急用的，半年后可能要用", 6, #line),
                                                             // A length in figures stands, with or without a comma after the yes.
                                                             ("是的能放一年", 12, #line), ("yes about a year", 12, #line)] {
            let (state, replies) = run(before + [answer])
            XCTAssertEqual(state.profile.horizonMonths, months, answer, line: line)
            XCTAssertFalse(state.profile.inferred.contains(.horizon), answer, line: line)
            if months == nil {
                XCTAssertEqual(state.phase, .profiling(.horizon), answer, line: line)
                XCTAssertFalse(replies.last!.contains("随时可能要用”吗"), "a no is not asked the same again: \(replies.last!)", line: line)
            }
        }
        let english = run(["I want to invest", "35", "10k a month", "office worker", "spare cash", "yes"])
        XCTAssertEqual(english.state.profile.horizonMonths, 0, "\(english.replies)")
        // A bare no gets the question in other words; "no idea" the numbered choices.
        let no = run(["I want to invest", "35", "10k a month", "office worker", "spare cash", "no"])
        XCTAssertFalse(no.replies.last!.contains("1)"), no.replies.last!)
        let unsure = run(["I want to invest", "35", "10k a month", "office worker", "spare cash", "no idea"])
        XCTAssertTrue(unsure.replies.last!.contains("1)"), unsure.replies.last!)
        // A question in between brings back the question as it was put, and a yes still answers it.
        let between = run(before + ["提现多久到账"])
        XCTAssertTrue(between.replies.last!.contains("“随时可能要用”吗"), between.replies.last!)
        XCTAssertEqual(run(before + ["提现多久到账", "对"]).state.profile.horizonMonths, 0)
    }

    /// At the loss question its own example ("none") and plain phrasings are understood, never a misunderstood-twice ticket.
    func testLossAnswersAreUnderstoodAtTheLossQuestion() {
        let before = ["/recommend", "35", "20000", "上班族", "存钱", "三年"]
        for (answer, loss) in [("none", "none"), ("cannot accept any loss", "none"), ("I can't afford any loss", "none"), ("可以接受小幅亏损", "small")] {
            let (state, replies) = run(before + [answer])
            XCTAssertEqual(state.profile.lossTolerance, loss, "\(answer): \(replies.last!)")
            XCTAssertNil(state.handoff.ticket, answer)
        }
    }

    /// An answer that cannot stand (an amount of 0) is told why once, then climbs the ladder of an unread answer: "40 000
    /// yuan", read as 0 before spaces grouped thousands, heard "The amount needs to be more than 0" eight times in a row.
    func testAnInvalidAnswerIsToldOnceThenTheLadderTakesOver() {
        let before = ["我想理财", "35", "月入一万", "上班族", "存钱", "三年", "10%", "买过基金"]
        let once = run(before + ["0"])
        XCTAssertEqual(once.state.phase, .profiling(.amount))
        XCTAssertTrue(once.replies.last!.contains("大于 0"), once.replies.last!)
        let twice = run(before + ["0", "0"])
        XCTAssertFalse(twice.replies.last!.contains("大于 0"), "the same words twice: \(twice.replies.last!)")
        XCTAssertNotNil(twice.state.profile.amount, "no choices for an amount: taken as skipped, and said")
        XCTAssertEqual(run(before + ["40 000 yuan"]).state.profile.amount, 40_000)
        // So is a figure in another currency; and a line that gives the yuan as well is read by the yuan ("Social Security
        // deposits about two thousand dollars, so call it 14 grand yuan a month" heard "looks like a foreign currency" again and again).
        let dollars = run(["I want to invest", "35", "about 2000 dollars", "about 2000 dollars"])
        XCTAssertNotEqual(dollars.state.phase, .profiling(.income), dollars.replies.last!)
        XCTAssertEqual(run(["I want to invest", "35", "about two thousand dollars, so call it 14 grand yuan a month"]).state.profile.monthlyIncome, 14_000)
    }

    static let p4 = "我35岁，月薪两万，上班族，想投10万，存钱，三年不用，最多亏10%，买过基金"

    /// A withdrawal, top-up or transfer with an amount below the large-amount limit is answered from the FAQ,
    /// outside advice and in the middle of it, and the amount is never taken as the amount to invest.
    func testSmallMoneyMovementWithAnAmountIsAnsweredFromTheFAQ() {
        let tags = ["withdrawal", "top-up", "transfer"]
        for lines in [["我要提现5万"], ["我要提现1000元"], ["I want to withdraw 5000"], ["充值2000元"], [Self.p4, "我要提现5万"], [Self.p4, "I want to withdraw 5000"]] {
            var state = DialogueState()
            var record: TurnRecord?
            for line in lines {
                let turn = engine.handle(line, in: state, at: .replayDefault)!
                state = turn.state
                record = turn.record
            }
            let id = record?.matchedID
            let entry = id.flatMap { id in Fixtures.fixture.knowledge.entries.first { $0.id == id } }
            XCTAssertTrue(entry.map { !Set($0.tags).isDisjoint(with: tags) } ?? false, "\(lines.last!): \(record?.reply ?? "")")
            XCTAssertFalse(record?.events.contains { $0.kind == .notUnderstood || $0.kind == .escalation || $0.kind == .recommendationShown } ?? true, lines.last!)
            XCTAssertNil(state.handoff.ticket, lines.last!)
            if lines.count > 1 { XCTAssertEqual(state.profile.amount, 100_000, "a withdrawal is not the amount to invest") }
        }
        // Investing an amount is still advice, and a large withdrawal still goes to a person.
        XCTAssertEqual(run(["我想投10万"]).state.profile.amount, 100_000)
        XCTAssertNotNil(run(["我要提现60万"]).state.handoff.ticket)
    }

    /// After "stop selling" a correction is acknowledged politely and recorded: no "not understood", no ticket, no selling.
    func testCorrectionAfterStopSellingIsAcknowledged() {
        for (line, check) in [("不对，我是45岁", { (p: InvestorProfile) in p.age == 45 }), ("actually I earn 8k a month", { (p: InvestorProfile) in p.monthlyIncome == 8000 })] {
            var state = DialogueState()
            var record: TurnRecord?
            for input in [Self.p4, "别再推销了", line, line] {
                let turn = engine.handle(input, in: state, at: .replayDefault)!
                state = turn.state
                record = turn.record
            }
            XCTAssertTrue(check(state.profile), line)
            XCTAssertNil(state.handoff.ticket, line)
            XCTAssertTrue(record!.events.contains { $0.kind == .factCorrected }, record!.reply)
            XCTAssertFalse(record!.events.contains { [.notUnderstood, .recommendationShown, .escalation].contains($0.kind) }, record!.reply)
            XCTAssertNil(record!.recommendation, line)
        }
    }
}
