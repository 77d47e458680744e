import Foundation
import KefuKit

/// The rehearsal section of `kefu stats`, from the stored scorecards: how many rehearsals, how they ended,
/// and the average overall and per-skill scores — what a training lead looks at to see where a team is weak.
public struct RehearsalStats: Sendable, Equatable {
    /// One skill's average over the rehearsals that judged it (a skill never judged in a rehearsal — no
    /// product named, say — has no score there and does not pull the average down).
    public struct Skill: Sendable, Equatable {
        public var skill: String
        public var scored: Int
        public var average: Double
        public init(_ skill: String, scored: Int, average: Double) {
            self.skill = skill
            self.scored = scored
            self.average = average
        }
    }

    public struct PersonaRow: Sendable, Equatable {
        public var persona: String
        public var rehearsals: Int
        public var won: Int
        public var averageOverall: Double
        public init(_ persona: String, rehearsals: Int, won: Int, averageOverall: Double) {
            self.persona = persona
            self.rehearsals = rehearsals
            self.won = won
            self.averageOverall = averageOverall
        }
    }

    public var rehearsals = 0
    /// By outcome (won, lost, pressured, breach, unfinished), most common first.
    public var outcomes: [ServiceStats.Count] = []
    /// Scorecards at or above the pass mark with the customer won.
    public var passed = 0
    public var averageOverall = 0.0
    /// `/hint` requests in all, and rehearsals with at least one.
    public var hints = 0
    public var withHints = 0
    /// In the scorecard's order (acknowledgement, probing, addressing, product, compliance, tone).
    public var skills: [Skill] = []
    /// Most rehearsed first.
    public var personas: [PersonaRow] = []

    public init() {}

    public func count(_ outcome: RehearsalOutcome) -> Int { outcomes.first { $0.key == outcome.rawValue }?.count ?? 0 }
    public var won: Int { count(.won) }
    /// Customers lost: they left from impatience, pressure or a forbidden promise.
    public var lost: Int { count(.lost) + count(.pressured) + count(.breach) }

    /// The figures as one JSON object (the `rehearsals` field of `kefu stats --json`).
    public var json: String {
        let outcomes = "[" + self.outcomes.map { "{\"key\":\(JSONText.string($0.key)),\"count\":\($0.count)}" }.joined(separator: ",") + "]"
        let skills = "[" + self.skills.map {
            "{\"skill\":\(JSONText.string($0.skill)),\"scored\":\($0.scored),\"average\":\(JSONText.number(Self.rounded($0.average)))}"
        }.joined(separator: ",") + "]"
        let personas = "[" + self.personas.map {
            "{\"persona\":\(JSONText.string($0.persona)),\"rehearsals\":\($0.rehearsals),\"won\":\($0.won),\"averageOverall\":\(JSONText.number(Self.rounded($0.averageOverall)))}"
        }.joined(separator: ",") + "]"
        return "{\"rehearsals\":\(rehearsals),\"won\":\(won),\"lost\":\(lost),\"passed\":\(passed),\"averageOverall\":\(JSONText.number(Self.rounded(averageOverall))),"
            + "\"hints\":\(hints),\"withHints\":\(withHints),\"outcomes\":\(outcomes),\"skills\":\(skills),\"personas\":\(personas)}"
    }

    /// CSV tables with their own headers (averages are not counts): name, header, rows.
    public var tables: [(name: String, header: [String], rows: [[String]])] {
        [
            ("rehearsals", ["key", "value"], [
                ["rehearsals", "\(rehearsals)"], ["won", "\(won)"], ["lost", "\(lost)"], ["passed", "\(passed)"],
                ["average-overall", Self.text(averageOverall)], ["hints", "\(hints)"], ["with-hints", "\(withHints)"],
            ] + outcomes.map { ["outcome:\($0.key)", "\($0.count)"] }),
            ("rehearsal-skills", ["skill", "scored", "average"], skills.map { [$0.skill, "\($0.scored)", Self.text($0.average)] }),
            ("rehearsal-personas", ["persona", "rehearsals", "won", "average_overall"],
             personas.map { [$0.persona, "\($0.rehearsals)", "\($0.won)", Self.text($0.averageOverall)] }),
        ]
    }

    public static let tableNames = RehearsalStats().tables.map(\.name)

    /// One decimal: scores are whole numbers, and a tenth is as fine as an average of them is worth showing.
    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
    static func text(_ value: Double) -> String { String(format: "%.1f", rounded(value)) }
}
