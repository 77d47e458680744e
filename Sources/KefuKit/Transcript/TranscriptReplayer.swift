/// Feeds a transcript's customer lines to a fresh conversation and compares each reply with the one
/// the transcript expects. Used by `kefu replay`, and by `swift test` for the golden transcripts.
public struct TranscriptReplayer: Sendable {
    public struct Mismatch: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var input: String
        public var expected: String?
        public var got: String?

        public var description: String {
            func show(_ text: String?) -> String {
                guard let text else { return "(no reply)" }
                return text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n    ")
            }
            return "\(file):\(line): reply to '\(input)' differs\n  expected: \(show(expected))\n  got:      \(show(got))"
        }
    }

    public struct Outcome: Sendable {
        public var records: [TurnRecord]
        /// One entry per customer turn: the reply actually given (nil for a blank line).
        public var replies: [String?]
        public var mismatches: [Mismatch]
        public var updated: Transcript
        /// Every effect of every turn, in order (tickets, events), for tests and stores.
        public var effects: [DialogueEffect]
    }

    public let engine: DialogueEngine

    public init(engine: DialogueEngine) { self.engine = engine }

    public func replay(_ transcript: Transcript, file: String) -> Outcome {
        var state = DialogueState()
        var records: [TurnRecord] = []
        var replies: [String?] = []
        var mismatches: [Mismatch] = []
        var effects: [DialogueEffect] = []
        var ended = false
        let moment = transcript.moment
        for turn in transcript.turns {
            if let count = turn.ticketsBefore { state.handoff.ticketCount = max(state.handoff.ticketCount, count) }
            var reply: String?
            if !ended, let result = engine.handle(turn.input, in: state, at: moment) {
                state = result.state
                records.append(result.record)
                effects += result.effects
                reply = result.record.reply
                ended = result.record.endsConversation
            }
            replies.append(reply)
            if reply != turn.expected {
                mismatches.append(Mismatch(file: file, line: turn.expectedLine ?? turn.inputLine, input: turn.input, expected: turn.expected, got: reply))
            }
        }
        return Outcome(records: records, replies: replies, mismatches: mismatches, updated: transcript.updating(replies: replies), effects: effects)
    }
}
