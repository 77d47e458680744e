import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a knowledge folder and print a summary, warnings and errors (exit 1 on errors).",
        discussion: """
            Examples:
              kefu check knowledge/
              kefu check --read "在厂里上班"      # how the readers rank one customer line (profile answers, escalation)
              kefu check --read - < lines.txt    # the same for every line of a file, one block each
            """
    )

    @Option(name: .long, help: ArgumentHelp("Print how the profile-answer and escalation readers rank this line ('-': every line of standard input), and stop.", valueName: "LINE"))
    var read: String?

    @Option(name: .long, help: ArgumentHelp("With --read: rank the line as the answer to this profile question (age, income, occupation, goal, horizon, loss, experience, amount).", valueName: "FACT"))
    var asked: String?

    @Argument(help: ArgumentHelp("The knowledge folder (default: the package's knowledge/).", valueName: "DIR"))
    var directory: String?

    @Flag(name: .long, help: "Never colour the output.")
    var noColor = false

    func run() throws {
        let root = try KnowledgeLocator.locate(explicit: directory)
        let result = KnowledgeLoader().load(from: root)
        let style = Style.detect(fileDescriptor: 1, disabledByFlag: noColor)
        let knowledge = result.knowledge
        if let read {
            let extractor = FeatureExtractor(synonyms: knowledge.synonyms)
            func ranked(_ candidates: [ExampleReader.Candidate]) -> String {
                candidates.prefix(4).map { "\($0.label) \(String(format: "%.2f", $0.score))" }.joined(separator: ", ")
            }
            let answers = ProfileAnswerReader(answers: knowledge.profileAnswers, replies: knowledge.replies, extractor: extractor)
            let pending = try asked.map { asked in
                guard let fact = InvestorProfile.Fact(rawValue: asked) else { throw ValidationError("--asked: unknown fact '\(asked)'") }
                return fact
            }
            let openings = AdviceOpeningReader(knowledge: knowledge, extractor: extractor)
            let escalation = EscalationReader(knowledge: knowledge, extractor: extractor)
            // The second opinion on a line said while a profile question waits (it also knows the profile answers).
            let whileAnswering = pending.map { _ in EscalationReader(knowledge: knowledge, extractor: extractor, answering: true) }
            // "-": every line of standard input, each block headed by its line, so a trainer can rank a whole file at once.
            let lines = read == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).physicalLines()
                .map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty } : [read]
            if lines.isEmpty { throw ValidationError("--read -: standard input held no line to read") }
            for (index, line) in lines.enumerated() {
                if read == "-" { Console.out((index > 0 ? "\n" : "") + "line:            " + TerminalSafe.text(line)) }
                Console.out("profile answers: " + ranked(answers.candidates(line)))
                if let fact = pending {
                    Console.out("asked \(fact.rawValue):".padding(toLength: 17, withPad: " ", startingAt: 0) + ranked(answers.candidates(line, asked: fact)))
                }
                // What the whole reading (numbers, then words) takes from the line: what the conversation would record.
                let extraction = ProfileExtractor(answers: answers).extract(line, pending: pending, intent: nil)
                let facts = extraction.facts.map { "\($0.0.rawValue)=\($0.1.description)" }
                Console.out("facts:           " + (facts.isEmpty ? "none" : facts.joined(separator: ", ")))
                if !extraction.suggested.isEmpty {
                    Console.out("suggests:        " + extraction.suggested.map { "\($0.0.rawValue)=\($0.1.description) (asked to confirm)" }.joined(separator: ", "))
                }
                Console.out("advice opening:  " + ranked(openings.candidates(line)))
                Console.out("escalation:      " + ranked(escalation.reader.read(line)))
                if let whileAnswering { Console.out("while answering: " + ranked(whileAnswering.reader.read(line))) }
            }
            return
        }
        Console.out(style.bold(TerminalSafe.text("Knowledge in \(root.path)")))
        for (file, count) in result.entriesPerFile {
            Console.out("  \(TerminalSafe.text(file).padding(toLength: 32, withPad: " ", startingAt: 0)) \(count) entries")
        }
        let zh = knowledge.entries.reduce(0) { $0 + $1.examples(in: .zh).count }
        let en = knowledge.entries.reduce(0) { $0 + $1.examples(in: .en).count }
        Console.out("  \(knowledge.entries.count) entries; example questions: \(zh) Chinese, \(en) English")
        Console.out("  \(knowledge.synonyms.groups.count) synonym groups; \(knowledge.messages.messages.count) messages")
        if knowledge.canRecommend {
            let risks = knowledge.products.products.map { $0.isLoan ? "\($0.id) (loan)" : "\($0.id) \($0.riskLabel)" }
            Console.out("  \(knowledge.products.products.count) products: \(risks.joined(separator: ", "))")
            Console.out("  suitability: \(knowledge.suitability.points.count) points rules, \(knowledge.suitability.levels.count) levels, \(knowledge.suitability.caps.count) caps")
        }
        if !knowledge.objections.scripts.isEmpty {
            let reasons = knowledge.objections.scripts.reduce(0) { $0 + $1.reasons.count }
            Console.out("  \(knowledge.objections.scripts.count) objection scripts with \(reasons) reasons")
        }
        var readerDiagnostics: [Diagnostic] = []
        if !knowledge.escalation.rules.isEmpty {
            Console.out("  \(knowledge.escalation.rules.count) escalation rules; service hours \(knowledge.escalation.service.hoursText)")
            let counted = knowledge.escalation.rules.filter { !$0.examples.isEmpty }.map { rule in
                "\(rule.id) \(rule.examples.filter { $0.language == .zh }.count)/\(rule.examples.filter { $0.language == .en }.count)"
            }
            let stories = knowledge.escalation.stories.isEmpty ? "" : "; [stories] \(knowledge.escalation.stories.count)"
            Console.out("  escalation examples (zh/en): \(counted.joined(separator: ", ")); [none] \(knowledge.escalation.none.count)\(stories)")
            // Every example through the reader trained on them: a misread example is a warning with file:line.
            let reader = EscalationReader(knowledge: knowledge, extractor: FeatureExtractor(synonyms: knowledge.synonyms))
            readerDiagnostics = reader.misreads(entryIDs: Set(knowledge.entries.map(\.id)))
            if !knowledge.escalation.stories.isEmpty {
                readerDiagnostics += EscalationReader(knowledge: knowledge, extractor: FeatureExtractor(synonyms: knowledge.synonyms), answering: true, stories: true).storyMisreads()
            }
        }
        if !knowledge.profileAnswers.isEmpty {
            let answers = knowledge.profileAnswers
            let counted = answers.labels.map { label in Self.languageCounts(label.id, answers.examples.filter { $0.label == label.id }.map(\.text)) }
            Console.out("  profile answers (zh/en): \(counted.joined(separator: ", ")); counter-examples \(answers.counterExamples.count)")
            // Every example answer through the reader trained on them, as for escalation.
            let reader = ProfileAnswerReader(answers: answers, replies: knowledge.replies, extractor: FeatureExtractor(synonyms: knowledge.synonyms))
            readerDiagnostics += reader.misreads()
        }
        if !knowledge.adviceOpenings.examples.isEmpty {
            let openings = knowledge.adviceOpenings.examples
            let told = knowledge.adviceOpenings.told
            Console.out("  advice openings: \(openings.filter { $0.label == "invest" }.count) invest, \(openings.filter { $0.label == "loan" }.count) loan, \(openings.filter { $0.label == ExampleReader.background }.count) not; told at length: \(told.filter { $0.label == "invest" }.count) invest, \(told.filter { $0.label == "loan" }.count) loan")
            readerDiagnostics += AdviceOpeningReader(knowledge: knowledge, extractor: FeatureExtractor(synonyms: knowledge.synonyms)).misreads(knowledge.adviceOpenings)
        }
        if !knowledge.rehearsal.isEmpty {
            let weights = RehearsalSkill.allCases.map { "\($0.rawValue) \(knowledge.rehearsal.scoring.weights[$0] ?? 0)" }
            Console.out("  \(knowledge.rehearsal.personas.count) rehearsal personas; scoring weights: \(weights.joined(separator: ", "))")
            let scoring = knowledge.rehearsal.scoring
            if !scoring.examples.isEmpty {
                let counts = (TraineeLineReader.labels + [TraineeLineReader.neutral]).map { label in
                    Self.languageCounts(label, (scoring.examples[label] ?? []).map(\.text))
                }
                Console.out("  trainee line examples (zh/en): \(counts.joined(separator: ", "))")
                // Every example through the reader trained on them, as for the other readers.
                readerDiagnostics += TraineeLineReader(rules: scoring, extractor: FeatureExtractor(synonyms: knowledge.synonyms)).misreads(scoring)
            }
            let addressing = knowledge.rehearsal.addressing
            if !addressing.isEmpty {
                let counts = addressing.reasons.sorted().map { reason in
                    Self.languageCounts(reason, addressing.examples.filter { $0.label == reason }.map(\.text))
                }
                Console.out("  addressing examples (zh/en): \(counts.joined(separator: ", ")); [none] \(addressing.none.count)")
                // Every example through the reader trained on them, as for the other readers.
                readerDiagnostics += AddressingReader(examples: addressing, scoring: scoring, extractor: FeatureExtractor(synonyms: knowledge.synonyms)).misreads(addressing)
                let unread = Set(knowledge.rehearsal.personas.flatMap(\.steps).map(\.reason)).subtracting(addressing.reasons)
                if !unread.isEmpty {
                    Console.out("  reasons judged by their key points (no addressing examples): \(unread.sorted().joined(separator: ", "))")
                }
            }
        }
        var diagnostics = result.diagnostics
        // Answers still marked as placeholders by `kefu import-csv` are a to-do list, not an error.
        diagnostics.append(contentsOf: KnowledgeImporter.placeholderDiagnostics(result.knowledge))
        diagnostics.append(contentsOf: readerDiagnostics)
        DiagnosticPrinter(style: Style.detect(fileDescriptor: 2, disabledByFlag: noColor)).print(diagnostics)
        let folded = diagnostics.folded
        let errors = folded.filter { $0.severity == .error }.count, warnings = folded.filter { $0.severity == .warning }.count
        let following = folded.reduce(0) { $0 + $1.consequences.count }
        let summary = "\(errors) error(s)" + (following > 0 ? " (and \(following) that follow from them)" : "") + ", \(warnings) warning(s)"
        if diagnostics.hasErrors {
            Console.out(style.red(summary))
            throw ExitCode(1)
        }
        Console.out(style.green("OK: ") + summary)
    }

    /// "label zh/en": how many of a label's example lines are Chinese and how many English, for the summary.
    static func languageCounts(_ label: String, _ texts: [String]) -> String {
        let detector = LanguageDetector()
        let chinese = texts.filter { detector.detect($0) == .zh }.count
        return "\(label) \(chinese)/\(texts.count - chinese)"
    }
}
