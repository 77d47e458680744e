import Foundation
import KefuKit
import KefuStore

/// Rehearsal scorecards in PostgreSQL, as `SQLiteStore` keeps them: one per rehearsal session, skills as rows, weak
/// points as masked JSON.
extension PostgresStore {
    public func recordScorecard(_ write: ScorecardWrite) throws {
        let card = write.scorecard
        let weak = masker.masked(card.weakPoints)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let weakJSON = String(decoding: try encoder.encode(weak), as: UTF8.self)
        try guarded {
            try pool.with { db in
                try db.transaction {
                    let rows = try db.query("""
                        INSERT INTO scorecards (session_id, at, persona, language, seed, outcome, overall, passed, agent_lines, hints, weak_points)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                        """, [.of(write.sessionID), .of(StoreTime.string(write.at)), .of(card.persona), .of(card.language.rawValue),
                              .of(Int64(bitPattern: write.seed)), .of(card.outcome.rawValue), .of(card.overall), .of(card.passed ? 1 : 0),
                              .of(card.lines), .of(card.hints), .of(weakJSON)])
                    let id = try rows.first?.int64("id") ?? 0
                    for skill in card.skills {
                        try db.execute("""
                            INSERT INTO scorecard_skills (scorecard_id, skill, weight, good, poor, breach, score) VALUES (?, ?, ?, ?, ?, ?, ?)
                            """, [.of(id), .of(skill.skill.rawValue), .of(skill.weight), .of(skill.good), .of(skill.poor), .of(skill.breach),
                                  .of(skill.score)])
                    }
                }
            }
        }
    }

    public func scorecards(_ filter: RecordFilter) throws -> [StoredScorecard] {
        let (condition, arguments) = StoreReports.conditions(filter, time: "sc.at")
        return try guarded {
            try pool.with { db in
                try db.query("""
                    SELECT sc.* FROM scorecards sc JOIN sessions s ON s.id = sc.session_id WHERE 1 = 1 \(condition) ORDER BY sc.at, sc.id
                    """, Self.bind(arguments)).map { row in
                    let id = try row.int64("id") ?? 0
                    let order = RehearsalSkill.allCases
                    let skills = try db.query("SELECT skill, weight, good, poor, breach, score FROM scorecard_skills WHERE scorecard_id = ?", [.of(id)])
                        .compactMap { skill -> Scorecard.SkillScore? in
                            guard let name = RehearsalSkill(rawValue: try skill.string("skill") ?? "") else { return nil }
                            return Scorecard.SkillScore(skill: name, weight: try skill.int("weight") ?? 0, good: try skill.int("good") ?? 0,
                                                        poor: try skill.int("poor") ?? 0, breach: try skill.int("breach") ?? 0, score: try skill.int("score"))
                        }.sorted { order.firstIndex(of: $0.skill)! < order.firstIndex(of: $1.skill)! }
                    let weak = (try? JSONDecoder().decode([Scorecard.WeakPoint].self, from: Data((try row.string("weak_points") ?? "[]").utf8))) ?? []
                    let card = Scorecard(persona: try row.string("persona") ?? "", language: Language(rawValue: try row.string("language") ?? "") ?? .zh,
                                         outcome: RehearsalOutcome(rawValue: try row.string("outcome") ?? "") ?? .unfinished, skills: skills,
                                         overall: try row.int("overall") ?? 0, passed: (try row.int("passed") ?? 0) == 1,
                                         lines: try row.int("agent_lines") ?? 0, hints: try row.int("hints") ?? 0, weakPoints: weak)
                    return StoredScorecard(id: id, sessionID: try row.int64("session_id") ?? 0,
                                           at: StoreTime.date(try row.string("at") ?? "") ?? Date(timeIntervalSince1970: 0),
                                           seed: UInt64(bitPattern: try row.int64("seed") ?? 0), scorecard: card)
                }
            }
        }
    }
}
