import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

/// Monotonic time for the commands that measure (KefuKit itself never reads a clock).
enum MonotonicClock {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func formatDuration(_ nanoseconds: UInt64) -> String {
        let ns = Double(nanoseconds)
        if ns >= 1e9 { return String(format: "%.2f s", ns / 1e9) }
        if ns >= 1e6 { return String(format: "%.1f ms", ns / 1e6) }
        if ns >= 1e3 { return String(format: "%.1f µs", ns / 1e3) }
        return "\(nanoseconds) ns"
    }
}

/// Reads a labelled file (CSV `text,category` or a phrasing table), printing unusable rows with their lines.
func readLabelled(_ path: String, quiet: Bool = false) throws -> [LabelledText] {
    guard let data = FileManager.default.contents(atPath: path) else {
        Console.err("kefu: cannot read \(path)")
        throw ExitCode(1)
    }
    let result = LabelledData.parse(String(decoding: data, as: UTF8.self))
    if !quiet {
        for problem in result.problems.prefix(20) { Console.err("\(path):\(problem.line): warning: \(problem.message) (row skipped)") }
        if result.problems.count > 20 { Console.err("\(path): … \(result.problems.count - 20) more rows skipped") }
    }
    if result.rows.isEmpty {
        Console.err("kefu: \(path) has no usable rows")
        throw ExitCode(1)
    }
    return result.rows
}

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure matching accuracy and speed on labelled phrasings.",
        discussion: """
            Examples:
              kefu eval --train train.csv --test test.csv           # build from a CSV (text,category), test on another
              kefu eval --train train.csv --test test.csv --shots 10  # only the first 10 rows per category
              kefu eval --train train.csv --holdout 5               # tune on every 5th training row per category
              kefu eval --test Tests/Fixtures/phrasings.tsv         # the knowledge base against labelled phrasings
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Option(name: .long, help: ArgumentHelp("Training CSV with a header naming 'text' and 'category' columns; without it the knowledge base is evaluated.", valueName: "FILE"))
    var train: String?

    @Option(name: .long, help: ArgumentHelp("Labelled test phrasings: CSV (text,category) or a table of entry-id<TAB>lang<TAB>phrasing.", valueName: "FILE"))
    var test: String?

    @Option(name: .long, help: ArgumentHelp("Use only the first N training rows of each category, in file order.", valueName: "N"))
    var shots: Int?

    @Option(name: .long, help: ArgumentHelp("Instead of a test file, hold out every K-th training row of each category and test on those.", valueName: "K"))
    var holdout: Int?

    @Option(name: .long, parsing: .upToNextOption, help: .hidden)
    var set: [String] = []

    @Option(name: .long, help: ArgumentHelp("Instead of a test file, hold out N training rows of each category (evenly spaced) and test on those.", valueName: "N"))
    var holdoutEach: Int?

    @Option(name: .long, help: ArgumentHelp("Leave N categories (evenly spaced by name) out of training: their test rows are out of scope, for the honesty figures.", valueName: "N"))
    var unseen: Int?

    @Flag(name: .long, help: "Also print precision, recall and F1 per category.")
    var detail = false

    @Flag(name: .long, help: "Print one JSON object instead of the table.")
    var json = false

    func validate() throws {
        if test == nil && holdout == nil && holdoutEach == nil { throw ValidationError("give --test FILE (or --holdout K with --train)") }
        if holdout != nil && train == nil { throw ValidationError("--holdout needs --train") }
        if let holdout, holdout < 2 { throw ValidationError("--holdout must be at least 2") }
        if let shots, shots < 1 { throw ValidationError("--shots must be at least 1") }
        if let unseen, unseen < 1 || train == nil { throw ValidationError("--unseen needs --train and a count of at least 1") }
        if train != nil && knowledgeOptions.knowledge != nil { throw ValidationError("give either --train or --knowledge, not both") }
    }

    func run() throws {
        var evaluator = Evaluator(clock: MonotonicClock.now)
        if !set.isEmpty {
            var tuning = Evaluator.Tuning()
            let unknown = tuning.apply(set.filter { !applyMatcherSetting($0, to: &tuning) })
            if !unknown.isEmpty { throw ValidationError("unknown --set: \(unknown.joined(separator: " "))") }
            evaluator.tuning = tuning
        }
        let outcome: Evaluator.Outcome
        let source: String
        var testName = test.map { ($0 as NSString).lastPathComponent } ?? ""
        var unseenNames: [String] = []
        if let train {
            var rows = try readLabelled(train, quiet: json)
            var testRows: [LabelledText]
            if let holdout {
                (rows, testRows) = LabelledData.holdOut(rows, every: holdout)
                testName = "every \(holdout)th row of \((train as NSString).lastPathComponent)"
            } else if let holdoutEach {
                (rows, testRows) = LabelledData.holdOutBalanced(rows, perCategory: holdoutEach)
                testName = "\(holdoutEach) rows per category of \((train as NSString).lastPathComponent)"
            } else {
                testRows = try readLabelled(test!, quiet: json)
            }
            if let shots { rows = LabelledData.firstShots(rows, perCategory: shots) }
            if let unseen {
                let left = LabelledData.unseenCategories(rows, count: unseen)
                rows.removeAll { left.contains($0.category) }
                unseenNames = left.sorted()
            }
            source = (train as NSString).lastPathComponent + (shots.map { " (first \($0) per category)" } ?? "")
            outcome = evaluator.evaluate(train: rows, test: testRows)
        } else {
            let loaded = try knowledgeOptions.load()
            let testRows = try readLabelled(test!, quiet: json)
            source = loaded.knowledge.root
            outcome = evaluator.evaluate(knowledge: loaded.knowledge, test: testRows)
        }
        if json {
            Console.out(jsonText(outcome, source: source, testName: testName, unseen: unseenNames))
        } else {
            printTable(outcome, source: source, testName: testName, unseen: unseenNames)
        }
    }

    /// Matcher settings `Evaluator.Tuning` does not know yet; true when `setting` was one of them.
    private func applyMatcherSetting(_ setting: String, to tuning: inout Evaluator.Tuning) -> Bool {
        let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let value = Double(parts[1]) else { return false }
        let f = Float(value)
        switch parts[0] {
        case "cs": tuning.matcher.svmKind = value != 0 ? .crammerSinger : .oneVsRest
        case "eidffull": tuning.matcher.entryIDFFull = f
        case "eidfnone": tuning.matcher.entryIDFNone = f
        default: return false
        }
        return true
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }

    private func printTable(_ outcome: Evaluator.Outcome, source: String, testName: String, unseen: [String]) {
        let report = outcome.report
        let style = Style.detect(fileDescriptor: 1, disabledByFlag: knowledgeOptions.noColor)
        Console.out(style.bold("Built from \(source): \(outcome.entryCount) entries, \(outcome.exampleCount) examples, \(outcome.featureCount) features (\(outcome.usesLinearModel ? "linear model" : "similarity")); tested on \(testName): \(report.count) phrasings"))
        Console.out("  top-1 accuracy    \(percent(report.accuracy))  (\(report.top1Correct)/\(report.count))"
                    + (outcome.scope.outOfScopeCount > 0 ? "  (out-of-scope rows count as errors here)" : ""))
        Console.out("  top-\(report.k) accuracy    \(percent(report.topKAccuracy))")
        Console.out("  macro-F1          \(String(format: "%.2f", report.macroF1 * 100))")
        Console.out("  build time        \(MonotonicClock.formatDuration(outcome.buildNanoseconds))")
        Console.out("  latency / query   median \(MonotonicClock.formatDuration(outcome.latencyMedian)), p99 \(MonotonicClock.formatDuration(outcome.latencyP99))")
        let configuration = DialogueEngine.Configuration()
        for (name, threshold) in [("answer", configuration.answerThreshold), ("clarify", configuration.clarifyThreshold)] {
            let (rate, accuracy) = outcome.answered(at: threshold)
            Console.out("  score ≥ \(String(format: "%.2f", threshold)) (\(name))  \(percent(rate)) of phrasings, \(percent(accuracy)) of them right")
        }
        let scope = outcome.scope
        if scope.outOfScopeCount > 0 {
            // Rows of categories not in training: what Kefu does not know, and whether it says so.
            let names = unseen.isEmpty ? outcome.unknownCategories : unseen
            Console.out(style.bold("Out of scope: \(scope.outOfScopeCount) test phrasings of \(names.count) categories not in training (\(names.prefix(6).joined(separator: ", "))\(names.count > 6 ? ", …" : ""))"))
            let point = scope.point(at: configuration.answerThreshold)
            Console.out("  at the chat's answer threshold \(String(format: "%.2f", point.threshold)): in scope \(percent(point.inScopeAnsweredRight)) answered outright and right, out of scope \(percent(point.outOfScopeNotAnswered)) not answered outright")
            if let balanced = scope.balanced {
                Console.out("  best balance on this test: \(String(format: "%.3f", balanced.threshold)): \(percent(balanced.inScopeAnsweredRight)) and \(percent(balanced.outOfScopeNotAnswered)) (choose thresholds on a training split: --holdout; the sweep is in --json)")
            }
        }
        if !report.confusions.isEmpty {
            Console.out(style.bold("Most confused (expected → predicted):"))
            for confusion in report.confusions.prefix(10) {
                Console.out("  \(String(confusion.count).leftPad(4))  \(confusion.gold) → \(confusion.predicted)")
            }
        }
        if detail {
            Console.out(style.bold("Per category:"))
            Console.out("  precision  recall     F1  support  category")
            for score in report.categories.sorted(by: { $0.f1 != $1.f1 ? $0.f1 < $1.f1 : $0.name < $1.name }) where score.support > 0 || score.predicted > 0 {
                Console.out("  " + [score.precision, score.recall, score.f1].map { String(format: "%.3f", $0).leftPad(9) }.joined(separator: " ")
                            + "  " + String(score.support).leftPad(7) + "  " + score.name)
            }
        }
    }

    private func jsonText(_ outcome: Evaluator.Outcome, source: String, testName: String, unseen: [String]) -> String {
        let report = outcome.report
        let configuration = DialogueEngine.Configuration()
        let answer = outcome.answered(at: configuration.answerThreshold)
        let clarify = outcome.answered(at: configuration.clarifyThreshold)
        var object: [String: Any] = [
            "source": source, "test": testName, "entries": outcome.entryCount, "examples": outcome.exampleCount,
            "test_count": report.count, "features": outcome.featureCount, "model": outcome.usesLinearModel ? "linear" : "similarity", "top1_accuracy": report.accuracy, "top3_accuracy": report.topKAccuracy,
            "macro_f1": report.macroF1, "build_ms": Double(outcome.buildNanoseconds) / 1e6,
            "latency_us": ["median": Double(outcome.latencyMedian) / 1e3, "p99": Double(outcome.latencyP99) / 1e3],
            "answer_threshold": ["threshold": configuration.answerThreshold, "rate": answer.rate, "accuracy": answer.accuracy],
            "clarify_threshold": ["threshold": configuration.clarifyThreshold, "rate": clarify.rate, "accuracy": clarify.accuracy],
            "confused": report.confusions.prefix(10).map { ["expected": $0.gold, "predicted": $0.predicted, "count": $0.count] as [String: Any] },
            "unknown_categories": outcome.unknownCategories,
        ]
        if let shots { object["shots"] = shots }
        let scope = outcome.scope
        if scope.outOfScopeCount > 0 {
            let point = { (p: ScopeReport.Point) -> [String: Any] in
                ["threshold": p.threshold, "in_scope_answered_right": p.inScopeAnsweredRight, "out_of_scope_not_answered": p.outOfScopeNotAnswered]
            }
            var out: [String: Any] = [
                "in_scope": scope.inScopeCount, "out_of_scope": scope.outOfScopeCount,
                "categories": unseen.isEmpty ? outcome.unknownCategories : unseen,
                "at_answer_threshold": point(scope.point(at: configuration.answerThreshold)),
                "sweep": scope.sweep.map(point),
            ]
            if let balanced = scope.balanced { out["balanced"] = point(balanced) }
            object["scope"] = out
        }
        if detail {
            object["best_scores"] = outcome.bestScores.map { [$0.score, $0.correct ? 1 : 0] }
            object["categories"] = report.categories.filter { $0.support > 0 || $0.predicted > 0 }.map {
                ["category": $0.name, "precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] as [String: Any]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
