import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

/// `kefu corpus`: labelled single lines through fresh conversations, for the safety and honesty figures.
struct Corpus: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run labelled customer lines (LANG<TAB>LABEL<TAB>text) and report escalation recall, false alarms and questions answered.",
        discussion: """
            Each line is the first line of a new conversation. A label is an escalation rule id (the line must
            escalate by it; for an urgent rule, urgently), an FAQ entry id (the line must be answered by it and
            start no advice), or 'ordinary' (the line must not escalate).
            Examples:
              kefu corpus corpora/safety/dev/*.tsv                 # tune on these
              kefu corpus corpora/safety/heldout/*.tsv --detail    # report these, with every miss
              kefu corpus corpora/safety/heldout/crisis.tsv --json
              kefu corpus corpora/safety/dev/crisis.tsv --after 我想理财   # while the age question waits
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @Argument(help: ArgumentHelp("Corpus files.", valueName: "FILE"))
    var files: [String]

    @Flag(name: .long, help: "List every miss and false alarm.")
    var detail = false

    @Option(name: .long, help: ArgumentHelp("A line said before each row, in the same conversation (repeatable): read the rows mid-profile, mid-objection…", valueName: "LINE"))
    var after: [String] = []

    @Flag(name: .long, help: "One JSON object per file.")
    var json = false

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one corpus file") }
        let knowledge = try knowledgeOptions.load().knowledge
        let engine = DialogueEngine(knowledge: knowledge)
        var failed = false
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                Console.err("kefu: cannot read \(file)")
                failed = true
                continue
            }
            let corpus = LineCorpus.parse(String(decoding: data, as: UTF8.self))
            for problem in corpus.problems { Console.err("\(file):\(problem.line): warning: \(problem.message) (row skipped)") }
            let report = LineCorpusReport(corpus.run(engine, after: after), knowledge: knowledge)
            if json {
                Console.out(Self.json(file: file, report))
            } else {
                Console.out("\(file) (\(corpus.rows.count) lines)")
                for line in report.lines(detail: detail) { Console.out("  " + TerminalSafe.text(line)) }
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func json(file: String, _ report: LineCorpusReport) -> String {
        var fields: [(String, String)] = [("file", JSONText.string(file))]
        let groups = report.escalations.map { group in
            JSONText.object([("rule", JSONText.string(group.rule)), ("total", "\(group.total)"), ("byRule", "\(group.byRule)"),
                             ("urgent", "\(group.urgent)"), ("escalated", "\(group.escalated)"), ("wellbeingChecks", "\(group.checkedIn)"),
                             ("misses", "[" + group.misses.map { JSONText.string($0.row.text) }.joined(separator: ",") + "]")])
        }
        fields.append(("escalations", "[" + groups.joined(separator: ",") + "]"))
        fields.append(("ordinary", JSONText.object([("total", "\(report.ordinaryTotal)"), ("falseAlarms", "\(report.falseAlarms.count)"),
                                                   ("urgentFalseAlarms", "\(report.urgentFalseAlarms)"), ("wellbeingChecks", "\(report.checkedInFalseAlarms)"), ("adviceStarts", "\(report.ordinaryAdviceStarts)")])))
        fields.append(("questions", JSONText.object([("total", "\(report.questionTotal)"), ("answeredRight", "\(report.answeredRight)"),
                                                    ("offeredRight", "\(report.offeredRight)"), ("adviceStarts", "\(report.questionAdviceStarts)"),
                                                    ("escalations", "\(report.questionEscalations)")])))
        return JSONText.object(fields)
    }
}
