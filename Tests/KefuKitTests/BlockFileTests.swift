import KefuKit
import XCTest

final class BlockFileTests: XCTestCase {
    func parse(_ text: String) -> (BlockFile, DiagnosticsEngine) {
        var diagnostics = DiagnosticsEngine()
        let file = BlockFile.parse(text, path: "t.txt", diagnostics: &diagnostics)
        return (file, diagnostics)
    }

    func testParsesEntriesCommentsAndContinuations() {
        let (file, diagnostics) = parse("""
            # a comment
            [withdraw-time]
            tags: withdrawal
            q.zh: 提现多久到账
            a.en: First line
              second line

            [other]
            a.zh：全角冒号也可以
            """)
        XCTAssertFalse(diagnostics.hasErrors, "\(diagnostics.diagnostics)")
        XCTAssertEqual(file.blocks.map(\.id), ["withdraw-time", "other"])
        XCTAssertEqual(file.blocks[0].line, 2)
        XCTAssertEqual(file.blocks[0].first("a.en")?.value, "First line\nsecond line")
        XCTAssertEqual(file.blocks[0].first("q.zh")?.line, 4)
        XCTAssertEqual(file.blocks[1].first("a.zh")?.value, "全角冒号也可以")
    }

    func testAcceptsCRLFAndByteOrderMark() {
        let (file, diagnostics) = parse("\u{FEFF}[a]\r\nq.en: hi\r\na.en: hello\r\n")
        XCTAssertFalse(diagnostics.hasErrors)
        XCTAssertEqual(file.blocks.first?.id, "a")
        XCTAssertEqual(file.blocks.first?.first("a.en")?.value, "hello")
    }

    func testReportsEachProblemWithItsLine() {
        let (_, diagnostics) = parse("""
            q.en: before any header
            [Bad Id]
            no colon here
            [unclosed
              continuation after a broken header
            """)
        let lines = diagnostics.errors.compactMap(\.line)
        // The lines after an unclosed header belong to the entry it lost: one error, on the header, names it.
        XCTAssertEqual(lines, [1, 2, 3, 4])
        XCTAssertEqual(diagnostics.errors[3].dropped, "unclosed")
        XCTAssertTrue(diagnostics.errors[0].message.contains("before any [id] header"))
        XCTAssertTrue(diagnostics.errors[1].message.contains("lowercase"))
        XCTAssertTrue(diagnostics.errors[2].message.contains("key: value"))
        XCTAssertTrue(diagnostics.errors[3].message.contains("closing ']'"))
        XCTAssertEqual(diagnostics.errors[0].description, "t.txt:1: error: 'q.en' appears before any [id] header")
    }
}
