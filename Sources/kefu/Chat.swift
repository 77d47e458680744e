import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Chat with Kefu (the default). Reads plain lines when stdin is not a terminal.",
        discussion: """
            Examples:
              kefu                                  # chat on a terminal, with line editing and history
              printf '提现多久到账\\n' | kefu          # answer piped questions, one reply per line
              kefu chat --json < questions.txt      # one JSON object per question
              kefu chat --record today.txt          # keep a transcript that `kefu replay` can check
              kefu --db /tmp/try.sqlite             # record this conversation in another database
              kefu --no-store                       # record nothing

            Conversations are recorded (personal data masked) in $XDG_DATA_HOME/kefu/kefu.sqlite
            (default ~/.local/share/kefu/kefu.sqlite); see `kefu stats`, `kefu tickets`, `kefu export`.
            """
    )

    @OptionGroup var knowledgeOptions: KnowledgeOptions

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Print one JSON object per customer line (input, language, matched id, score, state, reply, events).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Append the conversation to a transcript file as it happens.", valueName: "FILE"))
    var record: String?

    @Option(name: .long, help: ArgumentHelp("Reply language: zh, en or auto (follow the customer).", valueName: "LANG"))
    var lang: String = "auto"

    @Flag(name: .long, help: "Train every model before reading the first line (for scripts that measure memory or time per line).")
    var warm = false

    func validate() throws {
        guard ["zh", "en", "auto"].contains(lang) else { throw ValidationError("--lang must be zh, en or auto") }
    }

    func run() throws {
        let early = storeOptions.opensExistingDatabase ? StoreOpening(storeOptions, noColor: knowledgeOptions.noColor) : nil
        let loaded: KnowledgeLoader.Result
        do {
            loaded = try knowledgeOptions.load(rehearsal: false)
        } catch {
            early?.finish()
            throw error
        }
        // Built while the prompt shows (see `DeferredEngine`); `--warm` waits for it and its training first.
        let engine = DeferredEngine(knowledge: loaded.knowledge)
        if warm { engine.engine.waitUntilReady() }
        var options = ChatShell.Options()
        options.json = json
        options.noColor = knowledgeOptions.noColor
        options.recordURL = record.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        options.historyURL = StatePaths.historyFile()
        options.languageMode = lang == "auto" ? .auto : .fixed(lang == "zh" ? .zh : .en)
        options.persistFilter = personalDataFilter
        if let early {
            options.observer = early.wait()
        } else {
            options.observer = storeOptions.observer(noColor: knowledgeOptions.noColor)
        }
        let status = ChatShell(deferred: engine, options: options).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Where Kefu keeps per-user files, following the XDG base-directory convention.
enum StatePaths {
    static func historyFile() -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state).appendingPathComponent("kefu/history")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/kefu/history")
    }
}
