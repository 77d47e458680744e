import Foundation
import KefuKit

/// Records a live conversation in a `ConversationStore`: one transaction per answered turn (the
/// customer line, the reply, the turn's events and tickets), all masked by the store.
///
/// It never throws into the chat: the first storage error is reported once through `warn` (one line)
/// and the rest of the conversation goes on unrecorded.
public final class StoreObserver: ConversationObserver {
    public let store: any ConversationStore
    public let channel: String
    private let clock: () -> Date
    private let warn: (String) -> Void

    private var mode = "chat"
    private var contentKey: String?
    private var language: Language = .zh
    private var startedAt: Date?
    private var sessionID: Int64?
    private var sequence = 0
    /// Set after the first failure: nothing more is written.
    public private(set) var failure: StoreError?
    /// Ids the tickets of this conversation were stored under, in order.
    public private(set) var storedTicketIDs: [String] = []
    public private(set) var renumberedTickets: [String: String] = [:]
    public var isRecording: Bool { failure == nil }

    public init(store: any ConversationStore, channel: String = "terminal", clock: @escaping () -> Date = Date.init,
                warn: @escaping (String) -> Void) {
        self.store = store
        self.channel = channel
        self.clock = clock
        self.warn = warn
    }

    /// The session being written, once its first turn is stored.
    public var currentSessionID: Int64? { sessionID }

    public func conversationStarted(mode: String, language: Language) {
        contentKey = nil
        self.mode = mode
        self.language = language
        startedAt = clock()
        sessionID = nil
        sequence = 0
    }

    public func turnCompleted(_ record: TurnRecord, effects: [DialogueEffect]) {
        renumberedTickets = [:]
        guard failure == nil else { return }
        sequence += 1
        var events: [DialogueEvent] = []
        var tickets: [HandoffTicket] = []
        for effect in effects {
            switch effect {
            case .event(let event): events.append(event)
            case .ticket(let ticket): tickets.append(ticket)
            case .reply, .endConversation: break
            }
        }
        let now = clock()
        let write = TurnWrite(sessionID: sessionID,
                              session: NewSession(startedAt: startedAt ?? now, channel: channel, mode: mode, language: language, contentKey: contentKey),
                              sequence: sequence, at: now, record: record, events: events, tickets: tickets)
        do {
            let recorded = try store.record(write)
            sessionID = recorded.sessionID
            storedTicketIDs += recorded.ticketIDs
            renumberedTickets = recorded.renumbered
        } catch {
            fail(error)
        }
    }

    public func conversationEnded() {
        guard failure == nil, let sessionID else { return }
        do {
            try store.endSession(sessionID, at: clock())
        } catch {
            fail(error)
        }
    }

    func now() -> Date { clock() }

    func reportFailure(_ error: Error) { fail(error) }

    private func fail(_ error: Error) {
        let storeError = error as? StoreError ?? .other(path: store.location, message: String(describing: error))
        failure = storeError
        warn("kefu: \(storeError.description); this conversation is no longer being recorded")
    }

    /// Tells the engine where to start numbering tickets so that a new conversation does not reuse a
    /// number the store already holds: the count of stored tickets whose id starts with `prefix`
    /// (e.g. "T20261127-"), 0 when the store cannot say.
    public func ticketsAlready(withPrefix prefix: String) -> Int {
        (try? store.ticketCount(withPrefix: prefix)) ?? 0
    }
}

extension StoreObserver: RehearsalObserver {
    /// Writes the scorecard for the rehearsal session just recorded. A rehearsal with no agent line has no
    /// session and nothing to score, so nothing is written; after a storage failure nothing is either.
    public func rehearsalScored(_ scorecard: Scorecard, seed: UInt64) {
        guard failure == nil, let sessionID = currentSessionID, scorecard.lines > 0 else { return }
        do {
            try store.recordScorecard(ScorecardWrite(sessionID: sessionID, at: now(), seed: seed, scorecard: scorecard))
        } catch {
            reportFailure(error)
        }
    }

    /// The persona's first line, before the trainee says anything: stored at sequence 0 with no trainee line.
    public func rehearsalOpened(_ line: String, language: Language) {
        guard failure == nil, sessionID == nil, sequence == 0 else { return }
        let now = clock()
        let record = TurnRecord(input: "", language: language, detectedLanguage: nil, matchedID: nil, score: nil, state: "opening",
                                reply: line, events: [], endsConversation: false)
        let write = TurnWrite(sessionID: nil,
                              session: NewSession(startedAt: startedAt ?? now, channel: channel, mode: mode, language: language, contentKey: contentKey),
                              sequence: 0, at: now, record: record, events: [], opening: true)
        do {
            sessionID = try store.record(write).sessionID
        } catch {
            fail(error)
        }
    }

    /// Records a recorded rehearsal replayed by `kefu rehearse --score --db`: the persona's opening, the agent
    /// lines and the customer's replies as a "rehearse" session, then its scorecard. `contentKey` (a digest of
    /// the file) makes scoring the same file again replace the session rather than add one.
    public func record(rehearsal turns: [(input: String, turn: RehearsalTurn)], opening: String?, scorecard: Scorecard, seed: UInt64,
                       contentKey: String? = nil) {
        guard let first = turns.first else { return }
        conversationStarted(mode: "rehearse", language: first.turn.state.language)
        self.contentKey = contentKey
        if let opening { rehearsalOpened(opening, language: first.turn.state.language) }
        for (input, turn) in turns { turnCompleted(turn.record(input: input), effects: [.reply(turn.reply ?? "")]) }
        rehearsalScored(scorecard, seed: seed)
        conversationEnded()
    }
}

extension StoreObserver {
    /// Records a conversation that was not lived through a shell (a replayed transcript) as one session
    /// with the given mode: each turn with its own effects (events, tickets).
    public func record(replayed turns: [(record: TurnRecord, effects: [DialogueEffect])], mode: String = "replay") {
        guard let first = turns.first else { return }
        conversationStarted(mode: mode, language: first.record.language)
        for turn in turns { turnCompleted(turn.record, effects: turn.effects) }
        conversationEnded()
    }

    /// The same for `TranscriptReplayer.Outcome` (`records` and the flat `effects` list): every turn's
    /// effects begin with its `.reply`, which is where the list is cut. If the counts do not agree, only
    /// each record's events are kept.
    public func record(replayed records: [TurnRecord], effects: [DialogueEffect], mode: String = "replay") {
        var perTurn: [[DialogueEffect]] = []
        for effect in effects {
            if case .reply = effect { perTurn.append([]) }
            if !perTurn.isEmpty { perTurn[perTurn.count - 1].append(effect) }
        }
        if perTurn.count != records.count {
            perTurn = records.map { [.reply($0.reply)] + $0.events.map { .event($0) } }
        }
        record(replayed: Array(zip(records, perTurn)).map { (record: $0.0, effects: $0.1) }, mode: mode)
    }
}
