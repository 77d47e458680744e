import Foundation
import KefuTestSupport
import XCTest

/// Runs the built `kefu` binary as a user would, with piped input, and checks what it prints.
final class KefuExecutableTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Run {
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-e2e-state").path
        env["XDG_DATA_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-e2e-data-\(UUID().uuidString)").path
        for (key, value) in environment { env[key] = value }
        let result = try ProcessRunner.run(Fixtures.kefuExecutable, arguments, input: Data(input.utf8), environment: env, directory: Fixtures.packageRoot)
        return Run(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    func testPipedQuestionsPrintOnlyTheReplies() throws {
        let result = try run(["--no-store"], input: "提现多久到账\n\n   \nhow do I reset my password\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 2, "blank lines get no reply: \(result.stdout)")
        XCTAssertTrue(lines[0].contains("到账"))
        XCTAssertTrue(lines[1].lowercased().contains("password"))
        XCTAssertFalse(result.stdout.contains("\u{1B}["), "no colours in a pipe")
    }

    func testJSONModeGivesOneObjectPerLine() throws {
        let result = try run(["--json", "--no-store"], input: "提现多久到账\nhello\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(object["input"] as? String, "提现多久到账")
        XCTAssertEqual(object["language"] as? String, "zh")
        XCTAssertNotNil(object["matched"] as? String)
        XCTAssertNotNil(object["score"] as? Double)
        XCTAssertNotNil(object["state"] as? String)
        XCTAssertNotNil(object["reply"] as? String)
        XCTAssertNotNil(object["events"] as? [Any])
    }

    func testQuitEndsTheConversation() throws {
        let result = try run(["--no-store"], input: "/quit\n提现多久到账\n")
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 1, "nothing is answered after /quit")
    }

    func testCheckPassesOnShippedKnowledgeAndFailsOnBrokenKnowledge() throws {
        let ok = try run(["check"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)
        XCTAssertTrue(ok.stdout.contains("entries"))

        let root = try Fixtures.temporaryKnowledge([
            "faq/a.txt": "[withdraw-fee]\nq.zh: 提现要手续费吗\na.zh: 不收费。\n\n[x]\nq.en: hi\na.zh: 你好\na.en: 稳赚 guaranteed\n",
            "messages.txt": "[welcome]\na.zh: 你好\na.en: hi\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let bad = try run(["check", root.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("faq/a.txt:1: error: entry 'withdraw-fee' has no English answer (a.en)"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("faq/a.txt:8: error: entry 'x': forbidden phrase"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("messages.txt: error: message 'goodbye' is missing"), bad.stderr)

        let chat = try run(["--knowledge", root.path, "--no-store"], input: "hi\n")
        XCTAssertEqual(chat.status, 1, "chat refuses to start on errors")
        XCTAssertTrue(chat.stderr.contains("error(s)"))
    }

    func testMissingKnowledgeFolderSaysWhereItLooked() throws {
        let result = try run(["--knowledge", "/nonexistent/kefu", "--no-store"], input: "hi\n")
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("/nonexistent/kefu"), result.stderr)
    }

    func testReplayCheckPassesAndReportsMismatches() throws {
        let ok = try run(["replay", "--check", "transcripts/faq-withdrawal-zh.txt"])
        XCTAssertEqual(ok.status, 0, ok.stdout + ok.stderr)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-e2e-\(UUID().uuidString).txt")
        try "# wrong on purpose\nyou> 提现多久到账\nkefu> 马上到账\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let bad = try run(["replay", "--check", file.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("\(file.path):3: reply to '提现多久到账' differs"), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("expected: 马上到账"))

        let update = try run(["replay", "--update", file.path])
        XCTAssertEqual(update.status, 0)
        let again = try run(["replay", "--check", file.path])
        XCTAssertEqual(again.status, 0, again.stdout)
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).hasPrefix("# wrong on purpose\n"))
    }

    /// A folder stands for its .txt files in name order; an empty one is an error, not a silent pass.
    func testReplayTakesAFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-e2e-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try run(["replay", "--check", folder.path])
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("no transcripts"), empty.stderr)

        try "you> 提现多久到账\nkefu> 马上到账\n".write(to: folder.appendingPathComponent("b-wrong.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "transcripts/faq-withdrawal-zh.txt"), to: folder.appendingPathComponent("a-right.txt"))
        try "not a transcript".write(to: folder.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)
        let result = try run(["replay", "--check", folder.path])
        XCTAssertEqual(result.status, 1)
        let marks = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok") || $0.hasPrefix("FAIL") }.map { String($0.prefix(4)) }
        XCTAssertEqual(marks, ["ok  ", "FAIL"], result.stdout)
        XCTAssertTrue(result.stdout.contains("2 transcript(s)"), result.stdout)
    }

    func testReplayJSON() throws {
        let result = try run(["replay", "--json", "transcripts/faq-withdrawal-zh.txt"])
        XCTAssertEqual(result.status, 0)
        for line in result.stdout.split(separator: "\n") {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)))
        }
    }

    func testRecordWritesAReplayableTranscript() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-record-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        let chat = try run(["--record", file.path, "--no-store"], input: "提现多久到账\nthanks\n")
        XCTAssertEqual(chat.status, 0, chat.stderr)
        let check = try run(["replay", "--check", file.path])
        XCTAssertEqual(check.status, 0, check.stdout)
    }

    /// --record and /save keep what the customer typed, with personal data masked.
    func testRecordAndSaveMaskPersonalData() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-mask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = folder.appendingPathComponent("recorded.txt"), saved = folder.appendingPathComponent("saved.txt")
        let chat = try run(["--record", recorded.path, "--no-store"],
                           input: "我的卡 6222021234567890128 被盗刷了\n手机 13812345678\n/save \(saved.path)\n")
        XCTAssertEqual(chat.status, 0, chat.stderr)
        XCTAssertTrue(chat.stdout.contains("已保存到") || chat.stdout.contains("saved to"), chat.stdout)
        for file in [recorded, saved] {
            let text = try String(contentsOf: file, encoding: .utf8)
            XCTAssertTrue(text.contains("you> 我的卡 **** **** **** 0128 被盗刷了"), "\(file.lastPathComponent): \(text)")
            XCTAssertTrue(text.contains("you> 手机 *******5678"), "\(file.lastPathComponent): \(text)")
            XCTAssertFalse(text.contains("6222021234567890128") || text.contains("13812345678"), text)
        }
    }

    /// SIGTERM while reading piped input: the answered turn is kept, the session is closed in the store,
    /// and kefu exits at once with status 0.
    func testSIGTERMEndsAPipedSessionCleanly() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-term-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) } }
        let process = Process()
        process.executableURL = Fixtures.kefuExecutable
        process.arguments = ["--db", database.path]
        process.currentDirectoryURL = Fixtures.packageRoot
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data("提现多久到账\n".utf8))
        // Wait for the reply, so the turn is answered before the signal.
        var received = Data()
        let deadline = Date().addingTimeInterval(60)
        while !received.contains(UInt8(ascii: "\n")) && Date() < deadline {
            received.append(stdout.fileHandleForReading.availableData)
        }
        XCTAssertTrue(String(decoding: received, as: UTF8.self).contains("到账"))
        let sent = Date()
        process.terminate()  // SIGTERM; stdin stays open, so only the signal can end the session
        process.waitUntilExit()
        XCTAssertLessThan(Date().timeIntervalSince(sent), 5, "kefu must not wait for end of input")
        XCTAssertEqual(process.terminationReason, .exit, "kefu ends by itself, not killed by the signal")
        XCTAssertEqual(process.terminationStatus, 0)
        try? stdin.fileHandleForWriting.close()
        // With the sqlite3 shell available, check the stored session is closed and the turn kept.
        let sqlite = ["/usr/bin/sqlite3", "/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let sqlite else { return }
        let query = Process()
        query.executableURL = URL(fileURLWithPath: sqlite)
        query.arguments = [database.path, "select count(*) from sessions where ended_at is not null; select count(*) from turns where speaker = 'customer';"]
        let output = Pipe()
        query.standardOutput = output
        try query.run()
        query.waitUntilExit()
        XCTAssertEqual(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "1\n1\n")
    }
}
