import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

/// `kefu simulate`: whole advice conversations with simulated customers, the trainers' regression tool.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play simulated customers through the advice conversation and check what each is offered (exit 1 on any mismatch).",
        discussion: """
            A simulation file lists customers ([id] blocks): intent, opening, an answer per fact in the customer's
            own words (age, income, occupation, goal, horizon, loss, experience, amount), facts: (what the answers
            mean) and expect: (C1…C5, 'loan <product id>', 'no product', or 'person' when a large amount
            goes to an adviser). Kefu plays each conversation, and
            whatever fact it asks for is answered with the customer's answer for that fact.
            A customer passes when Kefu offers what is expected, holds every fact as meant, never says it did not
            understand, and asks no question three times.
            Examples:
              kefu simulate simulations/dev/              # tune on these
              kefu simulate simulations/heldout/ --json   # report these
              kefu simulate simulations/dev/zh.txt --verbose
              kefu simulate new-customers.txt --fill-expect   # write expect: from facts: where missing
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Argument(help: ArgumentHelp("Simulation files or folders of .txt files.", valueName: "FILE|DIR"))
    var paths: [String]

    @Flag(name: .long, help: "Print every conversation, not only failures.")
    var verbose = false

    @Flag(name: .long, help: "One JSON object per customer, then a summary object.")
    var json = false

    @Flag(name: .long, help: "Read each word answer alone, as the answer to its own question, and list the misreads (the reader's accuracy).")
    var answers = false

    @Flag(name: .long, help: "Add expect: lines computed from facts: by the suitability rules where a customer has none (read them over).")
    var fillExpect = false

    func run() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one simulation file or folder") }
        let knowledge = try knowledgeOptions.load().knowledge
        guard knowledge.canRecommend else { throw ValidationError("this knowledge folder has no products or suitability rules to simulate") }
        let runner = SimulationRunner(engine: DialogueEngine(knowledge: knowledge))
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw ValidationError("no such file or folder: \(path)") }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".txt") }.sorted()
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        var results: [SimulationRunner.Result] = []
        var readings: [SimulationRunner.AnswerReading] = []
        var broken = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let text = String(decoding: data, as: UTF8.self)
            var diagnostics = DiagnosticsEngine()
            let simulation = Simulation.parse(BlockFile.parse(text, path: file, diagnostics: &diagnostics), diagnostics: &diagnostics)
            for diagnostic in diagnostics.diagnostics { Console.err(diagnostic.description) }
            broken = broken || diagnostics.hasErrors
            if fillExpect {
                try Self.fillExpectations(file: file, text: text, simulation: simulation, runner: runner)
                continue
            }
            if answers {
                readings += simulation.customers.flatMap { runner.readAnswers($0) }
                continue
            }
            for customer in simulation.customers {
                if customer.expect == nil { Console.err("\(file):\(customer.line): warning: customer '\(customer.id)' has no expect: (checked against facts: only)") }
                results.append(runner.run(customer))
            }
        }
        if fillExpect { return }
        if answers {
            for reading in readings where !reading.right {
                Console.out("\(reading.customer) \(reading.fact.rawValue): \(TerminalSafe.text(reading.answer)) -> \(reading.skipped ? "skip" : reading.read?.description ?? "nothing"), meant \(reading.meant)")
            }
            let right = readings.filter(\.right).count
            Console.out("\(right)/\(readings.count) answers read right alone (\(Self.percent(right, readings.count)))")
            return
        }
        let passed = results.filter(\.passed).count
        if json {
            for result in results { Console.out(Self.json(result)) }
            Console.out(JSONText.object([("customers", "\(results.count)"), ("passed", "\(passed)"),
                                         ("notUnderstood", "\(results.reduce(0) { $0 + $1.notUnderstood.count })"),
                                         ("repeatedQuestions", "\(results.reduce(0) { $0 + $1.repeated.count })"),
                                         ("wellbeingChecks", "\(results.reduce(0) { $0 + $1.checkedIn.count })")]))
        } else {
            for result in results where verbose || !result.passed { print(result) }
            let lines = results.reduce(0) { $0 + $1.lines }
            Console.out("\(passed)/\(results.count) customers passed (\(Self.percent(passed, results.count))); \(lines) customer lines; "
                        + "\(results.reduce(0) { $0 + $1.notUnderstood.count }) not understood; \(results.reduce(0) { $0 + $1.repeated.count }) questions asked three times; "
                        + "\(results.reduce(0) { $0 + $1.checkedIn.count }) wellbeing checks")
        }
        if broken || passed < results.count { throw ExitCode(1) }
    }

    private func print(_ result: SimulationRunner.Result) {
        let customer = result.customer
        let got = (result.outcome?.description ?? "nothing offered") + (result.answeredBy.map { " (answered: \($0))" } ?? "")
        Console.out("\(result.passed ? "PASS" : "FAIL") \(customer.id) (\(customer.file):\(customer.line)): expected \(result.expected), got \(got) in \(result.lines) lines")
        for line in result.notUnderstood { Console.out("  not understood: " + TerminalSafe.text(line)) }
        for fact in result.repeated { Console.out("  asked three times or more: \(fact.rawValue)") }
        for wrong in result.wrongFacts { Console.out("  wrong fact: " + wrong) }
        for rule in result.escalated { Console.out("  escalated: \(rule)") }
        for line in result.checkedIn { Console.out("  asked whether all right after: " + TerminalSafe.text(line)) }
        for fact in result.unanswerable { Console.out("  asked for \(fact.rawValue), which the customer has no answer for") }
        if verbose || !result.passed {
            for line in result.transcript { Console.out("    " + TerminalSafe.text(line)) }
        }
    }

    static func percent(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.1f%%", Double(a) * 100 / Double(b)) }

    static func json(_ result: SimulationRunner.Result) -> String {
        JSONText.object([
            ("id", JSONText.string(result.customer.id)), ("file", JSONText.string(result.customer.file)), ("line", "\(result.customer.line)"),
            ("passed", result.passed ? "true" : "false"), ("expected", JSONText.string(result.expected.description)),
            ("got", result.outcome.map { JSONText.string($0.description) } ?? "null"),
            ("answeredBy", result.answeredBy.map(JSONText.string) ?? "null"), ("lines", "\(result.lines)"),
            ("notUnderstood", "[" + result.notUnderstood.map(JSONText.string).joined(separator: ",") + "]"),
            ("repeated", "[" + result.repeated.map { JSONText.string($0.rawValue) }.joined(separator: ",") + "]"),
            ("wrongFacts", "[" + result.wrongFacts.map(JSONText.string).joined(separator: ",") + "]"),
            ("escalated", "[" + result.escalated.map(JSONText.string).joined(separator: ",") + "]"),
            ("wellbeingChecks", "[" + result.checkedIn.map(JSONText.string).joined(separator: ",") + "]"),
        ])
    }

    /// Writes `expect:` after `facts:` for each customer without one (from the facts, by the suitability rules).
    static func fillExpectations(file: String, text: String, simulation: Simulation, runner: SimulationRunner) throws {
        var lines = text.components(separatedBy: "\n")
        var added = 0
        for customer in simulation.customers.sorted(by: { $0.factsLine > $1.factsLine }) where customer.expect == nil {
            lines.insert("expect: \(runner.expectation(for: customer))", at: customer.factsLine)
            added += 1
        }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        Console.out("\(file): \(added) expect: line(s) added")
    }
}
