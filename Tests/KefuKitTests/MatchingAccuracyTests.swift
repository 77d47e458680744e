import KefuKit
import KefuTestSupport
import XCTest

/// Held-out customer phrasings (Tests/Fixtures/phrasings.tsv, none of them an example in knowledge/)
/// with the entry each must reach. Guards the shipped knowledge base and the matcher against regressions.
final class MatchingAccuracyTests: XCTestCase {
    struct Phrasing {
        var id: String
        var language: Language
        var text: String
    }

    static func table() throws -> [Phrasing] {
        let url = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/phrasings.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.physicalLines().compactMap { line in
            if line.isEmpty || line.hasPrefix("#") { return nil }
            let parts = line.split(separator: "\t", maxSplits: 2).map(String.init)
            guard parts.count == 3, let language = Language(rawValue: parts[1]) else { return nil }
            return Phrasing(id: parts[0], language: language, text: parts[2])
        }
    }

    func testPhrasingTableIsHeldOutAndLargeEnough() throws {
        let table = try Self.table()
        XCTAssertGreaterThanOrEqual(table.count, 60)
        XCTAssertGreaterThanOrEqual(table.filter { $0.language == .zh }.count, 30)
        XCTAssertGreaterThanOrEqual(table.filter { $0.language == .en }.count, 30)
        let normalizer = TextNormalizer()
        let examples = Set(Fixtures.shipped.knowledge.entries.flatMap(\.examples).map { normalizer.normalize($0.text) })
        for phrasing in table {
            XCTAssertFalse(examples.contains(normalizer.normalize(phrasing.text)), "'\(phrasing.text)' is an example in knowledge/")
            XCTAssertNotNil(Fixtures.shipped.knowledge.entry(id: phrasing.id), "unknown id \(phrasing.id)")
        }
    }

    func testMatchingAccuracyOnHeldOutPhrasings() throws {
        let table = try Self.table()
        let engine = Fixtures.engine
        var correct = 0, answered = 0
        var failures: [String] = []
        for phrasing in table {
            let result = engine.match(phrasing.text)
            let best = result.best.map { engine.knowledge.entries[$0.entryIndex].id }
            if best == phrasing.id {
                correct += 1
                if result.bestScore >= engine.configuration.answerThreshold { answered += 1 }
            } else {
                failures.append("  \(phrasing.id) <- '\(phrasing.text)' got \(best ?? "nothing") (\(String(format: "%.2f", result.bestScore)))")
            }
        }
        let accuracy = Double(correct) / Double(table.count)
        print("Matching accuracy on \(table.count) held-out phrasings: \(String(format: "%.1f", accuracy * 100))% top-1 (\(correct)/\(table.count)); answered directly: \(answered)")
        if !failures.isEmpty { print("Misses:\n" + failures.joined(separator: "\n")) }
        XCTAssertGreaterThanOrEqual(accuracy, 0.90)
    }
}

/// The FAQ question corpus (`corpora/faq`, written by a helper from the entries' answers, never their examples):
/// floors just under today's figures, so an edit that makes the FAQ worse on ordinary questions fails.
final class FAQQuestionCorpusTests: XCTestCase {
    func testQuestionsWrittenFromTheAnswersAreAnswered() throws {
        for (split, floor) in [("dev", 0.96), ("heldout", 0.91)] {
            let url = Fixtures.packageRoot.appendingPathComponent("corpora/faq/\(split)/questions.tsv")
            let parsed = LabelledData.parse(try String(contentsOf: url, encoding: .utf8))
            XCTAssertTrue(parsed.problems.isEmpty, "\(split): \(parsed.problems.prefix(3))")
            XCTAssertGreaterThanOrEqual(parsed.rows.count, 300, split)
            let outcome = Evaluator().evaluate(knowledge: Fixtures.shipped.knowledge, test: parsed.rows)
            XCTAssertTrue(outcome.unknownCategories.isEmpty, "\(split): labels that are no entry: \(outcome.unknownCategories)")
            XCTAssertGreaterThanOrEqual(outcome.report.accuracy, floor, "\(split): \(outcome.report.top1Correct)/\(outcome.report.count)")
        }
    }
}
