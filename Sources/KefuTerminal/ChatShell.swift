import Foundation
import KefuKit

/// The customer-facing loop: reads lines (with libedit on a terminal, plainly from a pipe), runs them
/// through the dialogue engine and carries out the effects: printing, recording, ending.
public final class ChatShell {
    public struct Options {
        public var json = false
        public var noColor = false
        public var recordURL: URL?
        public var historyURL: URL?
        /// nil: decide from the terminal.
        public var interactive: Bool?
        public var languageMode: DialogueState.LanguageMode = .auto
        /// Told about every turn (the store); nil keeps nothing.
        public var observer: ConversationObserver?
        /// Applied to any text before it is written to disk (history, /save, --record): masks personal data.
        public var persistFilter: @Sendable (String) -> String = { $0 }

        public init() {}
    }

    let engines: DeferredEngine
    /// The engine (waits for it on the first line when it is still being built).
    var engine: DialogueEngine { engines.engine }
    let options: Options
    let style: Style
    var state: DialogueState
    /// What `/save` writes: a `# time:` line for the conversation's start (service hours and ticket
    /// numbers depend on it, so the saved file replays as it happened), then the turns.
    var transcript = Transcript(lines: [])
    var transcriptHeader: [Transcript.Line] = []
    var recorder: TranscriptRecorder?
    /// `/save` writes at most this many of the latest turns (so a flood of piped lines keeps memory flat).
    public static let savedTurnLimit = 5_000
    /// The number of the line being handled (1-based), for notices.
    var lineNumber = 0

    public convenience init(engine: DialogueEngine, options: Options) {
        self.init(deferred: DeferredEngine(engine), options: options)
    }

    /// A shell whose engine may still be being built: the prompt does not wait for it.
    public init(deferred: DeferredEngine, options: Options) {
        self.engines = deferred
        self.options = options
        self.style = Style.detect(fileDescriptor: 1, disabledByFlag: options.noColor)
        var state = DialogueState()
        state.languageMode = options.languageMode
        if case .fixed(let language) = options.languageMode { state.language = language }
        self.state = state
    }

    /// Runs until end of input, `/quit` or a termination signal; returns the exit status.
    public func run() -> Int32 {
        transcriptHeader = [.other(Transcript.timePrefix + " " + ChatShell.now().written)]
        if let url = options.recordURL {
            do {
                recorder = try TranscriptRecorder(url: url)
                if case .other(let header)? = transcriptHeader.first { recorder?.comment(header) }
            } catch {
                Console.err(style.red(TerminalSafe.text("kefu: cannot record to \(url.path): \(error.localizedDescription)")))
                return 1
            }
        }
        let interactive = options.interactive ?? LineEditor.standardInputIsInteractive()
        options.observer?.conversationStarted(mode: "chat", language: state.language)
        defer { options.observer?.conversationEnded() }
        return interactive ? runInteractive() : runPiped()
    }

    // MARK: - Modes

    private func runPiped() -> Int32 {
        let reader = PipedLineReader()
        while let line = reader.readLine() {
            lineNumber += 1
            if handle(line, interactive: false) == .stop { break }
        }
        recorder?.close()
        return 0
    }

    private func runInteractive() -> Int32 {
        let editor = LineEditor(programName: "kefu", historyFile: options.historyURL) { buffer in
            ChatShell.complete(buffer)
        }
        defer {
            // close() saves too, silently; saving first lets an unwritable history say so, in one line.
            if let url = options.historyURL, !editor.saveHistory() {
                Console.err(style.yellow(TerminalSafe.text("kefu: cannot save the history to \(url.path); this conversation's lines are not kept")))
            }
            editor.close()
            recorder?.close()
        }
        if !options.json {
            Console.out(style.cyan(Transcript.formatReply(TerminalSafe.text(engines.knowledge.messages.text(.welcome, state.language)), wrappedBy: replyWrapper())))
        }
        let prompt = style.enabled ? "\u{1B}[1;32myou>\u{1B}[0m " : Transcript.customerPrefix
        while true {
            editor.historySearchPrompt = LineEditor.historySearchPrompt(state.language)
            switch editor.readLine(prompt: prompt) {
            case .line(let line):
                lineNumber += 1
                // History keeps the cleaned line: no escape sequences replayed on recall, no megabyte pastes.
                let cleaned = CustomerInput.prepare(line).text
                if !cleaned.isEmpty { editor.addHistory(options.persistFilter(cleaned)) }
                if handle(line, interactive: true) == .stop { return 0 }
            case .interrupted:
                continue
            case .endOfInput:
                // Ctrl-D: end like /quit (recorded as such), without echoing a command the customer never typed.
                _ = handle("/quit", interactive: true)
                return 0
            case .terminated:
                return 0
            }
        }
    }

    enum Flow { case next, stop }

    /// One line: shell-level commands (`/save`) here, everything else through the engine.
    private func handle(_ line: String, interactive: Bool) -> Flow {
        // Whatever was typed or pasted is cleaned and cut to the documented limit first (escape sequences
        // and control characters removed, invisible marks dropped, at most CustomerInput.maximumScalars).
        let prepared = CustomerInput.prepare(line)
        let trimmed = prepared.text
        if trimmed.isEmpty { return .next }
        if prepared.truncated { noticeTruncation(prepared) }
        if trimmed == "/save" || trimmed.hasPrefix("/save ") {
            save(String(trimmed.dropFirst(5)).trimmingWhitespace())
            return .next
        }
        let now = ChatShell.now()
        if let observer = options.observer, state.handoff.ticket == nil {
            let stored = observer.ticketsAlready(withPrefix: "T\(now.compactDate)-")
            if stored > state.handoff.ticketCount {
                // Noted in the transcript so that a replay numbers a ticket of this turn the same way.
                state.handoff.ticketCount = stored
                let note = Transcript.ticketsBeforePrefix + " \(stored)"
                transcript.lines.append(.other(note))
                recorder?.comment(note)
            }
        }
        guard var turn = engine.handle(trimmed, in: state, at: now) else { return .next }
        // Recorded before it is shown: the store may have given a ticket another number than the engine
        // (another shell took it meanwhile), and the customer must be told the stored one.
        options.observer?.turnCompleted(turn.record, effects: turn.effects)
        if let renumbered = options.observer?.renumberedTickets, !renumbered.isEmpty {
            turn.record.reply = HandoffTicket.renumbering(turn.record.reply, renumbered)
            for (id, stored) in renumbered { turn.state.renumberTicket(id, to: stored) }
            for k in turn.state.handoff.tickets.indices { if let stored = renumbered[turn.state.handoff.tickets[k].id] { turn.state.handoff.tickets[k].id = stored } }
        }
        for case .ticket(let ticket) in turn.effects where !(options.observer?.isRecording ?? false) {
            // Not stored (no store, or it failed): the ticket still has to reach a person, so it goes to
            // stderr for the operator, one line a ticket.
            Console.err(style.yellow(TerminalSafe.text("[handoff ticket \(ticket.id) · \(ticket.priority.rawValue) · \(ticket.reason)] ")) + TerminalSafe.text(options.persistFilter(ticket.summary.replacingOccurrences(of: "\n", with: " | "))))
        }
        state = turn.state
        transcript.lines.append(.customer(trimmed))
        transcript.lines.append(.kefu(turn.record.reply, lineCount: 1))
        // Memory stays flat however long the input: /save keeps the most recent turns only.
        if transcript.lines.count > 2 * ChatShell.savedTurnLimit * 2 {
            transcript.lines.removeFirst(transcript.lines.count - ChatShell.savedTurnLimit * 2)
        }
        recorder?.append(input: options.persistFilter(trimmed), reply: options.persistFilter(turn.record.reply))
        if options.json {
            Console.out(turn.record.jsonLine)
        } else if interactive {
            // Made safe before it is measured: a control character shown as \u{..} takes columns.
            Console.out(style.cyan(Transcript.formatReply(TerminalSafe.text(turn.record.reply), wrappedBy: replyWrapper())))
        } else {
            Console.out(TerminalSafe.text(turn.record.reply))
        }
        return turn.record.endsConversation ? .stop : .next
    }

    /// Product names are never broken across rows ("稳盈90天", "Steady Growth Fund").
    private lazy var wrapper = ReplyWrapper(columns: 0, protectedPhrases: engines.knowledge.products.displayNames)

    /// Measured before every reply, so a reply after a resize fits the new width.
    private func replyWrapper() -> ReplyWrapper? {
        TerminalWidth.fitting(wrapper, indent: DisplayWidth.of(Transcript.kefuPrefix))
    }

    /// One line on stderr (so piped stdout stays one reply per question) saying the line was cut.
    private func noticeTruncation(_ prepared: CustomerInput.Prepared) {
        let limit = CustomerInput.maximumScalars
        let at = lineNumber > 0 ? (state.language == .zh ? "第 \(lineNumber) 行" : "line \(lineNumber)") : ""
        let message = state.language == .zh
            ? "kefu: \(at)太长，只读取了前 \(limit) 个字符"
            : "kefu: \(at.isEmpty ? "the line" : at) is too long; only its first \(limit) characters were read"
        Console.err(style.yellow(message))
    }

    private func save(_ path: String) {
        let zh = state.language == .zh
        guard !path.isEmpty else {
            Console.err(zh ? "用法：/save 文件名" : "usage: /save FILE")
            return
        }
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        do {
            try options.persistFilter(Transcript(lines: transcriptHeader + transcript.lines).text).write(to: url, atomically: true, encoding: .utf8)
            // With --json, stdout carries one JSON object per customer line and nothing else.
            let saved = style.dim(TerminalSafe.text(zh ? "已保存到 \(url.path)" : "saved to \(url.path)"))
            if options.json { Console.err(saved) } else { Console.out(saved) }
        } catch {
            Console.err(style.red(TerminalSafe.text(zh ? "无法保存到 \(url.path)：\(error.localizedDescription)" : "cannot save to \(url.path): \(error.localizedDescription)")))
        }
    }

    /// The wall-clock time as the engine sees it (local time, for service hours).
    static func now() -> Moment { Moment(localTime: Date()) }

    /// Completes slash commands (and the arguments of `/lang`).
    static func complete(_ buffer: String) -> [String] {
        if buffer.hasPrefix("/lang ") {
            let word = buffer.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            return ["zh", "en", "auto"].filter { $0.hasPrefix(word) }
        }
        guard buffer.hasPrefix("/"), !buffer.contains(" ") else { return [] }
        return DialogueEngine.commands.filter { $0.hasPrefix(buffer) }
    }
}

/// Appends each turn to a transcript file as it happens, so `--record` keeps everything answered even
/// if the program is killed.
final class TranscriptRecorder {
    private let handle: FileHandle

    init(url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: Data()) else {
                throw CocoaError(.fileWriteNoPermission)
            }
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    func comment(_ line: String) {
        try? handle.write(contentsOf: Data((line + "\n").utf8))
    }

    func append(input: String, reply: String) {
        let text = Transcript.customerPrefix + input + "\n" + Transcript.formatReply(reply) + "\n"
        try? handle.write(contentsOf: Data(text.utf8))
    }

    func close() { try? handle.close() }
}
