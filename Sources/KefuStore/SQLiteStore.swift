import Foundation
import GRDB
import KefuKit

/// The conversation store in an SQLite file, through GRDB.
///
/// - WAL mode (GRDB's `DatabasePool`), `synchronous = NORMAL`: each turn is one short IMMEDIATE
///   transaction, so a killed process loses nothing already committed, and several shells can write
///   the same file at once (a writer waits up to `busyTimeout` for another).
/// - The schema is created and upgraded by GRDB's `DatabaseMigrator` (`SQLiteStore.migrator`).
/// - Every free text goes through `PersonalDataMasker` before it is written.
public final class SQLiteStore: ConversationStore {
    public struct Options: Sendable {
        /// Open without writing (and without creating or upgrading anything).
        public var readOnly = false
        /// How long to wait for another program's write to finish before giving up, in seconds.
        public var busyTimeout: Double = 3
        public init() {}
    }

    public let location: String
    let pool: DatabasePool
    let options: Options
    let masker = PersonalDataMasker()

    /// The migrations, in order. Never edit a shipped one: add a new one.
    public static let schemaVersions = ["v1-sessions", "v2-tickets", "v3-scorecards", "v4-ticket-details-content-keys", "v5-live-sessions"]

    /// Opens (creating the file and its folder if needed) and migrates the database at `path`.
    public init(path: String, options: Options = Options()) throws {
        self.location = path
        self.options = options
        let url = URL(fileURLWithPath: path)
        let fileManager = FileManager.default
        if options.readOnly {
            guard fileManager.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
        } else {
            let folder = url.deletingLastPathComponent()
            if !fileManager.fileExists(atPath: folder.path) {
                do {
                    try fileManager.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
                } catch {
                    throw StoreError.cannotOpen(path: path, reason: StoreError.fileProblem(path) ?? "cannot create the folder \(folder.path)")
                }
            }
        }
        var configuration = Configuration()
        configuration.label = "kefu"
        configuration.readonly = options.readOnly
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.foreignKeysEnabled = true
        let isNew = !fileManager.fileExists(atPath: path)
        pool = try Self.retryingWhileBusy(path: path, timeout: options.busyTimeout) {
            try DatabasePool(path: path, configuration: configuration)
        }
        if isNew {
            // Business records: readable by their owner only (SQLite gives the -wal and -shm files the same mode).
            for suffix in ["", "-wal", "-shm"] { chmod(path + suffix, 0o600) }
        }
        try Self.retryingWhileBusy(path: path, timeout: options.busyTimeout) { try self.prepareSchema() }
    }

    /// Opening is the one moment SQLite may answer "busy" without waiting: switching a new file to WAL
    /// and GRDB's first write into it upgrade a read to a write, and when another process has just
    /// written, SQLite reports SQLITE_BUSY at once instead of calling the busy handler. Two shells
    /// started together on a new database hit exactly that, so opening retries for up to the busy
    /// timeout before it reports the database as locked.
    static func retryingWhileBusy<T>(path: String, timeout: Double, _ body: () throws -> T) throws -> T {
        // Wall time, not the sum of the pauses: an attempt can itself wait out SQLite's busy timeout (a
        // migration behind another program's write lock), and counting only the pauses retried for a minute.
        let start = ProcessInfo.processInfo.systemUptime
        var pause = 0.01
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
                && ProcessInfo.processInfo.systemUptime - start < timeout {
                usleep(useconds_t(pause * 1_000_000))
                pause = min(pause * 2, 0.2)
            } catch {
                throw StoreError.from(error, path: path, busyTimeout: timeout)
            }
        }
    }

    /// The schema, version by version (see `schemaVersions`).
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sessions") { db in
            try db.execute(sql: """
                CREATE TABLE sessions (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    started_at  TEXT NOT NULL,
                    ended_at    TEXT,
                    channel     TEXT NOT NULL DEFAULT 'terminal',
                    language    TEXT NOT NULL,
                    mode        TEXT NOT NULL DEFAULT 'chat' CHECK (mode IN ('chat', 'replay', 'rehearse'))
                );
                CREATE TABLE turns (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    seq         INTEGER NOT NULL,
                    at          TEXT NOT NULL,
                    speaker     TEXT NOT NULL CHECK (speaker IN ('customer', 'kefu')),
                    text        TEXT NOT NULL,
                    language    TEXT,
                    matched_id  TEXT,
                    score       REAL,
                    state       TEXT,
                    UNIQUE (session_id, seq, speaker)
                );
                CREATE TABLE events (
                    id          INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    turn_seq    INTEGER NOT NULL,
                    at          TEXT NOT NULL,
                    kind        TEXT NOT NULL,
                    detail      TEXT
                );
                CREATE INDEX events_session ON events(session_id, turn_seq);
                """)
        }
        migrator.registerMigration("v2-tickets") { db in
            try db.execute(sql: """
                CREATE TABLE tickets (
                    id             TEXT PRIMARY KEY,
                    session_id     INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
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
                    close_note     TEXT
                );
                CREATE INDEX tickets_queue ON tickets(status, priority_rank, created_at);
                CREATE INDEX sessions_started ON sessions(started_at);
                CREATE INDEX turns_at ON turns(at);
                CREATE INDEX events_kind ON events(kind, at);
                """)
        }
        migrator.registerMigration("v3-scorecards") { db in try createScorecards(db) }
        migrator.registerMigration("v4-ticket-details-content-keys") { db in
            // The handoff summary's parts as JSON, for tools; and a key on the content of a session stored from a
            // file, so that scoring the same rehearsal twice keeps one.
            try db.execute(sql: """
                ALTER TABLE tickets ADD COLUMN details TEXT;
                ALTER TABLE sessions ADD COLUMN content_key TEXT;
                CREATE UNIQUE INDEX sessions_content_key ON sessions(content_key) WHERE content_key IS NOT NULL;
                """)
        }
        migrator.registerMigration("v5-live-sessions") { db in
            // Conversations served by kefu-server: the public id and the token's hash that open them, and the dialogue
            // state after the last turn (`last_seq`), written with each turn.
            try db.execute(sql: """
                ALTER TABLE sessions ADD COLUMN public_id TEXT;
                ALTER TABLE sessions ADD COLUMN token_hash TEXT;
                ALTER TABLE sessions ADD COLUMN dialogue_state TEXT;
                ALTER TABLE sessions ADD COLUMN last_seq INTEGER;
                CREATE UNIQUE INDEX sessions_public_id ON sessions(public_id) WHERE public_id IS NOT NULL;
                """)
        }
        return migrator
    }

    private func prepareSchema() throws {
        let migrator = Self.migrator
        let (superseded, unknown, foreign) = try pool.read { db -> (Bool, [String], Bool) in
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(migrator.migrations).sorted()
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            return (!unknown.isEmpty, unknown, !tables.isEmpty && !tables.contains("grdb_migrations"))
        }
        if superseded { throw StoreError.newerSchema(path: location, unknown: unknown) }
        if foreign { throw StoreError.notKefu(path: location) }
        if options.readOnly {
            let complete = try pool.read { try migrator.hasCompletedMigrations($0) }
            if !complete {
                throw StoreError.other(path: location, message: "the schema is older than this version of Kefu; open it once without read-only access to upgrade it")
            }
            return
        }
        try migrate(upTo: nil)
    }

    /// Runs the pending migrations. Two processes opening a new file at the same moment may both try the
    /// same migration; the loser's transaction rolls back, and a second pass finds nothing left to do.
    func migrate(upTo target: String?) throws {
        let migrator = Self.migrator
        var attempt = 0
        while true {
            do {
                if let target { try migrator.migrate(pool, upTo: target) } else { try migrator.migrate(pool) }
                return
            } catch let error as DatabaseError where attempt < 3 && error.resultCode != .SQLITE_FULL && error.resultCode != .SQLITE_READONLY {
                attempt += 1
                usleep(50_000)
                continue
            }
        }
    }

    /// The applied migrations, oldest first.
    public func schemaVersion() throws -> [String] {
        try guarded { try pool.read { try Self.migrator.appliedMigrations($0) } }
    }

    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError.from(error, path: location, busyTimeout: options.busyTimeout)
        }
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
        return try guarded {
            try pool.write { db -> RecordedTurn in
                let sessionID: Int64
                if let existing = write.sessionID {
                    sessionID = existing
                } else {
                    if let key = write.session.contentKey {
                        // The same content stored before (a rehearsal scored again): replaced, turns, events and
                        // scorecard with it.
                        try db.execute(sql: "DELETE FROM sessions WHERE content_key = ?", arguments: [key])
                    }
                    // The session's language is the one its first reply was given in.
                    try db.cachedStatement(sql: """
                        INSERT INTO sessions (started_at, channel, language, mode, content_key, public_id, token_hash, dialogue_state, last_seq)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                        .execute(arguments: [StoreTime.string(write.session.startedAt), write.session.channel,
                                             record.language.rawValue, write.session.mode, write.session.contentKey,
                                             write.live?.publicID, write.live?.tokenHash, liveState, write.live.map { _ in write.sequence }])
                    sessionID = db.lastInsertedRowID
                }
                // Tickets first: a number another conversation took meanwhile is replaced by the next free
                // one, and the reply stored (and shown, see `RecordedTurn.renumbered`) names the stored id.
                var ticketIDs: [String] = []
                var renumbered: [String: String] = [:]
                for ticket in tickets {
                    let id = try Self.insert(ticket, session: sessionID, sequence: write.sequence, fallbackTime: write.at, db)
                    ticketIDs.append(id)
                    if id != ticket.id { renumbered[ticket.id] = id }
                }
                let reply = HandoffTicket.renumbering(reply, renumbered)
                if write.sessionID != nil, var liveState {
                    // The state names the tickets as the engine numbered them; the conversation goes on with the stored ids.
                    for (id, stored) in renumbered { liveState = liveState.replacingOccurrences(of: id, with: stored) }
                    // The turn must follow the last one stored: two messages of one conversation answered at once
                    // would fork it, so the later one is refused and sent again.
                    try db.execute(sql: "UPDATE sessions SET dialogue_state = ?, last_seq = ? WHERE id = ? AND last_seq = ?",
                                   arguments: [liveState, write.sequence, sessionID, write.sequence - 1])
                    if db.changesCount == 0 { throw StoreError.sessionMovedOn(session: write.live?.publicID ?? String(sessionID)) }
                }
                let insertTurn = try db.cachedStatement(sql: """
                    INSERT INTO turns (session_id, seq, at, speaker, text, language, matched_id, score, state)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                if !write.opening {
                    try insertTurn.execute(arguments: [sessionID, write.sequence, at, "customer", input,
                                                       record.detectedLanguage?.rawValue, nil, nil, nil])
                }
                try insertTurn.execute(arguments: [sessionID, write.sequence, at, "kefu", reply,
                                                   record.language.rawValue, record.matchedID, record.score, record.state])
                if !events.isEmpty {
                    let insertEvent = try db.cachedStatement(sql: "INSERT INTO events (session_id, turn_seq, at, kind, detail) VALUES (?, ?, ?, ?, ?)")
                    for (kind, detail) in events {
                        try insertEvent.execute(arguments: [sessionID, write.sequence, at, kind, detail])
                    }
                }
                return RecordedTurn(sessionID: sessionID, ticketIDs: ticketIDs, renumbered: renumbered)
            }
        }
    }

    /// Stores a ticket under its id. The engine numbers tickets from the store's count when the
    /// conversation escalates, so two shells escalating at the same moment can pick the same number:
    /// the second then gets the next free number of that day ("T20261127-0002"), inside this write
    /// transaction, so no two customers are ever told the same number. An id of another form that is
    /// taken gets a suffix (`id-2`, `id-3`…).
    private static func insert(_ ticket: HandoffTicket, session: Int64, sequence: Int, fallbackTime: Date, _ db: Database) throws -> String {
        let id = try TicketNumbering.free(ticket.id, exists: { try exists($0, db) }, withPrefix: { prefix in
            try String.fetchAll(db, sql: "SELECT id FROM tickets WHERE substr(id, 1, length(?)) = ?", arguments: [prefix, prefix])
        })
        let created = StoreTime.date(ticket.createdAt) ?? fallbackTime
        let lastTurns = String(decoding: try JSONEncoder().encode(ticket.lastTurns), as: UTF8.self)
        let details = try ticket.details.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try db.execute(sql: """
            INSERT INTO tickets (id, session_id, turn_seq, priority, priority_rank, reason, status, summary, last_turns, created_at, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, session, sequence, ticket.priority.rawValue, ticket.priority.rank, ticket.reason,
                             ticket.status.rawValue, ticket.summary, lastTurns, StoreTime.string(created), details])
        return id
    }

    private static func exists(_ id: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tickets WHERE id = ?)", arguments: [id]) == true
    }

    public func checkAvailable() throws {
        _ = try guarded { try pool.read { try Int.fetchOne($0, sql: "SELECT 1") } }
    }

    public func liveSession(publicID: String) throws -> LiveSession? {
        try guarded {
            try pool.read { db -> LiveSession? in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT id, public_id, token_hash, dialogue_state, last_seq, started_at, ended_at, channel
                    FROM sessions WHERE public_id = ?
                    """, arguments: [publicID]) else { return nil }
                let started: String = row["started_at"]
                let ended: String? = row["ended_at"]
                return LiveSession(sessionID: row["id"], publicID: row["public_id"], tokenHash: row["token_hash"] ?? "",
                                   state: row["dialogue_state"] ?? "", sequence: row["last_seq"] ?? 0,
                                   startedAt: StoreTime.date(started) ?? Date(timeIntervalSince1970: 0),
                                   endedAt: ended.flatMap(StoreTime.date), channel: row["channel"])
            }
        }
    }

    public func endSession(_ id: Int64, at: Date) throws {
        try guarded {
            try pool.write { db in
                try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE id = ?", arguments: [StoreTime.string(at), id])
            }
        }
    }

    // MARK: - Tickets

    private static let ticketColumns = """
        id, session_id, turn_seq, priority, reason, status, summary, last_turns, created_at,
        claimed_by, claimed_at, closed_at, close_note, details
        """

    private static func ticket(from row: Row) -> StoredTicket {
        let createdText: String = row["created_at"]
        let lastTurnsText: String = row["last_turns"]
        let lastTurns = (try? JSONDecoder().decode([String].self, from: Data(lastTurnsText.utf8))) ?? []
        let ticket = HandoffTicket(
            id: row["id"],
            priority: HandoffTicket.Priority(rawValue: row["priority"]) ?? .normal,
            reason: row["reason"],
            status: HandoffTicket.Status(rawValue: row["status"]) ?? .open,
            summary: row["summary"],
            lastTurns: lastTurns,
            createdAt: createdText,
            details: (row["details"] as String?).flatMap { try? JSONDecoder().decode(HandoffSummary.self, from: Data($0.utf8)) })
        return StoredTicket(
            ticket: ticket,
            sessionID: row["session_id"],
            turnSequence: row["turn_seq"],
            createdAt: StoreTime.date(createdText) ?? Date(timeIntervalSince1970: 0),
            claimedBy: row["claimed_by"],
            claimedAt: (row["claimed_at"] as String?).flatMap(StoreTime.date),
            closedAt: (row["closed_at"] as String?).flatMap(StoreTime.date),
            closeNote: row["close_note"])
    }

    public func tickets(status: Set<HandoffTicket.Status>) throws -> [StoredTicket] {
        let statuses = status.map(\.rawValue).sorted()
        guard !statuses.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: statuses.count).joined(separator: ", ")
        return try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT \(Self.ticketColumns) FROM tickets WHERE status IN (\(marks))
                    ORDER BY priority_rank, created_at, rowid
                    """, arguments: StatementArguments(statuses)).map(Self.ticket(from:))
            }
        }
    }

    private static func fetchTicket(_ id: String, _ db: Database) throws -> StoredTicket? {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        return try Row.fetchOne(db, sql: "SELECT \(ticketColumns) FROM tickets WHERE id = ? COLLATE NOCASE ORDER BY id = ? DESC LIMIT 1",
                                arguments: [trimmed, trimmed]).map(ticket(from:))
    }

    public func ticket(id: String) throws -> StoredTicket {
        let found = try guarded { try pool.read { try Self.fetchTicket(id, $0) } }
        guard let found else { throw StoreError.ticketNotFound(id: id) }
        return found
    }

    public func ticketCount(withPrefix prefix: String) throws -> Int {
        try guarded {
            try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tickets WHERE substr(id, 1, length(?)) = ?", arguments: [prefix, prefix]) ?? 0
            }
        }
    }

    public func claimTicket(id: String, agent: String, at: Date) throws -> StoredTicket {
        try guarded {
            try pool.write { db in
                guard let stored = try Self.fetchTicket(id, db) else { throw StoreError.ticketNotFound(id: id) }
                let realID = stored.ticket.id
                try stored.checkClaimable(by: agent)
                try db.execute(sql: "UPDATE tickets SET status = 'claimed', claimed_by = ?, claimed_at = COALESCE(claimed_at, ?) WHERE id = ?",
                               arguments: [agent, StoreTime.string(at), realID])
                return try Self.fetchTicket(realID, db)!
            }
        }
    }

    public func closeTicket(id: String, note: String, at: Date) throws -> StoredTicket {
        let note = masker.mask(note)
        return try guarded {
            try pool.write { db in
                guard let stored = try Self.fetchTicket(id, db) else { throw StoreError.ticketNotFound(id: id) }
                let realID = stored.ticket.id
                try stored.checkClosable()
                try db.execute(sql: "UPDATE tickets SET status = 'closed', closed_at = ?, close_note = ? WHERE id = ?",
                               arguments: [StoreTime.string(at), note, realID])
                return try Self.fetchTicket(realID, db)!
            }
        }
    }

    // MARK: - Reading turns and sessions

    private static func turn(from row: Row) -> StoredTurn {
        StoredTurn(sequence: row["seq"], at: StoreTime.date(row["at"]) ?? Date(timeIntervalSince1970: 0),
                   speaker: StoredTurn.Speaker(rawValue: row["speaker"]) ?? .customer, text: row["text"],
                   language: row["language"], matchedID: row["matched_id"], score: row["score"], state: row["state"])
    }

    public func turns(session: Int64, through sequence: Int?) throws -> [StoredTurn] {
        try guarded {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT seq, at, speaker, text, language, matched_id, score, state FROM turns
                    WHERE session_id = ? AND seq <= ? ORDER BY seq, speaker = 'kefu'
                    """, arguments: [session, sequence ?? Int.max]).map(Self.turn(from:))
            }
        }
    }

    public func sessions(_ filter: RecordFilter) throws -> [StoredSession] {
        let (condition, arguments) = Self.conditions(filter, time: "s.started_at")
        return try guarded {
            try pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT s.id, s.started_at, s.ended_at, s.channel, s.language, s.mode FROM sessions s
                    WHERE 1 \(condition) ORDER BY s.started_at, s.id
                    """, arguments: arguments)
                let turnStatement = try db.cachedStatement(sql: """
                    SELECT seq, at, speaker, text, language, matched_id, score, state FROM turns
                    WHERE session_id = ? ORDER BY seq, speaker = 'kefu'
                    """)
                let eventStatement = try db.cachedStatement(sql: "SELECT turn_seq, at, kind, detail FROM events WHERE session_id = ? ORDER BY id")
                return try rows.map { row in
                    let id: Int64 = row["id"]
                    let turns = try Row.fetchAll(turnStatement, arguments: [id]).map(Self.turn(from:))
                    let events = try Row.fetchAll(eventStatement, arguments: [id]).map {
                        StoredEvent(turnSequence: $0["turn_seq"], at: StoreTime.date($0["at"]) ?? Date(timeIntervalSince1970: 0),
                                    kind: $0["kind"], detail: $0["detail"])
                    }
                    return StoredSession(id: id, startedAt: StoreTime.date(row["started_at"]) ?? Date(timeIntervalSince1970: 0),
                                         endedAt: (row["ended_at"] as String?).flatMap(StoreTime.date), channel: row["channel"],
                                         language: row["language"], mode: row["mode"], turns: turns, events: events)
                }
            }
        }
    }

    // MARK: - Statistics

    /// `AND …` conditions for the filter, on a query that has `sessions s` joined.
    static func conditions(_ filter: RecordFilter, time column: String) -> (String, StatementArguments) {
        var sql = ""
        var arguments = StatementArguments()
        if let since = filter.since {
            sql += " AND \(column) >= ?"
            arguments += [StoreTime.string(since)]
        }
        if let until = filter.until {
            sql += " AND \(column) < ?"
            arguments += [StoreTime.string(until)]
        }
        if let channel = filter.channel {
            sql += " AND s.channel = ?"
            arguments += [channel]
        }
        if let mode = filter.mode {
            sql += " AND s.mode = ?"
            arguments += [mode]
        }
        return (sql, arguments)
    }

    public func stats(_ filter: RecordFilter) throws -> ServiceStats {
        try guarded { try pool.read { try Self.reports($0).stats(filter) } }
    }

    /// The reports' queries on this database (`StoreReports`).
    static func reports(_ db: Database) -> StoreReports {
        StoreReports { sql, arguments in
            let values: [(any DatabaseValueConvertible)?] = arguments.map { value -> (any DatabaseValueConvertible)? in
                switch value {
                case .null: return nil
                case .integer(let number): return number
                case .real(let number): return number
                case .text(let text): return text
                }
            }
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map { row in
                row.databaseValues.map { value -> StoreValue in
                    switch value.storage {
                    case .null: return .null
                    case .int64(let number): return .integer(number)
                    case .double(let number): return .real(number)
                    case .string(let text): return .text(text)
                    case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
                    }
                }
            }
        }
    }
}
