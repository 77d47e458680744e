import Foundation

/// A rehearsal written down: a `# persona: ID` header (with `# lang:` and `# seed:`), the trainee's lines
/// `agent> …`, the simulated customer's `customer> …`, and the scorecard summary `score> …`.
///
/// A hint the trainee asked for is kept as `agent> /hint` followed by `# hint: <what it said>`, so a trainer
/// reading the file sees where the trainee needed help; replaying counts each `/hint` on the scorecard
/// (`score> … · hints 2`), and the `# hint:` comment is for people only (never compared).
public struct RehearsalTranscript: Sendable, Equatable {
    public static let agentPrefix = "agent> "
    public static let customerPrefix = "customer> "
    public static let scorePrefix = "score> "
    public static let hintCommand = "/hint"
    /// The comment line that follows `agent> /hint` with the hint shown.
    public static let hintPrefix = "# hint: "

    public enum Line: Sendable, Equatable {
        case other(String)
        case agent(String)
        case customer(String)
        case score(String)
    }

    public var lines: [Line]

    public init(lines: [Line]) { self.lines = lines }

    /// Whether a transcript's text is a rehearsal (it has a `# persona:` header).
    public static func isRehearsal(_ text: String) -> Bool {
        text.physicalLines().prefix(50).contains { $0.hasPrefix("# persona:") }
    }

    public static func parse(_ text: String) -> RehearsalTranscript {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var raw = text.physicalLines().map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if raw.last == "" { raw.removeLast() }
        return RehearsalTranscript(lines: raw.map { line in
            for (prefix, make) in [(agentPrefix, Line.agent), (customerPrefix, Line.customer), (scorePrefix, Line.score)] as [(String, (String) -> Line)] {
                if line.hasPrefix(prefix) { return make(String(line.dropFirst(prefix.count))) }
                if line == prefix.trimmingWhitespace() { return make("") }
            }
            return .other(line)
        })
    }

    public func header(_ key: String) -> String? {
        for case .other(let text) in lines where text.hasPrefix("# \(key):") {
            return String(text.dropFirst(key.count + 3)).trimmingWhitespace()
        }
        return nil
    }

    public var personaID: String? { header("persona") }
    public var language: Language { header("lang") == "en" ? .en : .zh }
    public var seed: UInt64 { header("seed").flatMap { UInt64($0) } ?? 0 }

    public var text: String {
        lines.map { line -> String in
            switch line {
            case .other(let text): return text
            case .agent(let text): return RehearsalTranscript.agentPrefix + text
            case .customer(let text): return RehearsalTranscript.customerPrefix + text
            case .score(let text): return RehearsalTranscript.scorePrefix + text
            }
        }.joined(separator: "\n") + "\n"
    }
}

/// Replays a rehearsal transcript through the simulated customer and compares what it says (and the
/// final scorecard) with the transcript: `kefu replay --check` and the golden tests use it.
public struct RehearsalReplayer: Sendable {
    public struct Outcome: Sendable {
        public var state: RehearsalState?
        public var scorecard: Scorecard?
        public var mismatches: [TranscriptReplayer.Mismatch]
        public var updated: RehearsalTranscript
        /// agent lines replayed
        public var turns: Int
        /// Each agent line replayed with what it produced, for storing the replayed rehearsal.
        public var steps: [(input: String, turn: RehearsalTurn)] = []
        /// The persona's first line, said before the trainee's first line.
        public var opening: String?
    }

    public let engine: RehearsalEngine

    public init(engine: RehearsalEngine) { self.engine = engine }

    public func replay(_ transcript: RehearsalTranscript, file: String) -> Outcome {
        guard let id = transcript.personaID, let persona = engine.knowledge.rehearsal.persona(id: id) else {
            let mismatch = TranscriptReplayer.Mismatch(file: file, line: 1, input: "# persona: \(transcript.personaID ?? "")", expected: "a known persona", got: nil)
            return Outcome(state: nil, scorecard: nil, mismatches: [mismatch], updated: transcript, turns: 0)
        }
        var (state, opening) = engine.start(persona: persona, language: transcript.language, seed: transcript.seed)
        var mismatches: [TranscriptReplayer.Mismatch] = []
        var out: [RehearsalTranscript.Line] = []
        var turns = 0
        var steps: [(input: String, turn: RehearsalTurn)] = []
        // What the customer is expected to say next: the opening, then one reply per agent line.
        var pending: (text: String?, input: String, line: Int)? = (opening, "(opening)", 1)
        var lastInputLine = 1
        func settle(expected: String?, at line: Int) {
            guard let current = pending else {
                if let expected { mismatches.append(.init(file: file, line: line, input: "", expected: expected, got: nil)) }
                return
            }
            if current.text != expected {
                mismatches.append(.init(file: file, line: expected == nil ? current.line : line, input: current.input, expected: expected, got: current.text))
            }
            if let text = current.text { out.append(.customer(text)) }
            pending = nil
        }
        var expectedScore: (String, Int)?
        for (offset, line) in transcript.lines.enumerated() {
            let number = offset + 1
            switch line {
            case .other(let text):
                if pending != nil, !text.hasPrefix("#"), text.trimmingWhitespace().isEmpty == false { settle(expected: nil, at: number) }
                out.append(line)
            case .customer(let text):
                settle(expected: text, at: number)
            case .agent(let text):
                if pending != nil { settle(expected: nil, at: lastInputLine) }
                out.append(line)
                lastInputLine = number
                let trimmed = text.trimmingWhitespace()
                if trimmed.hasPrefix("/") {
                    if trimmed == "/end" { pending = nil }
                    if trimmed == RehearsalTranscript.hintCommand { state.hintsUsed += 1 }
                    continue
                }
                if state.isOver {
                    pending = (nil, text, number)
                    continue
                }
                turns += 1
                let turn = engine.handle(text, in: state)
                steps.append((text, turn))
                state = turn.state
                pending = (turn.reply, text, number)
            case .score(let text):
                expectedScore = (text, number)
            }
        }
        if pending != nil { settle(expected: nil, at: lastInputLine) }
        let scorecard = engine.scorecard(state)
        if expectedScore?.0 != scorecard.summaryLine {
            mismatches.append(.init(file: file, line: expectedScore?.1 ?? transcript.lines.count, input: "(scorecard)", expected: expectedScore?.0, got: scorecard.summaryLine))
        }
        // The updated transcript: replies as given now, the score line last.
        while case .other(let text)? = out.last, text.trimmingWhitespace().isEmpty { out.removeLast() }
        out.append(.score(scorecard.summaryLine))
        var outcome = Outcome(state: state, scorecard: scorecard, mismatches: mismatches, updated: RehearsalTranscript(lines: out), turns: turns, steps: steps)
        outcome.opening = opening
        return outcome
    }
}
