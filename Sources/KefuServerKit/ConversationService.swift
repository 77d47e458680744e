import Foundation
import KefuKit
import KefuStore

/// Serves conversations over the network, one turn at a time and without memory of its own: each turn reads the
/// conversation's state from the store, answers with the engine, and writes the turn and the new state in one
/// transaction. Any number of servers on one database can therefore continue any conversation.
public final class ConversationService: Sendable {
    public struct Started: Sendable, Equatable {
        public var secrets: SessionSecrets
        public var greeting: String
    }

    public struct Answered: Sendable {
        public var record: TurnRecord
        public var tickets: [String]
        public var escalations: Int
        /// The line was cut to `CustomerInput.maximumScalars`.
        public var truncated: Bool
    }

    public let engine: DialogueEngine
    public let store: any ConversationStore
    private let clock: @Sendable () -> (date: Date, moment: Moment)

    /// `clock`: the time of a turn (stored) and as the engine sees it (service hours, ticket dates).
    public init(engine: DialogueEngine, store: any ConversationStore, clock: @escaping @Sendable () -> (date: Date, moment: Moment) = ServerClock.now) {
        self.engine = engine
        self.store = store
        self.clock = clock
    }

    /// Starts a conversation: its greeting is stored as turn 0 with the state, the secrets go to the caller only.
    public func start(language: LanguageChoice, channel: String) throws -> Started {
        var state = DialogueState()
        switch language {
        case .auto: state.languageMode = .auto
        case .fixed(let fixed):
            state.languageMode = .fixed(fixed)
            state.language = fixed
        }
        // A page that does not know its reader's language greets in both.
        let greeting = language == .auto
            ? engine.welcome(state) + "\n" + engine.welcome({ var english = state; english.language = .en; return english }())
            : engine.welcome(state)
        let secrets = SessionSecrets.random()
        let now = clock()
        let record = TurnRecord(input: "", language: state.language, reply: greeting, state: "opening")
        let write = TurnWrite(sessionID: nil, session: NewSession(startedAt: now.date, channel: channel, mode: "chat", language: state.language),
                              sequence: 0, at: now.date, record: record, events: [], opening: true,
                              live: LiveSessionWrite(publicID: secrets.publicID, tokenHash: SessionSecrets.hash(token: secrets.token),
                                                     state: try Self.encode(state)))
        _ = try store.record(write)
        return Started(secrets: secrets, greeting: greeting)
    }

    /// The conversation `publicID`, if `token` opens it; `ServiceError.notFound` otherwise (the same answer for a
    /// wrong token as for no such conversation, so a refusal says nothing about what exists).
    public func open(publicID: String, token: String?) throws -> LiveSession {
        try open(publicID: publicID, token: token, ticketPrefix: nil).live
    }

    /// The conversation, and with `ticketPrefix` the count of the day's tickets, read together.
    private func open(publicID: String, token: String?, ticketPrefix: String?) throws -> (live: LiveSession, tickets: Int) {
        guard SessionSecrets.isWellFormed(publicID), let token, SessionSecrets.isWellFormed(token) else { throw ServiceError.notFound }
        let (found, tickets) = try ticketPrefix.map { try store.liveSession(publicID: publicID, countingTicketsWithPrefix: $0) }
            ?? (try store.liveSession(publicID: publicID), 0)
        guard let live = found, SessionSecrets.matches(token: token, hash: live.tokenHash) else { throw ServiceError.notFound }
        return (live, tickets)
    }

    /// Answers one customer line of the conversation.
    public func send(publicID: String, token: String?, text: String) throws -> Answered {
        let now = clock()
        // Ticket numbers continue the day's count in the store, as in the terminal.
        let (live, stored) = try open(publicID: publicID, token: token, ticketPrefix: "T\(now.moment.compactDate)-")
        guard live.endedAt == nil else { throw ServiceError.ended }
        // The same cleaning as the terminal: escape sequences and control characters out, at most 2,000 scalars.
        let prepared = CustomerInput.prepare(text)
        guard !prepared.text.isEmpty else { throw ServiceError.emptyMessage }
        // A state saved by another version of Kefu that this one cannot read (a rolling upgrade) starts the conversation
        // afresh, said in the events, rather than refusing the customer's every line from then on.
        var reset = false
        var state: DialogueState
        if let saved = try? Self.decode(live.state) {
            state = saved
        } else {
            state = DialogueState()
            reset = true
        }
        if state.handoff.ticket == nil { state.handoff.ticketCount = max(state.handoff.ticketCount, stored) }
        guard var turn = engine.handle(prepared.text, in: state, at: now.moment) else { throw ServiceError.emptyMessage }
        var events: [DialogueEvent] = []
        if reset {
            let event = DialogueEvent(.conversationReset, "state-unreadable")
            events.append(event)
            turn.record.events.insert(event, at: 0)
        }
        var tickets: [HandoffTicket] = []
        var ends = false
        for effect in turn.effects {
            switch effect {
            case .event(let event): events.append(event)
            case .ticket(let ticket): tickets.append(ticket)
            case .endConversation: ends = true
            case .reply: break
            }
        }
        let write = TurnWrite(sessionID: live.sessionID,
                              session: NewSession(startedAt: live.startedAt, channel: live.channel, mode: "chat", language: turn.record.language),
                              sequence: live.sequence + 1, at: now.date, record: turn.record, events: events, tickets: tickets,
                              live: LiveSessionWrite(publicID: publicID, state: try Self.encode(turn.state)))
        let recorded = try store.record(write)
        if !recorded.renumbered.isEmpty {
            turn.record.reply = HandoffTicket.renumbering(turn.record.reply, recorded.renumbered)
        }
        if ends || turn.record.endsConversation { try store.endSession(live.sessionID, at: now.date) }
        return Answered(record: turn.record, tickets: recorded.ticketIDs, escalations: events.filter { $0.kind == .escalation }.count,
                        truncated: prepared.truncated)
    }

    /// (Keys in the encoder's order, not sorted: sorting them was a tenth of the encoding's time, and nothing compares
    /// two stored states as text.)
    static func encode(_ state: DialogueState) throws -> String {
        String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    }

    static func decode(_ json: String) throws -> DialogueState {
        try JSONDecoder().decode(DialogueState.self, from: Data(json.utf8))
    }
}

/// The language a conversation is started in.
public enum LanguageChoice: Sendable, Equatable {
    case auto
    case fixed(Language)

    public init?(_ text: String?) {
        switch text ?? "auto" {
        case "auto": self = .auto
        case "zh": self = .fixed(.zh)
        case "en": self = .fixed(.en)
        default: return nil
        }
    }
}

/// What a request can run into, with what the client is told.
public enum ServiceError: Error, Equatable, Sendable {
    case notFound
    case ended
    case emptyMessage
}
