import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

@main
struct Kefu: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kefu",
        abstract: "客服 Kefu: a customer-service assistant for an internet-finance platform, in Chinese and English.",
        subcommands: [Chat.self, Check.self, Replay.self, Eval.self, Corpus.self, Simulate.self, ImportCSV.self, Bench.self, Tickets.self, Stats.self, Export.self, Rehearse.self],
        defaultSubcommand: Chat.self
    )

    static func main() {
        signal(SIGPIPE, SIG_IGN)
        // How many models train at once (see `Matcher.setConcurrentTrainings`): 1 for a smaller peak of memory.
        if let threads = ProcessInfo.processInfo.environment["KEFU_TRAINING_THREADS"].flatMap(Int.init) { Matcher.setConcurrentTrainings(threads) }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by every command that needs the knowledge base.
struct KnowledgeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The knowledge folder (default: the package's knowledge/).", valueName: "DIR"))
    var knowledge: String?

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR=1).")
    var noColor = false

    /// Loads the knowledge base or prints every diagnostic and fails: nothing runs on broken knowledge.
    /// `rehearsal: false` leaves out trainer mode's personas and scoring (the chat needs neither).
    func load(showWarnings: Bool = false, rehearsal: Bool = true) throws -> KnowledgeLoader.Result {
        let root = try KnowledgeLocator.locate(explicit: knowledge)
        var loader = KnowledgeLoader()
        loader.findsDuplicateExamples = showWarnings
        loader.loadsRehearsal = rehearsal
        let result = loader.load(from: root)
        let printer = DiagnosticPrinter(style: Style.detect(fileDescriptor: 2, disabledByFlag: noColor))
        if result.diagnostics.hasErrors {
            printer.print(result.diagnostics)
            Console.err("kefu: the knowledge base in \(root.path) has \(result.diagnostics.errors.count) error(s); fix them and try again (kefu check shows them too).")
            throw ExitCode(1)
        }
        if showWarnings { printer.print(result.diagnostics) }
        return result
    }
}
