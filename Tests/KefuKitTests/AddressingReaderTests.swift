@testable import KefuKit
import XCTest

/// `addressing.txt`: its diagnostics (file:line), the reader trained on it, and the labelled rows `kefu rehearse --judge`
/// reads for it. On fixture text, so that a trainer's edit of the shipped file never fails these.
final class AddressingReaderTests: XCTestCase {
    let reasons: Set<String> = ["too-risky/fear-of-loss", "interest-too-high/hidden-fees"]

    func parse(_ text: String) -> (AddressingExamples, DiagnosticsEngine) {
        var diagnostics = DiagnosticsEngine()
        let file = BlockFile.parse(text, path: AddressingExamples.file, allowsReasonIDs: true, diagnostics: &diagnostics)
        let examples = AddressingExamples.parse(file, reasons: reasons, diagnostics: &diagnostics)
        return (examples, diagnostics)
    }

    func testProblemsAreReportedWithTheirLine() {
        let (examples, diagnostics) = parse("""
        [too-risky/fear-of-loss]
        q.zh: 零钱通是 R1 低风险，随时能取
        q.en: It's R1, the lowest risk, and you can take it out any time

        [too-risky/no-such-reason]
        q.zh: 这个不存在

        [none]
        q.zh: 换我也会担心
        a.zh: 拼错的键
        """)
        XCTAssertEqual(examples.examples.map(\.label), ["too-risky/fear-of-loss", "too-risky/fear-of-loss"])
        XCTAssertEqual(examples.none.map(\.text), ["换我也会担心"])
        XCTAssertEqual(diagnostics.errors.map(\.line), [5, 10])
        XCTAssertTrue(diagnostics.errors[0].message.contains("no objection reason"), diagnostics.errors[0].message)
        XCTAssertTrue(diagnostics.errors[1].message.contains("unknown key 'a.zh'"), diagnostics.errors[1].message)
        // Two lines where the reader needs many: one warning per language, at the block's line.
        XCTAssertEqual(diagnostics.warnings.map(\.line), [1, 1])
    }

    func testALineUnderTheWrongLanguageIsReported() {
        let (_, diagnostics) = parse("[none]\nq.zh: I totally get that\n")
        XCTAssertEqual(diagnostics.warnings.map(\.line), [2])
    }

    func testTheReaderTellsAnAnswerFromAnAcknowledgement() {
        var text = "[too-risky/fear-of-loss]\n"
        for line in ["零钱通是 R1 低风险，随时能取，收益不作承诺", "R1 风险最低，想取随时取出来", "这款是低风险的 R1，随存随取，收益会变化",
                     "风险最低的一档，钱随时能拿回来，不是存款也不保证收益", "It's R1, the lowest risk, and you can withdraw any time",
                     "Lowest risk level, R1, take it out whenever you like; the yield varies", "R1 means low risk, and the money comes back any time you ask"] {
            text += "q.\(line.unicodeScalars.first!.isASCII ? "en" : "zh"): \(line)\n"
        }
        text += "\n[interest-too-high/hidden-fees]\n"
        for line in ["除了利息没有其他费用，确认前都会展示", "No fees besides the interest, all shown before you confirm",
                     "不收别的钱，逾期才有罚息，会影响征信", "Nothing besides interest; late payment adds penalty interest"] {
            text += "q.\(line.unicodeScalars.first!.isASCII ? "en" : "zh"): \(line)\n"
        }
        text += "\n[none]\n"
        for line in ["换我也会担心", "您主要担心哪方面？", "I'd be worried too", "What worries you most?", "我们平台很正规的，您放心", "Our platform is very reliable"] {
            text += "q.\(line.unicodeScalars.first!.isASCII ? "en" : "zh"): \(line)\n"
        }
        let (examples, _) = parse(text)
        let reader = AddressingReader(examples: examples, scoring: ScoringRules(), extractor: FeatureExtractor())
        XCTAssertTrue(reader.reads("too-risky/fear-of-loss"))
        XCTAssertFalse(reader.reads("think-about-it/want-to-compare"))
        XCTAssertTrue(reader.addresses("放心，这是 R1 低风险的，随时可以取出来", reason: "too-risky/fear-of-loss"))
        XCTAssertFalse(reader.addresses("换我也会担心", reason: "too-risky/fear-of-loss"))
        XCTAssertFalse(reader.addresses("除了利息没有其他费用", reason: "too-risky/fear-of-loss"))
        XCTAssertEqual(reader.misreads(examples).map(\.line), [], "\(reader.misreads(examples).map(\.message))")
    }

    func testReasonRowsAreJudgedForAddressingOnly() {
        let corpus = JudgementCorpus.parse("""
        zh\treason=too-risky/fear-of-loss,addressing\t放心，R1 低风险，随时能取
        zh\treason=too-risky/fear-of-loss\t换我也会担心
        zh\treason=too-risky/fear-of-loss,probing\t您担心什么？
        zh\treason=,addressing\t空的原因
        zh\tacknowledgement\t换我也会担心
        """)
        XCTAssertEqual(corpus.rows.map(\.reason), ["too-risky/fear-of-loss", "too-risky/fear-of-loss", nil])
        XCTAssertEqual(corpus.rows.map(\.expected), [["addressing"], [], ["acknowledgement"]])
        XCTAssertEqual(corpus.problems.map(\.line), [3, 4])
    }
}
