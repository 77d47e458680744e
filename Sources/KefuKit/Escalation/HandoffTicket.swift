import Foundation

/// What a human agent receives when Kefu hands a conversation over: enough context that the customer
/// never has to repeat themselves.
public struct HandoffTicket: Sendable, Equatable, Codable {
    public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
        case urgent, high, normal, low

        public var rank: Int { Priority.allCases.firstIndex(of: self)! }
        public static func < (a: Priority, b: Priority) -> Bool { a.rank < b.rank }
    }

    public enum Status: String, Sendable, Codable {
        case open, claimed, closed
    }

    /// Short, readable, unique within a store (e.g. "T20261127-0042"); assigned by the engine from the
    /// injected clock and a counter so that replays stay deterministic.
    public var id: String
    public var priority: Priority
    /// A reason code from the escalation rules (e.g. "security-incident", "explicit-request").
    public var reason: String
    public var status: Status
    /// One paragraph for the agent: profile, topics, products discussed, objections raised.
    public var summary: String
    /// The last turns before the handoff, oldest first, as "you> …" / "kefu> …" lines.
    public var lastTurns: [String]
    /// ISO-8601 time of creation, from the injected clock.
    public var createdAt: String
    /// The summary's parts (problem, facts, what was told, wishes, mood), for tools; nil on tickets stored
    /// before it existed.
    public var details: HandoffSummary?

    public init(id: String, priority: Priority, reason: String, status: Status = .open, summary: String, lastTurns: [String], createdAt: String,
                details: HandoffSummary? = nil) {
        self.details = details
        self.id = id
        self.priority = priority
        self.reason = reason
        self.status = status
        self.summary = summary
        self.lastTurns = lastTurns
        self.createdAt = createdAt
    }
}

extension HandoffTicket {
    /// `text` with every renumbered ticket id (engine id → stored id) replaced by its stored id, longest
    /// first so that one id inside another is not cut: what the store keeps and what the shell shows.
    public static func renumbering(_ text: String, _ renumbered: [String: String]) -> String {
        renumbered.keys.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: renumbered[$1]!) }
    }
}
