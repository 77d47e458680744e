import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write recorded sessions and turns (personal data masked) for other tools.",
        discussion: """
            jsonl:      one JSON object per session, with its turns and events, and for a rehearsal its
                        scorecard ("rehearsal": scored at, seed, per-skill scores, weak points).
            csv:        one row per utterance (customer line or Kefu reply), with its session's fields.
                        In a rehearsal the speakers are "trainee" (the agent in training) and "persona" (Kefu playing the
                        customer), the persona's opening line first.
            scorecards: one CSV row per rehearsal scorecard, with a column per skill.

            Examples:
              kefu export --format jsonl > sessions.jsonl
              kefu export --format csv --since 2026-11-01 --output november.csv
              kefu export --format scorecards --mode rehearse > training.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv, scorecards
    }

    @OptionGroup var database: DatabaseOption
    @OptionGroup var period: PeriodOptions

    @Option(name: .long, help: "jsonl, csv or scorecards.")
    var format: Format

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        try StoreCommandError.report {
            let store = try database.openExisting()
            let sessions = try store.sessions(period.filter)
            let scorecards = try store.scorecards(period.filter)
            let text: String
            switch format {
            case .jsonl: text = ExportText.jsonl(sessions, scorecards: scorecards)
            case .csv: text = ExportText.csv(sessions)
            case .scorecards: text = ExportText.scorecardsCSV(scorecards, sessions: sessions)
            }
            if let output {
                let path = StoreLocation.expand(output)
                do {
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw StoreCommandError(StoreError.cannotOpen(path: path, reason: error.localizedDescription))
                }
                Console.err(format == .scorecards ? "kefu: wrote \(scorecards.count) scorecard(s) to \(path)" : "kefu: wrote \(sessions.count) session(s) to \(path)")
            } else {
                Console.outNoNewline(text)
            }
        }
    }
}

/// The export formats. The store already masked what it wrote; masking again here protects exports
/// of databases written before a masking rule existed.
enum ExportText {
    static let masker = PersonalDataMasker()

    static func jsonl(_ sessions: [StoredSession], scorecards: [StoredScorecard] = []) -> String {
        var out = ""
        let cards = Dictionary(scorecards.map { ($0.sessionID, $0) }, uniquingKeysWith: { first, _ in first })
        for session in sessions {
            let turns = session.turns.map { turn -> String in
                let fields: [(String, String)] = [
                    ("seq", String(turn.sequence)),
                    ("at", JSONText.string(StoreTime.string(turn.at))),
                    ("speaker", JSONText.string(speaker(turn, session))),
                    ("text", JSONText.string(masker.mask(turn.text))),
                    ("language", turn.language.map(JSONText.string) ?? "null"),
                    ("matched", turn.matchedID.map(JSONText.string) ?? "null"),
                    ("score", turn.score.map(JSONText.number) ?? "null"),
                    ("state", turn.state.map(JSONText.string) ?? "null"),
                ]
                return object(fields)
            }
            let events = session.events.map { event in
                object([
                    ("turn", String(event.turnSequence)),
                    ("at", JSONText.string(StoreTime.string(event.at))),
                    ("kind", JSONText.string(event.kind)),
                    ("detail", event.detail.map { JSONText.string(masker.mask($0)) } ?? "null"),
                ])
            }
            var fields: [(String, String)] = [
                ("session", String(session.id)),
                ("startedAt", JSONText.string(StoreTime.string(session.startedAt))),
                ("endedAt", session.endedAt.map { JSONText.string(StoreTime.string($0)) } ?? "null"),
                ("channel", JSONText.string(session.channel)),
                ("mode", JSONText.string(session.mode)),
                ("language", JSONText.string(session.language)),
                ("turns", "[" + turns.joined(separator: ",") + "]"),
                ("events", "[" + events.joined(separator: ",") + "]"),
            ]
            if let card = cards[session.id] { fields.append(("rehearsal", rehearsal(card))) }
            out += object(fields) + "\n"
        }
        return out
    }

    /// Who spoke, as a reader of the export expects: in a rehearsal the person at the terminal is the trainee
    /// (stored as the customer side) and Kefu plays the persona.
    static func speaker(_ turn: StoredTurn, _ session: StoredSession) -> String {
        guard session.mode == "rehearse" else { return turn.speaker.rawValue }
        return turn.speaker == .customer ? "trainee" : "persona"
    }

    static let csvHeader = ["session", "session_started_at", "channel", "mode", "seq", "at", "speaker", "text", "language",
                            "matched_id", "score", "state"]

    static func csv(_ sessions: [StoredSession]) -> String {
        var out = CSV.row(csvHeader) + "\n"
        for session in sessions {
            for turn in session.turns {
                out += CSV.row([
                    String(session.id), StoreTime.string(session.startedAt), session.channel, session.mode,
                    String(turn.sequence), StoreTime.string(turn.at), speaker(turn, session), masker.mask(turn.text),
                    turn.language ?? "", turn.matchedID ?? "", turn.score.map { JSONText.number($0) } ?? "", turn.state ?? "",
                ]) + "\n"
            }
        }
        return out
    }

    /// A stored scorecard as JSON: when it was scored, the seed that replays the customer, and the card
    /// (weak points masked again, as everything exported is).
    static func rehearsal(_ stored: StoredScorecard) -> String {
        var card = stored.scorecard
        card.weakPoints = card.weakPoints.map { point in
            var point = point
            point.line = masker.mask(point.line)
            point.suggestion = masker.mask(point.suggestion)
            return point
        }
        let encoded = (try? JSONEncoder.rehearsalEncoder.encode(card)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        return object([("scoredAt", JSONText.string(StoreTime.string(stored.at))), ("seed", String(stored.seed)), ("scorecard", encoded)])
    }

    static let scorecardsHeader = ["session", "scored_at", "channel", "persona", "language", "seed", "outcome", "overall", "passed",
                                   "agent_lines", "hints"] + RehearsalSkill.allCases.map(\.rawValue)

    /// One row per scorecard, a column per skill (empty when the skill was not judged).
    static func scorecardsCSV(_ scorecards: [StoredScorecard], sessions: [StoredSession]) -> String {
        let channels = Dictionary(sessions.map { ($0.id, $0.channel) }, uniquingKeysWith: { first, _ in first })
        var out = CSV.row(scorecardsHeader) + "\n"
        for stored in scorecards {
            let card = stored.scorecard
            out += CSV.row([
                String(stored.sessionID), StoreTime.string(stored.at), channels[stored.sessionID] ?? "", card.persona, card.language.rawValue,
                String(stored.seed), card.outcome.rawValue, String(card.overall), card.passed ? "1" : "0", String(card.lines), String(card.hints),
            ] + RehearsalSkill.allCases.map { card.score($0).map(String.init) ?? "" }) + "\n"
        }
        return out
    }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
