import Foundation
import KefuKit

/// Where conversations, events and handoff tickets are kept. `SQLiteStore` is the one implementation
/// today; a server database can be added behind the same protocol without touching the engine or the
/// shell (they only see `ConversationObserver`).
///
/// Implementations mask personal data (`PersonalDataMasker`) in every free text before writing it,
/// and report failures as `StoreError`.
public protocol ConversationStore: AnyObject, Sendable {
    /// Where the data lives, for messages ("/home/a/.local/share/kefu/kefu.sqlite").
    var location: String { get }

    /// Writes one answered turn atomically: the customer line, Kefu's reply, the turn's events and
    /// tickets. Creates the session with its first turn (`write.sessionID == nil`), so a conversation
    /// that never got a line leaves nothing behind.
    func record(_ write: TurnWrite) throws -> RecordedTurn
    func endSession(_ id: Int64, at: Date) throws

    /// Tickets with one of the statuses, by priority (urgent first) then age (oldest first).
    func tickets(status: Set<HandoffTicket.Status>) throws -> [StoredTicket]
    func ticket(id: String) throws -> StoredTicket
    /// The session's utterances, oldest first; up to and including turn `sequence` when given.
    func turns(session: Int64, through sequence: Int?) throws -> [StoredTurn]
    /// How many stored tickets have an id starting with `prefix` (for numbering new ones).
    func ticketCount(withPrefix prefix: String) throws -> Int
    func claimTicket(id: String, agent: String, at: Date) throws -> StoredTicket
    func closeTicket(id: String, note: String, at: Date) throws -> StoredTicket

    func stats(_ filter: RecordFilter) throws -> ServiceStats
    /// Sessions (with their utterances and events) started within the filter, oldest first.
    func sessions(_ filter: RecordFilter) throws -> [StoredSession]

    /// Writes a rehearsal's scorecard (weak points masked) for its session, in one transaction.
    func recordScorecard(_ write: ScorecardWrite) throws
    /// Scorecards written within the filter (time: when scored; channel and mode: their session's), oldest first.
    func scorecards(_ filter: RecordFilter) throws -> [StoredScorecard]

    /// Whether the database answers, with the least work it can do (a health check runs every few seconds: counting
    /// the tickets, as it first did, read the whole table).
    func checkAvailable() throws

    /// A conversation served over the network (`kefu-server`), by its public id: its token's hash, the dialogue state
    /// after its last turn and that turn's number. nil when there is no such conversation.
    func liveSession(publicID: String) throws -> LiveSession?
    /// `liveSession`, and how many stored tickets have an id starting with `ticketPrefix`, in one request where the
    /// database allows (a served turn needs both).
    func liveSession(publicID: String, countingTicketsWithPrefix ticketPrefix: String) throws -> (LiveSession?, tickets: Int)
}

extension ConversationStore {
    public func liveSession(publicID: String, countingTicketsWithPrefix ticketPrefix: String) throws -> (LiveSession?, tickets: Int) {
        guard let live = try liveSession(publicID: publicID) else { return (nil, 0) }
        return (live, try ticketCount(withPrefix: ticketPrefix))
    }
}

/// What a served conversation keeps besides its turns, written in the same transaction as each turn: any server can
/// then continue any conversation, and none is lost or forked when a server dies between two messages.
public struct LiveSessionWrite: Sendable, Equatable {
    /// The unguessable id the customer's client uses (never the database's row id).
    public var publicID: String
    /// SHA-256 of the session's secret token, hex: given with the session's first write only. The token itself is
    /// never stored.
    public var tokenHash: String?
    /// The dialogue state after this turn, as JSON. The store masks personal data in every string of it.
    public var state: String

    public init(publicID: String, tokenHash: String? = nil, state: String) {
        self.publicID = publicID
        self.tokenHash = tokenHash
        self.state = state
    }
}

public struct LiveSession: Sendable, Equatable {
    public var sessionID: Int64
    public var publicID: String
    public var tokenHash: String
    /// The dialogue state (JSON) after turn `sequence`.
    public var state: String
    /// The number of the last stored turn (0: only the greeting).
    public var sequence: Int
    public var startedAt: Date
    public var endedAt: Date?
    public var channel: String

    public init(sessionID: Int64, publicID: String, tokenHash: String, state: String, sequence: Int, startedAt: Date,
                endedAt: Date?, channel: String) {
        self.sessionID = sessionID
        self.publicID = publicID
        self.tokenHash = tokenHash
        self.state = state
        self.sequence = sequence
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.channel = channel
    }
}

/// A session as it starts.
public struct NewSession: Sendable, Equatable {
    public var startedAt: Date
    public var channel: String
    /// "chat", "replay" or "rehearse".
    public var mode: String
    public var language: Language
    /// A key on the content of a conversation stored from a file (a scored rehearsal): storing the same content
    /// again replaces the earlier session instead of adding a second one.
    public var contentKey: String?

    public init(startedAt: Date, channel: String, mode: String, language: Language, contentKey: String? = nil) {
        self.contentKey = contentKey
        self.startedAt = startedAt
        self.channel = channel
        self.mode = mode
        self.language = language
    }
}

/// Everything one answered customer line produced.
public struct TurnWrite: Sendable {
    /// nil for the first turn: the session is created in the same transaction.
    public var sessionID: Int64?
    public var session: NewSession
    /// 1-based position of the turn in its session.
    public var sequence: Int
    public var at: Date
    public var record: TurnRecord
    public var events: [DialogueEvent]
    public var tickets: [HandoffTicket]
    /// Only Kefu spoke (a rehearsal persona's first line, at sequence 0): no customer row is written.
    public var opening = false
    /// A served conversation's state, kept with the turn. Its turn must follow the last stored one exactly
    /// (`StoreError.sessionMovedOn` otherwise).
    public var live: LiveSessionWrite?

    public init(sessionID: Int64?, session: NewSession, sequence: Int, at: Date, record: TurnRecord,
                events: [DialogueEvent], tickets: [HandoffTicket] = [], opening: Bool = false, live: LiveSessionWrite? = nil) {
        self.opening = opening
        self.live = live
        self.sessionID = sessionID
        self.session = session
        self.sequence = sequence
        self.at = at
        self.record = record
        self.events = events
        self.tickets = tickets
    }
}

public struct RecordedTurn: Sendable, Equatable {
    public var sessionID: Int64
    /// The ids the tickets were stored under.
    public var ticketIDs: [String]
    /// Tickets stored under another number than the engine gave them (another conversation took that
    /// number first): engine id → stored id. The stored reply already names the stored id; the shell
    /// must show that one too.
    public var renumbered: [String: String]

    public init(sessionID: Int64, ticketIDs: [String], renumbered: [String: String] = [:]) {
        self.sessionID = sessionID
        self.ticketIDs = ticketIDs
        self.renumbered = renumbered
    }
}

public struct StoredTicket: Sendable, Equatable {
    public var ticket: HandoffTicket
    public var sessionID: Int64?
    public var turnSequence: Int?
    public var createdAt: Date
    public var claimedBy: String?
    public var claimedAt: Date?
    public var closedAt: Date?
    public var closeNote: String?

    public init(ticket: HandoffTicket, sessionID: Int64?, turnSequence: Int?, createdAt: Date, claimedBy: String?, claimedAt: Date?,
                closedAt: Date?, closeNote: String?) {
        self.ticket = ticket
        self.sessionID = sessionID
        self.turnSequence = turnSequence
        self.createdAt = createdAt
        self.claimedBy = claimedBy
        self.claimedAt = claimedAt
        self.closedAt = closedAt
        self.closeNote = closeNote
    }
}

public struct StoredTurn: Sendable, Equatable {
    public enum Speaker: String, Sendable { case customer, kefu }
    public var sequence: Int
    public var at: Date
    public var speaker: Speaker
    public var text: String
    /// Customer lines: the detected language (nil when the line had no letters); Kefu: the reply's.
    public var language: String?
    public var matchedID: String?
    public var score: Double?
    public var state: String?

    public init(sequence: Int, at: Date, speaker: Speaker, text: String, language: String?, matchedID: String?, score: Double?, state: String?) {
        self.sequence = sequence
        self.at = at
        self.speaker = speaker
        self.text = text
        self.language = language
        self.matchedID = matchedID
        self.score = score
        self.state = state
    }
}

public struct StoredEvent: Sendable, Equatable {
    public var turnSequence: Int
    public var at: Date
    public var kind: String
    public var detail: String?

    public init(turnSequence: Int, at: Date, kind: String, detail: String?) {
        self.turnSequence = turnSequence
        self.at = at
        self.kind = kind
        self.detail = detail
    }
}

public struct StoredSession: Sendable, Equatable {
    public var id: Int64
    public var startedAt: Date
    public var endedAt: Date?
    public var channel: String
    public var language: String
    public var mode: String
    public var turns: [StoredTurn]
    public var events: [StoredEvent]

    public init(id: Int64, startedAt: Date, endedAt: Date?, channel: String, language: String, mode: String, turns: [StoredTurn], events: [StoredEvent]) {
        self.id = id
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.channel = channel
        self.language = language
        self.mode = mode
        self.turns = turns
        self.events = events
    }
}

/// Which records a report covers. Times are compared with each record's own time (a session's start,
/// a turn's, an event's, a ticket's creation); `until` is exclusive.
public struct RecordFilter: Sendable, Equatable {
    public var since: Date?
    public var until: Date?
    public var channel: String?
    public var mode: String?

    public init(since: Date? = nil, until: Date? = nil, channel: String? = nil, mode: String? = nil) {
        self.since = since
        self.until = until
        self.channel = channel
        self.mode = mode
    }
}

/// The event kinds the reports look for, as the engine names them (`DialogueEvent.Kind`).
public enum EventKindName {
    public static let answered = DialogueEvent.Kind.answered.rawValue
    public static let notUnderstood = DialogueEvent.Kind.notUnderstood.rawValue
    public static let profileCompleted = DialogueEvent.Kind.profileCompleted.rawValue
    public static let recommendationShown = DialogueEvent.Kind.recommendationShown.rawValue
    public static let conversion = DialogueEvent.Kind.conversion.rawValue
    /// detail: the objection type ("too-risky").
    public static let objectionRaised = DialogueEvent.Kind.objectionRaised.rawValue
    /// detail: "TYPE/REASON" (or "TYPE/general").
    public static let objectionReason = DialogueEvent.Kind.objectionReason.rawValue
    /// detail: "TYPE:PRODUCT" — after the talk track, the customer took the re-offer.
    public static let objectionAccepted = DialogueEvent.Kind.objectionAccepted.rawValue
    /// detail: "TYPE:PRODUCT" ("no:PRODUCT" for a second plain no) — Kefu stopped offering it.
    public static let objectionDeclined = DialogueEvent.Kind.objectionDeclined.rawValue
}
