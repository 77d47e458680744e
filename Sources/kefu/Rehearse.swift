import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Rehearse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trainer mode: Kefu plays a customer, you play the agent, and get a scorecard.",
        discussion: """
            Examples:
              kefu rehearse                                    # a persona picked by a random seed, in Chinese
              kefu rehearse --persona cautious-retiree --lang en --coach
              kefu rehearse --persona p2p-victim --seed 7 --record me.txt
              printf '您好\\n/end\\n' | kefu rehearse --persona young-office-worker
              kefu rehearse --score class/*.txt                # score recorded rehearsals, with a summary table
              kefu rehearse --list                             # the personas

            Inside: /hint shows the script's recommended move, /profile the customer, /end ends with the scorecard.
            A recorded rehearsal (# persona / agent> / customer> / score>) replays with `kefu replay --check`;
            each /hint is kept (`agent> /hint` and a `# hint:` line) and counted on the scorecard.

            Rehearsals are stored like chats (mode "rehearse": every line as it happens, then the scorecard) in
            $XDG_DATA_HOME/kefu/kefu.sqlite, or --db PATH; --no-store keeps nothing. `kefu stats` shows the
            averages per skill. --score stores the scored transcripts only when --db is given.
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @OptionGroup var storeOptions: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The persona to rehearse with (see --list).", valueName: "ID"))
    var persona: String?

    @Option(name: .long, help: ArgumentHelp("The customer's language: zh or en.", valueName: "LANG"))
    var lang: String = "zh"

    @Option(name: .long, help: ArgumentHelp("Seed for the customer's wording (and the persona when none is named).", valueName: "N"))
    var seed: UInt64?

    @Flag(name: .long, help: "Show feedback after every line.")
    var coach = false

    @Flag(name: .long, help: "JSON output: one object per line and the scorecard (with --score: one scorecard per file).")
    var json = false

    @Flag(name: .long, help: "List the personas and exit.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Write the rehearsal transcript to this file at the end.", valueName: "FILE"))
    var record: String?

    @Flag(name: .long, help: "Score recorded rehearsal transcripts (the FILE arguments) instead of rehearsing.")
    var score = false

    @Flag(name: .long, help: "Judge labelled trainee lines (the FILE arguments: language<TAB>judgements<TAB>line) and report agreement per judgement.")
    var judge = false

    @Flag(name: .long, help: "With --judge: also list every line judged wrongly.")
    var detail = false

    @Argument(help: ArgumentHelp("Rehearsal transcripts to score (with --score), or labelled lines (with --judge).", valueName: "FILE"))
    var files: [String] = []

    func validate() throws {
        guard ["zh", "en"].contains(lang) else { throw ValidationError("--lang must be zh or en") }
        if score && judge { throw ValidationError("give either --score or --judge") }
        if (score || judge) && files.isEmpty { throw ValidationError("--\(judge ? "judge" : "score") needs at least one file") }
        if !score && !judge && !files.isEmpty { throw ValidationError("files are only read with --score or --judge") }
        if detail && !judge { throw ValidationError("--detail goes with --judge") }
    }

    func run() throws {
        let loaded = try knowledgeOptions.load()
        let engine = RehearsalEngine(knowledge: loaded.knowledge)
        let personas = loaded.knowledge.rehearsal.personas
        guard !personas.isEmpty else {
            Console.err("kefu: the knowledge base has no personas (personas/*.txt and scoring.txt); nothing to rehearse")
            throw ExitCode(1)
        }
        if list {
            for persona in personas {
                let name = lang == "zh" ? persona.name.zh : persona.name.en
                let profile = lang == "zh" ? persona.profile.zh : persona.profile.en
                Console.out(TerminalSafe.text("\(persona.id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(name): \(profile)"))
            }
            return
        }
        if score { try scoreFiles(engine) ; return }
        if judge { try judgeFiles(engine) ; return }

        let seed = self.seed ?? UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000
        let chosen: Persona
        if let id = persona {
            guard let found = loaded.knowledge.rehearsal.persona(id: id) else {
                Console.err(TerminalSafe.text("kefu: unknown persona '\(id)'; known: \(personas.map(\.id).joined(separator: ", "))"))
                throw ExitCode(1)
            }
            chosen = found
        } else {
            chosen = engine.persona(forSeed: seed)!
        }
        var options = RehearsalShell.Options()
        options.noColor = knowledgeOptions.noColor
        options.coach = coach
        options.json = json
        options.recordURL = record.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        options.persistFilter = personalDataFilter
        options.observer = storeOptions.observer(noColor: knowledgeOptions.noColor)
        let status = RehearsalShell(engine: engine, persona: chosen, language: lang == "en" ? .en : .zh, seed: seed, options: options).run()
        if status != 0 { throw ExitCode(status) }
    }

    /// Scores each recorded rehearsal by replaying its agent lines; one scorecard each, then a table.
    private func scoreFiles(_ engine: RehearsalEngine) throws {
        let replayer = RehearsalReplayer(engine: engine)
        // Like `kefu replay`: scoring a class's transcripts writes to a database only when --db names one.
        let observer = storeOptions.replayObserver(noColor: knowledgeOptions.noColor)
        let style = Style.detect(fileDescriptor: 1, disabledByFlag: knowledgeOptions.noColor)
        var rows: [(String, Scorecard)] = []
        var failed = 0
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                Console.err(TerminalSafe.text("kefu: cannot read \(path)"))
                failed += 1
                continue
            }
            let transcript = RehearsalTranscript.parse(String(decoding: data, as: UTF8.self))
            guard let id = transcript.personaID, let persona = engine.knowledge.rehearsal.persona(id: id) else {
                Console.err(TerminalSafe.text("kefu: \(path): no known '# persona: ID' header"))
                failed += 1
                continue
            }
            let outcome = replayer.replay(transcript, file: path)
            guard let card = outcome.scorecard else { failed += 1; continue }
            rows.append((path, card))
            observer?.record(rehearsal: outcome.steps, opening: outcome.opening, scorecard: card, seed: transcript.seed,
                             contentKey: ContentDigest.hex(data))
            if json {
                struct Entry: Encodable { var file: String; var scorecard: Scorecard }
                if let data = try? JSONEncoder.rehearsalEncoder.encode(Entry(file: path, scorecard: card)) { Console.out(String(decoding: data, as: UTF8.self)) }
            } else {
                Console.out(style.bold(TerminalSafe.text("# \(path)")))
                Console.out(TerminalSafe.text(card.render(personaName: persona.name[card.language])))
                Console.out("")
            }
        }
        if !json && !rows.isEmpty {
            let skills = RehearsalSkill.allCases
            let header = ["file".padding(toLength: 44, withPad: " ", startingAt: 0), "persona".padding(toLength: 26, withPad: " ", startingAt: 0), "outcome   "]
                + skills.map { String($0.rawValue.prefix(5)).padding(toLength: 6, withPad: " ", startingAt: 0) } + ["hints ", "overall"]
            Console.out(style.bold(header.joined(separator: " ")))
            for (path, card) in rows {
                let cells = [String((path as NSString).lastPathComponent.suffix(44)).padding(toLength: 44, withPad: " ", startingAt: 0), card.persona.padding(toLength: 26, withPad: " ", startingAt: 0),
                             card.outcome.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)]
                    + skills.map { (card.score($0).map(String.init) ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0) }
                    + ["\(card.hints)".padding(toLength: 6, withPad: " ", startingAt: 0), "\(card.overall)"]
                Console.out(TerminalSafe.text(cells.joined(separator: " ")))
            }
            let average = rows.reduce(0) { $0 + $1.1.overall } / rows.count
            let averages = skills.map { skill -> String in
                let scores = rows.compactMap { $0.1.score(skill) }
                return (scores.isEmpty ? "-" : String(scores.reduce(0, +) / scores.count)).padding(toLength: 6, withPad: " ", startingAt: 0)
            }
            Console.out(style.bold((["average".padding(toLength: 44, withPad: " ", startingAt: 0), "".padding(toLength: 26, withPad: " ", startingAt: 0), "\(rows.filter { $0.1.outcome == .won }.count)/\(rows.count) won".padding(toLength: 10, withPad: " ", startingAt: 0)] + averages + ["\(rows.reduce(0) { $0 + $1.1.hints })".padding(toLength: 6, withPad: " ", startingAt: 0), "\(average)"]).joined(separator: " ")))
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

extension Rehearse {
    /// `--judge`: agreement of the scorer's judgements with labelled trainee lines, per judgement and file; exit 1 on an
    /// unreadable file.
    func judgeFiles(_ engine: RehearsalEngine) throws {
        var objects: [[String: Any]] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                Console.err("kefu: cannot read \(path)")
                throw ExitCode(1)
            }
            let corpus = JudgementCorpus.parse(String(decoding: data, as: UTF8.self))
            for problem in corpus.problems { Console.err("\(path):\(problem.line): warning: \(problem.message) (row skipped)") }
            let results = corpus.evaluate(engine.scorer, steps: engine.knowledge.rehearsal.personas.flatMap(\.steps))
            if json {
                objects.append(["file": path, "lines": corpus.rows.count, "judgements": results.map {
                    ["judgement": $0.label, "accuracy": $0.accuracy, "precision": $0.precision, "recall": $0.recall, "expected": $0.truePositives + $0.falseNegatives,
                     "said": $0.truePositives + $0.falsePositives, "wrong": $0.falsePositives + $0.falseNegatives] as [String: Any]
                }])
                continue
            }
            Console.out("\(path) (\(corpus.rows.count) lines)")
            for result in results {
                let percent = { (value: Double) in String(format: "%5.1f%%", value * 100) }
                Console.out("  \(result.label.padding(toLength: 16, withPad: " ", startingAt: 0)) accuracy \(percent(result.accuracy))  precision \(percent(result.precision))  recall \(percent(result.recall))  (\(result.truePositives + result.falseNegatives) expected, \(result.falsePositives) false, \(result.falseNegatives) missed)")
                if detail {
                    for miss in result.misses {
                        Console.out(TerminalSafe.text("    \(miss.said ? "false" : "missed") line \(miss.row.line) [\(miss.row.language.rawValue)] \(miss.row.text)"))
                    }
                }
            }
        }
        if json {
            let data = (try? JSONSerialization.data(withJSONObject: objects.count == 1 ? objects[0] : ["files": objects] as Any, options: [.sortedKeys])) ?? Data()
            Console.out(String(decoding: data, as: UTF8.self))
        }
    }
}
