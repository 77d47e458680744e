import Foundation
import KefuTestSupport
import XCTest

/// Issue 8 through the built `kefu` binary: hostile bytes on stdin, floods, closed pipes, signals in a
/// pseudo-terminal and storage that cannot be written.
final class HostileInputEndToEndTests: XCTestCase {
    struct Run {
        var status: Int32
        var stdout: Data
        var stderr: String
        var out: String { String(decoding: stdout, as: UTF8.self) }
    }

    var scratch: URL!

    override func setUpWithError() throws {
        // A child that stops reading must fail the test, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch {
            chmodTree(scratch)
            try? FileManager.default.removeItem(at: scratch)
        }
    }

    private func chmodTree(_ url: URL) {
        chmod(url.path, 0o755)
        for case let child as URL in FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) ?? FileManager.DirectoryEnumerator() {
            chmod(child.path, 0o755)
        }
    }

    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = scratch.appendingPathComponent("state").path
        env["XDG_DATA_HOME"] = scratch.appendingPathComponent("data").path
        env.removeValue(forKey: "KEFU_KNOWLEDGE")
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Runs kefu with `input` on stdin (written from another thread, so large inputs cannot deadlock).
    func run(_ arguments: [String], input: Data, environment extra: [String: String] = [:],
             whileRunning: ((Process) -> Void)? = nil) throws -> Run {
        let process = Process()
        process.executableURL = Fixtures.kefuExecutable
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.packageRoot
        process.environment = environment(extra)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errData = Locked(Data())
        let errDone = DispatchSemaphore(value: 0)
        let errReader = Thread {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errData.update { $0 = data }
            errDone.signal()
        }
        errReader.start()
        whileRunning?(process)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errDone.wait()
        return Run(status: process.terminationStatus, stdout: out, stderr: String(decoding: errData.value, as: UTF8.self))
    }

    static let dangerous: [UInt8] = [0x1B, 0x07, 0x00, 0x08, 0x9B]

    func assertNoRawControls(_ data: Data, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = String(decoding: data, as: UTF8.self)
        let bad = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
        XCTAssertTrue(bad.isEmpty, "\(message): raw control characters \(bad.map { String($0.value, radix: 16) }) in \(text.prefix(400).debugDescription)", file: file, line: line)
    }

    // MARK: - Customer input

    /// One process, every kind of hostile line: answered or ignored, nothing raw echoed, the long line
    /// cut with a notice on stderr, blank lines silent.
    func testHostileLinesThroughAPipe() throws {
        var input = Data()
        func line(_ bytes: [UInt8]) { input.append(contentsOf: bytes + [0x0A]) }
        line([0xFF, 0xFE] + Array("提现".utf8) + [0x00] + Array("多久到账".utf8))        // 1 invalid UTF-8, NUL
        line(Array("\u{1B}]0;pwned\u{7}\u{1B}]52;c;ZXZpbA==\u{7}\u{1B}[2Jhello\u{1B}[31m".utf8))  // 2 OSC title, OSC 52, clear screen
        line([0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80])                                         // 3 lone surrogates (CESU-8)
        line(Array("   \t \u{3000} ".utf8))                                                // 4 whitespace only: no reply
        line([])                                                                            // 5 empty: no reply
        line(Array("a\(String(repeating: "\u{0301}", count: 50_000))".utf8))               // 6 combining flood: cut
        line(Array("😀👨‍👩‍👧 \u{200B}\u{200F}提\u{200B}现多久到账\u{202E}".utf8))                // 7 emoji, zero-width, RTL
        line(Array(String(repeating: "x", count: 1_048_576).utf8))                         // 8 one megabyte: cut
        line(Array("\u{200B}\u{FEFF}\u{200E}".utf8))                                      // 9 invisible only: no reply
        line(Array("thanks".utf8))                                                          // 10
        let result = try run(["--no-store"], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        assertNoRawControls(result.stdout, "stdout")
        XCTAssertFalse(result.stderr.contains("\u{1B}"), result.stderr)
        let replies = result.out.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertGreaterThanOrEqual(replies.count, 7, result.out)
        XCTAssertTrue(replies.first?.contains("到账") ?? false, "the repaired line is understood: \(result.out)")
        XCTAssertFalse(result.out.contains("pwned"), "the escape sequence's payload is dropped with it")
        let notices = result.stderr.split(separator: "\n").filter { $0.contains("2000") }
        XCTAssertEqual(notices.count, 1, "line 8 is cut with a notice (line 6 only loses marks beyond 30): \(result.stderr)")
        XCTAssertTrue(notices.first?.contains("8") ?? false, result.stderr)
        XCTAssertLessThan(result.stdout.count, 40_000, "nothing of the megabyte is echoed")
    }

    func testJSONEscapesControlCharactersAndStaysValid() throws {
        let input = Data("\u{1B}]0;t\u{7}hello\n\u{9B}31m提现多久到账\u{1B}\\\n".utf8) + Data([0xC3, 0x28, 0x0A])
        let result = try run(["--json", "--no-store"], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        assertNoRawControls(result.stdout, "json")
        let lines = result.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        for line in lines {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            let input = try XCTUnwrap(object["input"] as? String)
            XCTAssertFalse(input.unicodeScalars.contains { $0.value < 0x20 || (0x80...0x9F).contains($0.value) }, input.debugDescription)
        }
    }

    /// 200,000 lines (one in fifty a question, the rest blank or whitespace) complete, every question
    /// answered, with resident memory sampled while the flood goes through staying flat over its last quarter.
    func testAHundredThousandLinesCompleteWithFlatMemory() throws {
        let questions = ["提现多久到账", "how long does a withdrawal take", "怎么开户", "hello"]
        var text = ""
        text.reserveCapacity(3_000_000)
        for index in 0..<200_000 {
            text += index % 50 == 0 ? questions[(index / 50) % questions.count] + "\n" : (index % 2 == 0 ? "\n" : "  \t\n")
        }
        // --warm: the models train before the first line (in the background they would still be training during the
        // flood, and their memory is not the per-line growth this test looks for).
        let (result, taken) = try runSamplingMemory(["--no-store", "--warm"], input: Data(text.utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let replies = result.out.split(separator: "\n", omittingEmptySubsequences: true)
        XCTAssertGreaterThanOrEqual(replies.count, 4_000, "every question answered")
        if taken.count >= 10 {
            // Compare the last quarter of the run with its end: growth stays small (no per-line accumulation; half the old
            // 30 MB bar over the middle of the run, as the last quarter is half as long). The first
            // part of the run is the training (--warm) and the first answers' one-off allocations (about 30 MB, sampled:
            // 84 MB at the end of training, 114 MB half a second into the flood, then flat to the end).
            // The peak is taken over the last quarter only: a one-off spike earlier in the run (seen in a full suite:
            // 109 MB at the middle, back to 86 MB from the seventh tenth on) is not per-line growth.
            let quarterStart = taken.count * 3 / 4
            let lastQuarter = taken[quarterStart], peak = taken[quarterStart...].max()!
            let tenths = (0..<10).map { taken[taken.count * $0 / 10] }
            XCTAssertLessThan(peak - lastQuarter, 15_000, "RSS grew from \(lastQuarter) kB to \(peak) kB (kB at each tenth of the run: \(tenths), \(taken.count) samples)")
        }
    }

    /// Runs kefu, sampling its resident memory (kB, from /proc) until it ends.
    func runSamplingMemory(_ arguments: [String], input: Data) throws -> (Run, [Int]) {
        let samples = Locked([Int]())
        let result = try run(arguments, input: input, environment: ["KEFU_TRAINING_THREADS": "1"]) { process in
            let pid = process.processIdentifier
            DispatchQueue.global().async {
                while process.isRunning {
                    if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                       let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
                        samples.update { $0.append(kb) }
                    }
                    usleep(20_000)
                }
            }
        }
        return (result, samples.value)
    }

    /// 32 MB with no newline, then a question: the over-long line is dropped as it arrives (memory stays
    /// near a normal run's), said to be cut, and the question after it is answered.
    func testALineWithoutEndDoesNotFillMemory() throws {
        var input = Data(repeating: UInt8(ascii: "x"), count: 32 << 20)
        input.append(Data("\n提现多久到账\n".utf8))
        let (result, taken) = try runSamplingMemory(["--no-store"], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("太长") || result.stderr.contains("too long"), result.stderr)
        XCTAssertTrue(result.out.contains("到账"), result.out)
        // Measured against a normal run of the same binary (training the models is most of the peak): a line kept in
        // memory would add its 32 MB. One model at a time, so that the peak does not depend on which two trainings
        // happen to overlap (two at a time: 173 MB against 150 MB once in CI, with the line dropped).
        let (_, normal) = try runSamplingMemory(["--no-store"], input: Data("提现多久到账\n".utf8))
        if let peak = taken.max(), let usual = normal.max() {
            XCTAssertLessThan(peak, usual + 16_000, "peak RSS \(peak) kB against \(usual) kB for a normal run: the line was kept in memory")
        }
    }

    // MARK: - Knowledge through the binary

    func testKnowledgeWithEscapeSequencesIsRefusedAndFileNamesArePrintedSafely() throws {
        let root = scratch.appendingPathComponent("knowledge")
        try FileManager.default.copyItem(at: Fixtures.knowledgeURL, to: root)
        let evil = root.appendingPathComponent("faq/\u{1B}]0;x\u{7}evil.txt")
        try "[evil]\nq.zh: 你好呀\nq.en: hey there\na.zh: \u{1B}[2J你好\na.en: hello\n".write(to: evil, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("faq/dir.txt"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("faq/loop.txt").path, withDestinationPath: "loop.txt")
        let result = try run(["check", root.path], input: Data())
        XCTAssertEqual(result.status, 1)
        assertNoRawControls(Data(result.stderr.utf8), "stderr")
        assertNoRawControls(result.stdout, "stdout")
        XCTAssertTrue(result.stderr.contains("evil.txt:4: error: contains the control character U+001B"), result.stderr)
        XCTAssertTrue(result.stderr.contains("faq/dir.txt: error: is a directory"), result.stderr)
        XCTAssertTrue(result.stderr.contains("faq/loop.txt: error: is a symbolic link loop"), result.stderr)
    }

    // MARK: - Closed pipe

    /// `kefu replay x.txt | head -1`: the pipe closes while kefu still has ~100 KB to write (more than a
    /// pipe buffer); kefu exits quietly (no "Broken pipe", no crash report) with status 0, not 141.
    func testClosedPipeExitsQuietly() throws {
        let bash = ["/bin/bash", "/usr/bin/bash"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let bash else { throw XCTSkip("bash is needed for PIPESTATUS") }
        let transcript = scratch.appendingPathComponent("long.txt")
        let turns = (0..<30).map { "you> 提现多久到账 \($0) " + String(repeating: "x", count: 3_000) + "\n" }.joined()
        try turns.write(to: transcript, atomically: true, encoding: .utf8)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: bash)
        shell.arguments = ["-c", "\"$KEFU\" replay \"$FILE\" 2>\"$ERR\" | head -1; echo \"status=${PIPESTATUS[0]}\""]
        let errFile = scratch.appendingPathComponent("err.txt")
        shell.environment = environment(["KEFU": Fixtures.kefuExecutable.path, "FILE": transcript.path, "ERR": errFile.path])
        shell.currentDirectoryURL = Fixtures.packageRoot
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        XCTAssertTrue(output.hasPrefix("you> 提现多久到账 0 xxx"), output)
        XCTAssertEqual(output.split(separator: "\n").count, 2, "one line through head")
        XCTAssertTrue(output.hasSuffix("\nstatus=0\n"), "kefu's own status is 0 (141 = killed by SIGPIPE): \(output.suffix(40))")
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        XCTAssertEqual(stderr, "", "quiet on a closed pipe")
    }

    // MARK: - Signals in a pseudo-terminal

    struct PTYReport: Decodable {
        var before: String
        var during: String
        var after: String
        var status: Int?
        var steps: [String: Bool]
        var output: String
    }

    func runInPTY(signal: String, arguments: [String], environment extra: [String: String] = [:]) throws -> PTYReport {
        guard PseudoTerminalScript.python != nil,
              FileManager.default.isExecutableFile(atPath: "/bin/stty") || FileManager.default.isExecutableFile(atPath: "/usr/bin/stty") else {
            throw XCTSkip("python3 and stty are needed to drive a pseudo-terminal")
        }
        let run = try PseudoTerminalScript.run("sigterm.py", [Fixtures.kefuExecutable.path, signal] + arguments, environment: environment(extra))
        XCTAssertEqual(run.status, 0, run.errors)
        return try JSONDecoder().decode(PTYReport.self, from: run.report)
    }

    /// SIGTERM (and SIGHUP) while the customer is typing: kefu exits 0, the terminal is back in the mode
    /// it was in (stty -a identical), the history file holds the question, the store session is closed.
    func testSIGTERMAndSIGHUPRestoreTheTerminalAndCloseTheSession() throws {
        for signal in ["TERM", "HUP"] {
            let database = scratch.appendingPathComponent("\(signal).sqlite").path
            let report = try runInPTY(signal: signal, arguments: ["--db", database])
            XCTAssertEqual(report.steps["prompt"], true, report.output)
            XCTAssertEqual(report.steps["answered"], true, report.output)
            XCTAssertEqual(report.status, 0, "SIG\(signal): exits cleanly: \(report.output)")
            XCTAssertNotEqual(report.before, report.during, "SIG\(signal): libedit had the terminal in raw mode: \(report.steps) \(report.output.suffix(300))")
            XCTAssertEqual(report.before, report.after, "SIG\(signal): the terminal settings are restored")
            let history = scratch.appendingPathComponent("state/kefu/history")
            let saved = (try? String(contentsOf: history, encoding: .utf8)) ?? ""
            XCTAssertTrue(saved.contains("到账") || saved.contains("\\345"), "SIG\(signal): history saved: \(saved.debugDescription)")
            let export = try run(["export", "--db", database, "--format", "jsonl"], input: Data())
            XCTAssertEqual(export.status, 0, export.stderr)
            XCTAssertTrue(export.out.contains("提现多久到账"), "the answered turn is stored: \(export.out)")
            XCTAssertTrue(export.out.contains("\"endedAt\":\"") && !export.out.contains("\"endedAt\":null"), "the session is closed: \(export.out)")
            try? FileManager.default.removeItem(at: history)
        }
    }

    /// SIGINT (Ctrl-C) at the prompt clears what was typed and keeps the session: the next line is read
    /// on its own and answered.
    func testSIGINTClearsTheLineAndKeepsTheSession() throws {
        let report = try runInPTY(signal: "TERM", arguments: ["--no-store"], environment: ["KEFU_PTY_INTERRUPT": "1"])
        XCTAssertEqual(report.steps["typed"], true, report.output)
        XCTAssertEqual(report.steps["after-interrupt"], true, report.output)
        XCTAssertEqual(report.status, 0, report.output)
        let history = scratch.appendingPathComponent("state/kefu/history")
        defer { try? FileManager.default.removeItem(at: history) }
        let saved = try String(contentsOf: history, encoding: .utf8)
        XCTAssertFalse(saved.contains("cleared"), "the cleared text never became a line: \(saved)")
        XCTAssertTrue(saved.contains("怎么开户") || saved.contains("\\346"), saved)
    }

    /// A card number typed on a terminal is shown as typed but kept masked in the history file.
    func testHistoryKeepsPersonalDataMasked() throws {
        let report = try runInPTY(signal: "TERM", arguments: ["--no-store"],
                                  environment: ["KEFU_PTY_QUESTION": "我的卡 6222021234567890128 被盗刷了"])
        XCTAssertEqual(report.steps["answered"], true, report.output)
        // Cursor moves between the echoed characters are not text on the screen.
        let shown = report.output.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
        XCTAssertTrue(shown.contains("6222021234567890128"), "the screen shows what was typed")
        let history = scratch.appendingPathComponent("state/kefu/history")
        defer { try? FileManager.default.removeItem(at: history) }
        let saved = try String(contentsOf: history, encoding: .utf8)
        XCTAssertFalse(saved.contains("6222021234567890128"), saved)
        XCTAssertTrue(saved.contains("0128"), "the last four digits are kept: \(saved)")
    }

    // MARK: - Faults

    /// A folder nobody can write: /proc as root (root ignores permission bits), else a 0555 folder.
    func unwritableFolder() throws -> URL {
        if geteuid() == 0 { return URL(fileURLWithPath: "/proc/kefu-test-\(getpid())") }
        let locked = scratch.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        chmod(locked.path, 0o555)
        return locked
    }

    /// On a terminal, with a history folder that cannot be written: the chat works, and on SIGTERM one
    /// line says the history was not saved; the terminal is restored all the same.
    func testUnwritableHistoryWarnsOnceOnATerminal() throws {
        let report = try runInPTY(signal: "TERM", arguments: ["--no-store"],
                                  environment: ["XDG_STATE_HOME": try unwritableFolder().path])
        XCTAssertEqual(report.steps["answered"], true, report.output)
        XCTAssertEqual(report.status, 0, report.output)
        XCTAssertEqual(report.before, report.after)
        let warnings = report.output.components(separatedBy: "\n").filter { $0.contains("cannot save the history") }
        XCTAssertEqual(warnings.count, 1, report.output)
    }

    /// History and database in folders that cannot be written, piped: one warning line (the database;
    /// piped chats keep no history), every question still answered, exit 0.
    func testUnwritableHistoryAndDatabaseWarnOnceAndTheChatGoesOn() throws {
        let locked = try unwritableFolder()
        let result = try run(["--db", locked.appendingPathComponent("kefu.sqlite").path],
                             input: Data("提现多久到账\nhello\n".utf8),
                             environment: ["XDG_STATE_HOME": locked.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.out.split(separator: "\n").count, 2, "both answered: \(result.out)")
        let warnings = result.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, result.stderr)
        XCTAssertTrue(warnings.first?.contains("continuing without storage") ?? false, result.stderr)
    }

    /// Another program holds the database's write lock longer than the busy timeout: one warning, the
    /// chat answers everything, and the conversation stored before is intact afterwards.
    func testDatabaseLockedBeyondTheTimeoutWarnsOnceAndKeepsWhatWasStored() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("python3 (with sqlite3) holds the lock")
        }
        let database = scratch.appendingPathComponent("kefu.sqlite").path
        let first = try run(["--db", database], input: Data("提现多久到账\n".utf8))
        XCTAssertEqual(first.status, 0, first.stderr)
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: python)
        locker.arguments = ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.read()
            db.execute("ROLLBACK")
            """, database]
        let lockIn = Pipe(), lockOut = Pipe()
        locker.standardInput = lockIn
        locker.standardOutput = lockOut
        try locker.run()
        defer { try? lockIn.fileHandleForWriting.close(); locker.waitUntilExit() }
        var ready = Data()
        while !ready.contains(0x0A) {
            let chunk = lockOut.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            ready.append(chunk)
        }
        XCTAssertEqual(String(decoding: ready, as: UTF8.self), "locked\n")
        let started = Date()
        let second = try run(["--db", database], input: Data("hello\n怎么开户\n".utf8))
        XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.out.split(separator: "\n").count, 2, "both answered: \(second.out)")
        let warnings = second.stderr.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, second.stderr)
        XCTAssertTrue(warnings.first?.contains("locked") ?? false, second.stderr)
        try lockIn.fileHandleForWriting.close()
        locker.waitUntilExit()
        let export = try run(["export", "--db", database, "--format", "jsonl"], input: Data())
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.out.contains("提现多久到账"), "the earlier conversation is intact: \(export.out)")
    }

    /// The history cannot be saved because the disk is full: one warning, and the history file already
    /// there is left exactly as it was (libedit's own save reported success and renamed an empty file
    /// over it).
    func testFullDiskLeavesTheHistoryFileIntact() throws {
        let mountPoint = try mountSmallDisk()
        defer { unmount(mountPoint) }
        let folder = mountPoint.appendingPathComponent("kefu")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let history = folder.appendingPathComponent("history")
        let before = "_HiStOrY_V2_\n" + (1...200).map { "old\\040question\\040\($0)" }.joined(separator: "\n") + "\n"
        try before.write(to: history, atomically: false, encoding: .utf8)
        // A second name for the file, so replacing it would free no space.
        XCTAssertEqual(link(history.path, mountPoint.appendingPathComponent("history-link").path), 0)
        _ = fill(mountPoint)
        let report = try runInPTY(signal: "TERM", arguments: ["--no-store"], environment: ["XDG_STATE_HOME": mountPoint.path])
        XCTAssertEqual(report.steps["answered"], true, report.output)
        XCTAssertEqual(report.status, 0, report.output)
        let warnings = report.output.components(separatedBy: "\n").filter { $0.contains("cannot save the history") }
        XCTAssertEqual(warnings.count, 1, report.output)
        XCTAssertEqual(try String(contentsOf: history, encoding: .utf8), before, "the history file is unchanged")
    }

    /// A full disk (a 1 MB tmpfs, when the test may mount one — root in CI): the first conversation is
    /// stored, then the disk is filled; the next chat warns once, answers everything, and after space
    /// is freed the first conversation is still there.
    func testDiskFullWarnsOnceAndKeepsWhatWasStored() throws {
        let mountPoint = try mountSmallDisk()
        defer { unmount(mountPoint) }
        let database = mountPoint.appendingPathComponent("kefu.sqlite").path
        let first = try run(["--db", database], input: Data("提现多久到账\n".utf8))
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "")
        let filler = fill(mountPoint)
        let long = String(repeating: "我想了解一下提现到账的时间和手续费", count: 100)
        // --json: one object per customer line whatever the reply looks like (an answer, a menu).
        let second = try run(["--db", database, "--json"], input: Data("\(long)\nhello\n怎么开户\n".utf8))
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.out.split(separator: "\n").count, 3, "all answered: \(second.out)")
        let warnings = second.stderr.split(separator: "\n").filter { !$0.contains("2000") }
        XCTAssertLessThanOrEqual(warnings.count, 1, second.stderr)
        try FileManager.default.removeItem(at: filler)
        let export = try run(["export", "--db", database, "--format", "jsonl"], input: Data())
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.out.contains("提现多久到账"), "the first conversation is intact: \(export.out)")
    }
}

extension HostileInputEndToEndTests {
    /// A 1 MB tmpfs in the scratch folder; skips the test where mounting is not allowed.
    func mountSmallDisk() throws -> URL {
        try XCTSkipIf(geteuid() != 0, "mounting a tmpfs needs root")
        let mountPoint = scratch.appendingPathComponent("small-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.path]
        mount.standardError = Pipe()
        try mount.run()
        mount.waitUntilExit()
        try XCTSkipIf(mount.terminationStatus != 0, "cannot mount a tmpfs here (no CAP_SYS_ADMIN)")
        return mountPoint
    }

    func unmount(_ mountPoint: URL) {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = ["-l", mountPoint.path]
        try? umount.run()
        umount.waitUntilExit()
    }

    /// Fills the disk holding `folder`; returns the filler file (remove it to free the space).
    func fill(_ folder: URL) -> URL {
        let filler = folder.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        guard let handle = try? FileHandle(forWritingTo: filler) else { return filler }
        let block = Data(repeating: 0x58, count: 64 * 1024)
        while (try? handle.write(contentsOf: block)) != nil {}
        let small = Data(repeating: 0x58, count: 512)
        while (try? handle.write(contentsOf: small)) != nil {}
        try? handle.close()
        return filler
    }
}

/// A value shared with helper threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.lock(); defer { lock.unlock() }; return stored }
    func update(_ body: (inout Value) -> Void) { lock.lock(); body(&stored); lock.unlock() }
}
