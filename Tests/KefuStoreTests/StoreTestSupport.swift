import Foundation
import GRDB
@testable import KefuPostgres
import KefuKit
@testable import KefuStore
import XCTest

/// A fresh folder per test, removed afterwards; databases in it are real files.
class StoreTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func path(_ name: String = "kefu.sqlite") -> String { folder.appendingPathComponent(name).path }

    /// A plain SQLite connection on the same file, to look at what was really written.
    func raw(_ path: String) throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}

/// Turn records as the engine makes them.
enum Sample {
    static func record(_ input: String, reply: String = "好的。", language: Language = .zh, matched: String? = nil,
                       score: Double? = nil, events: [DialogueEvent] = []) -> TurnRecord {
        TurnRecord(input: input, language: language, reply: reply, detectedLanguage: language, matchedID: matched,
                   score: score, state: "idle", events: events)
    }

    static func effects(_ record: TurnRecord, tickets: [HandoffTicket] = []) -> [DialogueEffect] {
        [.reply(record.reply)] + record.events.map { .event($0) }
    }

    static func ticket(_ id: String, _ priority: HandoffTicket.Priority = .urgent, reason: String = "security-incident",
                       createdAt: String = "2026-11-27T08:00:00Z", summary: String = "客户称卡片被盗刷") -> HandoffTicket {
        HandoffTicket(id: id, priority: priority, reason: reason, summary: summary,
                      lastTurns: ["you> 我的卡被盗刷了", "kefu> 已为您转接人工客服"], createdAt: createdAt)
    }
}

/// A clock that moves one second per reading, from a fixed start.
final class SteppingClock: @unchecked Sendable {
    var now: Date
    init(_ start: String = "2026-11-27T08:00:00Z") { now = StoreTime.date(start)! }
    func read() -> Date {
        defer { now = now.addingTimeInterval(1) }
        return now
    }
}

/// Collects warnings instead of printing them.
final class WarningLog: @unchecked Sendable {
    var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
}

/// One database the store tests run on, with a way to look at what was really written.
struct StoreBackend {
    let name: String
    let store: any ConversationStore
    /// Runs SQL (`?` placeholders) straight on the database, bypassing the store.
    let execute: (String, [StoreValue]) throws -> Void
    /// The first column of every row of a query, as text.
    let texts: (String) throws -> [String]
}

extension StoreTestCase {
    /// SQLite always; PostgreSQL too when KEFU_TEST_POSTGRES_URL names a server (`Scripts/test-postgres start`). CI sets
    /// it: there a missing server fails the test instead of skipping PostgreSQL.
    func backends() throws -> [StoreBackend] {
        let sqlitePath = path("backend-\(UUID().uuidString).sqlite")
        let sqlite = try SQLiteStore(path: sqlitePath)
        var found = [StoreBackend(name: "SQLite", store: sqlite, execute: { sql, arguments in
            try DatabaseQueue(path: sqlitePath).write { db in
                try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
            }
        }, texts: { sql in try DatabaseQueue(path: sqlitePath).read { try String.fetchAll($0, sql: sql) } })]
        if let url = try PostgresTestDatabase.fresh() {
            let store = try PostgresStore(url: url)
            found.append(StoreBackend(name: "PostgreSQL", store: store, execute: { sql, arguments in try store.raw(sql, arguments) },
                                      texts: { sql in try store.raw(sql, []).map { $0.first?.string ?? "" } }))
        }
        return found
    }
}

/// A new, empty database on the test PostgreSQL server for each call.
enum PostgresTestDatabase {
    static func fresh() throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let admin = environment["KEFU_TEST_POSTGRES_URL"], !admin.isEmpty else {
            if environment["CI"] == "true" { XCTFail("CI runs the store tests on PostgreSQL too: set KEFU_TEST_POSTGRES_URL (Scripts/test-postgres start)") }
            return nil
        }
        let name = "kefu_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try PostgresStore.createDatabase(String(name), adminURL: admin)
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        return components.string!
    }
}

extension StoreValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let number): return number.databaseValue
        case .real(let number): return number.databaseValue
        case .text(let text): return text.databaseValue
        }
    }
}
