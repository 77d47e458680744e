/// A conversation written the way the shell shows it: customer lines start with `you> `, Kefu's with
/// `kefu> `, and further lines of a Kefu reply are indented. Comments (`#`) and blank lines are kept,
/// so `replay --update` can rewrite the expected replies without disturbing anything else.
public struct Transcript: Sendable, Equatable {
    public static let customerPrefix = "you> "
    public static let kefuPrefix = "kefu> "
    public static let continuationIndent = "      "

    public enum Line: Sendable, Equatable {
        case other(String)
        case customer(String)
        /// One reply; `lineCount` is how many physical lines it took in the file.
        case kefu(String, lineCount: Int)
    }

    public struct Turn: Sendable, Equatable {
        public var input: String
        public var inputLine: Int
        /// The expected reply, nil when the transcript has none after this customer line.
        public var expected: String?
        public var expectedLine: Int?
        /// From a `# tickets-before: N` line before the customer line: the store already held N tickets
        /// of that day when this turn was answered, so a ticket it opened was numbered after them.
        public var ticketsBefore: Int? = nil
    }

    /// The comment that carries `Turn.ticketsBefore`.
    public static let ticketsBeforePrefix = "# tickets-before:"
    /// The comment that carries `moment`.
    public static let timePrefix = "# time:"

    public var lines: [Line]

    public init(lines: [Line]) { self.lines = lines }

    public static func parse(_ text: String) -> Transcript {
        var lines: [Line] = []
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var raw = text.physicalLines().map(String.init)
        if raw.last == "" { raw.removeLast() }
        for line in raw {
            if line.hasPrefix(customerPrefix) || line == customerPrefix.trimmingWhitespace() {
                lines.append(.customer(String(line.dropFirst(min(customerPrefix.count, line.count)))))
            } else if line.hasPrefix(kefuPrefix) || line == kefuPrefix.trimmingWhitespace() {
                lines.append(.kefu(String(line.dropFirst(min(kefuPrefix.count, line.count))), lineCount: 1))
            } else if let first = line.first, first == " " || first == "\t", case .kefu(let reply, let count)? = lines.last {
                let content = line.hasPrefix(continuationIndent) ? String(line.dropFirst(continuationIndent.count)) : line.trimmingWhitespace()
                lines[lines.count - 1] = .kefu(reply + "\n" + content, lineCount: count + 1)
            } else {
                lines.append(.other(line))
            }
        }
        return Transcript(lines: lines)
    }

    /// The time the conversation happens at, from a `# time: 2026-11-27 22:30` line (service hours and
    /// ticket numbers depend on it); the replay default otherwise.
    public var moment: Moment {
        for line in lines {
            if case .other(let text) = line, text.hasPrefix(Self.timePrefix), let moment = Moment(parsing: String(text.dropFirst(Self.timePrefix.count))) { return moment }
        }
        return .replayDefault
    }

    /// Customer turns with the reply expected after each (1-based line numbers for messages).
    public var turns: [Turn] {
        var turns: [Turn] = []
        var lineNumber = 1
        var ticketsBefore: Int?
        for line in lines {
            switch line {
            case .customer(let text):
                turns.append(Turn(input: text, inputLine: lineNumber, expected: nil, expectedLine: nil, ticketsBefore: ticketsBefore))
                ticketsBefore = nil
                lineNumber += 1
            case .kefu(let reply, let count):
                if var last = turns.last, last.expected == nil {
                    last.expected = reply
                    last.expectedLine = lineNumber
                    turns[turns.count - 1] = last
                }
                lineNumber += count
            case .other(let text):
                if text.hasPrefix(Self.ticketsBeforePrefix) {
                    ticketsBefore = Int(text.dropFirst(Self.ticketsBeforePrefix.count).trimmingWhitespace())
                }
                lineNumber += 1
            }
        }
        return turns
    }

    /// The reply as a terminal shows it: each line wrapped by `wrapper` (whose columns leave room for the
    /// label), every row after the first under the reply text. Without a wrapper, as `formatReply(_:)`.
    public static func formatReply(_ reply: String, wrappedBy wrapper: ReplyWrapper?) -> String {
        guard let wrapper else { return formatReply(reply) }
        return wrapper.labelled(reply, label: kefuPrefix)
    }

    public static func formatReply(_ reply: String) -> String {
        reply.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? kefuPrefix + $0.element : continuationIndent + $0.element }
            .joined(separator: "\n")
    }

    public var text: String {
        lines.map { line -> String in
            switch line {
            case .other(let text): return text
            case .customer(let text): return Transcript.customerPrefix + text
            case .kefu(let reply, _): return Transcript.formatReply(reply)
            }
        }.joined(separator: "\n") + "\n"
    }

    /// The same transcript with Kefu's replies replaced by `replies` (one per customer turn, nil = none).
    /// The lines of a reply as splitting its Characters at "\n" counts them, by bytes: a "\n" is its own
    /// Character unless it ends a "\r\n". (Splitting every reply was a twentieth of a checked replay.)
    static func lineCount(_ text: String) -> Int {
        var count = 1
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A && previous != 0x0D { count += 1 }
            previous = byte
        }
        return count
    }

    public func updating(replies: [String?]) -> Transcript {
        var out: [Line] = []
        var turnIndex = -1
        for line in lines {
            switch line {
            case .customer:
                turnIndex += 1
                out.append(line)
                if turnIndex < replies.count, let reply = replies[turnIndex] {
                    out.append(.kefu(reply, lineCount: Transcript.lineCount(reply)))
                }
            case .kefu:
                continue
            case .other:
                out.append(line)
            }
        }
        return Transcript(lines: out)
    }
}
