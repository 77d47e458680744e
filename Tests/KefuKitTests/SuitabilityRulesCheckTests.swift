import KefuKit
import KefuTestSupport
import XCTest

/// `kefu check` on suitability.txt: the level and points tables must cover every value once.
final class SuitabilityRulesCheckTests: XCTestCase {
    func problems(_ text: String) -> [String] {
        var diagnostics = DiagnosticsEngine()
        _ = SuitabilityRules.parse(text, path: "suitability.txt", diagnostics: &diagnostics)
        return diagnostics.errors.map(\.description)
    }

    let levels = "level C1 => 0..6\nlevel C2 => 7..\n"

    func testTheShippedRulesAreComplete() throws {
        let text = try String(contentsOf: Fixtures.knowledgeURL.appendingPathComponent("suitability.txt"), encoding: .utf8)
        XCTAssertEqual(problems(text), [])
    }

    func testPointBandsWithAGapAnOverlapAndAClosedEnd() {
        let text = levels + """
            points age 20..29 => 4
            points age 30..49 => 5
            points age 45..64 => 3
            points age 66.. => 1
            points income 0 => 0
            points income 1..4999 => 1
            points income 5000..19999 => 3
            """
        XCTAssertEqual(problems(text), [
            "suitability.txt:3: error: age 18..19 gets no points",
            "suitability.txt:5: error: age band overlaps the one on line 4",
            "suitability.txt:6: error: age 65..65 gets no points",
            "suitability.txt:9: error: the highest income band must be open-ended (e.g. 5000..)",
        ])
    }

    func testLevelsWithAGapAndAnOverlap() {
        let text = "level C1 => 1..6\nlevel C2 => 8..12\nlevel C3 => 12..\npoints age 18.. => 1\n"
        XCTAssertEqual(problems(text), [
            "suitability.txt:1: error: totals 0..0 have no level",
            "suitability.txt:2: error: totals 7..7 have no level",
            "suitability.txt:3: error: level C3 overlaps C2",
        ])
    }
}
