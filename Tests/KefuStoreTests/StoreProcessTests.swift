import Foundation
import GRDB
import KefuKit
@testable import KefuStore
import KefuTestSupport
import XCTest

/// Runs as a separate process: the parent tests start this test binary again with only
/// `StoreChildProcess/testChildWriter` selected and the KEFU_STORE_CHILD_* variables set. In a normal
/// test run (no variables) it does nothing.
final class StoreChildProcess: XCTestCase {
    func testChildWriter() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let path = environment["KEFU_STORE_CHILD_DB"] else { return }
        let turns = Int(environment["KEFU_STORE_CHILD_TURNS"] ?? "") ?? 10
        let hang = environment["KEFU_STORE_CHILD_HANG"] == "1"
        let tag = environment["KEFU_STORE_CHILD_TAG"] ?? "child"
        func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        do {
            let store = try SQLiteStore(path: path)
            let observer = StoreObserver(store: store, channel: tag, warn: { say("FAIL \($0)") })
            observer.conversationStarted(mode: "chat", language: .zh)
            for index in 1...turns {
                let record = Sample.record("\(tag) 问题 \(index)，卡号 6222021234567890128", reply: "回复 \(index)",
                                           events: [DialogueEvent(.answered, "entry-\(index % 7)")])
                observer.turnCompleted(record, effects: Sample.effects(record))
                if observer.failure != nil { exit(2) }
                say("ACK \(index)")
            }
            if hang {
                say("READY")
                while true { sleep(60) }
            }
            observer.conversationEnded()
            exit(observer.failure == nil ? 0 : 2)
        } catch {
            say("FAIL \(error)")
            exit(3)
        }
    }
}

final class StoreProcessTests: StoreTestCase {
    /// The test binary itself, to be started again as a writer.
    var testBinary: URL? {
        #if os(Linux)
        let candidate = URL(fileURLWithPath: CommandLine.arguments[0])
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
        #else
        return nil
        #endif
    }

    final class Child {
        let process = Process()
        let output = Pipe()
        var buffer = ""

        /// Reads until `count` ACK lines have arrived (or the child ended); returns how many arrived.
        func waitForAcks(_ count: Int) -> Int {
            var acks = 0
            while acks < count {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
                acks = buffer.split(separator: "\n").filter { $0.hasPrefix("ACK ") }.count
            }
            return acks
        }
    }

    func startChild(database: String, turns: Int, hang: Bool, tag: String) throws -> Child {
        guard let binary = testBinary else { throw XCTSkip("re-running the test binary is set up for Linux's xctest only") }
        let child = Child()
        child.process.executableURL = binary
        child.process.arguments = ["KefuStoreTests.StoreChildProcess/testChildWriter"]
        var environment = ProcessInfo.processInfo.environment
        environment["KEFU_STORE_CHILD_DB"] = database
        environment["KEFU_STORE_CHILD_TURNS"] = String(turns)
        environment["KEFU_STORE_CHILD_HANG"] = hang ? "1" : "0"
        environment["KEFU_STORE_CHILD_TAG"] = tag
        child.process.environment = environment
        child.process.standardOutput = child.output
        child.process.standardError = FileHandle.nullDevice
        try child.process.run()
        return child
    }

    /// SIGKILL after N answered turns: all N are in the database, the session simply has no end time.
    func testKilledProcessLosesNoAnsweredTurn() throws {
        let database = path()
        let turns = 25
        let child = try startChild(database: database, turns: turns, hang: true, tag: "killed")
        XCTAssertEqual(child.waitForAcks(turns), turns, child.buffer)
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        XCTAssertEqual(child.process.terminationReason, .uncaughtSignal)

        let store = try SQLiteStore(path: database)
        let sessions = try store.sessions(RecordFilter())
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(sessions[0].turns.count, turns * 2)
        XCTAssertEqual(sessions[0].events.count, turns)
        XCTAssertEqual(Set(sessions[0].turns.map(\.sequence)), Set(1...turns))
        XCTAssertNil(sessions[0].endedAt)
        XCTAssertFalse(sessions[0].turns.contains { $0.text.contains("6222021234567890128") })
    }

    /// SIGKILL while the child is writing as fast as it can: everything acknowledged is there, and
    /// every turn is whole (both utterances and its event, or nothing).
    func testKilledMidWriteLeavesWholeTurnsOnly() throws {
        let database = path()
        let child = try startChild(database: database, turns: 100_000, hang: false, tag: "busy")
        // One read may bring more than the 200 acknowledgements waited for: all of them must be stored.
        let acknowledged = child.waitForAcks(200)
        XCTAssertGreaterThanOrEqual(acknowledged, 200, child.buffer)
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()

        let queue = try raw(database)
        try queue.read { db in
            XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA integrity_check"), "ok")
            let customer = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turns WHERE speaker = 'customer'") ?? 0
            let kefu = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turns WHERE speaker = 'kefu'") ?? 0
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0
            XCTAssertGreaterThanOrEqual(customer, acknowledged)
            XCTAssertEqual(customer, kefu)
            XCTAssertEqual(customer, events)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM turns"), customer, "no gaps")
        }
    }

    /// Two shells writing the same database at the same time: both finish, nothing is lost or mixed.
    func testTwoProcessesWriteTheSameDatabase() throws {
        let database = path()
        let turns = 300
        let first = try startChild(database: database, turns: turns, hang: false, tag: "first")
        let second = try startChild(database: database, turns: turns, hang: false, tag: "second")
        XCTAssertEqual(first.waitForAcks(turns), turns, first.buffer)
        XCTAssertEqual(second.waitForAcks(turns), turns, second.buffer)
        first.process.waitUntilExit()
        second.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationStatus, 0, first.buffer)
        XCTAssertEqual(second.process.terminationStatus, 0, second.buffer)

        let store = try SQLiteStore(path: database)
        let sessions = try store.sessions(RecordFilter())
        XCTAssertEqual(Set(sessions.map(\.channel)), ["first", "second"])
        for session in sessions {
            XCTAssertEqual(session.turns.count, turns * 2, session.channel)
            XCTAssertTrue(session.turns.allSatisfy { $0.speaker == .kefu || $0.text.hasPrefix(session.channel) })
            XCTAssertNotNil(session.endedAt)
        }
        XCTAssertEqual(try store.stats(RecordFilter()).turns, turns * 2)
    }
}

/// The real `kefu` executable with piped input and `--db`.
final class KefuExecutableStoreTests: StoreTestCase {
    func kefu() throws -> URL {
        let url = Fixtures.kefuExecutable
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw XCTSkip("kefu is not built at \(url.path)") }
        return url
    }

    /// The test's own data and state folders (never the user's), no colours.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = folder.appendingPathComponent("xdg-data").path
        environment["XDG_STATE_HOME"] = folder.appendingPathComponent("xdg-state").path
        environment["NO_COLOR"] = "1"
        return environment
    }

    func run(_ arguments: [String], input: String) throws -> (status: Int32, output: String, error: String) {
        let result = try ProcessRunner.run(try kefu(), arguments, input: Data(input.utf8), environment: environment)
        return (result.status, result.stdout, result.stderr)
    }

    func testPipedChatIsRecordedMasked() throws {
        let database = path()
        let result = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--channel", "pipe"],
                             input: "my card 6222021234567890128 was stolen\n提现多久到账\n")
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertEqual(result.error, "")
        let texts = try raw(database).read { try String.fetchAll($0, sql: "SELECT text FROM turns WHERE speaker = 'customer' ORDER BY seq") }
        XCTAssertEqual(texts, ["my card **** **** **** 0128 was stolen", "提现多久到账"])
        let channel = try raw(database).read { try String.fetchOne($0, sql: "SELECT channel FROM sessions") }
        XCTAssertEqual(channel, "pipe")
    }

    /// Mistyped card and ID numbers (both checksums wrong) reach no sink in full: the database's turns and
    /// tickets, `tickets show`, both exports, `--record`, `/save`, and the stderr ticket of a chat without a store.
    func testMistypedCardAndIDNumbersReachNoSink() throws {
        let database = path()
        let recorded = path("recorded.txt"), saved = path("saved.txt")
        let secrets = ["6222021234567890123", "110101199003071234", "6222 0212 3456 7890 123", "62220212345"]
        let lines = "我卡号6222021234567890123，身份证号110101199003071234\n卡号 6222 0212 3456 7890 123，账号 62220212345\n转人工\n/save \(saved)\n"
        let chat = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--record", recorded], input: lines)
        XCTAssertEqual(chat.status, 0, chat.error)
        XCTAssertTrue(chat.output.contains("工单号") || chat.output.contains("工单"), chat.output)
        func assertClean(_ text: String, _ sink: String, line: UInt = #line) {
            for secret in secrets { XCTAssertFalse(text.contains(secret), "\(sink) holds \(secret): \(text)", line: line) }
        }
        let turns = try raw(database).read { try String.fetchAll($0, sql: "SELECT text FROM turns") }.joined(separator: "\n")
        XCTAssertTrue(turns.contains("**** **** **** 0123"), turns)
        assertClean(turns, "turns.text")
        let tickets = try raw(database).read { try String.fetchAll($0, sql: "SELECT summary || last_turns FROM tickets") }.joined(separator: "\n")
        XCTAssertFalse(tickets.isEmpty)
        assertClean(tickets, "tickets")
        let id = try XCTUnwrap(try raw(database).read { try String.fetchOne($0, sql: "SELECT id FROM tickets") })
        assertClean(try run(["tickets", "show", id, "--db", database], input: "").output, "tickets show")
        assertClean(try run(["tickets", "show", id, "--db", database, "--json"], input: "").output, "tickets show --json")
        for format in ["jsonl", "csv"] {
            let export = try run(["export", "--format", format, "--db", database], input: "")
            XCTAssertEqual(export.status, 0, export.error)
            assertClean(export.output, "export \(format)")
        }
        assertClean(try String(contentsOfFile: recorded, encoding: .utf8), "--record")
        assertClean(try String(contentsOfFile: saved, encoding: .utf8), "/save")
        let unstored = try run(["--knowledge", Fixtures.knowledgeURL.path, "--no-store"], input: lines.replacingOccurrences(of: "/save \(saved)\n", with: ""))
        XCTAssertTrue(unstored.error.contains("[handoff ticket"), unstored.error)
        assertClean(unstored.error, "stderr ticket")
    }

    /// The issue's case: a withdrawal three days late, then "转人工". The ticket's summary names the problem in the
    /// customer's words, the amount and the date; `tickets show --json` carries the parts.
    func testHandoffSummaryNamesTheProblemAndItsFacts() throws {
        let database = path()
        _ = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database], input: "我三天前提现了五千块，到现在还没到账\n转人工\n")
        let id = try XCTUnwrap(try raw(database).read { try String.fetchOne($0, sql: "SELECT id FROM tickets") })
        let shown = try run(["tickets", "show", id, "--db", database, "--json"], input: "")
        XCTAssertEqual(shown.status, 0, shown.error)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        let summary = try XCTUnwrap(object["summary"] as? String)
        XCTAssertTrue(summary.contains("提现") && summary.contains("¥5,000") && summary.contains("三天前"), summary)
        XCTAssertEqual(object["reason"] as? String, "explicit-request")
        XCTAssertTrue((object["problem"] as? String)?.contains("我三天前提现了五千块，到现在还没到账") ?? false, "\(object)")
        let facts = try XCTUnwrap(object["facts"] as? [String: Any])
        XCTAssertEqual(facts["amounts"] as? [String], ["¥5,000"])
        XCTAssertEqual(facts["dates"] as? [String], ["三天前"])
        XCTAssertFalse((object["told"] as? [String] ?? []).isEmpty, "what Kefu already answered")

        // Claimed tickets show who took them; --agent, --priority and --status filter.
        _ = try run(["tickets", "claim", id, "--agent", "wang", "--db", database], input: "")
        let all = try run(["tickets", "--all", "--db", database, "--no-color"], input: "").output
        XCTAssertTrue(all.contains("AGENT") && all.contains("wang"), all)
        XCTAssertTrue(try run(["tickets", "--agent", "wang", "--db", database], input: "").output.contains(id))
        XCTAssertFalse(try run(["tickets", "--agent", "li", "--db", database], input: "").output.contains(id))
        XCTAssertFalse(try run(["tickets", "--priority", "urgent", "--all", "--db", database], input: "").output.contains(id))
        XCTAssertTrue(try run(["tickets", "--priority", "normal", "--status", "claimed", "--db", database], input: "").output.contains(id))
    }

    func testDefaultLocationAndNoStore() throws {
        _ = try run(["--knowledge", Fixtures.knowledgeURL.path, "--no-store"], input: "提现多久到账\n")
        let defaultPath = folder.appendingPathComponent("xdg-data/kefu/kefu.sqlite").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: defaultPath), "--no-store keeps nothing")
        _ = try run(["--knowledge", Fixtures.knowledgeURL.path], input: "提现多久到账\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: defaultPath))
    }

    /// Replays are checks, not conversations: without --db nothing is written, not even the default file.
    func testReplayWritesTheDefaultDatabaseOnlyWithDB() throws {
        let transcript = Fixtures.packageRoot.appendingPathComponent("transcripts").path
        let result = try run(["replay", "--knowledge", Fixtures.knowledgeURL.path, "--check", transcript], input: "")
        XCTAssertEqual(result.status, 0, result.output + result.error)
        let defaultPath = folder.appendingPathComponent("xdg-data/kefu/kefu.sqlite").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: defaultPath), "replay without --db keeps nothing")
        let database = path("replays.sqlite")
        let stored = try run(["replay", "--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--check", transcript], input: "")
        XCTAssertEqual(stored.status, 0, stored.error)
        let modes = try raw(database).read { try String.fetchAll($0, sql: "SELECT DISTINCT mode FROM sessions ORDER BY mode") }
        XCTAssertEqual(modes, ["rehearse", "replay"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: defaultPath))
    }

    func testBrokenDatabaseWarnsOnceAndTheChatGoesOn() throws {
        let database = path()
        _ = FileManager.default.createFile(atPath: database, contents: Data(String(repeating: "garbage ", count: 500).utf8))
        let result = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database], input: "提现多久到账\n怎么开户\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertFalse(result.output.isEmpty, "the chat answered")
        let warnings = result.error.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, result.error)
        XCTAssertTrue(warnings.first?.contains("continuing without storage") ?? false, result.error)
    }

    func testStatsAndTicketsCommands() throws {
        let database = path()
        _ = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database], input: "提现多久到账\nzzqqxx\n")
        let stats = try run(["stats", "--db", database, "--json"], input: "")
        XCTAssertEqual(stats.status, 0, stats.error)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
        XCTAssertEqual(object["sessions"] as? Int, 1)
        XCTAssertEqual(object["turns"] as? Int, 2)

        let dashboard = try run(["stats", "--db", database], input: "")
        XCTAssertTrue(dashboard.output.contains("█"), dashboard.output)

        let missing = try run(["tickets", "show", "T-nope", "--db", database], input: "")
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.error, "kefu: no ticket 'T-nope' (kefu tickets lists the open ones)\n")

        let list = try run(["tickets", "--db", database], input: "")
        XCTAssertEqual(list.status, 0)
        XCTAssertTrue(list.output.contains("no open tickets"))

        let export = try run(["export", "--db", database, "--format", "csv"], input: "")
        XCTAssertEqual(export.status, 0)
        XCTAssertEqual(export.output.split(separator: "\n").count, 5, "header and four utterances")

        let noDatabase = try run(["stats", "--db", path("none.sqlite")], input: "")
        XCTAssertEqual(noDatabase.status, 1)
        XCTAssertTrue(noDatabase.error.hasPrefix("kefu: there is no database at"))
    }

    // MARK: handoff tickets across processes and store failures

    static func ticketNumbers(in text: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "T[0-9]{8}-[0-9]{4}")
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    /// Shells escalating at the same moment each tell their customer a different ticket number, and the
    /// number told is the one stored.
    func testShellsEscalatingAtOnceTellDifferentNumbers() throws {
        let database = path()
        _ = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database], input: "你好\n")  // the file exists
        let shells = 4
        let outputs = UnsafeMutableBufferPointer<String>.allocate(capacity: shells)
        defer { outputs.deallocate() }
        outputs.initialize(repeating: "")
        nonisolated(unsafe) let slots = outputs
        let kefu = try kefu()
        let shared = environment
        DispatchQueue.concurrentPerform(iterations: shells) { index in
            let result = try? ProcessRunner.run(kefu, ["--knowledge", Fixtures.knowledgeURL.path, "--db", database],
                                                input: Data("转人工\n".utf8), environment: shared)
            slots[index] = (result?.stdout ?? "") + (result?.stderr ?? "")
        }
        let told = outputs.flatMap { Self.ticketNumbers(in: $0) }
        XCTAssertEqual(told.count, shells, Array(outputs).joined(separator: "\n---\n"))
        XCTAssertEqual(Set(told).count, shells, "one number per customer: \(told)")
        let stored = try raw(database).read { try String.fetchAll($0, sql: "SELECT id FROM tickets") }
        XCTAssertEqual(Set(stored), Set(told))
        let replies = try raw(database).read { try String.fetchAll($0, sql: "SELECT text FROM turns WHERE speaker = 'kefu' AND text LIKE '%T2%'") }
        XCTAssertEqual(Set(replies.flatMap { Self.ticketNumbers(in: $0) }), Set(told), "the stored replies name the stored numbers")
    }

    /// A chat recorded with --record while the store already holds tickets of the day replays exactly:
    /// the file notes the time and how many tickets came before, so the replay numbers its ticket alike.
    func testARecordedChatWithStoredTicketsReplays() throws {
        let database = path()
        let first = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database], input: "转人工\n")
        XCTAssertEqual(Self.ticketNumbers(in: first.output).count, 1, first.output)
        let file = folder.appendingPathComponent("recorded.txt")
        let second = try run(["--knowledge", Fixtures.knowledgeURL.path, "--db", database, "--record", file.path],
                             input: "提现多久到账\n我要投诉\n")
        let told = Self.ticketNumbers(in: second.output)
        XCTAssertEqual(told.count, 1, second.output)
        XCTAssertTrue(told.first?.hasSuffix("-0002") ?? false, "numbered after the stored ticket: \(told)")
        let recorded = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(recorded.hasPrefix("# time: "), recorded)
        XCTAssertTrue(recorded.contains("\n# tickets-before: 1\nyou> 提现多久到账\n"), recorded)
        let replay = try run(["replay", "--knowledge", Fixtures.knowledgeURL.path, "--check", file.path], input: "")
        XCTAssertEqual(replay.status, 0, replay.output + replay.error)
    }

    /// The store fails in the middle of a chat (another program holds the lock beyond the timeout): one
    /// warning, the chat goes on, and a later handoff ticket reaches stderr instead of being lost.
    func testATicketAfterTheStoreFailedGoesToStderr() throws {
        let database = path()
        let running = try ProcessRunner.start(try kefu(), ["--knowledge", Fixtures.knowledgeURL.path, "--db", database], environment: environment)
        let (process, input, output, errors) = (running.process, running.stdin, running.stdout, running.stderr)
        input.fileHandleForWriting.write(Data("提现多久到账\n".utf8))
        // Wait until the first turn is stored, then take the write lock and keep it.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let stored = (try? raw(database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM turns") }) ?? 0
            if stored == 2 { break }
            usleep(20_000)
        }
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let blocker = try DatabaseQueue(path: database, configuration: configuration)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        input.fileHandleForWriting.write(Data("我的卡被盗刷了\n".utf8))
        try input.fileHandleForWriting.close()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try blocker.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") }

        XCTAssertEqual(process.terminationStatus, 0, err)
        let told = Self.ticketNumbers(in: out)
        XCTAssertEqual(told.count, 1, out)
        let lines = err.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, err)
        XCTAssertTrue(lines.first?.contains("no longer being recorded") ?? false, err)
        XCTAssertTrue(lines.last?.hasPrefix("[handoff ticket \(told.first ?? "?") · urgent") ?? false, err)
        XCTAssertEqual(try raw(database).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM turns") }, 2, "the first turn is intact")
    }

}

/// One turn's write, measured (the figure reported for issue 5; `kefu bench` can call the same function).
final class StoreBenchmarkTests: XCTestCase {
    func testMedianTurnWrite() throws {
        let result = try StoreBenchmark.turnWrites(turns: 1000)
        print(result)
        XCTAssertEqual(result.count, 1000)
        XCTAssertLessThan(result.median, 0.05, "one turn's write should take well under 50 ms")
    }
}
