import ArgumentParser
import Foundation
import KefuKit
import KefuTerminal

struct ImportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-csv",
        abstract: "Write a knowledge folder from a CSV of labelled phrasings (text,category), one entry per category.",
        discussion: """
            The answers are placeholders starting with \(KnowledgeImporter.placeholderMarker); write them, then run `kefu check`.
            Example: kefu import-csv chatlogs.csv --out my-knowledge
            """
    )

    @Argument(help: ArgumentHelp("CSV with a header naming 'text' and 'category' columns.", valueName: "CSV"))
    var csv: String

    @Option(name: .long, help: ArgumentHelp("The knowledge folder to create (must not exist yet, or be empty).", valueName: "DIR"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("Copy messages.txt from this knowledge folder (default: the package's knowledge/).", valueName: "DIR"))
    var messagesFrom: String?

    @Flag(name: .long, help: "Overwrite the files in an existing folder.")
    var force = false

    func run() throws {
        let rows = try readLabelled(csv)
        let outURL = URL(fileURLWithPath: (out as NSString).expandingTildeInPath).standardizedFileURL
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: outURL.path), !existing.isEmpty, !force {
            Console.err("kefu: \(outURL.path) exists and is not empty; use --force to overwrite its files")
            throw ExitCode(1)
        }
        let messagesRoot = try KnowledgeLocator.locate(explicit: messagesFrom)
        guard let messages = fm.contents(atPath: messagesRoot.appendingPathComponent("messages.txt").path) else {
            Console.err("kefu: cannot read messages.txt in \(messagesRoot.path)")
            throw ExitCode(1)
        }
        let importer = KnowledgeImporter()
        let imported = importer.makeKnowledge(rows)
        let files = importer.knowledgeFiles(imported, source: (csv as NSString).lastPathComponent,
                                            messages: String(decoding: messages, as: UTF8.self))
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = outURL.appendingPathComponent(path)
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Console.err("kefu: cannot write \(url.path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        let examples = imported.knowledge.entries.reduce(0) { $0 + $1.examples.count }
        Console.out("Wrote \(imported.knowledge.entries.count) entries with \(examples) example questions to \(outURL.path)/\(KnowledgeImporter.fileName)")
        Console.out("Next: write the answers (search for \(KnowledgeImporter.placeholderMarker)), then run: kefu check \(out)")
    }
}
