import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay transcripts: print the conversation, check it against the expected replies, or update them.",
        discussion: """
            Examples:
              kefu replay transcripts/withdrawal-zh.txt          # print the conversation
              kefu replay --check transcripts/                   # every .txt in the folder; exit 1 on any differing reply
              kefu replay --update transcripts/withdrawal-zh.txt # rewrite the expected replies
              kefu replay --json transcripts/withdrawal-zh.txt   # one JSON object per turn
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Compare every Kefu line with the expected one; print a diff and exit 1 on a mismatch.")
    var check = false

    @Flag(name: .long, help: "Rewrite the expected Kefu lines in the files with the replies given now.")
    var update = false

    @Flag(name: .long, help: "Print one JSON object per turn.")
    var json = false

    @Argument(help: ArgumentHelp("Transcript files, or folders (their .txt files, in name order).", valueName: "FILE"))
    var arguments: [String]

    /// The transcripts named, with each folder replaced by its .txt files.
    var files: [String] {
        arguments.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                  let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
            return names.filter { $0.hasSuffix(".txt") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
    }

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("give at least one transcript file") }
        if check && update { throw ValidationError("--check and --update cannot be used together") }
    }

    func run() throws {
        let files = self.files
        if files.isEmpty {
            Console.err(TerminalSafe.text("kefu: no transcripts (.txt) in \(arguments.joined(separator: ", "))"))
            throw ExitCode(1)
        }
        let loaded = try knowledgeOptions.load()
        let replayer = TranscriptReplayer(engine: DialogueEngine(knowledge: loaded.knowledge))
        let rehearsal = RehearsalReplayer(engine: RehearsalEngine(knowledge: loaded.knowledge))
        let style = Style.detect(fileDescriptor: 1, disabledByFlag: knowledgeOptions.noColor)
        // Replays are written to a database only when --db names one.
        let observer = storeOptions.replayObserver(noColor: knowledgeOptions.noColor)
        var failedFiles = 0
        var mismatches = 0
        var turns = 0
        for path in files {
            guard let text = readText(path) else { failedFiles += 1; continue }
            if RehearsalTranscript.isRehearsal(text) {
                // A rehearsal (`# persona:`, agent>/customer>): replayed through the simulated customer.
                let result = replayRehearsal(text, path: path, rehearsal: rehearsal, style: style, observer: observer, many: files.count > 1)
                turns += result.turns
                mismatches += result.mismatches
                failedFiles += result.failed
                continue
            }
            let outcome = replayer.replay(Transcript.parse(text), file: path)
            turns += outcome.records.count
            observer?.record(replayed: outcome.records, effects: outcome.effects)
            if json {
                for record in outcome.records { Console.out(record.jsonLine) }
            } else if check {
                report(path, mismatches: outcome.mismatches.map(\.description), turns: "\(outcome.replies.count) turns", style: style)
                mismatches += outcome.mismatches.count
            } else if update {
                if !write(path, outcome.updated.text, changed: outcome.mismatches.count, unit: "replies") { failedFiles += 1 }
            } else {
                if files.count > 1 { Console.out(style.bold(TerminalSafe.text("# \(path)"))) }
                for record in outcome.records {
                    Console.out(Transcript.customerPrefix + TerminalSafe.text(record.input))
                    Console.out(TerminalSafe.text(Transcript.formatReply(record.reply)))
                }
            }
        }
        if check {
            Console.out("\(files.count) transcript(s), \(turns) turns, \(mismatches) mismatch(es)")
        }
        if failedFiles > 0 || mismatches > 0 { throw ExitCode(1) }
    }

    /// `--check`, `--update`, `--json` or print for one rehearsal transcript.
    private func replayRehearsal(_ text: String, path: String, rehearsal: RehearsalReplayer, style: Style,
                                 observer: StoreObserver?, many: Bool) -> (turns: Int, mismatches: Int, failed: Int) {
        let transcript = RehearsalTranscript.parse(text)
        let outcome = rehearsal.replay(transcript, file: path)
        if let card = outcome.scorecard { observer?.record(rehearsal: outcome.steps, opening: outcome.opening, scorecard: card, seed: transcript.seed) }
        if json {
            if let card = outcome.scorecard, let data = try? JSONEncoder.rehearsalEncoder.encode(card) { Console.out(String(decoding: data, as: UTF8.self)) }
        } else if check {
            report(path, mismatches: outcome.mismatches.map(\.description), turns: "rehearsal, \(outcome.turns) turns", style: style)
            return (outcome.turns, outcome.mismatches.count, 0)
        } else if update {
            if !write(path, outcome.updated.text, changed: outcome.mismatches.count, unit: "lines") { return (outcome.turns, 0, 1) }
        } else {
            if many { Console.out(style.bold(TerminalSafe.text("# \(path)"))) }
            Console.out(TerminalSafe.text(outcome.updated.text.trimmingCharacters(in: .newlines)))
        }
        return (outcome.turns, 0, 0)
    }

    /// `--check` for one transcript, chat or rehearsal: each mismatch, then an ok/FAIL line.
    private func report(_ path: String, mismatches: [String], turns: String, style: Style) {
        for mismatch in mismatches { Console.out(style.red(TerminalSafe.text(mismatch))) }
        let mark = mismatches.isEmpty ? style.green("ok  ") : style.red("FAIL")
        Console.out("\(mark) \(TerminalSafe.text(path)) (\(turns)\(mismatches.isEmpty ? "" : ", \(mismatches.count) differ"))")
    }

    /// `--update` for one transcript: rewrites it when something changed; false when it cannot be written.
    private func write(_ path: String, _ text: String, changed: Int, unit: String) -> Bool {
        guard changed > 0 else {
            Console.out(TerminalSafe.text("unchanged \(path)"))
            return true
        }
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            Console.out(TerminalSafe.text("updated \(path)") + " (\(changed) \(unit))")
            return true
        } catch {
            Console.err(TerminalSafe.text("kefu: cannot write \(path): \(error.localizedDescription)"))
            return false
        }
    }

    private func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            Console.err(TerminalSafe.text("kefu: cannot read transcript \(path)"))
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
}
