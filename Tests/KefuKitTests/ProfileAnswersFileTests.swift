import KefuKit
import XCTest

/// `profile-answers.txt`, `profile.txt` choices and simulation files: every problem a trainer can make is reported
/// with its file and line, and nothing is guessed.
final class ProfileAnswersFileTests: XCTestCase {
    func parse(_ text: String) -> (ProfileAnswers, [Diagnostic]) {
        var diagnostics = DiagnosticsEngine()
        let file = BlockFile.parse(text, path: "profile-answers.txt", allowsReasonIDs: true, diagnostics: &diagnostics)
        let answers = ProfileAnswers.parse(file, diagnostics: &diagnostics)
        return (answers, diagnostics.diagnostics)
    }

    func testUnknownFactsValuesAndKeysAreErrorsWithTheirLine() {
        let (answers, diagnostics) = parse("""
            [occupation/astronaut]
            q.zh: 上天的
            [mood/happy]
            q.en: yay
            [goal/saving]
            q.zh: 存着
            colour: blue
            [horizon/soon]
            q.zh: 很快
            [income/high]
            q.en: loads
            """)
        func error(_ line: Int, _ text: String, file: StaticString = #filePath, at: UInt = #line) {
            XCTAssertTrue(diagnostics.contains { $0.severity == .error && $0.line == line && $0.message.contains(text) },
                          "\(line): \(text) in \(diagnostics.map(\.description))", file: file, line: at)
        }
        error(1, "has no value 'astronaut'")
        error(3, "unknown fact 'mood'")
        error(7, "unknown key 'colour'")
        error(8, "needs months:")
        error(10, "only [income/none]")
        XCTAssertEqual(answers.labels.map(\.id), ["goal/saving"])
    }

    /// `needs:` is a score between 0 and 1; an answer to its own question read below it is not taken (asked again).
    func testNeedsIsAScoreAndHoldsBackAFaintReading() {
        let (bad, diagnostics) = parse("""
            [loss/large]
            needs: 2
            q.zh: 亏一半也行
            """)
        XCTAssertTrue(diagnostics.contains { $0.severity == .error && $0.line == 2 && $0.message.contains("needs must be a score") }, "\(diagnostics)")
        XCTAssertNil(bad.labels.first?.needs)
        let text = """
            [loss/large]
            needs: NEEDS
            q.zh: 亏一半也行
            q.zh: 亏个三四成没关系
            q.zh: 大起大落都能扛
            [loss/none]
            q.zh: 一分都不能亏
            q.zh: 保本最重要
            q.zh: 不能亏
            """
        func read(_ needs: String) -> String? {
            let (answers, _) = parse(text.replacingOccurrences(of: "NEEDS", with: needs))
            let reading = ProfileAnswerReader(answers: answers, replies: ReplyPhrases(), extractor: FeatureExtractor()).read("亏点也行吧", pending: .loss)
            return reading.value(.loss).map { "\($0)" }
        }
        XCTAssertEqual(read("0.1"), "large", "a modest reading answers its own question")
        XCTAssertNil(read("0.99"), "below needs: not taken")
    }

    /// Two clauses that volunteer different values of one fact leave it to its question: "I am an old teacher of English,
    /// retired." read employed in one clause, and a retired teacher was never asked what she does.
    func testClausesThatDisagreeVolunteerNothing() {
        let (answers, _) = parse("""
            [occupation/employed]
            q.zh: 在公司上班
            q.zh: 公司职员
            q.zh: 上班族
            [occupation/retired]
            q.zh: 退休了
            q.zh: 已经退休
            q.zh: 退休在家
            [goal/saving]
            q.zh: 存点钱
            q.zh: 稳稳地存着
            q.zh: 攒钱
            """)
        let reader = ProfileAnswerReader(answers: answers, replies: ReplyPhrases(), extractor: FeatureExtractor())
        XCTAssertEqual(reader.read("公司职员，想存点钱", pending: nil).value(.occupation).map { "\($0)" }, "employed")
        XCTAssertEqual(reader.read("退休了，想存点钱", pending: nil).value(.occupation).map { "\($0)" }, "retired")
        let both = reader.read("公司职员，退休了，想存点钱", pending: nil)
        XCTAssertNil(both.value(.occupation), "employed and retired: asked")
        XCTAssertEqual(both.value(.goal).map { "\($0)" }, "saving", "the other facts still stand")
    }

    func testTooFewExamplesAndMissingValuesAreWarnings() {
        let (_, diagnostics) = parse("""
            [goal/saving]
            q.zh: 存着
            q.en: just saving
            """)
        XCTAssertTrue(diagnostics.contains { $0.severity == .warning && $0.line == 1 && $0.message.contains("1 q.zh examples; at least 30") })
        XCTAssertTrue(diagnostics.contains { $0.severity == .warning && $0.message.contains("no [occupation/employed]") })
    }

    func testCounterExamplesTeachOnlyTheirOwnFactsReader() {
        let (answers, _) = parse("""
            [occupation/not]
            q.zh: 给儿子交学费的
            [answer/not]
            q.zh: 你好
            [goal/education]
            q.zh: 孩子上学
            not.zh: 孩子上学要多少钱？
            suggests: horizon=60
            """)
        XCTAssertEqual(answers.counterExamples.map(\.fact), [.occupation, nil, .goal])
        XCTAssertEqual(answers.labels.first?.suggests.map { "\($0.0)=\($0.1)" }, "horizon=60")
    }

    /// The goal question of a `profile.txt` whose `lines` follow its two asks, from the file's line 4 on.
    func goalQuestion(_ lines: String) -> (question: ProfileQuestions.Question?, diagnostics: [Diagnostic]) {
        var diagnostics = DiagnosticsEngine()
        let text = "[goal]\nask.zh: 这笔钱用来做什么？\nask.en: What is this money for?\n" + lines
        let file = BlockFile.parse(text, path: "profile.txt", diagnostics: &diagnostics)
        let questions = ProfileQuestions.parse(file, compliance: ComplianceChecker(), diagnostics: &diagnostics)
        return (questions.questions["goal"], diagnostics.diagnostics)
    }

    func testChoicesNeedAValueOfTheirFactAndBothLanguages() {
        let (question, diagnostics) = goalQuestion("choice: saving | 稳健存钱 | steady saving\nchoice: yacht | 买游艇 | a yacht\nchoice: growth | 追求增值")
        XCTAssertEqual(question?.choices.map(\.value), [.word("saving")])
        XCTAssertTrue(diagnostics.contains { $0.line == 5 && $0.message.contains("'yacht' is not one of") })
        XCTAssertTrue(diagnostics.contains { $0.line == 6 && $0.message.contains("VALUE | 中文 | English") })
    }

    func testAskAnywayNeedsValuesOfItsFact() {
        let (question, diagnostics) = goalQuestion("ask-anyway: saving, yacht")
        XCTAssertEqual(question?.askAnyway, ["saving"])
        XCTAssertTrue(diagnostics.contains { $0.line == 4 && $0.message.contains("ask-anyway value 'yacht' is not one of") }, "\(diagnostics)")
    }

    func testSimulationFilesReportBrokenCustomersWithTheirLine() {
        var diagnostics = DiagnosticsEngine()
        let text = """
            [zh-01-ok]
            intent: invest
            opening: 我想理财
            age: 三十五
            facts: age=35 goal=saving
            expect: C2
            [zh-02-bad]
            intent: invest
            opening: 有啥推荐
            facts: age=abc goal=yachting
            expect: level three
            """
        let file = BlockFile.parse(text, path: "sim.txt", diagnostics: &diagnostics)
        let simulation = Simulation.parse(file, diagnostics: &diagnostics)
        XCTAssertEqual(simulation.customers.map(\.id), ["zh-01-ok"])
        XCTAssertEqual(simulation.customers.first?.expect, .level("C2"))
        XCTAssertTrue(diagnostics.diagnostics.contains { $0.line == 10 && $0.message.contains("age needs a number") })
        XCTAssertTrue(diagnostics.diagnostics.contains { $0.line == 10 && $0.message.contains("no value 'yachting'") })
        XCTAssertTrue(diagnostics.diagnostics.contains { $0.line == 11 && $0.message.contains("expect: must be") })
    }
}
