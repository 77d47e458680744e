import Foundation
import KefuKit
import KefuStore
import Logging
import PostgresNIO

/// The conversation store in PostgreSQL: the same tables and meaning as `SQLiteStore` (sessions, turns with the masked
/// customer text, events, tickets, scorecards), versioned migrations, every free text masked before it is written, and
/// one transaction per turn. Several kefu-server processes share one database; any of them continues any conversation.
public final class PostgresStore: ConversationStore, @unchecked Sendable {
    /// The URL without its password, for messages.
    public let location: String
    let pool: SQLConnectionPool
    let masker = PersonalDataMasker()

    /// The migrations, in order, named as SQLite's are. Never edit a shipped one: add a new one.
    public static let schemaVersions = SQLiteStore.schemaVersions

    /// Connects to `url` (`postgres://user:password@host:port/database`, `?host=/var/run/postgresql` for a Unix socket,
    /// `?sslmode=require` for TLS) and brings the schema up to date.
    public init(url: String, connections: Int = 8, logger: Logger = Logger(label: "kefu-postgres")) throws {
        let parsed = try PostgresURL(url)
        location = parsed.display
        pool = SQLConnectionPool(configuration: parsed.configuration, maximum: connections, logger: logger)
        try guarded { try pool.with { try Self.migrate($0) } }
    }

    deinit { pool.close() }

    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw StoreError.other(path: location, message: message)
            }
            throw StoreError.cannotOpen(path: location, reason: Self.reason(error))
        } catch {
            throw StoreError.other(path: location, message: String(describing: error))
        }
    }

    private static func reason(_ error: PSQLError) -> String {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown: return "the server does not answer (is PostgreSQL running there?)"
        default: return "\(error.code)"
        }
    }

    // MARK: - Schema

    static let migrations: [(String, String)] = [
        ("v1-sessions", """
            CREATE TABLE sessions (
                id          BIGSERIAL PRIMARY KEY,
                started_at  TEXT NOT NULL,
                ended_at    TEXT,
                channel     TEXT NOT NULL DEFAULT 'terminal',
                language    TEXT NOT NULL,
                mode        TEXT NOT NULL DEFAULT 'chat' CHECK (mode IN ('chat', 'replay', 'rehearse'))
            );
            CREATE TABLE turns (
                id          BIGSERIAL PRIMARY KEY,
                session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                seq         INTEGER NOT NULL,
                at          TEXT NOT NULL,
                speaker     TEXT NOT NULL CHECK (speaker IN ('customer', 'kefu')),
                text        TEXT NOT NULL,
                language    TEXT,
                matched_id  TEXT,
                score       DOUBLE PRECISION,
                state       TEXT,
                UNIQUE (session_id, seq, speaker)
            );
            CREATE TABLE events (
                id          BIGSERIAL PRIMARY KEY,
                session_id  BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                turn_seq    INTEGER NOT NULL,
                at          TEXT NOT NULL,
                kind        TEXT NOT NULL,
                detail      TEXT
            );
            CREATE INDEX events_session ON events(session_id, turn_seq);
            """),
        ("v2-tickets", """
            CREATE TABLE tickets (
                id             TEXT PRIMARY KEY,
                session_id     BIGINT REFERENCES sessions(id) ON DELETE SET NULL,
                turn_seq       INTEGER,
                priority       TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
                priority_rank  INTEGER NOT NULL,
                reason         TEXT NOT NULL,
                status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'claimed', 'closed')),
                summary        TEXT NOT NULL,
                last_turns     TEXT NOT NULL DEFAULT '[]',
                created_at     TEXT NOT NULL,
                claimed_by     TEXT,
                claimed_at     TEXT,
                closed_at      TEXT,
                close_note     TEXT,
                stored         BIGSERIAL
            );
            CREATE INDEX tickets_queue ON tickets(status, priority_rank, created_at);
            CREATE INDEX sessions_started ON sessions(started_at);
            CREATE INDEX turns_at ON turns(at);
            CREATE INDEX events_kind ON events(kind, at);
            """),
        ("v3-scorecards", """
            CREATE TABLE scorecards (
                id           BIGSERIAL PRIMARY KEY,
                session_id   BIGINT NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
                at           TEXT NOT NULL,
                persona      TEXT NOT NULL,
                language     TEXT NOT NULL,
                seed         BIGINT NOT NULL,
                outcome      TEXT NOT NULL,
                overall      INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 100),
                passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
                agent_lines  INTEGER NOT NULL,
                hints        INTEGER NOT NULL DEFAULT 0,
                weak_points  TEXT NOT NULL DEFAULT '[]'
            );
            CREATE TABLE scorecard_skills (
                scorecard_id BIGINT NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
                skill        TEXT NOT NULL,
                weight       INTEGER NOT NULL,
                good         INTEGER NOT NULL,
                poor         INTEGER NOT NULL,
                breach       INTEGER NOT NULL,
                score        INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 100),
                PRIMARY KEY (scorecard_id, skill)
            );
            CREATE INDEX scorecards_at ON scorecards(at);
            CREATE INDEX scorecards_persona ON scorecards(persona, at);
            """),
        ("v4-ticket-details-content-keys", """
            ALTER TABLE tickets ADD COLUMN details TEXT;
            ALTER TABLE sessions ADD COLUMN content_key TEXT;
            CREATE UNIQUE INDEX sessions_content_key ON sessions(content_key) WHERE content_key IS NOT NULL;
            """),
        ("v5-live-sessions", """
            ALTER TABLE sessions ADD COLUMN public_id TEXT;
            ALTER TABLE sessions ADD COLUMN token_hash TEXT;
            ALTER TABLE sessions ADD COLUMN dialogue_state TEXT;
            ALTER TABLE sessions ADD COLUMN last_seq INTEGER;
            CREATE UNIQUE INDEX sessions_public_id ON sessions(public_id) WHERE public_id IS NOT NULL;
            """),
    ]

    /// Applies the pending migrations, one server at a time (an advisory lock: several servers start together).
    static func migrate(_ db: SQLConnection) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS kefu_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        try db.transaction {
            try db.execute("SELECT pg_advisory_xact_lock(7340181)")
            let applied = Set(try db.query("SELECT id FROM kefu_migrations").compactMap { try $0.string(0) })
            let known = Set(migrations.map(\.0))
            let unknown = applied.subtracting(known).sorted()
            if !unknown.isEmpty { throw StoreError.newerSchema(path: "PostgreSQL", unknown: unknown) }
            for (id, sql) in migrations where !applied.contains(id) {
                for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                    try db.execute(statement)
                }
                try db.execute("INSERT INTO kefu_migrations (id, applied_at) VALUES (?, ?)", [.of(id), .of(StoreTime.string(Date()))])
            }
        }
    }

    /// The applied migrations, oldest first.
    public func schemaVersion() throws -> [String] {
        let applied = Set(try guarded { try pool.with { try $0.query("SELECT id FROM kefu_migrations").compactMap { try $0.string(0) } } })
        return Self.migrations.map(\.0).filter(applied.contains)
    }

    // MARK: - Writing

    public func record(_ write: TurnWrite) throws -> RecordedTurn {
        let record = write.record
        let at = StoreTime.string(write.at)
        let input = masker.mask(record.input)
        let reply = masker.mask(record.reply)
        let events = write.events.map { ($0.kind.rawValue, $0.detail.map(masker.mask)) }
        let tickets = write.tickets.map(masker.masked)
        let liveState = write.live.map { masker.maskStrings(inJSON: $0.state) }
        if let sessionID = write.sessionID, tickets.isEmpty, !write.opening, let liveState {
            // A served conversation's ordinary turn, the most frequent write: one statement, so one round trip and one
            // commit (under load the separate statements of the general path cost PostgreSQL as much CPU as the engine).
            let stored = try guarded {
                try pool.with { db in
                    try db.query(Self.servedTurn, [
                        .of(liveState), .of(write.sequence), .of(sessionID), .of(write.sequence - 1), .of(at), .of(input),
                        .of(record.detectedLanguage?.rawValue), .of(reply), .of(record.language.rawValue), .of(record.matchedID),
                        .of(record.score), .of(record.state), .texts(events.map(\.0)), .texts(events.map { $0.1 ?? "" }),
                    ]).first?.int(0) ?? 0
                }
            }
            if stored == 0 { throw StoreError.sessionMovedOn(session: write.live?.publicID ?? String(sessionID)) }
            return RecordedTurn(sessionID: sessionID, ticketIDs: [])
        }
        return try guarded {
            try pool.with { db in
                try db.transaction {
                    let sessionID: Int64
                    if let existing = write.sessionID {
                        sessionID = existing
                    } else {
                        if let key = write.session.contentKey {
                            try db.execute("DELETE FROM sessions WHERE content_key = ?", [.of(key)])
                        }
                        let rows = try db.query("""
                            INSERT INTO sessions (started_at, channel, language, mode, content_key, public_id, token_hash, dialogue_state, last_seq)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                            """, [.of(StoreTime.string(write.session.startedAt)), .of(write.session.channel), .of(record.language.rawValue),
                                  .of(write.session.mode), .of(write.session.contentKey), .of(write.live?.publicID), .of(write.live?.tokenHash),
                                  .of(liveState), .of(write.live.map { _ in write.sequence })])
                        sessionID = try rows.first?.int64("id") ?? 0
                    }
                    var ticketIDs: [String] = []
                    var renumbered: [String: String] = [:]
                    if !tickets.isEmpty {
                        // Ticket numbers are handed out one writer at a time, across every server.
                        try db.execute("SELECT pg_advisory_xact_lock(7340182)")
                        for ticket in tickets {
                            let id = try Self.insert(ticket, session: sessionID, sequence: write.sequence, fallbackTime: write.at, db)
                            ticketIDs.append(id)
                            if id != ticket.id { renumbered[ticket.id] = id }
                        }
                    }
                    let reply = HandoffTicket.renumbering(reply, renumbered)
                    if write.sessionID != nil, var liveState {
                        for (id, stored) in renumbered { liveState = liveState.replacingOccurrences(of: id, with: stored) }
                        // The turn must follow the last one stored; of two messages answered at once, the later is refused.
                        let changed = try db.execute("UPDATE sessions SET dialogue_state = ?, last_seq = ? WHERE id = ? AND last_seq = ?",
                                                     [.of(liveState), .of(write.sequence), .of(sessionID), .of(write.sequence - 1)])
                        if changed == 0 { throw StoreError.sessionMovedOn(session: write.live?.publicID ?? String(sessionID)) }
                    }
                    let insertTurn = """
                        INSERT INTO turns (session_id, seq, at, speaker, text, language, matched_id, score, state)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                    if !write.opening {
                        try db.execute(insertTurn, [.of(sessionID), .of(write.sequence), .of(at), .of("customer"), .of(input),
                                                    .of(record.detectedLanguage?.rawValue), .text(nil), .real(nil), .text(nil)])
                    }
                    try db.execute(insertTurn, [.of(sessionID), .of(write.sequence), .of(at), .of("kefu"), .of(reply), .of(record.language.rawValue),
                                                .of(record.matchedID), .of(record.score), .of(record.state)])
                    for (kind, detail) in events {
                        try db.execute("INSERT INTO events (session_id, turn_seq, at, kind, detail) VALUES (?, ?, ?, ?, ?)",
                                       [.of(sessionID), .of(write.sequence), .of(at), .of(kind), .of(detail)])
                    }
                    return RecordedTurn(sessionID: sessionID, ticketIDs: ticketIDs, renumbered: renumbered)
                }
            }
        }
    }

    /// A served turn without tickets in one statement: the state moves on only from the turn before (else nothing is
    /// written and 0 is returned), and the turn's two utterances and its events are inserted with it. Event details are
    /// sent as text, "" for none.
    static let servedTurn = """
        WITH moved AS (
            UPDATE sessions SET dialogue_state = ?::text, last_seq = ?::int WHERE id = ?::int8 AND last_seq = ?::int RETURNING id, last_seq
        ), utterances AS (
            INSERT INTO turns (session_id, seq, at, speaker, text, language, matched_id, score, state)
            SELECT id, last_seq, ?::text, 'customer', ?::text, ?::text, NULL, NULL, NULL FROM moved
            UNION ALL
            SELECT id, last_seq, ?5::text, 'kefu', ?::text, ?::text, ?::text, ?::float8, ?::text FROM moved
        ), happened AS (
            INSERT INTO events (session_id, turn_seq, at, kind, detail)
            SELECT moved.id, moved.last_seq, ?5::text, event.kind, NULLIF(event.detail, '')
            FROM moved, unnest(?::text[], ?::text[]) WITH ORDINALITY AS event(kind, detail, position)
            ORDER BY event.position
        )
        SELECT COUNT(*) FROM moved
        """

    /// Stores a ticket under its id, or under the day's next free number when another conversation took it.
    private static func insert(_ ticket: HandoffTicket, session: Int64, sequence: Int, fallbackTime: Date, _ db: SQLConnection) throws -> String {
        let id = try TicketNumbering.free(ticket.id, exists: { try exists($0, db) }, withPrefix: { prefix in
            try db.query("SELECT id FROM tickets WHERE substr(id, 1, length(?)) = ?", [.of(prefix), .of(prefix)]).compactMap { try $0.string(0) }
        })
        let created = StoreTime.date(ticket.createdAt) ?? fallbackTime
        let lastTurns = String(decoding: try JSONEncoder().encode(ticket.lastTurns), as: UTF8.self)
        let details = try ticket.details.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try db.execute("""
            INSERT INTO tickets (id, session_id, turn_seq, priority, priority_rank, reason, status, summary, last_turns, created_at, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.of(id), .of(session), .of(sequence), .of(ticket.priority.rawValue), .of(ticket.priority.rank), .of(ticket.reason),
                  .of(ticket.status.rawValue), .of(ticket.summary), .of(lastTurns), .of(StoreTime.string(created)), .of(details)])
        return id
    }

    private static func exists(_ id: String, _ db: SQLConnection) throws -> Bool {
        try !db.query("SELECT 1 FROM tickets WHERE id = ?", [.of(id)]).isEmpty
    }

    public func endSession(_ id: Int64, at: Date) throws {
        _ = try guarded { try pool.with { try $0.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", [.of(StoreTime.string(at)), .of(id)]) } }
    }

    public func checkAvailable() throws {
        _ = try guarded { try pool.with { try $0.query("SELECT 1") } }
    }

    public func liveSession(publicID: String) throws -> LiveSession? {
        try liveSession(publicID: publicID, countingTicketsWithPrefix: nil).0
    }

    public func liveSession(publicID: String, countingTicketsWithPrefix ticketPrefix: String) throws -> (LiveSession?, tickets: Int) {
        try liveSession(publicID: publicID, countingTicketsWithPrefix: Optional(ticketPrefix))
    }

    /// The conversation and, when `ticketPrefix` is given, the count of tickets with that prefix, in one statement.
    private func liveSession(publicID: String, countingTicketsWithPrefix ticketPrefix: String?) throws -> (LiveSession?, tickets: Int) {
        try guarded {
            try pool.with { db -> (LiveSession?, tickets: Int) in
                let count = ticketPrefix == nil ? "0" : "(SELECT COUNT(*) FROM tickets WHERE substr(id, 1, length(?2::text)) = ?2::text)"
                guard let row = try db.query("""
                    SELECT id, public_id, token_hash, dialogue_state, last_seq, started_at, ended_at, channel, \(count) AS tickets
                    FROM sessions WHERE public_id = ?1::text
                    """, ticketPrefix.map { [.of(publicID), .of($0)] } ?? [.of(publicID)]).first else { return (nil, 0) }
                let live = LiveSession(sessionID: try row.int64("id") ?? 0, publicID: try row.string("public_id") ?? publicID,
                                   tokenHash: try row.string("token_hash") ?? "", state: try row.string("dialogue_state") ?? "",
                                   sequence: try row.int("last_seq") ?? 0,
                                   startedAt: StoreTime.date(try row.string("started_at") ?? "") ?? Date(timeIntervalSince1970: 0),
                                   endedAt: try row.string("ended_at").flatMap(StoreTime.date), channel: try row.string("channel") ?? "web")
                return (live, try row.int("tickets") ?? 0)
            }
        }
    }

    // MARK: - Tickets

    private static let ticketColumns = """
        id, session_id, turn_seq, priority, reason, status, summary, last_turns, created_at,
        claimed_by, claimed_at, closed_at, close_note, details
        """

    private static func ticket(from row: SQLRow) throws -> StoredTicket {
        let createdText = try row.string("created_at") ?? ""
        let lastTurns = (try? JSONDecoder().decode([String].self, from: Data((try row.string("last_turns") ?? "[]").utf8))) ?? []
        let ticket = HandoffTicket(
            id: try row.string("id") ?? "",
            priority: HandoffTicket.Priority(rawValue: try row.string("priority") ?? "") ?? .normal,
            reason: try row.string("reason") ?? "",
            status: HandoffTicket.Status(rawValue: try row.string("status") ?? "") ?? .open,
            summary: try row.string("summary") ?? "",
            lastTurns: lastTurns,
            createdAt: createdText,
            details: try row.string("details").flatMap { try? JSONDecoder().decode(HandoffSummary.self, from: Data($0.utf8)) })
        return StoredTicket(ticket: ticket, sessionID: try row.int64("session_id"), turnSequence: try row.int("turn_seq"),
                            createdAt: StoreTime.date(createdText) ?? Date(timeIntervalSince1970: 0), claimedBy: try row.string("claimed_by"),
                            claimedAt: try row.string("claimed_at").flatMap(StoreTime.date), closedAt: try row.string("closed_at").flatMap(StoreTime.date),
                            closeNote: try row.string("close_note"))
    }

    public func tickets(status: Set<HandoffTicket.Status>) throws -> [StoredTicket] {
        let statuses = status.map(\.rawValue).sorted()
        guard !statuses.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        return try guarded {
            try pool.with { db in
                try db.query("SELECT \(Self.ticketColumns) FROM tickets WHERE status IN (\(marks)) ORDER BY priority_rank, created_at, stored",
                             statuses.map { .of($0) }).map(Self.ticket(from:))
            }
        }
    }

    private static func fetchTicket(_ id: String, _ db: SQLConnection) throws -> StoredTicket? {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        return try db.query("SELECT \(ticketColumns) FROM tickets WHERE lower(id) = lower(?) ORDER BY id = ? DESC LIMIT 1",
                            [.of(trimmed), .of(trimmed)]).first.map(ticket(from:))
    }

    public func ticket(id: String) throws -> StoredTicket {
        let found = try guarded { try pool.with { try Self.fetchTicket(id, $0) } }
        guard let found else { throw StoreError.ticketNotFound(id: id) }
        return found
    }

    public func ticketCount(withPrefix prefix: String) throws -> Int {
        try guarded {
            try pool.with { try $0.query("SELECT COUNT(*) FROM tickets WHERE substr(id, 1, length(?)) = ?", [.of(prefix), .of(prefix)]).first?.int(0) ?? 0 }
        }
    }

    public func claimTicket(id: String, agent: String, at: Date) throws -> StoredTicket {
        try guarded {
            try pool.with { db in
                try db.transaction {
                    guard let stored = try Self.fetchTicket(id, db) else { throw StoreError.ticketNotFound(id: id) }
                    let realID = stored.ticket.id
                    // Locked for this transaction: two agents claiming at once are served one after the other.
                    try db.execute("SELECT 1 FROM tickets WHERE id = ? FOR UPDATE", [.of(realID)])
                    let current = try Self.fetchTicket(realID, db) ?? stored
                    try current.checkClaimable(by: agent)
                    try db.execute("UPDATE tickets SET status = 'claimed', claimed_by = ?, claimed_at = COALESCE(claimed_at, ?) WHERE id = ?",
                                   [.of(agent), .of(StoreTime.string(at)), .of(realID)])
                    return try Self.fetchTicket(realID, db)!
                }
            }
        }
    }

    public func closeTicket(id: String, note: String, at: Date) throws -> StoredTicket {
        let note = masker.mask(note)
        return try guarded {
            try pool.with { db in
                try db.transaction {
                    guard let stored = try Self.fetchTicket(id, db) else { throw StoreError.ticketNotFound(id: id) }
                    let realID = stored.ticket.id
                    try db.execute("SELECT 1 FROM tickets WHERE id = ? FOR UPDATE", [.of(realID)])
                    try (Self.fetchTicket(realID, db) ?? stored).checkClosable()
                    try db.execute("UPDATE tickets SET status = 'closed', closed_at = ?, close_note = ? WHERE id = ?",
                                   [.of(StoreTime.string(at)), .of(note), .of(realID)])
                    return try Self.fetchTicket(realID, db)!
                }
            }
        }
    }

    // MARK: - Reading

    private static func turn(from row: SQLRow) throws -> StoredTurn {
        StoredTurn(sequence: try row.int("seq") ?? 0, at: StoreTime.date(try row.string("at") ?? "") ?? Date(timeIntervalSince1970: 0),
                   speaker: StoredTurn.Speaker(rawValue: try row.string("speaker") ?? "") ?? .customer, text: try row.string("text") ?? "",
                   language: try row.string("language"), matchedID: try row.string("matched_id"), score: try row.double("score"),
                   state: try row.string("state"))
    }

    public func turns(session: Int64, through sequence: Int?) throws -> [StoredTurn] {
        try guarded {
            try pool.with { db in
                try db.query("""
                    SELECT seq, at, speaker, text, language, matched_id, score, state FROM turns
                    WHERE session_id = ? AND seq <= ? ORDER BY seq, speaker = 'kefu'
                    """, [.of(session), .of(Int64(sequence ?? Int(Int32.max)))]).map(Self.turn(from:))
            }
        }
    }

    static func bind(_ values: [StoreValue]) -> [SQLValue] {
        values.map { value in
            switch value {
            case .null: return .text(nil)
            case .integer(let number): return .integer(number)
            case .real(let number): return .real(number)
            case .text(let text): return .text(text)
            }
        }
    }

    public func sessions(_ filter: RecordFilter) throws -> [StoredSession] {
        let (condition, arguments) = StoreReports.conditions(filter, time: "s.started_at")
        return try guarded {
            try pool.with { db in
                let rows = try db.query("""
                    SELECT s.id, s.started_at, s.ended_at, s.channel, s.language, s.mode FROM sessions s
                    WHERE 1 = 1 \(condition) ORDER BY s.started_at, s.id
                    """, Self.bind(arguments))
                return try rows.map { row in
                    let id = try row.int64("id") ?? 0
                    let turns = try db.query("""
                        SELECT seq, at, speaker, text, language, matched_id, score, state FROM turns
                        WHERE session_id = ? ORDER BY seq, speaker = 'kefu'
                        """, [.of(id)]).map(Self.turn(from:))
                    let events = try db.query("SELECT turn_seq, at, kind, detail FROM events WHERE session_id = ? ORDER BY id", [.of(id)]).map {
                        StoredEvent(turnSequence: try $0.int("turn_seq") ?? 0, at: StoreTime.date(try $0.string("at") ?? "") ?? Date(timeIntervalSince1970: 0),
                                    kind: try $0.string("kind") ?? "", detail: try $0.string("detail"))
                    }
                    return StoredSession(id: id, startedAt: StoreTime.date(try row.string("started_at") ?? "") ?? Date(timeIntervalSince1970: 0),
                                         endedAt: try row.string("ended_at").flatMap(StoreTime.date), channel: try row.string("channel") ?? "",
                                         language: try row.string("language") ?? "", mode: try row.string("mode") ?? "", turns: turns, events: events)
                }
            }
        }
    }

    public func stats(_ filter: RecordFilter) throws -> ServiceStats {
        try guarded { try pool.with { db in try Self.reports(db).stats(filter) } }
    }

    /// The reports' queries on this database: each cell read by its column's type.
    static func reports(_ db: SQLConnection) -> StoreReports {
        StoreReports { sql, arguments in
            try db.rawQuery(sql, bind(arguments)).map { row in
                try row.map { cell -> StoreValue in
                    switch cell.dataType {
                    case .int2, .int4, .int8: return (try cell.decode(Int64?.self)).map(StoreValue.integer) ?? .null
                    case .float4, .float8: return (try cell.decode(Double?.self)).map(StoreValue.real) ?? .null
                    case .numeric: return (try cell.decode(String?.self)).map { .real(Double($0) ?? 0) } ?? .null
                    default: return (try cell.decode(String?.self)).map(StoreValue.text) ?? .null
                    }
                }
            }
        }
    }
}

extension PostgresStore {
    /// Runs SQL (`?` placeholders) straight on the database and returns its rows: for tools and tests that look at what
    /// was really written. Nothing here is masked.
    public func raw(_ sql: String, _ arguments: [StoreValue]) throws -> [[StoreValue]] {
        try guarded { try pool.with { db in try Self.reports(db).query(sql, arguments) } }
    }

    /// Creates an empty database (for test clusters and first installs), connecting with `adminURL`.
    public static func createDatabase(_ name: String, adminURL: String) throws {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw StoreError.other(path: "PostgreSQL", message: "a database name is letters, digits and underscores")
        }
        let parsed = try PostgresURL(adminURL)
        let pool = SQLConnectionPool(configuration: parsed.configuration, maximum: 1, logger: Logger(label: "kefu-postgres"))
        defer { pool.close() }
        do {
            _ = try pool.with { try $0.execute("CREATE DATABASE \(name)") }
        } catch let error as PSQLError {
            throw StoreError.other(path: parsed.display, message: error.serverInfo?[.message] ?? "\(error.code)")
        }
    }
}
