@testable import KefuKit
import KefuTestSupport
import XCTest

final class KnowledgeLoaderTests: XCTestCase {
    static let messages: String = MessageCatalog.Key.allCases.map { "[\($0.rawValue)]\na.zh: 中文\na.en: English\n" }.joined(separator: "\n")

    func load(_ faq: String, synonyms: String? = nil, messages: String? = KnowledgeLoaderTests.messages) throws -> KnowledgeLoader.Result {
        var files = ["faq/faq.txt": faq]
        if let synonyms { files["synonyms.txt"] = synonyms }
        if let messages { files["messages.txt"] = messages }
        let root = try Fixtures.temporaryKnowledge(files)
        defer { try? FileManager.default.removeItem(at: root) }
        return KnowledgeLoader().load(from: root)
    }

    func testShippedKnowledgeHasNoErrorsAndEnoughEntries() {
        let result = Fixtures.shipped
        XCTAssertFalse(result.diagnostics.hasErrors, result.diagnostics.errors.map(\.description).joined(separator: "\n"))
        let faq = result.knowledge.entries.filter { !$0.file.hasPrefix("smalltalk") }
        XCTAssertGreaterThanOrEqual(faq.count, 60)
        for entry in faq {
            XCTAssertGreaterThanOrEqual(entry.examples(in: .zh).count, 4, entry.id)
            XCTAssertGreaterThanOrEqual(entry.examples(in: .en).count, 4, entry.id)
        }
    }

    /// The engine tests' knowledge (`Tests/Fixtures/knowledge`) loads clean without trainer mode's files.
    func testFixtureKnowledgeHasNoErrors() {
        let result = Fixtures.fixture
        XCTAssertFalse(result.diagnostics.hasErrors, result.diagnostics.errors.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(result.knowledge.canRecommend)
        XCTAssertFalse(result.knowledge.escalation.rules.isEmpty)
    }

    func testMissingAnswerIsAnErrorWithFileAndLine() throws {
        let result = try load("""
            # header
            [withdraw-fee]
            q.zh: 提现要手续费吗
            q.en: is there a fee
            a.zh: 不收费。
            """)
        let error = try XCTUnwrap(result.diagnostics.errors.first)
        XCTAssertEqual(error.description, "faq/faq.txt:2: error: entry 'withdraw-fee' has no English answer (a.en)")
    }

    func testDuplicateIdsUnknownKeysAndForbiddenPhrases() throws {
        let result = try load("""
            [a]
            q.en: one
            a.zh: 这是保本的产品
            a.en: ok
            colour: red
            [a]
            q.en: two
            a.zh: 好
            a.en: It is guaranteed
            """)
        let messages = result.diagnostics.errors.map(\.description)
        XCTAssertTrue(messages.contains("faq/faq.txt:3: error: entry 'a': forbidden phrase '保本' (no promise of guaranteed principal or returns)"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("faq/faq.txt:5: error: entry 'a': unknown key 'colour'") })
        XCTAssertTrue(messages.contains("faq/faq.txt:6: error: duplicate id 'a' (first defined at faq/faq.txt:1)"))
        XCTAssertTrue(messages.contains { $0.hasPrefix("faq/faq.txt:9: error: entry 'a': forbidden phrase 'guaranteed'") })
    }

    func testWarningsForFewExamplesAndSharedQuestions() throws {
        let result = try load("""
            [a]
            q.zh: 怎么提现
            q.en: how to withdraw
            a.zh: 甲
            a.en: A
            [b]
            q.zh: 怎么提现？
            a.zh: 乙
            a.en: B
            """)
        XCTAssertFalse(result.diagnostics.hasErrors)
        let warnings = result.diagnostics.warnings.map(\.description)
        XCTAssertTrue(warnings.contains("faq/faq.txt:1: warning: entry 'a' has only 1 Chinese example question; 3 or more match better"))
        XCTAssertTrue(warnings.contains("faq/faq.txt:6: warning: entry 'b' has no English example questions (missing translation)"))
        XCTAssertTrue(warnings.contains { $0.hasPrefix("faq/faq.txt:7: warning: example '怎么提现？' is also under entry 'a'") })
    }

    func testMissingMessagesAndBadSynonymsAreErrors() throws {
        let result = try load("[a]\nq.en: x\na.zh: 甲\na.en: A\n", synonyms: "提现 = 取钱\njust one word\n", messages: "[welcome]\na.zh: 你好\na.en: hi\n")
        let messages = result.diagnostics.errors.map(\.description)
        XCTAssertTrue(messages.contains { $0.hasPrefix("synonyms.txt:2: error: a synonym line needs at least two words") }, "\(messages)")
        XCTAssertTrue(messages.contains("messages.txt: error: message 'goodbye' is missing"))
    }

    func testEveryErrorIsReportedNotJustTheFirst() throws {
        let result = try load("[a]\nq.en: x\n[b]\nq.en: y\n[c]\nq.en: z\n")
        XCTAssertEqual(result.diagnostics.errors.count, 6)
    }

    func testMissingFolderIsAnErrorNotACrash() {
        let result = KnowledgeLoader().load(from: URL(fileURLWithPath: "/nonexistent/kefu-knowledge"))
        XCTAssertEqual(result.diagnostics.errors.first?.message, "knowledge folder not found")
    }

    func testInvalidUTF8IsReportedWithItsLine() throws {
        let root = try Fixtures.temporaryKnowledge(["messages.txt": KnowledgeLoaderTests.messages])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("faq"), withIntermediateDirectories: true)
        var bytes = Array("[a]\nq.en: x\na.zh: 甲\n".utf8)
        bytes += [0x61, 0x2E, 0x65, 0x6E, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]
        try Data(bytes).write(to: root.appendingPathComponent("faq/bad.txt"))
        let result = KnowledgeLoader().load(from: root)
        XCTAssertTrue(result.diagnostics.errors.map(\.description).contains("faq/bad.txt:4: error: is not valid UTF-8 (save the file as UTF-8)"))
    }
}

/// Placeholders are filled in one pass, whatever the order of the substitutions.
final class MessageTemplateTests: XCTestCase {
    func testPlaceholdersAreFilledOnceLeftToRight() {
        XCTAssertEqual(MessageCatalog.fill("您好，{name}，编号 {ticket}。", ["name": "{ticket}", "ticket": "T1"]), "您好，{ticket}，编号 T1。")
        XCTAssertEqual(MessageCatalog.fill("{a}{b}{a}", ["a": "x", "b": "{a}"]), "x{a}x")
        XCTAssertEqual(MessageCatalog.fill("keep {unknown} and { open", ["a": "x"]), "keep {unknown} and { open")
        XCTAssertEqual(MessageCatalog.fill("no placeholders", ["a": "x"]), "no placeholders")
    }
}

/// `unless.*` phrases excuse a keyword inside them only; `safe.*` examples are checked.
final class EscalationExceptionTests: XCTestCase {
    func rules(_ text: String) -> (EscalationRules, [Diagnostic]) {
        var diagnostics = DiagnosticsEngine()
        let file = BlockFile.parse(text, path: "escalation.txt", diagnostics: &diagnostics)
        let rules = EscalationRules.parse(file, compliance: ComplianceChecker(), diagnostics: &diagnostics)
        return (rules, diagnostics.diagnostics)
    }

    let file = """
        [service]
        hours: 09:00-21:00
        wait.zh: 工单 {ticket}
        wait.en: ticket {ticket}
        after-hours.zh: 工单 {ticket}
        after-hours.en: ticket {ticket}

        [security-incident]
        priority: urgent
        keywords.zh: 被骗, 诈骗
        keywords.en: scammed, fraud
        unless.zh: 防止被骗, 防止再被骗, 识别诈骗
        unless.en: avoid being scammed, prevent fraud
        safe.zh: 怎么防止被骗
        safe.en: how do I prevent fraud
        q.zh: 我被骗了
        reply.zh: 请冻结账户。
        reply.en: Please freeze your account.
        """

    func testUnlessPhrasesExcuseOnlyTheirOwnWords() {
        let (rules, diagnostics) = rules(file)
        XCTAssertEqual(diagnostics, [])
        XCTAssertNil(rules.match("怎么防止被骗？"))
        XCTAssertNil(rules.match("How do I AVOID BEING SCAMMED?"))
        XCTAssertEqual(rules.match("我被骗了，怎么防止再被骗")?.id, "security-incident")
        XCTAssertEqual(rules.match("I got scammed, how do I prevent fraud next time")?.id, "security-incident")
        XCTAssertEqual(rules.match("接到诈骗电话")?.id, "security-incident")
    }

    func testUnlessAndSafeAreChecked() {
        let broken = file
            .replacingOccurrences(of: "unless.en: avoid being scammed, prevent fraud", with: "unless.en: fraud, how to stay safe")
            .replacingOccurrences(of: "safe.zh: 怎么防止被骗", with: "safe.zh: 我好像被骗了")
        let messages = rules(broken).1.map { "\($0.line ?? 0) \($0.severity) \($0.message)" }
        XCTAssertTrue(messages.contains { $0.hasPrefix("13 error") && $0.contains("'fraud' is itself a keyword") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("13 warning") && $0.contains("'how to stay safe' holds none") }, "\(messages)")
        // Safe lines are checked against the trained reader (`EscalationReader.misreads`), with their line.
        var knowledge = KnowledgeBase(entries: [])
        knowledge.escalation = rules(broken).0
        let misreads = EscalationReader(knowledge: knowledge, extractor: FeatureExtractor()).misreads(entryIDs: [])
        XCTAssertTrue(misreads.contains { $0.line == 14 && $0.message.contains("safe line '我好像被骗了' triggers 'security-incident'") },
                      "\(misreads)")
    }
}

/// One broken product line in products.txt: its error is reported first, the errors that only follow from it
/// (objections and personas naming the product) are folded under it, each at its own line, none twice.
final class DiagnosticFoldingTests: XCTestCase {
    func testKnockOnErrorsAreFoldedUnderTheirCause() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-fold-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixtures.knowledgeURL, to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let products = root.appendingPathComponent("products.txt")
        let text = try String(contentsOf: products, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let yieldLine = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("yield: ") && $0.contains("%-") })
        let broken = lines[yieldLine].replacingOccurrences(of: ".", with: ",")
        var edited = lines.map(String.init)
        edited[yieldLine] = broken
        try edited.joined(separator: "\n").write(to: products, atomically: true, encoding: .utf8)
        let id = try XCTUnwrap(lines[..<yieldLine].last { $0.hasPrefix("[") }).dropFirst().dropLast()

        let folded = KnowledgeLoader().load(from: root).diagnostics.folded
        let first = try XCTUnwrap(folded.first)
        XCTAssertEqual(first.location, "products.txt:\(yieldLine + 1)", "\(folded.map(\.description))")
        XCTAssertEqual(first.dropped, String(id))
        XCTAssertGreaterThan(first.consequences.count, 3)
        XCTAssertTrue(first.consequences.allSatisfy { $0.message.contains("'\(id)'") }, "\(first.consequences.map(\.description))")
        XCTAssertFalse(folded.dropFirst().contains { $0.severity == .error && $0.message.contains("'\(id)'") }, "every knock-on error is folded")
        let all = folded.flatMap { [$0] + $0.consequences }.map(\.description)
        XCTAssertEqual(all.count, Set(all).count, "no message twice")
        // A persona's error points at its own products: line, not at the entry header.
        for persona in first.consequences where persona.file.hasPrefix("personas/") {
            let personaLines = try String(contentsOf: root.appendingPathComponent(persona.file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(personaLines[(persona.line ?? 1) - 1].hasPrefix("products:"), persona.description)
        }
    }

    /// `suggests:` is put to the customer by the question's `confirm:`, in the words of the choice with that value: without
    /// them it would silently never be asked, so `kefu check` says so at the suggesting block.
    func testASuggestionNobodyCanAskIsReported() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-suggest-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixtures.fixtureKnowledgeURL, to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        let questions = root.appendingPathComponent("profile.txt")
        let text = try String(contentsOf: questions, encoding: .utf8)
        try text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("confirm.") }.joined(separator: "\n")
            .write(to: questions, atomically: true, encoding: .utf8)
        let answers = try String(contentsOf: root.appendingPathComponent(ProfileAnswers.file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let block = try XCTUnwrap(answers.firstIndex { $0 == "[goal/liquidity]" }) + 1
        let found = KnowledgeLoader().load(from: root).diagnostics.diagnostics.filter { $0.message.contains("suggests horizon=0") }
        XCTAssertEqual(found.map(\.location), ["\(ProfileAnswers.file):\(block)"], "\(found)")
        XCTAssertFalse(Fixtures.fixture.diagnostics.diagnostics.contains { $0.message.contains("suggests") })
    }
}

/// `matching.txt`: figures as one placeholder, so the amount or a phone number in a line never changes the match.
final class FiguresPlaceholderTests: XCTestCase {
    func testFiguresNeverDecideTheMatch() {
        XCTAssertTrue(Fixtures.shipped.knowledge.figuresAsPlaceholder)
        let engine = Fixtures.engine
        for (plain, withFigures) in [("借了想提前还清 有违约金吗", "借了三万分12期 想提前还清 有违约金吗"),
                                     ("一直收不到验证码", "我手机13812345678一直收不到验证码")] {
            XCTAssertEqual(engine.match(withFigures).best?.entryIndex, engine.match(plain).best?.entryIndex, withFigures)
        }
        XCTAssertEqual(NumberParser.placeholdingAmounts("我17岁，借了3万"), "我17岁,借了#", "folded, the age kept, the amount a placeholder")
        // Personal data of any length is one placeholder too: a 19-digit card is too big to be an amount.
        XCTAssertEqual(NumberParser.placeholdingAmounts("my card 6222021234567890123 was charged twice"), "my card  #  was charged twice")
        XCTAssertEqual(NumberParser.placeholdingAmounts("我手机13812345678收不到验证码"), "我手机 # 收不到验证码")
    }

    func testTheFileIsChecked() throws {
        let root = try Fixtures.temporaryKnowledge([
            "faq/a.txt": "[a]\nq.zh: 你好\nq.en: hello\na.zh: 你好\na.en: hi\n",
            "matching.txt": "[figures]\nplaceholder: maybe\ncolour: red\n[other]\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = KnowledgeLoader().load(from: root)
        let messages = result.diagnostics.errors.map(\.description)
        XCTAssertTrue(messages.contains("matching.txt:2: error: placeholder must be yes or no, found 'maybe'"), "\(messages)")
        XCTAssertTrue(messages.contains("matching.txt:3: error: [figures]: unknown key 'colour'"), "\(messages)")
        XCTAssertFalse(result.knowledge.figuresAsPlaceholder)
    }
}

/// The chat loads the knowledge without trainer mode's personas and scoring: it never uses them, so a trainer's broken
/// scoring.txt does not keep customers from their chat (`kefu check` still reports it).
final class ChatKnowledgeTests: XCTestCase {
    func testTheChatLoadsWithoutTrainerMode() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-chat-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Fixtures.knowledgeURL, to: root)
        defer { try? FileManager.default.removeItem(at: root) }
        try "[acknowledgement]\nweight: lots\n".write(to: root.appendingPathComponent("scoring.txt"), atomically: true, encoding: .utf8)
        XCTAssertTrue(KnowledgeLoader().load(from: root).diagnostics.hasErrors, "kefu check reports the broken scoring")
        var chat = KnowledgeLoader()
        chat.loadsRehearsal = false
        let loaded = chat.load(from: root)
        XCTAssertFalse(loaded.diagnostics.hasErrors, "\(loaded.diagnostics.errors.map(\.description))")
        XCTAssertTrue(loaded.knowledge.rehearsal.personas.isEmpty)
        XCTAssertFalse(loaded.knowledge.entries.isEmpty)
    }
}
