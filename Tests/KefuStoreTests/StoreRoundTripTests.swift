import Foundation
import GRDB
@testable import KefuPostgres
import KefuKit
@testable import KefuStore
import XCTest

final class StoreRoundTripTests: StoreTestCase {
    /// A whole conversation through the observer, read back through the store and through raw SQL.
    func testWholeSessionRoundTrip() throws {
        for backend in try backends() {
            try wholeSessionRoundTrip(backend)
        }
    }

    func wholeSessionRoundTrip(_ backend: StoreBackend) throws {
        let store = backend.store
        let clock = SteppingClock()
        let warnings = WarningLog()
        let observer = StoreObserver(store: store, channel: "app", clock: clock.read, warn: warnings.add)

        observer.conversationStarted(mode: "chat", language: .zh)
        let first = Sample.record("how long does a withdrawal take", reply: "Usually within minutes.", language: .en,
                                  matched: "withdraw-time", score: 0.612, events: [DialogueEvent(.answered, "withdraw-time")])
        observer.turnCompleted(first, effects: Sample.effects(first))
        let second = Sample.record("my card 6222021234567890128 was stolen, call 13812345678", reply: "I'm sorry. An agent will call you.",
                                   language: .en, events: [DialogueEvent(.notUnderstood)])
        observer.turnCompleted(second, effects: Sample.effects(second))
        let third = Sample.record("/quit", reply: "Goodbye!", language: .en)
        observer.turnCompleted(third, effects: Sample.effects(third))
        observer.conversationEnded()
        XCTAssertEqual(warnings.lines, [])

        let sessions = try store.sessions(RecordFilter())
        XCTAssertEqual(sessions.count, 1)
        let session = try XCTUnwrap(sessions.first)
        XCTAssertEqual(session.channel, "app")
        XCTAssertEqual(session.mode, "chat")
        XCTAssertEqual(session.language, "en", "the session's language is that of its first reply")
        XCTAssertEqual(StoreTime.string(session.startedAt), "2026-11-27T08:00:00.000Z")
        XCTAssertEqual(session.endedAt.map(StoreTime.string), "2026-11-27T08:00:04.000Z")
        XCTAssertEqual(session.turns.map(\.sequence), [1, 1, 2, 2, 3, 3])
        XCTAssertEqual(session.turns.map(\.speaker), [.customer, .kefu, .customer, .kefu, .customer, .kefu])
        XCTAssertEqual(session.turns[0].text, "how long does a withdrawal take")
        XCTAssertEqual(session.turns[1].text, "Usually within minutes.")
        XCTAssertEqual(session.turns[1].matchedID, "withdraw-time")
        XCTAssertEqual(session.turns[1].score, 0.612)
        XCTAssertEqual(session.turns[1].state, "idle")
        XCTAssertEqual(session.turns[0].language, "en")
        XCTAssertEqual(session.turns[2].text, "my card **** **** **** 0128 was stolen, call *******5678")
        XCTAssertEqual(session.events.map(\.kind), ["answered", "not-understood"])
        XCTAssertEqual(session.events.map(\.turnSequence), [1, 2])
        XCTAssertEqual(session.events[0].detail, "withdraw-time")

        // What is on disk: no unmasked number anywhere.
        let texts = try backend.texts("SELECT text FROM turns")
        XCTAssertEqual(texts.count, 6)
        for text in texts {
            XCTAssertFalse(text.contains("6222021234567890128"))
            XCTAssertFalse(text.contains("13812345678"))
        }
        if backend.name == "SQLite" { XCTAssertEqual(try backend.texts("PRAGMA journal_mode"), ["wal"]) }
    }

    func testTicketsFromEffectsAreStoredMaskedAndNumberedUniquely() throws {
        for backend in try backends() {
            try ticketsStoredMaskedAndNumberedUniquely(backend)
        }
    }

    func ticketsStoredMaskedAndNumberedUniquely(_ backend: StoreBackend) throws {
        let store = backend.store
        let observer = StoreObserver(store: store, clock: SteppingClock().read, warn: { XCTFail($0) })
        let record = Sample.record("卡被盗刷了 6222021234567890128", reply: "已为您转人工，工单 T20261127-0001。",
                                   events: [DialogueEvent(.escalation, "security-incident:urgent")])
        // The engine numbers tickets per conversation and writes a local time without a zone.
        let ticket = Sample.ticket("T20261127-0001", createdAt: "2026-11-27T16:05",
                                   summary: "客户卡号 6222021234567890128，手机 13812345678")
        XCTAssertEqual(observer.ticketsAlready(withPrefix: "T20261127-"), 0)
        // Two conversations escalating at the same moment: both engines number their ticket 0001. The
        // second is stored as the day's next number, and its stored reply names that number.
        var renumbered: [[String: String]] = []
        for _ in 0..<2 {
            observer.conversationStarted(mode: "chat", language: .zh)
            observer.turnCompleted(record, effects: Sample.effects(record) + [.ticket(ticket)])
            renumbered.append(observer.renumberedTickets)
            observer.conversationEnded()
        }
        XCTAssertEqual(observer.storedTicketIDs, ["T20261127-0001", "T20261127-0002"])
        XCTAssertEqual(renumbered, [[:], ["T20261127-0001": "T20261127-0002"]])
        XCTAssertEqual(observer.ticketsAlready(withPrefix: "T20261127-"), 2)
        XCTAssertEqual(observer.ticketsAlready(withPrefix: "T20261128-"), 0)
        let tickets = try store.tickets(status: [.open])
        XCTAssertEqual(tickets.map(\.ticket.id), ["T20261127-0001", "T20261127-0002"])
        let replies = try backend.texts("SELECT text FROM turns WHERE speaker = 'kefu' ORDER BY session_id")
        XCTAssertEqual(replies, ["已为您转人工，工单 T20261127-0001。", "已为您转人工，工单 T20261127-0002。"])
        XCTAssertEqual(tickets[0].ticket.summary, "客户卡号 **** **** **** 0128，手机 *******5678")
        XCTAssertEqual(tickets[0].ticket.lastTurns, ["you> 我的卡被盗刷了", "kefu> 已为您转接人工客服"])
        XCTAssertEqual(tickets[0].turnSequence, 1)
        XCTAssertEqual(tickets[0].createdAt, StoreTime.date("2026-11-27T08:00:01Z"), "a time without a zone: the turn's own time")
        XCTAssertNotEqual(tickets[0].sessionID, tickets[1].sessionID)
        let events = try store.sessions(RecordFilter()).flatMap(\.events)
        XCTAssertEqual(events.map(\.kind), ["escalation", "escalation"])
    }

    func testReplayedOutcomeIsSplitIntoTurns() throws {
        let store = try SQLiteStore(path: path())
        let observer = StoreObserver(store: store, warn: { XCTFail($0) })
        let first = Sample.record("a", events: [DialogueEvent(.answered, "x")])
        let second = Sample.record("卡被盗刷", events: [DialogueEvent(.escalation, "security-incident:urgent")])
        let effects: [DialogueEffect] = Sample.effects(first) + Sample.effects(second) + [.ticket(Sample.ticket("T20260105-0001")), .endConversation]
        observer.record(replayed: [first, second], effects: effects)
        let session = try XCTUnwrap(try store.sessions(RecordFilter()).first)
        XCTAssertEqual(session.mode, "replay")
        XCTAssertEqual(session.events.map(\.turnSequence), [1, 2])
        XCTAssertEqual(try store.tickets(status: [.open]).map(\.turnSequence), [2])
    }

    func testTicketQueueOrderAndWorkflow() throws {
        for backend in try backends() {
            try ticketQueueOrderAndWorkflow(backend.store)
        }
    }

    func ticketQueueOrderAndWorkflow(_ store: any ConversationStore) throws {
        let tickets = [
            Sample.ticket("T-1", .normal, reason: "explicit-request", createdAt: "2026-11-27T08:00:00Z"),
            Sample.ticket("T-2", .urgent, reason: "distress", createdAt: "2026-11-27T09:00:00Z"),
            Sample.ticket("T-3", .urgent, reason: "security-incident", createdAt: "2026-11-27T08:30:00+08:00"),
            Sample.ticket("T-4", .high, reason: "complaint", createdAt: "2026-11-27T07:00:00Z"),
        ]
        for (index, ticket) in tickets.enumerated() {
            _ = try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: Date(), channel: "terminal", mode: "chat", language: .zh),
                                           sequence: 1, at: Date(), record: Sample.record("q\(index)"), events: [], tickets: [ticket]))
        }
        // urgent first, oldest first within a priority (08:30+08:00 is 00:30Z).
        XCTAssertEqual(try store.tickets(status: [.open]).map(\.ticket.id), ["T-3", "T-2", "T-4", "T-1"])

        let claimed = try store.claimTicket(id: "t-3", agent: "li", at: Date())
        XCTAssertEqual(claimed.ticket.status, .claimed)
        XCTAssertEqual(claimed.claimedBy, "li")
        XCTAssertEqual(try store.tickets(status: [.open]).map(\.ticket.id), ["T-2", "T-4", "T-1"])
        XCTAssertEqual(try store.claimTicket(id: "T-3", agent: "li", at: Date()).claimedBy, "li", "claiming again is harmless")
        XCTAssertThrowsError(try store.claimTicket(id: "T-3", agent: "wang", at: Date())) { error in
            XCTAssertEqual((error as? StoreError)?.description, "ticket T-3 is already claimed by li")
        }
        let closed = try store.closeTicket(id: "T-3", note: "froze card 6222021234567890128", at: Date())
        XCTAssertEqual(closed.ticket.status, .closed)
        XCTAssertEqual(closed.closeNote, "froze card **** **** **** 0128")
        XCTAssertThrowsError(try store.closeTicket(id: "T-3", note: "again", at: Date())) { error in
            XCTAssertEqual((error as? StoreError)?.description, "ticket T-3 is already closed")
        }
        XCTAssertThrowsError(try store.claimTicket(id: "T-3", agent: "li", at: Date())) { error in
            XCTAssertEqual((error as? StoreError)?.description, "ticket T-3 is closed; it cannot be claimed")
        }
        for bad in ["T-99", "", "'; DROP TABLE tickets; --"] {
            XCTAssertThrowsError(try store.ticket(id: bad)) { XCTAssertEqual($0 as? StoreError, .ticketNotFound(id: bad)) }
            XCTAssertThrowsError(try store.claimTicket(id: bad, agent: "li", at: Date())) { XCTAssertEqual($0 as? StoreError, .ticketNotFound(id: bad)) }
            XCTAssertThrowsError(try store.closeTicket(id: bad, note: "x", at: Date())) { XCTAssertEqual($0 as? StoreError, .ticketNotFound(id: bad)) }
        }
        XCTAssertEqual(try store.tickets(status: [.open, .claimed, .closed]).count, 4)
    }

    /// A served conversation: its state is kept with each turn, masked, and a turn that does not follow the last stored
    /// one (two messages answered at once) is refused whole.
    func testLiveSessionStateIsKeptWithEachTurn() throws {
        for backend in try backends() {
            let store = backend.store
            let session = NewSession(startedAt: Date(), channel: "web", mode: "chat", language: .zh)
            let opening = try store.record(TurnWrite(sessionID: nil, session: session, sequence: 0, at: Date(), record: Sample.record("", reply: "您好"),
                                                     events: [], opening: true,
                                                     live: LiveSessionWrite(publicID: "p1", tokenHash: "h1", state: #"{"turn":0}"#)))
            let first = try XCTUnwrap(try store.liveSession(publicID: "p1"), backend.name)
            XCTAssertEqual(first.sequence, 0)
            XCTAssertEqual(first.tokenHash, "h1")
            XCTAssertEqual(first.channel, "web")
            _ = try store.record(TurnWrite(sessionID: opening.sessionID, session: session, sequence: 1, at: Date(), record: Sample.record("我的卡号6222021234567890128"),
                                           events: [DialogueEvent(.adviceStarted, "invest"), DialogueEvent(.notUnderstood), DialogueEvent(.answered, "卡号 6222021234567890128")],
                                           live: LiveSessionWrite(publicID: "p1", state: #"{"recent":["you> 我的卡号6222021234567890128"],"turn":1}"#)))
            let events = try XCTUnwrap(try store.sessions(RecordFilter()).first { $0.id == opening.sessionID }).events
            XCTAssertEqual(events.map(\.kind), ["advice-started", "not-understood", "answered"], backend.name)
            XCTAssertEqual(events.map(\.detail), ["invest", nil, "卡号 **** **** **** 0128"], backend.name)
            XCTAssertEqual(events.map(\.turnSequence), [1, 1, 1])
            let second = try XCTUnwrap(try store.liveSession(publicID: "p1"))
            XCTAssertEqual(second.sequence, 1)
            XCTAssertFalse(second.state.contains("6222021234567890128"), "\(backend.name): \(second.state)")
            XCTAssertTrue(second.state.contains("0128"))
            // Another server answered turn 1 too: its write is refused, and nothing of it is kept.
            XCTAssertThrowsError(try store.record(TurnWrite(sessionID: opening.sessionID, session: session, sequence: 1, at: Date(),
                                                            record: Sample.record("late"), events: [],
                                                            live: LiveSessionWrite(publicID: "p1", state: #"{"turn":"late"}"#)))) { error in
                XCTAssertEqual(error as? StoreError, .sessionMovedOn(session: "p1"), backend.name)
            }
            XCTAssertEqual(try store.liveSession(publicID: "p1")?.state, second.state)
            XCTAssertEqual(try store.turns(session: opening.sessionID, through: nil).map(\.text), ["您好", "我的卡号**** **** **** 0128", "好的。"])
            XCTAssertNil(try store.liveSession(publicID: "nope"))
        }
    }

    func testConversationWithoutTurnsLeavesNothing() throws {
        let store = try SQLiteStore(path: path())
        let observer = StoreObserver(store: store, warn: { XCTFail($0) })
        observer.conversationStarted(mode: "chat", language: .zh)
        observer.conversationEnded()
        XCTAssertEqual(try store.sessions(RecordFilter()).count, 0)
    }

    func testReplayedRecordsBecomeOneSession() throws {
        let store = try SQLiteStore(path: path())
        let observer = StoreObserver(store: store, channel: "terminal", warn: { XCTFail($0) })
        let records = [Sample.record("a", events: [DialogueEvent(.answered, "x")]), Sample.record("b")]
        observer.record(replayed: records.map { (record: $0, effects: Sample.effects($0)) })
        let sessions = try store.sessions(RecordFilter())
        XCTAssertEqual(sessions.map(\.mode), ["replay"])
        XCTAssertEqual(sessions[0].turns.count, 4)
        XCTAssertEqual(sessions[0].events.map(\.kind), ["answered"])
        XCTAssertNotNil(sessions[0].endedAt)
    }

    func testDefaultLocationFollowsXDG() {
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/a"]), "/data/kefu/kefu.sqlite")
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/a"]),
                       "/home/a/.local/share/kefu/kefu.sqlite")
        XCTAssertEqual(StoreLocation.defaultPath(environment: ["HOME": "/home/a"]), "/home/a/.local/share/kefu/kefu.sqlite")
    }

    func testCreatesMissingFolders() throws {
        let nested = folder.appendingPathComponent("a/b/kefu.sqlite").path
        _ = try SQLiteStore(path: nested)
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested))
    }
}
