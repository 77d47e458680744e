import Foundation
import GRDB
import KefuKit

/// Rehearsal scorecards in the SQLite store: the v3 schema, writing one per rehearsal session, reading
/// them back for `kefu export`, and the figures of the rehearsal section of `kefu stats`.
extension SQLiteStore {
    /// v3: a scorecard per rehearsal session, and its per-skill scores as rows (so that "average probing
    /// score per persona this month" is one GROUP BY). Weak points are kept as masked JSON: they are read
    /// whole, never queried.
    static func createScorecards(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scorecards (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                session_id   INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
                at           TEXT NOT NULL,
                persona      TEXT NOT NULL,
                language     TEXT NOT NULL,
                seed         INTEGER NOT NULL,
                outcome      TEXT NOT NULL,
                overall      INTEGER NOT NULL CHECK (overall BETWEEN 0 AND 100),
                passed       INTEGER NOT NULL CHECK (passed IN (0, 1)),
                agent_lines  INTEGER NOT NULL,
                hints        INTEGER NOT NULL DEFAULT 0,
                weak_points  TEXT NOT NULL DEFAULT '[]'
            );
            CREATE TABLE scorecard_skills (
                scorecard_id INTEGER NOT NULL REFERENCES scorecards(id) ON DELETE CASCADE,
                skill        TEXT NOT NULL,
                weight       INTEGER NOT NULL,
                good         INTEGER NOT NULL,
                poor         INTEGER NOT NULL,
                breach       INTEGER NOT NULL,
                score        INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 100),
                PRIMARY KEY (scorecard_id, skill)
            ) WITHOUT ROWID;
            CREATE INDEX scorecards_at ON scorecards(at);
            CREATE INDEX scorecards_persona ON scorecards(persona, at);
            """)
    }

    public func recordScorecard(_ write: ScorecardWrite) throws {
        let card = write.scorecard
        let weak = masker.masked(card.weakPoints)
        let weakJSON = String(decoding: try JSONEncoder.scorecardStore.encode(weak), as: UTF8.self)
        try guarded {
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO scorecards (session_id, at, persona, language, seed, outcome, overall, passed, agent_lines, hints, weak_points)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [write.sessionID, StoreTime.string(write.at), card.persona, card.language.rawValue,
                                     Int64(bitPattern: write.seed), card.outcome.rawValue, card.overall, card.passed, card.lines,
                                     card.hints, weakJSON])
                let id = db.lastInsertedRowID
                let insertSkill = try db.cachedStatement(sql: """
                    INSERT INTO scorecard_skills (scorecard_id, skill, weight, good, poor, breach, score) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for skill in card.skills {
                    try insertSkill.execute(arguments: [id, skill.skill.rawValue, skill.weight, skill.good, skill.poor, skill.breach, skill.score])
                }
            }
        }
    }

    public func scorecards(_ filter: RecordFilter) throws -> [StoredScorecard] {
        let (condition, arguments) = Self.conditions(filter, time: "sc.at")
        return try guarded {
            try pool.read { db in
                let skillStatement = try db.cachedStatement(sql: """
                    SELECT skill, weight, good, poor, breach, score FROM scorecard_skills WHERE scorecard_id = ?
                    """)
                return try Row.fetchAll(db, sql: """
                    SELECT sc.* FROM scorecards sc JOIN sessions s ON s.id = sc.session_id
                    WHERE 1 \(condition) ORDER BY sc.at, sc.id
                    """, arguments: arguments).map { row in
                    let id: Int64 = row["id"]
                    let order = RehearsalSkill.allCases
                    let skills = try Row.fetchAll(skillStatement, arguments: [id]).compactMap { skill -> Scorecard.SkillScore? in
                        guard let name = RehearsalSkill(rawValue: skill["skill"]) else { return nil }
                        return Scorecard.SkillScore(skill: name, weight: skill["weight"], good: skill["good"], poor: skill["poor"],
                                                    breach: skill["breach"], score: skill["score"])
                    }.sorted { order.firstIndex(of: $0.skill)! < order.firstIndex(of: $1.skill)! }
                    let weakText: String = row["weak_points"]
                    let weak = (try? JSONDecoder().decode([Scorecard.WeakPoint].self, from: Data(weakText.utf8))) ?? []
                    let card = Scorecard(persona: row["persona"], language: Language(rawValue: row["language"]) ?? .zh,
                                         outcome: RehearsalOutcome(rawValue: row["outcome"]) ?? .unfinished, skills: skills,
                                         overall: row["overall"], passed: row["passed"], lines: row["agent_lines"], hints: row["hints"],
                                         weakPoints: weak)
                    return StoredScorecard(id: id, sessionID: row["session_id"], at: StoreTime.date(row["at"]) ?? Date(timeIntervalSince1970: 0),
                                           seed: UInt64(bitPattern: row["seed"] as Int64), scorecard: card)
                }
            }
        }
    }
}

extension JSONEncoder {
    /// Stable key order, so that the stored weak points read the same every time.
    static var scorecardStore: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
