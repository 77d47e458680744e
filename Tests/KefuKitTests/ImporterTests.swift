import KefuKit
import KefuTestSupport
import XCTest

final class ImporterTests: XCTestCase {
    func testIDsFromCategoryNames() {
        XCTAssertEqual(KnowledgeImporter.entryID(for: "card_arrival"), "card-arrival")
        XCTAssertEqual(KnowledgeImporter.entryID(for: "Top Up -- Failed!"), "top-up-failed")
        XCTAssertEqual(KnowledgeImporter.entryID(for: "42"), "42")
        XCTAssertEqual(KnowledgeImporter.entryID(for: "提现"), "")
        XCTAssertEqual(KnowledgeImporter.nameExample("card_arrival"), "card arrival")
        XCTAssertNil(KnowledgeImporter.nameExample("42"))
    }

    func testRoundTripThroughTheKnowledgeFormat() throws {
        let csv = """
            text,category\r
            "Where is my card, it has not come?",card_arrival\r
            "My card still hasn't arrived\r
            after two weeks",card_arrival\r
            卡还没寄到,card_arrival\r
            "What does ""pending"" mean?",pending_payment\r
            提现要多久,提现\r
            提现多久到账,提现\r
            """
        let rows = LabelledData.parse(csv)
        XCTAssertEqual(rows.problems, [])
        let importer = KnowledgeImporter()
        let imported = importer.makeKnowledge(rows.rows)
        XCTAssertEqual(imported.knowledge.entries.map(\.id), ["card-arrival", "pending-payment", "category"])
        XCTAssertEqual(imported.idForCategory["提现"], "category")
        let card = imported.knowledge.entries[0]
        XCTAssertEqual(card.examples.map(\.text), ["card arrival", "Where is my card, it has not come?",
                                                   "My card still hasn't arrived after two weeks", "卡还没寄到"])
        XCTAssertEqual(card.examples.map(\.language), [.en, .en, .en, .zh])

        let messages = try String(contentsOf: Fixtures.knowledgeURL.appendingPathComponent("messages.txt"), encoding: .utf8)
        let root = try Fixtures.temporaryKnowledge(importer.knowledgeFiles(imported, source: "chat.csv", messages: messages))
        defer { try? FileManager.default.removeItem(at: root) }
        let loaded = KnowledgeLoader().load(from: root)
        XCTAssertFalse(loaded.diagnostics.hasErrors, loaded.diagnostics.errors.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(loaded.knowledge.entries.map(\.id), imported.knowledge.entries.map(\.id))
        XCTAssertEqual(loaded.knowledge.entries.map { $0.examples.map(\.text) }, imported.knowledge.entries.map { $0.examples.map(\.text) })
        XCTAssertEqual(loaded.knowledge.entries.map { $0.examples.map(\.language) }, imported.knowledge.entries.map { $0.examples.map(\.language) })
        XCTAssertTrue(loaded.knowledge.entries.allSatisfy { KnowledgeImporter.isPlaceholder($0.answer.en) && KnowledgeImporter.isPlaceholder($0.answer.zh) })

        let warnings = KnowledgeImporter.placeholderDiagnostics(loaded.knowledge)
        XCTAssertEqual(warnings.count, 3)
        XCTAssertTrue(warnings.allSatisfy { $0.severity == .warning && $0.message.contains(KnowledgeImporter.placeholderMarker) })
        XCTAssertEqual(warnings.first?.file, KnowledgeImporter.fileName)
    }
}
