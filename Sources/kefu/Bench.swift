import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark knowledge loading, per-turn latency, replay throughput and peak memory (use a release build).",
        discussion: """
            Scenarios, each in its own process so peak memory is its own: the shipped knowledge, BANKING77's
            training set (when found), and a generated knowledge base of --synthetic N entries × 8 examples.
            Then the time one turn's write to SQLite takes (--store-turns writes to a fresh database in a
            temporary folder). Nothing is written to your own database or history.
            Examples:
              swift run -c release kefu bench
              kefu bench --synthetic 2000 --json
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Option(name: .long, help: ArgumentHelp("Entries in the generated knowledge base (0 to skip).", valueName: "N"))
    var synthetic: Int = 10_000

    @Option(name: .long, help: ArgumentHelp("BANKING77 train.csv (default: ../shared/datasets/banking77/train.csv if present).", valueName: "FILE"))
    var banking77: String?

    @Option(name: .long, help: ArgumentHelp("Turns in the replay-throughput run (at least).", valueName: "N"))
    var turns: Int = 20_000

    @Option(name: .long, help: ArgumentHelp("Golden transcripts replayed and checked for the shipped knowledge's throughput (default: transcripts/ next to the knowledge).", valueName: "DIR"))
    var transcripts: String?

    @Option(name: .long, help: ArgumentHelp("Turns written to a fresh SQLite database to time one turn's write (0 to skip).", valueName: "N"))
    var storeTurns: Int = 1_000

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    @Option(name: .long, help: .hidden)
    var only: String?

    func run() throws {
        if let only {
            let result = try runScenario(only)
            Console.out(Bench.jsonLine(result))
            return
        }
        var rows: [[String: Any]] = []
        var scenarios = ["shipped"]
        if banking77Path() != nil { scenarios.append("banking77") } else if !json { Console.err("kefu bench: BANKING77 not found; use --banking77 FILE (skipped)") }
        if synthetic > 0 { scenarios.append("synthetic") }
        for scenario in scenarios {
            guard var row = try child(scenario) else { continue }
            if scenario == "shipped" { row["start_to_exit_ms"] = startToExit() }
            rows.append(row)
        }
        var storeWrites: StoreBenchmark.Result?
        if storeTurns > 0 {
            do {
                storeWrites = try StoreBenchmark.turnWrites(turns: storeTurns)
            } catch {
                Console.err("kefu bench: the store scenario failed: \(error)")
            }
        }
        if json {
            var object: [String: Any] = ["scenarios": rows, "machine": Bench.machine()]
            if let storeWrites {
                object["store_turn_write_us"] = ["p50": storeWrites.median * 1e6, "p90": storeWrites.p90 * 1e6,
                                                 "p99": storeWrites.p99 * 1e6, "turns": storeWrites.count]
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
        } else {
            printTable(rows)
            if let storeWrites {
                Console.out("Store (SQLite in WAL mode, one transaction per turn, masked), \(storeWrites)")
            }
        }
        let mismatches = rows.reduce(0) { $0 + ($1["replay_mismatches"] as? Int ?? 0) }
        if mismatches > 0 {
            Console.err("kefu bench: \(mismatches) replayed replies differ from the golden transcripts (kefu replay --check shows them)")
            throw ExitCode(1)
        }
    }

    // MARK: scenarios (in the child process)

    private func runScenario(_ name: String) throws -> [String: Any] {
        let benchmark = Benchmark(clock: MonotonicClock.now)
        let result: Benchmark.Result
        switch name {
        case "shipped":
            let root = try KnowledgeLocator.locate(explicit: knowledgeOptions.knowledge)
            let lines = Bench.customerLines(KnowledgeLoader().load(from: root).knowledge)
            let directory = transcripts.map { URL(fileURLWithPath: $0) } ?? root.deletingLastPathComponent().appendingPathComponent("transcripts")
            result = benchmark.run(name: "shipped knowledge", load: { KnowledgeLoader().load(from: root).knowledge }, lines: lines,
                                   transcripts: Bench.goldenTranscripts(in: directory), replayTurns: turns)
        case "banking77":
            guard let path = banking77Path() else { throw ValidationError("BANKING77 not found") }
            let testPath = (path as NSString).deletingLastPathComponent + "/test.csv"
            var lines: [String] = []
            if let data = FileManager.default.contents(atPath: testPath) {
                lines = LabelledData.parse(String(decoding: data, as: UTF8.self)).rows.map(\.text)
            }
            let load: () -> KnowledgeBase = {
                let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
                return KnowledgeImporter().makeKnowledge(LabelledData.parse(text).rows).knowledge
            }
            if lines.isEmpty { lines = Bench.customerLines(load()) }
            result = benchmark.run(name: "BANKING77 train", load: load, lines: lines, replayTurns: turns)
        case "synthetic":
            let generated = SyntheticKnowledge(entries: synthetic).generate()
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-bench-\(getpid())")
            defer { try? FileManager.default.removeItem(at: root) }
            let shipped = try KnowledgeLocator.locate(explicit: knowledgeOptions.knowledge)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("faq"), withIntermediateDirectories: true)
            try SyntheticKnowledge.faqFile(generated.knowledge).write(to: root.appendingPathComponent("faq/synthetic.txt"), atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(at: shipped.appendingPathComponent("messages.txt"), to: root.appendingPathComponent("messages.txt"))
            result = benchmark.run(name: "synthetic \(synthetic) × 8", load: { KnowledgeLoader().load(from: root).knowledge },
                                   lines: generated.queries.map(\.text), replayTurns: turns)
        default:
            throw ValidationError("unknown scenario \(name)")
        }
        return Bench.row(result, scenario: name)
    }

    /// Customer-like lines from a knowledge base: every example, shortened by its last word or character
    /// so that none is an exact copy, plus a few lines no entry answers.
    static func customerLines(_ knowledge: KnowledgeBase) -> [String] {
        var lines: [String] = []
        for entry in knowledge.entries {
            for example in entry.examples {
                var text = example.text
                if let space = text.lastIndex(of: " ") { text = String(text[..<space]) } else if text.count > 3 { text.removeLast() }
                lines.append(text)
            }
        }
        lines += ["what's the weather tomorrow", "明天天气怎么样", "asdf qwer", "谢谢", "1"]
        return lines
    }

    /// The chat transcripts of a folder (rehearsals, replayed through another engine, are left out).
    static func goldenTranscripts(in directory: URL) -> [Transcript] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            return RehearsalTranscript.isRehearsal(text) ? nil : Transcript.parse(text)
        }
    }

    static func row(_ result: Benchmark.Result, scenario: String) -> [String: Any] {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return [
            "scenario": scenario, "name": result.name, "entries": result.entries, "examples": result.examples,
            "load_ms": Double(result.loadNanoseconds) / 1e6, "build_ms": Double(result.buildNanoseconds) / 1e6,
            "load_build_ms": Double(result.loadNanoseconds &+ result.buildNanoseconds) / 1e6,
            "turn_us": ["p50": Double(result.p50) / 1e3, "p99": Double(result.p99) / 1e3, "max": Double(result.max) / 1e3],
            "measured_turns": result.turnLatencies.count,
            "replay_turns": result.replayTurns, "turns_per_second": result.turnsPerSecond,
            "replay_transcripts": result.replayTranscripts, "replay_mismatches": result.replayMismatches,
            "peak_memory_mb": Double(usage.ru_maxrss) / 1024,
        ]
    }

    static func jsonLine(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func machine() -> String {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() } ?? "" } ?? machine
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    // MARK: the parent

    private func banking77Path() -> String? {
        if let banking77 { return FileManager.default.fileExists(atPath: banking77) ? banking77 : nil }
        let fm = FileManager.default
        var candidates = [fm.currentDirectoryPath + "/../shared/datasets/banking77/train.csv"]
        if let root = try? KnowledgeLocator.locate(explicit: knowledgeOptions.knowledge) {
            candidates.append(root.deletingLastPathComponent().deletingLastPathComponent().path + "/shared/datasets/banking77/train.csv")
        }
        return candidates.first { fm.fileExists(atPath: $0) }.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    private static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private func child(_ scenario: String) throws -> [String: Any]? {
        var arguments = ["bench", "--only", scenario, "--synthetic", String(max(synthetic, 1)), "--turns", String(turns)]
        if let knowledge = knowledgeOptions.knowledge { arguments += ["--knowledge", knowledge] }
        if let path = banking77Path() { arguments += ["--banking77", path] }
        if let transcripts { arguments += ["--transcripts", transcripts] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Bench.executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            Console.err("kefu bench: the \(scenario) scenario failed (exit \(process.terminationStatus))")
            return nil
        }
        return object
    }

    /// `kefu` with no input: load the knowledge, open the database, print the welcome and prompt, exit at
    /// end of input. Best of 5, from spawning to the child's exit status, with posix_spawn and waitpid:
    /// Foundation's Process adds its own thread and run-loop wake-up (about 20 ms here) to what is
    /// measured. The child's data and state folders are a temporary folder, so the user's database and
    /// history are left alone (the first run creates the database, the best of 5 opens an existing one).
    private func startToExit() -> Double {
        let arguments = [Bench.executable] + (knowledgeOptions.knowledge.map { ["--knowledge", $0] } ?? [])
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-bench-home-\(getpid())")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = home.appendingPathComponent("data").path
        environment["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var best = Double.infinity
        for _ in 0..<5 {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            for descriptor in Int32(0)...2 {
                posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
            }
            let argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let start = MonotonicClock.now()
            guard posix_spawn(&pid, Bench.executable, &actions, nil, argv, envp) == 0 else { return 0 }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            best = min(best, Double(MonotonicClock.now() - start) / 1e6)
        }
        return best
    }

    private func printTable(_ rows: [[String: Any]]) {
        func number(_ row: [String: Any], _ key: String) -> Double { row[key] as? Double ?? Double(row[key] as? Int ?? 0) }
        func turn(_ row: [String: Any], _ key: String) -> Double { (row["turn_us"] as? [String: Any])?[key] as? Double ?? 0 }
        Console.out("Machine: \(Bench.machine())")
        let header = ["scenario", "entries", "examples", "load+build", "turn p50", "turn p99", "turn max", "replay turns/s", "peak memory"]
        var table = [header]
        for row in rows {
            table.append([
                row["name"] as? String ?? "", String(row["entries"] as? Int ?? 0), String(row["examples"] as? Int ?? 0),
                String(format: "%.0f ms", number(row, "load_build_ms")),
                String(format: "%.0f µs", turn(row, "p50")), String(format: "%.0f µs", turn(row, "p99")), String(format: "%.1f ms", turn(row, "max") / 1000),
                String(format: "%.0f", number(row, "turns_per_second")), String(format: "%.0f MB", number(row, "peak_memory_mb")),
            ])
        }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for (k, line) in table.enumerated() {
            Console.out(line.enumerated().map { $0.offset == 0 ? $0.element.padding(toLength: widths[0], withPad: " ", startingAt: 0) : $0.element.leftPad(widths[$0.offset]) }.joined(separator: "  "))
            if k == 0 { Console.out(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        for row in rows {
            if let start = row["start_to_exit_ms"] as? Double {
                Console.out(String(format: "Start to prompt (kefu < /dev/null, start to exit, best of 5): %.0f ms", start))
            }
        }
        for row in rows {
            let transcripts = row["replay_transcripts"] as? Int ?? 0
            let source = transcripts > 0
                ? "replays \(transcripts) golden transcripts, checked: \(row["replay_mismatches"] as? Int ?? 0) mismatching replies"
                : "replays its customer lines as one conversation"
            Console.out(String(format: "%@: load %.0f ms, build %.0f ms; ", row["name"] as? String ?? "", number(row, "load_ms"), number(row, "build_ms")) + source)
        }
    }
}
