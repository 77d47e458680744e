import KefuKit
import KefuTestSupport
import XCTest

/// What scoring tests share: a rehearsal at a given moment, and a table of trainee lines with the verdict a
/// trainer expects (the language is taken from the line). No tests of its own.
class RehearsalScoringCase: XCTestCase {
    let engine = RehearsalEngine(knowledge: Fixtures.shipped.knowledge)

    /// A rehearsal with the persona (by default the cautious retiree: level C2, too-risky/fear-of-loss first) at the given moment.
    func state(_ phase: RehearsalState.Phase, language: Language, persona: String = "cautious-retiree") -> RehearsalState {
        let persona = Fixtures.shipped.knowledge.rehearsal.persona(id: persona)!
        var state = engine.start(persona: persona, language: language, seed: 1).state
        state.phase = phase
        return state
    }

    func verdict(_ skill: RehearsalSkill, _ line: String, _ phase: RehearsalState.Phase, _ language: Language, persona: String = "cautious-retiree") -> Verdict? {
        engine.handle(line, in: state(phase, language: language, persona: persona)).judgement.verdict(skill)
    }

    static func language(of text: String) -> Language {
        text.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } ? .zh : .en
    }

    /// At least 20 lines per table in each language, as the issue asks for each skill.
    func check(_ skill: RehearsalSkill, _ cases: [(String, Verdict?)], phase: RehearsalState.Phase, persona: String = "cautious-retiree",
               file: StaticString = #filePath, line: UInt = #line) {
        let chinese = cases.filter { Self.language(of: $0.0) == .zh }.count
        XCTAssertGreaterThanOrEqual(chinese, 20, "Chinese lines", file: file, line: line)
        XCTAssertGreaterThanOrEqual(cases.count - chinese, 20, "English lines", file: file, line: line)
        for (text, expected) in cases {
            let language = Self.language(of: text)
            XCTAssertEqual(verdict(skill, text, phase, language, persona: persona), expected, "\(skill.rawValue): '\(text)'", file: file, line: line)
        }
    }
}
