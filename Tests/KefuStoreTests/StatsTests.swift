import Foundation
import GRDB
@testable import KefuPostgres
import KefuKit
@testable import KefuStore
import XCTest

/// `kefu stats` figures on a fixture database whose counts are known by construction.
final class StatsTests: StoreTestCase {
    typealias Count = ServiceStats.Count

    /// Four sessions over two channels:
    /// 1. 11-01 terminal chat zh: 提现多久到账 (withdraw-time), 怎么开户 (open-account), /help, blah 不懂 (not understood)
    /// 2. 11-02 terminal chat en: how do I withdraw (withdraw-time), what is the weather ×2 (not understood)
    /// 3. 11-03 app chat zh:      提现多久到账 (withdraw-time), 我要买
    /// 4. 11-10 app rehearse zh:  推荐理财
    func makeFixture() throws -> SQLiteStore {
        let store = try SQLiteStore(path: path())
        try fill(StoreBackend(name: "SQLite", store: store, execute: { sql, arguments in
            try self.raw(self.path()).write { try $0.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue))) }
        }, texts: { _ in [] }))
        return store
    }

    /// The fixture's records, written straight into `backend`'s database.
    func fill(_ backend: StoreBackend) throws {
        let sessions: [(Int, String, String, String, String, [(String, String, String?)])] = [
            (1, "2026-11-01T09:00:00.000Z", "terminal", "chat", "zh",
             [("提现多久到账", "zh", "withdraw-time"), ("怎么开户", "zh", "open-account"), ("/help", "zh", nil), ("blah 不懂", "zh", nil)]),
            (2, "2026-11-02T10:00:00.000Z", "terminal", "chat", "en",
             [("how do I withdraw", "en", "withdraw-time"), ("what is the weather", "en", nil), ("What is the weather ", "en", nil)]),
            (3, "2026-11-03T11:00:00.000Z", "app", "chat", "zh", [("提现多久到账", "zh", "withdraw-time"), ("我要买", "zh", nil)]),
            (4, "2026-11-10T12:00:00.000Z", "app", "rehearse", "zh", [("推荐理财", "zh", nil)]),
        ]
        let events: [(Int, Int, String, String?)] = [
            (1, 1, "answered", "withdraw-time"), (1, 2, "answered", "open-account"), (1, 4, "not-understood", nil),
            (2, 1, "answered", "withdraw-time"), (2, 2, "not-understood", nil), (2, 3, "not-understood", nil),
            (3, 1, "answered", "withdraw-time"),
            (1, 2, "profile-completed", nil), (3, 1, "profile-completed", nil), (3, 2, "profile-completed", nil),
            (1, 2, "recommendation-shown", "money-fund"), (3, 1, "recommendation-shown", "bond-fund"), (3, 2, "conversion", "bond-fund"),
            (1, 3, "objection-raised", "too-risky"), (3, 2, "objection-raised", "too-risky"), (3, 2, "objection-raised", "no-money"),
            (1, 3, "objection-reason", "too-risky/lost-before"), (3, 2, "objection-reason", "too-risky/lost-before"),
            (3, 2, "objection-reason", "no-money/general"),
            (1, 4, "objection-accepted", "too-risky:money-fund"), (3, 2, "objection-declined", "too-risky:bond-fund"),
            (3, 2, "objection-declined", "no:bond-fund"),
            (2, 3, "do-not-contact", nil),
        ]
        let tickets: [(String, Int, String, Int, String, String, String)] = [
            ("T-1", 1, "urgent", 0, "security-incident", "open", "2026-11-01T09:00:05.000Z"),
            ("T-2", 2, "normal", 2, "explicit-request", "closed", "2026-11-02T10:00:03.000Z"),
            ("T-3", 3, "urgent", 0, "security-incident", "claimed", "2026-11-03T11:00:02.000Z"),
            ("T-4", 4, "high", 1, "complaint", "open", "2026-11-10T12:00:01.000Z"),
        ]
        let run = backend.execute
        func text(_ value: String?) -> StoreValue { value.map(StoreValue.text) ?? .null }
        for (id, start, channel, mode, language, turns) in sessions {
            try run("INSERT INTO sessions (id, started_at, channel, mode, language) VALUES (?, ?, ?, ?, ?)",
                    [.integer(Int64(id)), .text(start), .text(channel), .text(mode), .text(language)])
            let startDate = StoreTime.date(start)!
            for (offset, turn) in turns.enumerated() {
                let at = StoreTime.string(startDate.addingTimeInterval(Double(offset + 1)))
                try run("INSERT INTO turns (session_id, seq, at, speaker, text, language) VALUES (?, ?, ?, 'customer', ?, ?)",
                        [.integer(Int64(id)), .integer(Int64(offset + 1)), .text(at), .text(turn.0), .text(turn.1)])
                try run("INSERT INTO turns (session_id, seq, at, speaker, text, language, matched_id, state) VALUES (?, ?, ?, 'kefu', 'reply', ?, ?, 'idle')",
                        [.integer(Int64(id)), .integer(Int64(offset + 1)), .text(at), .text(turn.1), text(turn.2)])
            }
        }
        for (session, seq, kind, detail) in events {
            let start = StoreTime.date(sessions[session - 1].1)!
            try run("INSERT INTO events (session_id, turn_seq, at, kind, detail) VALUES (?, ?, ?, ?, ?)",
                    [.integer(Int64(session)), .integer(Int64(seq)), .text(StoreTime.string(start.addingTimeInterval(Double(seq)))), .text(kind), text(detail)])
        }
        for (id, session, priority, rank, reason, status, created) in tickets {
            try run("""
                INSERT INTO tickets (id, session_id, turn_seq, priority, priority_rank, reason, status, summary, created_at)
                VALUES (?, ?, 1, ?, ?, ?, ?, 'summary', ?)
                """, [.text(id), .integer(Int64(session)), .text(priority), .integer(Int64(rank)), .text(reason), .text(status), .text(created)])
        }
    }

    /// The same figures from PostgreSQL as from SQLite, on the same records.
    func testBothDatabasesReportTheSameFigures() throws {
        let sqlite = try makeFixture()
        for backend in try backends() where backend.name != "SQLite" {
            try fill(backend)
            for filter in [RecordFilter(), RecordFilter(channel: "app"), RecordFilter(mode: "rehearse"),
                           RecordFilter(since: StoreTime.date("2026-11-02T00:00:00Z"), until: StoreTime.date("2026-11-04T00:00:00Z"))] {
                XCTAssertEqual(try backend.store.stats(filter), try sqlite.stats(filter), "\(backend.name) \(filter)")
            }
            XCTAssertEqual(try backend.store.tickets(status: [.open, .claimed, .closed]), try sqlite.tickets(status: [.open, .claimed, .closed]))
        }
    }

    func testAllTimeFigures() throws {
        let stats = try makeFixture().stats(RecordFilter())
        XCTAssertEqual(stats.sessions, 4)
        XCTAssertEqual(stats.turns, 9, "a rehearsal's lines are the trainee's, not customer questions")
        XCTAssertEqual(stats.questions, 8, "/help is not a question")
        XCTAssertEqual(stats.channels, [Count("app", 2), Count("terminal", 2)])
        XCTAssertEqual(stats.modes, [Count("chat", 3), Count("rehearse", 1)])
        XCTAssertEqual(stats.languages, [Count("zh", 6), Count("en", 3)])
        XCTAssertEqual(stats.topEntries, [Count("withdraw-time", 3), Count("open-account", 1)])
        XCTAssertEqual(stats.unanswered, 3)
        XCTAssertEqual(stats.unansweredRate, 3.0 / 8.0, accuracy: 1e-9)
        XCTAssertEqual(stats.topUnanswered, [Count("What is the weather", 2), Count("blah 不懂", 1)])
        XCTAssertEqual(stats.escalationsByReason, [Count("security-incident", 2), Count("complaint", 1), Count("explicit-request", 1)])
        XCTAssertEqual(stats.escalationsByPriority, [Count("urgent", 2), Count("high", 1), Count("normal", 1)])
        XCTAssertEqual(stats.ticketsByStatus, [Count("open", 2), Count("claimed", 1), Count("closed", 1)])
        XCTAssertEqual(stats.escalations, 4)
        XCTAssertEqual(stats.funnel.profilesCompleted, 2, "sessions, not events")
        XCTAssertEqual(stats.funnel.recommendationsShown, 2)
        XCTAssertEqual(stats.funnel.conversions, 1)
        XCTAssertEqual(stats.conversionRate, 0.5)
        XCTAssertEqual(stats.objections, [
            ServiceStats.Objection(type: "too-risky", raised: 2, outcomes: [Count("accepted", 1), Count("declined", 1)]),
            ServiceStats.Objection(type: "no-money", raised: 1, outcomes: [Count("accepted", 0), Count("declined", 0)]),
            ServiceStats.Objection(type: "no", raised: 0, outcomes: [Count("accepted", 0), Count("declined", 1)]),
        ])
        XCTAssertEqual(stats.objectionReasons, [Count("too-risky/lost-before", 2), Count("no-money/general", 1)])
        XCTAssertEqual(stats.events.first, Count("answered", 4))
        XCTAssertTrue(stats.events.contains(Count("do-not-contact", 1)))
    }

    func testFilters() throws {
        let store = try makeFixture()
        let app = try store.stats(RecordFilter(channel: "app"))
        XCTAssertEqual(app.sessions, 2)
        XCTAssertEqual(app.turns, 2)
        XCTAssertEqual(app.unanswered, 0)
        XCTAssertEqual(app.escalationsByReason, [Count("complaint", 1), Count("security-incident", 1)])
        XCTAssertEqual(app.funnel.conversions, 1)

        let window = try store.stats(RecordFilter(since: StoreTime.date("2026-11-02T00:00:00Z"), until: StoreTime.date("2026-11-04T00:00:00Z")))
        XCTAssertEqual(window.sessions, 2)
        XCTAssertEqual(window.turns, 5)
        XCTAssertEqual(window.unanswered, 2)
        XCTAssertEqual(window.escalationsByPriority, [Count("urgent", 1), Count("normal", 1)])
        XCTAssertEqual(window.languages, [Count("en", 3), Count("zh", 2)])

        let rehearse = try store.stats(RecordFilter(mode: "rehearse"))
        XCTAssertEqual(rehearse.sessions, 1)
        XCTAssertEqual(rehearse.turns, 1)

        let empty = try store.stats(RecordFilter(channel: "phone"))
        XCTAssertEqual(empty, ServiceStats())
        XCTAssertEqual(empty.unansweredRate, 0)
    }

    func testJSONAndCSV() throws {
        let stats = try makeFixture().stats(RecordFilter())
        let json = stats.json(filter: RecordFilter(channel: "terminal"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["sessions"] as? Int, 4)
        XCTAssertEqual(object["unanswered"] as? Int, 3)
        XCTAssertEqual((object["funnel"] as? [String: Any])?["conversions"] as? Int, 1)
        XCTAssertEqual((object["filter"] as? [String: Any])?["channel"] as? String, "terminal")
        XCTAssertTrue(json.hasPrefix("{\"filter\":"), "stable key order")

        XCTAssertEqual(stats.csv(table: "escalations-by-priority"), "key,count\nurgent,2\nhigh,1\nnormal,1\n")
        XCTAssertEqual(stats.csv(table: "objections"),
                       "key,count\ntoo-risky:raised,2\ntoo-risky:accepted,1\ntoo-risky:declined,1\nno-money:raised,1\nno-money:accepted,0\n"
                           + "no-money:declined,0\nno:raised,0\nno:accepted,0\nno:declined,1\n")
        let all = stats.csv()
        for name in ServiceStats.tableNames where !RehearsalStats.tableNames.contains(name) { XCTAssertTrue(all.contains("# \(name)\nkey,count\n"), name) }
        for name in RehearsalStats.tableNames { XCTAssertTrue(all.contains("# \(name)\n"), name) }
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("=SUM(A1)"), "'=SUM(A1)")
        XCTAssertEqual(CSV.field("-3"), "-3")
    }

    func testDashboardDrawsBars() throws {
        let stats = try makeFixture().stats(RecordFilter())
        let text = StatsDashboard(width: 60).render(stats, filter: RecordFilter(), source: "/tmp/kefu.sqlite")
        XCTAssertTrue(text.contains("sessions 4   turns 9   questions 8"), text)
        XCTAssertTrue(text.contains("unanswered 3 (37.5%)"), text)
        XCTAssertTrue(text.contains("escalations 4"), text)
        let lines = text.split(separator: "\n").map(String.init)
        let withdraw = try XCTUnwrap(lines.first { $0.contains("withdraw-time") })
        let account = try XCTUnwrap(lines.first { $0.contains("open-account") })
        XCTAssertTrue(withdraw.hasSuffix(" 3"))
        XCTAssertTrue(account.hasSuffix(" 1"))
        XCTAssertGreaterThan(withdraw.filter { $0 == "█" }.count, account.filter { $0 == "█" }.count * 2)
        for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 60, line) }
        XCTAssertTrue(text.contains("too-risky → accepted 1, declined 1"), text)
        XCTAssertTrue(text.contains("too-risky/lost-before"), text)

        XCTAssertEqual(StatsDashboard.bar(1, of: 2, width: 10), "█████")
        XCTAssertEqual(StatsDashboard.bar(1, of: 3, width: 10), "███▍")
        XCTAssertEqual(StatsDashboard.bar(1, of: 1000, width: 10), "▏")
        XCTAssertEqual(StatsDashboard.bar(0, of: 10, width: 10), "")
        XCTAssertEqual(DisplayWidth.of("提现ab"), 6)

        let empty = StatsDashboard().render(ServiceStats(), filter: RecordFilter(), source: "x")
        XCTAssertTrue(empty.contains("No conversations recorded"))
    }
}
