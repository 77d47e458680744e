import Foundation
import KefuKit
import XCTest

/// A fake clock: every reading is 10 ns after the previous one.
final class Ticker: @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64 = 0
    func tick() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        now += 10
        return now
    }
}

final class EvaluationTests: XCTestCase {
    /// 3 categories, 6 items: gold a a b b c c; predicted a b b b a -, so top-1 = 3/6.
    /// a: tp 1, predicted 2, support 2 -> P 0.5 R 0.5 F1 0.5
    /// b: tp 2, predicted 3, support 2 -> P 2/3 R 1 F1 0.8
    /// c: tp 0, predicted 0, support 2 -> F1 0
    /// macro-F1 = (0.5 + 0.8 + 0) / 3 = 0.4333…
    func testAccuracyMacroF1TopKAndConfusions() {
        let report = ClassificationReport(
            names: ["a", "b", "c"], gold: [0, 0, 1, 1, 2, 2],
            ranked: [[0, 1], [1, 0, 2], [1], [1, 2], [0, 2, 1], []], k: 3)
        XCTAssertEqual(report.count, 6)
        XCTAssertEqual(report.top1Correct, 3)
        XCTAssertEqual(report.accuracy, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.topKAccuracy, 5.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(report.categories[0].precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.categories[1].precision, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(report.categories[1].recall, 1, accuracy: 1e-12)
        XCTAssertEqual(report.categories[1].f1, 0.8, accuracy: 1e-12)
        XCTAssertEqual(report.categories[2].f1, 0)
        XCTAssertEqual(report.macroF1, 1.3 / 3, accuracy: 1e-12)
        XCTAssertEqual(report.confusions.map { "\($0.gold)>\($0.predicted):\($0.count)" }, ["a>b:1", "c>a:1"])
    }

    func testPercentiles() {
        XCTAssertEqual(Percentile.of([UInt64](), 50), 0)
        XCTAssertEqual(Percentile.of([5, 1, 3, 2, 4] as [UInt64], 50), 3)
        XCTAssertEqual(Percentile.of(Array(1...100) as [UInt64], 99), 99)
        XCTAssertEqual(Percentile.of(Array(1...1000) as [UInt64], 99), 990)
    }

    /// End to end on a tiny, clearly separable set: the matcher is built from the rows like a knowledge
    /// base, and every test phrasing lands on its category.
    func testEvaluatorOnATinyFixture() {
        let train = [
            ("how long does a withdrawal take", "withdraw_time"), ("when will my cash out arrive", "withdraw_time"),
            ("withdrawal still not arrived", "withdraw_time"), ("is there a fee to withdraw", "withdraw_fee"),
            ("how much does withdrawing cost", "withdraw_fee"), ("withdrawal charges", "withdraw_fee"),
            ("I forgot my password", "reset_password"), ("how to reset my login password", "reset_password"),
            ("change password", "reset_password"),
        ].map { LabelledText(text: $0.0, category: $0.1) }
        let test = [
            ("how long until my withdrawal arrives", "withdraw_time"), ("what fee do you charge to withdraw", "withdraw_fee"),
            ("I can't remember my password", "reset_password"), ("what is the weather", "no_such_category"),
        ].map { LabelledText(text: $0.0, category: $0.1) }
        let ticker = Ticker()
        let outcome = Evaluator(clock: { ticker.tick() }).evaluate(train: train, test: test)
        XCTAssertEqual(outcome.entryCount, 3)
        XCTAssertEqual(outcome.testCount, 4)
        XCTAssertEqual(outcome.report.top1Correct, 3)
        XCTAssertEqual(outcome.unknownCategories, ["no_such_category"])
        XCTAssertEqual(outcome.latencies.count, 4)
        XCTAssertEqual(outcome.buildNanoseconds, 10)
        XCTAssertEqual(outcome.latencies, [10, 10, 10, 10])
        XCTAssertEqual(outcome.scope.outOfScopeCount, 1, "the row of a category not in training is out of scope")
        XCTAssertEqual(outcome.scope.inScopeCount, 3)
    }

    /// The honesty figures follow the chat's rule for answering outright: the best score at the threshold, and no
    /// second candidate at the threshold within the ambiguity margin.
    func testScopeReportCountsWhatTheChatWouldAnswerOutright() {
        let rows: [ScopeReport.Row] = [
            .init(best: 0.9, second: 0.1, correct: true, inScope: true),     // answered, right
            .init(best: 0.9, second: 0.1, correct: false, inScope: true),    // answered, wrong
            .init(best: 0.5, second: 0.49, correct: true, inScope: true),    // a near tie: a menu, not an answer
            .init(best: 0.3, second: 0.1, correct: true, inScope: true),     // below the threshold
            .init(best: 0.6, second: 0.2, correct: false, inScope: false),   // out of scope, answered: dishonest
            .init(best: 0.2, second: 0.1, correct: false, inScope: false),   // out of scope, declined
        ]
        var configuration = DialogueEngine.Configuration()
        configuration.ambiguityMargin = 0.02
        let report = ScopeReport(rows: rows, configuration: configuration)
        let point = report.point(at: 0.42)
        XCTAssertEqual(point.inScopeAnsweredRight, 0.25, accuracy: 1e-9)
        XCTAssertEqual(point.outOfScopeNotAnswered, 0.5, accuracy: 1e-9)
        XCTAssertEqual(report.point(at: 0.7).outOfScopeNotAnswered, 1)
        XCTAssertEqual(report.point(at: 0.7).inScopeAnsweredRight, 0.25, accuracy: 1e-9)
        XCTAssertEqual(report.sweep.first?.threshold, 0.05)
        XCTAssertEqual(report.sweep.last?.threshold, 0.95)
        // From 0.225 to 0.3: the 0.3 row answered and right, the 0.2 out-of-scope row declined: 0.5 and 0.5.
        XCTAssertEqual(report.balanced?.threshold, 0.225)
        XCTAssertEqual(report.balanced?.inScopeAnsweredRight, 0.5)
        XCTAssertEqual(report.balanced?.outOfScopeNotAnswered, 0.5)
        // Held-out categories: evenly spaced by name, never every category.
        let labelled = (0..<20).flatMap { c in (0..<2).map { LabelledText(text: "t\($0)", category: String(format: "c%02d", c)) } }
        XCTAssertEqual(LabelledData.unseenCategories(labelled, count: 4), ["c02", "c07", "c12", "c17"])
        XCTAssertEqual(LabelledData.unseenCategories(labelled, count: 50).count, 19)
    }

    func testMatchingIsDeterministicAndScoresAreConfidences() {
        let examples: [(entry: Int, text: String)] = [
            (0, "how long does a withdrawal take"), (0, "提现多久到账"), (1, "is there a withdrawal fee"), (1, "提现要手续费吗"),
            (2, "forgot my password"), (2, "忘记密码了"),
        ]
        let a = Matcher(entryCount: 3, examples: examples, extractor: FeatureExtractor())
        let b = Matcher(entryCount: 3, examples: examples, extractor: FeatureExtractor())
        for text in ["withdrawal take how long", "手续费", "password forgot", "完全无关的话", "zzz"] {
            let ra = a.match(text), rb = b.match(text)
            XCTAssertEqual(ra, rb, text)
            for candidate in ra.candidates { XCTAssertTrue((0...1).contains(candidate.score), text) }
            XCTAssertEqual(ra.candidates.map(\.score), ra.candidates.map(\.score).sorted(by: >), text)
        }
        XCTAssertFalse(a.usesLinearModel, "3 entries: similarity")
        XCTAssertEqual(a.match("how long will my withdrawal take").best?.entryIndex, 0)
        XCTAssertEqual(a.match("提现手续费").best?.entryIndex, 1)
        XCTAssertTrue(a.match("zzz qqq").candidates.isEmpty)
        XCTAssertTrue(Matcher(entryCount: 0, examples: [], extractor: FeatureExtractor()).match("hello").candidates.isEmpty)

        var configuration = Matcher.Configuration()
        configuration.minLinearEntries = 2
        let linear = Matcher(entryCount: 3, examples: examples, extractor: FeatureExtractor(), configuration: configuration)
        let again = Matcher(entryCount: 3, examples: examples, extractor: FeatureExtractor(), configuration: configuration)
        XCTAssertTrue(linear.usesLinearModel)
        for text in ["how long will my withdrawal take", "提现手续费", "忘了密码", "完全无关的话"] {
            let result = linear.match(text)
            XCTAssertEqual(result, again.match(text), text)
            for candidate in result.candidates { XCTAssertTrue((0...1).contains(candidate.score), text) }
        }
        XCTAssertEqual(linear.match("how long will my withdrawal take").best?.entryIndex, 0)
        XCTAssertEqual(linear.match("提现手续费").best?.entryIndex, 1)
    }

    /// Both SVM kinds, with IDF over examples or over entries, give the same model for the same examples and
    /// learn a generated knowledge base.
    func testSVMKindsAndEntryIDF() {
        let (knowledge, queries) = SyntheticKnowledge(entries: 50).generate()
        var examples: [(entry: Int, text: String)] = []
        for (index, entry) in knowledge.entries.enumerated() {
            for example in entry.examples { examples.append((index, example.text)) }
        }
        let entryOf = Dictionary(uniqueKeysWithValues: knowledge.entries.enumerated().map { ($1.id, $0) })
        for kind in [Matcher.SVMKind.oneVsRest, .crammerSinger] {
            for examplesPerEntryForEntryIDF: Float in [0, 100] {
                var configuration = Matcher.Configuration()
                configuration.svmKind = kind
                configuration.entryIDFFull = examplesPerEntryForEntryIDF
                configuration.entryIDFNone = examplesPerEntryForEntryIDF
                let a = Matcher(entryCount: 50, examples: examples, extractor: FeatureExtractor(), configuration: configuration)
                let b = Matcher(entryCount: 50, examples: examples, extractor: FeatureExtractor(), configuration: configuration)
                XCTAssertTrue(a.usesLinearModel)
                var right = 0
                for query in queries {
                    let result = a.match(query.text)
                    XCTAssertEqual(result, b.match(query.text), query.text)
                    for candidate in result.candidates { XCTAssertTrue((0...1).contains(candidate.score), query.text) }
                    if result.best?.entryIndex == entryOf[query.category] { right += 1 }
                }
                XCTAssertGreaterThanOrEqual(Double(right) / Double(queries.count), 0.8, "\(kind), \(examplesPerEntryForEntryIDF)")
            }
        }
    }

    func testStemmer() {
        let pairs = ["charged": "charg", "charges": "charg", "charging": "charg", "cancelled": "cancel", "cards": "card",
                     "ponies": "poni", "relational": "relat", "happy": "happi", "verification": "verif", "is": "is", "top": "top", "文字": "文字"]
        for (word, stem) in pairs { XCTAssertEqual(EnglishStemmer.stem(word), stem, word) }
    }

    func testSyntheticKnowledgeIsDeterministic() {
        let a = SyntheticKnowledge(entries: 20).generate(), b = SyntheticKnowledge(entries: 20).generate()
        XCTAssertEqual(a.knowledge.entries, b.knowledge.entries)
        XCTAssertEqual(a.knowledge.entries.count, 20)
        XCTAssertTrue(a.knowledge.entries.allSatisfy { $0.examples.count == 8 })
        XCTAssertEqual(a.queries.count, 40)
    }
}
