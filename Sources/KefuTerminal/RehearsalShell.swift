import Foundation
import KefuKit

/// The trainer's loop for `kefu rehearse`: Kefu plays the customer, the trainee types as the agent.
/// On a terminal it uses the line editor; from a pipe it reads plain lines and prints the customer's.
public final class RehearsalShell {
    public struct Options {
        public var noColor = false
        public var coach = false
        public var json = false
        /// nil: decide from the terminal.
        public var interactive: Bool?
        /// Where to write the rehearsal transcript (replayable with `kefu replay --check`).
        public var recordURL: URL?
        /// Records each line as it happens and the scorecard at the end (the store, unless `--no-store`).
        public var observer: RehearsalObserver?
        /// Applied to the transcript before `--record` writes it (the executable masks personal data).
        public var persistFilter: @Sendable (String) -> String = { $0 }

        public init() {}
    }

    public static let commands = ["/hint", "/end", "/profile", "/help"]

    let engine: RehearsalEngine
    let options: Options
    let style: Style
    var state: RehearsalState
    var transcript: RehearsalTranscript

    public init(engine: RehearsalEngine, persona: Persona, language: Language, seed: UInt64, options: Options) {
        self.engine = engine
        self.options = options
        self.style = Style.detect(fileDescriptor: 1, disabledByFlag: options.noColor)
        let (state, opening) = engine.start(persona: persona, language: language, seed: seed)
        self.state = state
        self.transcript = RehearsalTranscript(lines: [
            .other("# persona: \(persona.id)"), .other("# lang: \(language.rawValue)"), .other("# seed: \(seed)"), .customer(opening),
        ])
    }

    var zh: Bool { state.language == .zh }

    /// Product names the customer mentions are never broken across rows.
    private lazy var wrapper = ReplyWrapper(columns: 0, protectedPhrases: engine.knowledge.products.displayNames)

    /// Runs until `/end`, the customer leaving, or end of input; prints the scorecard; returns the exit status.
    public func run() -> Int32 {
        let interactive = options.interactive ?? LineEditor.standardInputIsInteractive()
        options.observer?.conversationStarted(mode: "rehearse", language: state.language)
        options.observer?.rehearsalOpened(state.lines.first?.text ?? "", language: state.language)
        defer { options.observer?.conversationEnded() }
        if interactive && !options.json {
            let persona = state.persona
            Console.out(style.bold((wrappedToScreen(zh ? "【演练】客户：\(persona.name.zh) — \(persona.profile.zh)" : "[Rehearsal] Customer: \(persona.name.en) — \(persona.profile.en)"))))
            Console.out(style.dim(wrappedToScreen(zh ? "您是坐席。/hint 看建议，/profile 看客户资料，/end 结束并评分。" : "You are the agent. /hint for the script's move, /profile for the customer, /end to finish and see your scorecard.")))
        }
        say(state.lines.first?.text ?? "", interactive: interactive)
        if interactive {
            let editor = LineEditor(programName: "kefu", historyFile: nil) { buffer in
                guard buffer.hasPrefix("/"), !buffer.contains(" ") else { return [] }
                return RehearsalShell.commands.filter { $0.hasPrefix(buffer) }
            }
            defer { editor.close() }
            let prompt = style.enabled ? "\u{1B}[1;32magent>\u{1B}[0m " : RehearsalTranscript.agentPrefix
            loop: while true {
                editor.historySearchPrompt = LineEditor.historySearchPrompt(state.language)
                switch editor.readLine(prompt: prompt) {
                case .line(let line):
                    if !line.trimmingWhitespace().isEmpty { editor.addHistory(line) }
                    if handle(line, interactive: true) == .stop { break loop }
                case .interrupted: continue
                case .endOfInput, .terminated: break loop
                }
            }
        } else {
            while let line = Swift.readLine(strippingNewline: true) {
                if handle(line, interactive: false) == .stop { break }
            }
        }
        finish()
        return 0
    }

    enum Flow { case next, stop }

    private func handle(_ raw: String, interactive: Bool) -> Flow {
        let line = CustomerInput.prepare(raw).text
        if line.isEmpty { return .next }
        switch line {
        case "/end", "/quit":
            transcript.lines.append(.agent("/end"))
            return .stop
        case RehearsalTranscript.hintCommand:
            let hint = engine.takeHint(&state)
            transcript.lines.append(.agent(RehearsalTranscript.hintCommand))
            transcript.lines.append(.other(RehearsalTranscript.hintPrefix + hint))
            Console.out(style.yellow((wrappedToScreen((zh ? "提示：" : "hint: ") + hint))))
            return .next
        case "/profile":
            Console.out(style.dim((wrappedToScreen(state.persona.profile[state.language]))))
            return .next
        case "/help":
            Console.out(zh ? "/hint 当前建议 · /profile 客户资料 · /end 结束并评分" : "/hint the script's move now · /profile the customer · /end finish with the scorecard")
            return .next
        default:
            // A command of the chat ("/why", "/reset") typed here is no line to the customer: judged as one, "/why" was a
            // dismissive tone and a failed answer to the objection.
            if line.hasPrefix("/") {
                let name = String(line.split(separator: " ").first ?? Substring(line))
                Console.out(engine.knowledge.messages.text(.unknownCommand, state.language, ["command": name]))
                return .next
            }
        }
        let turn = engine.handle(line, in: state)
        state = turn.state
        transcript.lines.append(.agent(line))
        if let reply = turn.reply {
            options.observer?.turnCompleted(turn.record(input: line), effects: [.reply(reply)])
            transcript.lines.append(.customer(reply))
            if options.json {
                Console.out(jsonLine(line: line, reply: reply, judgement: turn.judgement))
            } else {
                say(reply, interactive: interactive)
            }
        }
        if options.coach && !options.json {
            Console.out(style.dim((wrappedToScreen(engine.coaching(turn.judgement, language: state.language)))))
        }
        if turn.ended {
            if !options.json { Console.out(style.dim(zh ? "（客户结束了通话）" : "(the customer ended the call)")) }
            return .stop
        }
        return .next
    }

    /// A hint or a coaching note made safe and wrapped to the terminal (words whole); unwrapped when stdout
    /// is not a terminal.
    private func wrappedToScreen(_ text: String) -> String {
        let safe = TerminalSafe.text(text)
        return TerminalWidth.fitting(wrapper, indent: 0)?.labelled(safe, label: "") ?? safe
    }

    private func say(_ text: String, interactive: Bool) {
        guard !options.json else { return }
        let label = RehearsalTranscript.customerPrefix
        guard interactive else { return Console.out(TerminalSafe.text(label + text)) }
        // On a screen, the customer's line is wrapped like a chat reply: rows under the text, words whole.
        let safe = TerminalSafe.text(text)
        Console.out(style.cyan(TerminalWidth.fitting(wrapper, indent: DisplayWidth.of(label))?.labelled(safe, label: label) ?? label + safe))
    }

    private func finish() {
        let card = engine.scorecard(state)
        options.observer?.rehearsalScored(card, seed: state.seed)
        transcript.lines.append(.score(card.summaryLine))
        if options.json {
            if let data = try? JSONEncoder.rehearsalEncoder.encode(card), let text = String(data: data, encoding: .utf8) { Console.out(text) }
        } else {
            Console.out("")
            Console.out(TerminalSafe.text(card.render(personaName: state.persona.name[state.language])))
        }
        if let url = options.recordURL {
            do {
                try options.persistFilter(transcript.text).write(to: url, atomically: true, encoding: .utf8)
                if !options.json { Console.out(style.dim(TerminalSafe.text(zh ? "演练记录已保存到 \(url.path)" : "rehearsal saved to \(url.path)"))) }
            } catch {
                Console.err(style.red(TerminalSafe.text("kefu: cannot write \(url.path): \(error.localizedDescription)")))
            }
        }
    }

    private func jsonLine(line: String, reply: String, judgement: LineJudgement) -> String {
        struct Line: Encodable { var agent: String; var customer: String; var judgements: [SkillJudgement]; var state: String }
        let value = Line(agent: line, customer: reply, judgements: judgement.judgements, state: "\(state.phase)")
        guard let data = try? JSONEncoder.rehearsalEncoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

extension JSONEncoder {
    public static var rehearsalEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
