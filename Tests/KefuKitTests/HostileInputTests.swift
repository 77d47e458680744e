import Foundation
@testable import KefuKit
import KefuTestSupport
import XCTest

/// Issue 8: whatever customers type and operators put in the knowledge folder, Kefu answers or reports
/// (file:line), and never crashes, hangs or passes terminal escape sequences on.
final class HostileInputTests: XCTestCase {
    let engine = Fixtures.fixtureEngine

    override func setUp() {
        // The engine builds some of its tables on first use: warm it so the timings measure turns.
        _ = engine.handle("你好", in: DialogueState())
    }

    /// Runs lines through the engine the way the shell does (cleaned first); returns the replies.
    func converse(_ lines: [String]) -> [String?] {
        var state = DialogueState()
        return lines.map { line in
            guard let turn = engine.handle(CustomerInput.prepare(line).text, in: state) else { return nil }
            state = turn.state
            return turn.record.reply
        }
    }

    // MARK: - Customer input

    func testInvalidUTF8AndNULBytesAreRepairedAndAnswered() {
        // What Swift.readLine makes of bytes from a pipe: invalid sequences become U+FFFD.
        let raw = Data([0xFF, 0xFE] + Array("提现".utf8) + [0x00] + Array("多久到账".utf8) + [0xC3])
        let line = String(decoding: raw, as: UTF8.self)
        let prepared = CustomerInput.prepare(line)
        XCTAssertFalse(prepared.text.unicodeScalars.contains("\u{0}"))
        let reply = try? XCTUnwrap(converse([line]).first ?? nil)
        XCTAssertTrue(reply?.contains("到账") ?? false, "still understood: \(reply ?? "nil")")
    }

    func testLoneSurrogatesFromCESU8BecomeReplacementCharactersNotACrash() {
        // ED A0 80 is a UTF-16 surrogate encoded as UTF-8: invalid, decoded as U+FFFD each.
        let line = String(decoding: Data([0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80]), as: UTF8.self)
        XCTAssertTrue(line.unicodeScalars.allSatisfy { $0 == "\u{FFFD}" })
        let replies = converse([line, "提现多久到账"])
        XCTAssertFalse(replies[0]?.isEmpty ?? true, "an honest 'did not understand', not silence")
        XCTAssertTrue(replies[1]?.contains("到账") ?? false)
    }

    func testCombiningFloodIsCutByScalarsInBoundedTime() {
        let flood = "a" + String(repeating: "\u{0301}", count: 1_000_000)
        XCTAssertEqual(flood.count, 1, "one Character: a limit in Characters would not cut it")
        var started = Date()
        let prepared = CustomerInput.prepare(flood)
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "one linear pass (debug build)")
        started = Date()
        XCTAssertEqual(prepared.text.unicodeScalars.count, 1 + CustomerInput.maximumCombiningRun, "stream-safe: 30 marks at most")
        XCTAssertNotNil(engine.handle(prepared.text, in: DialogueState()))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "bounded (debug build, shared CI cores)")
        // Many letters, each with a long run of marks: still cut by the scalar limit.
        let zalgo = String(repeating: "e" + String(repeating: "\u{0300}\u{0316}", count: 40), count: 2_000)
        let cut = CustomerInput.prepare(zalgo)
        XCTAssertTrue(cut.truncated)
        XCTAssertEqual(cut.text.unicodeScalars.count, CustomerInput.maximumScalars)
        let turnStarted = Date()
        XCTAssertNotNil(engine.handle(cut.text, in: DialogueState()))
        XCTAssertLessThan(Date().timeIntervalSince(turnStarted), 1)
    }

    func testEmojiZeroWidthAndRightToLeftMarks() {
        let prepared = CustomerInput.prepare("\u{200F}提\u{200B}现\u{2066}多久\u{2069}到账\u{200E}\u{FEFF}")
        XCTAssertEqual(prepared.text, "提现多久到账", "invisible marks do not split words")
        XCTAssertEqual(CustomerInput.prepare("👨‍👩‍👧 ok").text, "👨‍👩‍👧 ok", "the zero-width joiner inside an emoji stays")
        let replies = converse(["\u{200F}提\u{200B}现\u{2066}多久\u{2069}到账", "😀😀😀", "👍", "🇨🇳🏳️‍🌈"])
        XCTAssertTrue(replies[0]?.contains("到账") ?? false)
        for reply in replies.dropFirst() { XCTAssertFalse(reply?.isEmpty ?? true) }
        XCTAssertNil(engine.handle(CustomerInput.prepare("\u{200B}\u{200F}\u{FEFF}").text, in: DialogueState()),
                     "a line of only invisible marks is blank")
    }

    func testEscapeSequencesAndControlCharactersAreRemovedFromInput() {
        let cases: [(String, String)] = [
            ("\u{1B}]0;pwned\u{7}提现多久到账", "提现多久到账"),              // OSC window title (BEL)
            ("\u{1B}]52;c;ZXZpbA==\u{1B}\\hello", "hello"),                // OSC 52 clipboard write (ST)
            ("\u{1B}[2J\u{1B}[H\u{1B}[31mred\u{1B}[0m", "red"),           // clear screen, colours
            ("a\u{7}b\u{8}c\u{7F}d\u{9B}e", "a b c d e"),                  // BEL, BS, DEL, C1 CSI
            ("\u{1B}Pq#0;2;0;0;0\u{1B}\\x", "x"),                           // DCS (sixel)
            ("tab\there", "tab here"),
            ("\u{1B}", ""), ("\u{1B}[", ""), ("\u{1B}]0;unterminated", ""),
        ]
        for (raw, expected) in cases {
            XCTAssertEqual(CustomerInput.prepare(raw).text, expected, raw.debugDescription)
        }
    }

    func testRepliesAndJSONNeverCarryRawControlCharacters() throws {
        var state = DialogueState()
        for line in ["\u{1B}]0;title\u{7}hello", "\u{1B}[2J提现多久到账", "\u{202E}evil\u{202C}", "\u{0}\u{1}\u{2}"] {
            guard let turn = engine.handle(CustomerInput.prepare(line).text, in: state) else { continue }
            state = turn.state
            for text in [turn.record.input, turn.record.reply, turn.record.jsonLine] {
                XCTAssertFalse(text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" }, text.debugDescription)
            }
        }
        // And JSON escapes whatever reaches it (e.g. a replayed transcript fed to the engine raw).
        let json = JSONText.string("a\u{1B}]0;t\u{7}b\u{9B}c\u{2028}d\u{202E}e\u{0}")
        XCTAssertEqual(json, "\"a\\u001b]0;t\\u0007b\\u009bc\\u2028d\\u202ee\\u0000\"")
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as? [String]
        XCTAssertEqual(decoded?.first, "a\u{1B}]0;t\u{7}b\u{9B}c\u{2028}d\u{202E}e\u{0}", "still the same string")
    }

    func testVeryLongLineIsCutToTheLimitAndAnsweredQuickly() {
        let megabyte = String(repeating: "提现多久到账", count: 60_000)  // ~1 MB of UTF-8
        let started = Date()
        let prepared = CustomerInput.prepare(megabyte)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.1, "cutting stops at the limit")
        XCTAssertTrue(prepared.truncated)
        XCTAssertEqual(prepared.text.unicodeScalars.count, 2_000)
        let turnStarted = Date()
        XCTAssertNotNil(engine.handle(prepared.text, in: DialogueState()))
        // The issue's budget is 100 ms per turn (release build); a debug build on shared CI cores gets 1 s.
        XCTAssertLessThan(Date().timeIntervalSince(turnStarted), 1.0)
        XCTAssertFalse(CustomerInput.prepare(String(repeating: "x", count: 2_000)).truncated, "exactly the limit is kept whole")
        XCTAssertTrue(CustomerInput.prepare(String(repeating: "x", count: 2_001)).truncated)
    }

    func testWhitespaceOnlyLinesGetNoReply() {
        for line in ["", " ", "\t\t", "\u{3000}\u{3000}", "\u{A0}", " \u{2003} \u{200B} "] {
            XCTAssertEqual(CustomerInput.prepare(line).text, "", line.debugDescription)
            XCTAssertNil(engine.handle(CustomerInput.prepare(line).text, in: DialogueState()))
        }
    }

    /// Found by the dialogue fuzzer: a 60-digit amount reached `Int(value)` in AdviceFlow.money and
    /// trapped. Numbers beyond NumberParser.maximumValue are now not read as numbers at all.
    func testAbsurdlyLargeNumbersAreNotReadAsAmounts() {
        let digits = String(repeating: "6", count: 60)
        XCTAssertEqual(NumberParser().mentions(in: "想投\(digits)元").count, 0)
        XCTAssertEqual(NumberParser().mentions(in: "想投10万").first?.value, 100_000)
        XCTAssertTrue(NumberParser().mentions(in: "九千九百亿亿亿亿 \(digits).5万 1e999").allSatisfy { $0.value.isFinite && $0.value <= NumberParser.maximumValue })
        let replies = converse(["我35岁，月薪两万，想投\(digits)元，一年内可能要用", "我想等\(digits)个月", "/profile"])
        XCTAssertTrue(replies.allSatisfy { !($0 ?? "").isEmpty })
    }

    // MARK: - Knowledge files

    static let messages: String = MessageCatalog.Key.allCases.map { "[\($0.rawValue)]\na.zh: 中文\na.en: English\n" }.joined(separator: "\n")
    static let entry = "[withdraw-fee]\nq.zh: 提现要手续费吗\nq.en: is there a fee\na.zh: 不收费。\na.en: No fee.\n"

    func temporaryKnowledge(_ files: [String: String] = [:]) throws -> URL {
        var all = ["messages.txt": HostileInputTests.messages, "faq/ok.txt": HostileInputTests.entry]
        for (path, text) in files { all[path] = text }
        let root = try Fixtures.temporaryKnowledge(all)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func errors(_ result: KnowledgeLoader.Result) -> [String] { result.diagnostics.errors.map(\.description) }

    func testMissingFolderAndFolderThatIsAFile() throws {
        XCTAssertEqual(errors(KnowledgeLoader().load(from: URL(fileURLWithPath: "/nonexistent/kefu"))),
                       ["/nonexistent/kefu: error: knowledge folder not found"])
        let root = try temporaryKnowledge()
        let file = root.appendingPathComponent("messages.txt")
        XCTAssertEqual(errors(KnowledgeLoader().load(from: file)), ["\(file.path): error: knowledge folder not found"])
    }

    func testADirectoryNamedLikeAFile() throws {
        let root = try temporaryKnowledge()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("faq/x.txt"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("synonyms.txt"), withIntermediateDirectories: true)
        let result = KnowledgeLoader().load(from: root)
        XCTAssertEqual(errors(result), ["faq/x.txt: error: is a directory, expected a text file",
                                        "synonyms.txt: error: is a directory, expected a text file"])
        XCTAssertEqual(result.knowledge.entries.map(\.id), ["withdraw-fee"], "the rest still loads")
    }

    /// A top-level file that is a looping or broken link is reported, not taken as absent: an optional
    /// file such as escalation.txt would otherwise vanish silently, with its urgent rules.
    func testTopLevelFilesThatAreBadLinksAreReported() throws {
        let root = try temporaryKnowledge()
        for name in ["escalation.txt", "synonyms.txt", "intents.txt", "smalltalk.txt"] {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(name).path, withDestinationPath: name)
        }
        try? FileManager.default.removeItem(at: root.appendingPathComponent("messages.txt"))
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("messages.txt").path, withDestinationPath: "/nonexistent/messages.txt")
        let found = errors(KnowledgeLoader().load(from: root))
        for name in ["escalation.txt", "synonyms.txt", "intents.txt", "smalltalk.txt"] {
            XCTAssertTrue(found.contains("\(name): error: is a symbolic link loop"), "\(name): \(found)")
        }
        XCTAssertTrue(found.contains("messages.txt: error: is a broken or looping symbolic link"), "\(found)")
    }

    func testSymlinkLoopBrokenLinkFIFOAndUnreadableFile() throws {
        let root = try temporaryKnowledge()
        let faq = root.appendingPathComponent("faq")
        try FileManager.default.createSymbolicLink(atPath: faq.appendingPathComponent("loop-a.txt").path, withDestinationPath: "loop-b.txt")
        try FileManager.default.createSymbolicLink(atPath: faq.appendingPathComponent("loop-b.txt").path, withDestinationPath: "loop-a.txt")
        try FileManager.default.createSymbolicLink(atPath: faq.appendingPathComponent("self.txt").path, withDestinationPath: "self.txt")
        try FileManager.default.createSymbolicLink(atPath: faq.appendingPathComponent("gone.txt").path, withDestinationPath: "/nonexistent/gone.txt")
        XCTAssertEqual(mkfifo(faq.appendingPathComponent("pipe.txt").path, 0o644), 0)
        // Unreadable even for root (CI runs as root, which ignores permission bits): reading
        // /proc/self/mem at offset 0 fails with EIO.
        try FileManager.default.createSymbolicLink(atPath: faq.appendingPathComponent("mem.txt").path, withDestinationPath: "/proc/self/mem")
        let started = Date()
        let result = KnowledgeLoader().load(from: root)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no hang on the FIFO")
        let found = errors(result)
        XCTAssertTrue(found.contains("faq/loop-a.txt: error: is a symbolic link loop"), "\(found)")
        XCTAssertTrue(found.contains("faq/loop-b.txt: error: is a symbolic link loop"), "\(found)")
        XCTAssertTrue(found.contains("faq/self.txt: error: is a symbolic link loop"), "\(found)")
        XCTAssertTrue(found.contains("faq/gone.txt: error: is a broken or looping symbolic link"), "\(found)")
        XCTAssertTrue(found.contains("faq/pipe.txt: error: is not a regular file (a FIFO, socket or device), expected a text file"), "\(found)")
        if FileManager.default.fileExists(atPath: "/proc/self/mem") {
            XCTAssertTrue(found.contains { $0.hasPrefix("faq/mem.txt: error: cannot be read") }, "\(found)")
        }
        XCTAssertEqual(result.knowledge.entries.map(\.id), ["withdraw-fee"])
    }

    func testPermissionDeniedWhenNotRoot() throws {
        try XCTSkipIf(geteuid() == 0, "root reads any file; testSymlinkLoopBrokenLinkFIFOAndUnreadableFile covers an unreadable file as root")
        let root = try temporaryKnowledge(["faq/secret.txt": HostileInputTests.entry])
        chmod(root.appendingPathComponent("faq/secret.txt").path, 0)
        XCTAssertTrue(errors(KnowledgeLoader().load(from: root)).contains("faq/secret.txt: error: cannot be read (permission denied)"))
    }

    func testAHundredMegabyteFileIsRefusedQuickly() throws {
        let root = try temporaryKnowledge()
        let big = root.appendingPathComponent("faq/huge.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: big.path, contents: nil))
        XCTAssertEqual(truncate(big.path, 100 * 1_048_576), 0, "a sparse 100 MB file")
        let started = Date()
        let result = KnowledgeLoader().load(from: root)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(errors(result), ["faq/huge.txt: error: is 100 MB; knowledge files are limited to 8 MB"])
        // /dev/zero claims size 0 and never ends: the read is bounded anyway.
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("faq/zero.txt").path, withDestinationPath: "/dev/zero")
        XCTAssertTrue(errors(KnowledgeLoader().load(from: root)).contains("faq/zero.txt: error: is not a regular file (a FIFO, socket or device), expected a text file"))
    }

    func testDuplicateIdsAcrossFiles() throws {
        let root = try temporaryKnowledge(["faq/other.txt": "# again\n" + HostileInputTests.entry.replacingOccurrences(of: "提现要手续费吗", with: "转出收费吗")])
        XCTAssertEqual(errors(KnowledgeLoader().load(from: root)),
                       ["faq/other.txt:2: error: duplicate id 'withdraw-fee' (first defined at faq/ok.txt:1)"])
    }

    func testCRLFAndBOMAreAccepted() throws {
        // The whole shipped knowledge, rewritten with a BOM and CRLF endings, loads to the same entries.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-crlf-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Fixtures.knowledgeURL, to: root)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "txt" }
        XCTAssertGreaterThan(files.count, 5)
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(("\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")).utf8).write(to: url)
        }
        let result = KnowledgeLoader().load(from: root)
        XCTAssertEqual(errors(result), [])
        XCTAssertEqual(result.knowledge.entries.map(\.id), Fixtures.shipped.knowledge.entries.map(\.id))
        XCTAssertEqual(result.knowledge.entries.map(\.answer), Fixtures.shipped.knowledge.entries.map(\.answer), "no stray \\r or BOM in answers")
        XCTAssertEqual(result.diagnostics.warnings.count, Fixtures.shipped.diagnostics.warnings.count)
    }

    func testEscapeSequencesInKnowledgeTextAreErrorsWithTheirLine() throws {
        let root = try temporaryKnowledge(["faq/evil.txt": "[evil]\nq.zh: 你好\nq.en: hi\na.zh: \u{1B}]0;pwned\u{7}你好\na.en: \u{1B}[2Jhello\n"])
        let found = errors(KnowledgeLoader().load(from: root))
        XCTAssertTrue(found.contains("faq/evil.txt:4: error: contains the control character U+001B (escape sequences and control characters are not allowed in knowledge text)"), "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("faq/evil.txt:5: error: contains the control character U+001B") }, "\(found)")
    }

    func testMixedLineEndingsKeepLineNumbersInErrors() {
        var diagnostics = DiagnosticsEngine()
        // Line 3 (after a CRLF and a lone CR) has invalid UTF-8; line 4 a NUL.
        let data = Data(Array("a\r\nb\r".utf8) + [0xFF, 0x0A, 0x00, 0x0A] + Array("ok".utf8))
        let text = KnowledgeFileReader().decode(data, display: "f.txt", diagnostics: &diagnostics)
        XCTAssertEqual(diagnostics.diagnostics.map(\.description),
                       ["f.txt:3: error: is not valid UTF-8 (save the file as UTF-8)", "f.txt:4: error: contains a NUL byte (is this a binary file?)"])
        XCTAssertEqual(text.physicalLines().count, 5)
    }

    func testRandomBytesNeverCrashTheParsers() {
        var random = SeededRandom(seed: 8)
        for round in 0..<300 {
            let count = Int(random.nextUInt64() % 600)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.nextUInt64()) }
            // Mostly printable with structure, sometimes raw bytes.
            if round % 3 != 0 {
                let alphabet = Array("[]:：\n\r\t #-./abcq.zhen提现,，0123456789%~<>=".utf8)
                bytes = bytes.map { alphabet[Int($0) % alphabet.count] }
            }
            bytes.insert(UInt8(round % FuzzHarness.knowledgeKinds.count), at: 0)
            FuzzHarness.knowledge(Data(bytes))
        }
    }

    // MARK: - Fuzz regressions

    /// Every input saved under Tests/Fixtures/fuzz/ (crashes the fuzzers once found, and seeds) runs
    /// through the same harness as the fuzzers, so a fixed crash stays fixed.
    func testFuzzRegressionInputs() throws {
        let folder = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/fuzz")
        var ran = 0
        for target in ["knowledge", "dialogue"] {
            let directory = folder.appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") && name != "README.md" {
                let data = try Data(contentsOf: directory.appendingPathComponent(name))
                if target == "knowledge" { FuzzHarness.knowledge(data) } else { FuzzHarness.dialogue(data, engine: engine) }
                ran += 1
            }
        }
        XCTAssertGreaterThan(ran, 0, "the regression inputs are in \(folder.path)")
    }
}
