import Foundation
import GRDB
@testable import KefuPostgres
import KefuKit
@testable import KefuStore
import KefuTestSupport
import XCTest

/// Rehearsals in the store: lines as they happen, the scorecard at the end, and the stats averages.
final class RehearsalStoreTests: StoreTestCase {
    let engine = RehearsalEngine(knowledge: Fixtures.shipped.knowledge)

    /// A whole rehearsal through the observer, as the shell drives it.
    func rehearse(_ observer: StoreObserver, persona id: String, language: Language, lines: [String], hints: Int = 0) -> Scorecard {
        let persona = Fixtures.shipped.knowledge.rehearsal.persona(id: id)!
        var state = engine.start(persona: persona, language: language, seed: 7).state
        observer.conversationStarted(mode: "rehearse", language: language)
        for _ in 0..<hints { _ = engine.takeHint(&state) }
        for line in lines where !state.isOver {
            let turn = engine.handle(line, in: state)
            state = turn.state
            observer.turnCompleted(turn.record(input: line), effects: [.reply(turn.reply ?? "")])
        }
        let card = engine.scorecard(state)
        observer.rehearsalScored(card, seed: 7)
        observer.conversationEnded()
        return card
    }

    func testARehearsalIsStoredWithItsScorecardMasked() throws {
        for backend in try backends() {
            try rehearsalStoredWithScorecardMasked(backend)
        }
    }

    func rehearsalStoredWithScorecardMasked(_ backend: StoreBackend) throws {
        let store = backend.store
        let clock = SteppingClock()
        let warnings = WarningLog()
        let observer = StoreObserver(store: store, channel: "training", clock: clock.read, warn: warnings.add)
        let card = rehearse(observer, persona: "cautious-retiree", language: .en, lines: [
            "Hello Mrs Wang, my card is 6222021234567890128. What are you hoping to do with the money?",
            "Don't worry, Cash Plus is completely safe and guaranteed, you can't lose.",
        ], hints: 1)
        XCTAssertEqual(warnings.lines, [])
        XCTAssertEqual(card.outcome, .breach)

        let sessions = try store.sessions(RecordFilter(mode: "rehearse"))
        XCTAssertEqual(sessions.count, 1)
        XCTAssertEqual(sessions[0].channel, "training")
        XCTAssertEqual(sessions[0].turns.count, 4, "two agent lines, two customer replies")
        XCTAssertTrue(sessions[0].turns[0].text.contains("**** **** **** 0128"), sessions[0].turns[0].text)
        XCTAssertEqual(sessions[0].turns[3].state, "ended-breach")

        let stored = try XCTUnwrap(try store.scorecards(RecordFilter()).first)
        XCTAssertEqual(stored.sessionID, sessions[0].id)
        XCTAssertEqual(stored.seed, 7)
        XCTAssertEqual(stored.scorecard.persona, "cautious-retiree")
        XCTAssertEqual(stored.scorecard.overall, card.overall)
        XCTAssertEqual(stored.scorecard.skills, card.skills)
        XCTAssertEqual(stored.scorecard.hints, 1)
        XCTAssertFalse(stored.scorecard.weakPoints.contains { $0.line.contains("6222021234567890128") }, "weak points are masked")
        XCTAssertEqual(stored.scorecard.weakPoints.count, card.weakPoints.count)

        XCTAssertEqual(try backend.texts("SELECT COUNT(*) FROM scorecard_skills"), [String(RehearsalSkill.allCases.count)], backend.name)
    }

    func testNothingIsStoredForARehearsalWithoutLines() throws {
        let store = try SQLiteStore(path: path())
        let observer = StoreObserver(store: store, warn: { _ in })
        _ = rehearse(observer, persona: "cautious-retiree", language: .zh, lines: [])
        XCTAssertEqual(try store.scorecards(RecordFilter()).count, 0)
        XCTAssertEqual(try store.stats(RecordFilter()).sessions, 0)
    }

    /// Three hand-written scorecards whose averages are worked out by hand:
    /// A cautious-retiree won  overall 90: ack 100, probing 100, addressing 80, product -, compliance 100, tone 100 (hints 2)
    /// B cautious-retiree lost overall 30: ack 0,   probing 50,  addressing 0,  product 50, compliance 100, tone 100
    /// C shop-owner-loan breach overall 40 (channel app, 11-20): ack 100, probing 100, addressing 0, product 0, compliance 0, tone 100
    func testStatsAveragesPerSkillAndPersona() throws {
        for backend in try backends() {
            try statsAveragesPerSkillAndPersona(backend.store)
        }
    }

    func statsAveragesPerSkillAndPersona(_ store: any ConversationStore) throws {
        func card(_ persona: String, _ outcome: RehearsalOutcome, _ overall: Int, _ scores: [Int?], hints: Int = 0) -> Scorecard {
            let skills = zip(RehearsalSkill.allCases, scores).map { Scorecard.SkillScore(skill: $0, weight: 10, good: 1, poor: 0, breach: 0, score: $1) }
            return Scorecard(persona: persona, language: .zh, outcome: outcome, skills: skills, overall: overall, passed: overall >= 70 && outcome == .won,
                             lines: 3, hints: hints, weakPoints: [])
        }
        let fixtures: [(String, String, Scorecard)] = [
            ("2026-11-10T09:00:00Z", "terminal", card("cautious-retiree", .won, 90, [100, 100, 80, nil, 100, 100], hints: 2)),
            ("2026-11-11T09:00:00Z", "terminal", card("cautious-retiree", .lost, 30, [0, 50, 0, 50, 100, 100])),
            ("2026-11-20T09:00:00Z", "app", card("shop-owner-loan", .breach, 40, [100, 100, 0, 0, 0, 100])),
        ]
        for (at, channel, scorecard) in fixtures {
            let date = StoreTime.date(at)!
            let turn = try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: date, channel: channel, mode: "rehearse", language: .zh),
                                                  sequence: 1, at: date, record: Sample.record("您好"), events: []))
            try store.recordScorecard(ScorecardWrite(sessionID: turn.sessionID, at: date, seed: 1, scorecard: scorecard))
        }
        // A chat session: its turns count in the service figures, the rehearsals' do not.
        _ = try store.record(TurnWrite(sessionID: nil, session: NewSession(startedAt: Date(), channel: "terminal", mode: "chat", language: .zh),
                                       sequence: 1, at: Date(), record: Sample.record("提现多久到账"), events: []))

        let all = try store.stats(RecordFilter())
        XCTAssertEqual(all.turns, 1, "rehearsal lines are not customer questions")
        XCTAssertEqual(try store.stats(RecordFilter(mode: "rehearse")).turns, 3)
        let rehearsals = all.rehearsals
        XCTAssertEqual(rehearsals.rehearsals, 3)
        XCTAssertEqual(rehearsals.won, 1)
        XCTAssertEqual(rehearsals.lost, 2)
        XCTAssertEqual(rehearsals.passed, 1)
        XCTAssertEqual(rehearsals.averageOverall, (90 + 30 + 40) / 3.0, accuracy: 1e-9)
        XCTAssertEqual(rehearsals.hints, 2)
        XCTAssertEqual(rehearsals.withHints, 1)
        XCTAssertEqual(rehearsals.outcomes, [ServiceStats.Count("breach", 1), ServiceStats.Count("lost", 1), ServiceStats.Count("won", 1)])
        let averages = Dictionary(uniqueKeysWithValues: rehearsals.skills.map { ($0.skill, $0.average) })
        XCTAssertEqual(rehearsals.skills.map(\.skill), RehearsalSkill.allCases.map(\.rawValue))
        XCTAssertEqual(averages["acknowledgement"]!, 200 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(averages["probing"]!, 250 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(averages["addressing"]!, 80 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(averages["product"]!, 25, accuracy: 1e-9, "the unscored rehearsal is left out")
        XCTAssertEqual(rehearsals.skills.first { $0.skill == "product" }?.scored, 2)
        XCTAssertEqual(averages["compliance"]!, 200 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(averages["tone"]!, 100, accuracy: 1e-9)
        XCTAssertEqual(rehearsals.personas, [
            RehearsalStats.PersonaRow("cautious-retiree", rehearsals: 2, won: 1, averageOverall: 60),
            RehearsalStats.PersonaRow("shop-owner-loan", rehearsals: 1, won: 0, averageOverall: 40),
        ])

        // The stats filters apply: by channel, and by when the card was scored.
        XCTAssertEqual(try store.stats(RecordFilter(channel: "app")).rehearsals.averageOverall, 40)
        XCTAssertEqual(try store.stats(RecordFilter(until: StoreTime.date("2026-11-15T00:00:00Z"))).rehearsals.rehearsals, 2)
        XCTAssertEqual(try store.stats(RecordFilter(mode: "chat")).rehearsals, RehearsalStats())

        let json = all.json(filter: RecordFilter())
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let section = try XCTUnwrap(object["rehearsals"] as? [String: Any])
        XCTAssertEqual(section["rehearsals"] as? Int, 3)
        XCTAssertEqual(section["averageOverall"] as? Double, 53.3)
        XCTAssertEqual(all.csv(table: "rehearsal-skills").split(separator: "\n").first, "skill,scored,average")
        XCTAssertTrue(all.csv(table: "rehearsal-skills").contains("probing,3,83.3\n"))
        XCTAssertTrue(all.csv(table: "rehearsal-personas").contains("cautious-retiree,2,1,60.0\n"))

        let dashboard = StatsDashboard(width: 80).render(all, filter: RecordFilter(), source: "x")
        XCTAssertTrue(dashboard.contains("Rehearsals (trainer mode)"), dashboard)
        XCTAssertTrue(dashboard.contains("rehearsals 3   won 1   lost 2   passed 1   average 53.3/100   hints 2 (in 1)"), dashboard)
        XCTAssertTrue(dashboard.contains("Average score per skill"), dashboard)
        XCTAssertTrue(dashboard.split(separator: "\n").contains { $0.contains("probing") && $0.hasSuffix("83.3") }, dashboard)
    }

    /// A store that fails mid-rehearsal warns once and the rehearsal goes on.
    func testAFailingStoreWarnsOnce() throws {
        let store = try SQLiteStore(path: path())
        let warnings = WarningLog()
        let observer = StoreObserver(store: store, warn: warnings.add)
        try raw(path()).write { try $0.execute(sql: "DROP TABLE scorecard_skills") }
        let card = rehearse(observer, persona: "cautious-retiree", language: .zh, lines: ["您好，我是客服小张。", "理解您的担心。能问一下您主要担心什么吗？"])
        XCTAssertEqual(card.lines, 2)
        XCTAssertEqual(warnings.lines.count, 1, warnings.lines.joined(separator: "\n"))
        XCTAssertEqual(try store.sessions(RecordFilter()).first?.turns.count, 4, "the lines were kept")
        XCTAssertEqual(try raw(path()).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM scorecards") }, 0, "the card's transaction rolled back")
    }
}
