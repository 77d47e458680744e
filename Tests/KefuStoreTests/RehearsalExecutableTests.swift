import Foundation
import GRDB
import KefuKit
@testable import KefuStore
import KefuTestSupport
import XCTest

/// `kefu rehearse` with the store, end to end: the rehearsal is recorded as it happens, `kefu stats` shows
/// it, `--score` writes only with `--db`, and export carries the scorecard.
extension KefuExecutableStoreTests {
    func testRehearsalIsStoredAndShownByStats() throws {
        let database = path()
        let lines = [
            "Hello Mrs Wang, thanks for calling. What are you hoping to do with the money?",
            "/hint",
            "I understand. Don't worry, Cash Plus is completely safe and guaranteed, you can't lose.",
        ]
        let result = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--persona", "cautious-retiree", "--lang", "en",
                              "--seed", "7", "--db", database, "--channel", "class-a"], input: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(result.error, "")
        XCTAssertTrue(result.output.contains("Hints used: 1"), result.output)

        let rows = try raw(database).read { db in
            try Row.fetchAll(db, sql: "SELECT s.mode, s.channel, sc.persona, sc.outcome, sc.overall, sc.hints, sc.seed FROM scorecards sc JOIN sessions s ON s.id = sc.session_id")
        }
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?["mode"], "rehearse")
        XCTAssertEqual(rows.first?["channel"], "class-a")
        XCTAssertEqual(rows.first?["outcome"], "breach")
        XCTAssertEqual(rows.first?["overall"], 25)
        XCTAssertEqual(rows.first?["hints"], 1)
        XCTAssertEqual(rows.first?["seed"], 7)
        let turns = try raw(database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM turns WHERE speaker = 'customer'") }
        XCTAssertEqual(turns, 2, "the two agent lines; /hint is not a turn")

        let stats = try run(["stats", "--db", database, "--json"], input: "")
        XCTAssertEqual(stats.status, 0, stats.error)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        let rehearsals = try XCTUnwrap(object["rehearsals"] as? [String: Any])
        XCTAssertEqual(rehearsals["rehearsals"] as? Int, 1)
        XCTAssertEqual(rehearsals["lost"] as? Int, 1)
        XCTAssertEqual(rehearsals["averageOverall"] as? Double, 25)
        let dashboard = try run(["stats", "--db", database, "--mode", "rehearse"], input: "")
        XCTAssertTrue(dashboard.output.contains("Average score per skill"), dashboard.output)

        let export = try run(["export", "--db", database, "--format", "jsonl"], input: "")
        XCTAssertTrue(export.output.contains("\"rehearsal\":{\"scoredAt\""), export.output)
        let csv = try run(["export", "--db", database, "--format", "scorecards"], input: "")
        XCTAssertEqual(csv.output.split(separator: "\n").count, 2, csv.output)
        XCTAssertTrue(csv.output.contains(",cautious-retiree,en,7,breach,25,0,2,1,"), csv.output)
    }

    func testScoringFilesWritesOnlyWithDB() throws {
        let transcript = Fixtures.transcriptsURL.appendingPathComponent("rehearse-shop-owner-loan-strong-en.txt").path
        let defaultPath = folder.appendingPathComponent("xdg-data/kefu/kefu.sqlite").path
        let scored = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--score", transcript], input: "")
        XCTAssertEqual(scored.status, 0, scored.error)
        XCTAssertFalse(FileManager.default.fileExists(atPath: defaultPath), "--score alone writes nothing")

        let database = path("class.sqlite")
        let stored = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--score", transcript], input: "")
        XCTAssertEqual(stored.status, 0, stored.error)
        let overall = try raw(database).read { try Int.fetchOne($0, sql: "SELECT overall FROM scorecards") }
        XCTAssertEqual(overall, 100)

        _ = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--persona", "young-office-worker", "--no-store"], input: "Hello!\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: defaultPath), "--no-store keeps nothing")
        _ = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--persona", "young-office-worker"], input: "Hello!\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: defaultPath), "a live rehearsal uses the default database")
    }

    /// Scoring the same file twice keeps one rehearsal; the persona's opening line is stored (sequence 0, no
    /// trainee line before it); exports call the two sides trainee and persona.
    func testScoringTwiceKeepsOneRehearsalWithItsOpening() throws {
        let transcript = Fixtures.transcriptsURL.appendingPathComponent("rehearse-shop-owner-loan-strong-en.txt").path
        let database = path("class.sqlite")
        for _ in 0..<2 {
            let stored = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--score", transcript], input: "")
            XCTAssertEqual(stored.status, 0, stored.error)
        }
        let counts = try raw(database).read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions"), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scorecards"))
        }
        XCTAssertEqual(counts.0, 1, "one session")
        XCTAssertEqual(counts.1, 1, "one scorecard")
        let opening = try raw(database).read { try Row.fetchAll($0, sql: "SELECT speaker, text FROM turns WHERE seq = 0") }
        XCTAssertEqual(opening.count, 1)
        XCTAssertEqual(opening.first?["speaker"], "kefu")
        let firstCustomerLine = try String(contentsOfFile: transcript, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("customer> ") }.map { String($0.dropFirst("customer> ".count)) }
        XCTAssertEqual(opening.first?["text"], firstCustomerLine)

        let csv = try run(["export", "--db", database, "--format", "csv"], input: "").output
        XCTAssertTrue(csv.contains(",trainee,") && csv.contains(",persona,"), csv)
        XCTAssertFalse(csv.contains(",customer,") || csv.contains(",kefu,"), csv)
        let jsonl = try run(["export", "--db", database, "--format", "jsonl"], input: "").output
        XCTAssertTrue(jsonl.contains("\"speaker\":\"trainee\"") && jsonl.contains("\"speaker\":\"persona\""), jsonl)

        // A different file (here the same rehearsal with one more agent line) is another rehearsal.
        let longer = path("longer.txt")
        let text = try String(contentsOfFile: transcript, encoding: .utf8)
        try (text.replacingOccurrences(of: "\nscore> ", with: "\nagent> Thank you, goodbye.\nscore> ")).write(toFile: longer, atomically: true, encoding: .utf8)
        _ = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--score", longer], input: "")
        XCTAssertEqual(try raw(database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sessions") }, 2)
    }

    /// A chat command typed in a rehearsal ("/why") is not a line to the customer: it was judged a dismissive tone.
    func testAChatCommandIsNotALineToTheCustomer() throws {
        let database = path()
        let result = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--persona", "worried-parent", "--lang", "zh", "--seed", "5",
                              "--db", database, "--coach"], input: "/why\n/end\n")
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.contains("没有 /why 这个命令。输入 /help 查看可用命令。"), result.output)
        XCTAssertFalse(result.output.contains("轻视"), result.output)
        let turns = try raw(database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM turns WHERE speaker = 'customer'") }
        XCTAssertEqual(turns, 0, "no agent line was said")
    }

    /// A live rehearsal stores the persona's opening line too.
    func testLiveRehearsalStoresTheOpening() throws {
        let database = path()
        _ = try run(["rehearse", "--knowledge", Fixtures.knowledgeURL.path, "--persona", "young-office-worker", "--lang", "en", "--seed", "3",
                     "--db", database], input: "Hello!\n")
        let rows = try raw(database).read { try Row.fetchAll($0, sql: "SELECT seq, speaker FROM turns ORDER BY seq, speaker") }
        XCTAssertEqual(rows.map { "\($0["seq"] as Int) \($0["speaker"] as String)" }, ["0 kefu", "1 customer", "1 kefu"])
    }

    /// `kefu replay --db` stores a rehearsal transcript as a rehearse session with its scorecard, as it
    /// stores a chat transcript as a replay session.
    func testReplayWithDBStoresRehearsals() throws {
        let rehearsal = Fixtures.transcriptsURL.appendingPathComponent("rehearse-young-office-worker-weak-zh.txt").path
        let chat = Fixtures.transcriptsURL.appendingPathComponent("faq-withdrawal-zh.txt").path
        let database = path("replayed.sqlite")
        let result = try run(["replay", "--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--check", rehearsal, chat], input: "")
        XCTAssertEqual(result.status, 0, result.output + result.error)
        let modes = try raw(database).read { try String.fetchAll($0, sql: "SELECT mode FROM sessions ORDER BY id") }
        XCTAssertEqual(modes, ["rehearse", "replay"])
        let card = try raw(database).read { try Row.fetchOne($0, sql: "SELECT persona, outcome FROM scorecards") }
        XCTAssertEqual(card?["persona"], "young-office-worker")
        XCTAssertEqual(card?["outcome"], "lost")
    }
}
