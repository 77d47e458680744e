import Foundation
import GRDB
import KefuKit
@testable import KefuStore
import XCTest

final class StoreMigrationTests: StoreTestCase {
    func testMigratesAnEmptyFile() throws {
        _ = FileManager.default.createFile(atPath: path(), contents: Data())
        let store = try SQLiteStore(path: path())
        XCTAssertEqual(try store.schemaVersion(), SQLiteStore.schemaVersions)
        let tables = try raw(path()).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        XCTAssertEqual(tables, ["events", "grdb_migrations", "scorecard_skills", "scorecards", "sessions", "tickets", "turns"])
    }

    func testMigratesANewFile() throws {
        let store = try SQLiteStore(path: path())
        XCTAssertEqual(try store.schemaVersion(), SQLiteStore.schemaVersions)
        // Opening again changes nothing.
        XCTAssertEqual(try SQLiteStore(path: path()).schemaVersion(), SQLiteStore.schemaVersions)
    }

    /// Writes `sql` into a new database migrated only up to `version`, as an older Kefu left it, and checks
    /// that it does not have the `lacking` table yet.
    func writeOldDatabase(upTo version: String, lacking table: String, _ sql: String) throws {
        let pool = try DatabasePool(path: path())
        try SQLiteStore.migrator.migrate(pool, upTo: version)
        try pool.write { try $0.execute(sql: sql) }
        XCTAssertFalse(try pool.read { try $0.tableExists(table) })
    }

    /// A database written by the previous version (schema v1: no tickets) keeps its data and gains the
    /// tickets table.
    func testUpgradesFromThePreviousVersion() throws {
        try writeOldDatabase(upTo: "v1-sessions", lacking: "tickets", """
                    INSERT INTO sessions (id, started_at, channel, language, mode) VALUES (1, '2026-11-01T09:00:00.000Z', 'terminal', 'zh', 'chat');
                    INSERT INTO turns (session_id, seq, at, speaker, text, language) VALUES (1, 1, '2026-11-01T09:00:01.000Z', 'customer', '提现多久到账', 'zh');
                    INSERT INTO turns (session_id, seq, at, speaker, text, language, matched_id, score, state)
                        VALUES (1, 1, '2026-11-01T09:00:01.000Z', 'kefu', '一般几分钟。', 'zh', 'withdraw-time', 0.5, 'idle');
                    INSERT INTO events (session_id, turn_seq, at, kind, detail) VALUES (1, 1, '2026-11-01T09:00:01.000Z', 'answered', 'withdraw-time');
                    """)
        let store = try SQLiteStore(path: path())
        XCTAssertEqual(try store.schemaVersion(), SQLiteStore.schemaVersions)
        let sessions = try store.sessions(RecordFilter())
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(sessions[0].turns.map(\.text), ["提现多久到账", "一般几分钟。"])
        XCTAssertEqual(sessions[0].events.map(\.kind), ["answered"])
        _ = try store.record(TurnWrite(sessionID: 1, session: NewSession(startedAt: Date(), channel: "terminal", mode: "chat", language: .zh),
                                       sequence: 2, at: Date(), record: Sample.record("卡被盗刷"), events: [],
                                       tickets: [Sample.ticket("T-20261101-0001")]))
        XCTAssertEqual(try store.tickets(status: [.open]).map(\.ticket.id), ["T-20261101-0001"])
        XCTAssertEqual(try store.stats(RecordFilter()).turns, 2)
    }

    /// A database written by the previous version (schema v2: no scorecards) keeps its sessions and tickets,
    /// gains the scorecard tables, and stores a rehearsal's scorecard.
    func testUpgradesFromVersion2() throws {
        try writeOldDatabase(upTo: "v2-tickets", lacking: "scorecards", """
                    INSERT INTO sessions (id, started_at, channel, language, mode) VALUES (1, '2026-11-01T09:00:00.000Z', 'terminal', 'zh', 'rehearse');
                    INSERT INTO turns (session_id, seq, at, speaker, text, language) VALUES (1, 1, '2026-11-01T09:00:01.000Z', 'customer', '您好', 'zh');
                    INSERT INTO tickets (id, session_id, turn_seq, priority, priority_rank, reason, summary, created_at)
                        VALUES ('T-1', 1, 1, 'high', 1, 'complaint', 'summary', '2026-11-01T09:00:01.000Z');
                    """)
        let store = try SQLiteStore(path: path())
        XCTAssertEqual(try store.schemaVersion(), SQLiteStore.schemaVersions)
        XCTAssertEqual(try store.sessions(RecordFilter()).first?.turns.map(\.text), ["您好"])
        XCTAssertEqual(try store.tickets(status: [.open]).map(\.ticket.id), ["T-1"])
        XCTAssertEqual(try store.stats(RecordFilter()).rehearsals.rehearsals, 0)
        let skills = RehearsalSkill.allCases.map { Scorecard.SkillScore(skill: $0, weight: 10, good: 1, poor: 0, breach: 0, score: 100) }
        try store.recordScorecard(ScorecardWrite(sessionID: 1, at: Date(), seed: 3, scorecard: Scorecard(
            persona: "cautious-retiree", language: .zh, outcome: .won, skills: skills, overall: 100, passed: true, lines: 1, hints: 0, weakPoints: [])))
        XCTAssertEqual(try store.stats(RecordFilter()).rehearsals.averageOverall, 100)
    }

    func testRefusesANewerSchema() throws {
        _ = try SQLiteStore(path: path())
        try raw(path()).write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        XCTAssertThrowsError(try SQLiteStore(path: path())) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: path(), unknown: ["v9-from-the-future"]))
            XCTAssertTrue("\(error)".contains("newer version of Kefu"))
        }
    }

    func testRefusesSomeoneElsesDatabase() throws {
        try raw(path()).write { try $0.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        XCTAssertThrowsError(try SQLiteStore(path: path())) { XCTAssertEqual($0 as? StoreError, .notKefu(path: path())) }
    }
}

final class StoreErrorTests: StoreTestCase {
    func testReadOnlyFolder() throws {
        // root ignores permission bits, so as root use a folder the kernel will not let anyone write.
        let target: String
        if geteuid() == 0 {
            target = "/sys/kefu-store-test.sqlite"
        } else {
            let locked = folder.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            target = locked.appendingPathComponent("kefu.sqlite").path
        }
        XCTAssertThrowsError(try SQLiteStore(path: target)) { error in
            guard case .cannotOpen(let path, let reason)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, target)
            XCTAssertFalse(reason.isEmpty)
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testFolderThatCannotBeCreated() throws {
        let file = folder.appendingPathComponent("plain-file")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8))
        let target = file.appendingPathComponent("sub/kefu.sqlite").path
        XCTAssertThrowsError(try SQLiteStore(path: target)) { error in
            guard case .cannotOpen? = error as? StoreError else { return XCTFail("\(error)") }
        }
    }

    func testCorruptFile() throws {
        let garbage = Data(String(repeating: "this is not a database, just text. ", count: 200).utf8)
        _ = FileManager.default.createFile(atPath: path(), contents: garbage)
        XCTAssertThrowsError(try SQLiteStore(path: path())) { XCTAssertEqual($0 as? StoreError, .corrupt(path: path())) }
    }

    func testDamagedHeader() throws {
        do {
            let store = try SQLiteStore(path: path())
            _ = try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: Date(), channel: "t", mode: "chat", language: .zh),
                                           sequence: 1, at: Date(), record: Sample.record("x"), events: []))
        }
        try? FileManager.default.removeItem(atPath: path() + "-wal")
        try? FileManager.default.removeItem(atPath: path() + "-shm")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path()))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 100))
        try handle.close()
        XCTAssertThrowsError(try SQLiteStore(path: path())) { XCTAssertEqual($0 as? StoreError, .corrupt(path: path())) }
    }

    func testReadOnlyDatabase() throws {
        _ = try SQLiteStore(path: path())
        var options = SQLiteStore.Options()
        options.readOnly = true
        let store = try SQLiteStore(path: path(), options: options)
        XCTAssertEqual(try store.stats(RecordFilter()).sessions, 0)
        XCTAssertThrowsError(try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: Date(), channel: "t", mode: "chat", language: .zh),
                                                       sequence: 1, at: Date(), record: Sample.record("x"), events: []))) {
            XCTAssertEqual($0 as? StoreError, .readOnly(path: path()))
        }
        var missing = SQLiteStore.Options()
        missing.readOnly = true
        XCTAssertThrowsError(try SQLiteStore(path: path("nope.sqlite"), options: missing)) {
            XCTAssertEqual($0 as? StoreError, .missing(path: path("nope.sqlite")))
        }
    }

    /// A full disk, simulated by capping the file's size: the observer warns once, then the chat goes on.
    func testDiskFullWarnsOnceAndTheChatGoesOn() throws {
        let store = try SQLiteStore(path: path())
        let warnings = WarningLog()
        let observer = StoreObserver(store: store, warn: warnings.add)
        observer.conversationStarted(mode: "chat", language: .zh)
        let record = Sample.record("first")
        observer.turnCompleted(record, effects: Sample.effects(record))
        XCTAssertNil(observer.failure)
        try store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        let big = Sample.record(String(repeating: "很长的问题", count: 20_000))
        observer.turnCompleted(big, effects: Sample.effects(big))
        XCTAssertEqual(observer.failure, .diskFull(path: path()))
        observer.turnCompleted(record, effects: Sample.effects(record))
        observer.conversationEnded()
        XCTAssertEqual(warnings.lines.count, 1)
        XCTAssertEqual(warnings.lines.first, "kefu: the disk holding \(path()) is full; this conversation is no longer being recorded")
        XCTAssertEqual(try raw(path()).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM turns") }, 2, "only the first turn")
    }

    /// Another program holds the write lock longer than the busy timeout.
    func testLockedBeyondTheTimeout() throws {
        var options = SQLiteStore.Options()
        options.busyTimeout = 0.3
        let store = try SQLiteStore(path: path(), options: options)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: path(), configuration: configuration)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        defer { try? blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }

        let started = Date()
        XCTAssertThrowsError(try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: Date(), channel: "t", mode: "chat", language: .zh),
                                                       sequence: 1, at: Date(), record: Sample.record("x"), events: []))) { error in
            XCTAssertEqual(error as? StoreError, .locked(path: path(), seconds: 0.3))
            XCTAssertEqual("\(error)", "the database \(path()) is locked by another program (waited 0.3 s)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.25, "waited for the lock")
    }

    func testMessagesAreOneLine() {
        let errors: [StoreError] = [
            .locked(path: "/p", seconds: 3), .readOnly(path: "/p"), .diskFull(path: "/p"), .corrupt(path: "/p"),
            .newerSchema(path: "/p", unknown: ["v3"]), .notKefu(path: "/p"), .cannotOpen(path: "/p", reason: "r"),
            .missing(path: "/p"), .ticketNotFound(id: "T-1"), .other(path: "/p", message: "m"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains("\n"))
            XCTAssertFalse(error.description.isEmpty)
        }
        XCTAssertEqual(StoreError.locked(path: "/p", seconds: 3).description, "the database /p is locked by another program (waited 3 s)")
    }
}
