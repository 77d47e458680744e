import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write recorded sessions and turns (personal data masked) for other tools.",
        discussion: """
            jsonl: one JSON object per session, with its turns and events.
            csv:   one row per utterance (customer line or Kefu reply), with its session's fields.

            Examples:
              kefu export --format jsonl > sessions.jsonl
              kefu export --format csv --since 2026-11-01 --output november.csv
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl, csv
    }

    @OptionGroup var database: DatabaseOption
    @OptionGroup var period: PeriodOptions

    @Option(name: .long, help: "jsonl or csv.")
    var format: Format

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
    var output: String?

    func run() throws {
        try StoreCommandError.report {
            let store = try database.openExisting()
            let sessions = try store.sessions(period.filter)
            let text = format == .jsonl ? ExportText.jsonl(sessions) : ExportText.csv(sessions)
            if let output {
                let path = StoreLocation.expand(output)
                do {
                    try text.write(toFile: path, atomically: true, encoding: .utf8)
                } catch {
                    throw StoreCommandError(StoreError.cannotOpen(path: path, reason: error.localizedDescription))
                }
                Console.err("kefu: wrote \(sessions.count) session(s) to \(path)")
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

    static func jsonl(_ sessions: [StoredSession]) -> String {
        var out = ""
        for session in sessions {
            let turns = session.turns.map { turn -> String in
                let fields: [(String, String)] = [
                    ("seq", String(turn.sequence)),
                    ("at", JSONText.string(StoreTime.string(turn.at))),
                    ("speaker", JSONText.string(turn.speaker.rawValue)),
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
            out += object([
                ("session", String(session.id)),
                ("startedAt", JSONText.string(StoreTime.string(session.startedAt))),
                ("endedAt", session.endedAt.map { JSONText.string(StoreTime.string($0)) } ?? "null"),
                ("channel", JSONText.string(session.channel)),
                ("mode", JSONText.string(session.mode)),
                ("language", JSONText.string(session.language)),
                ("turns", "[" + turns.joined(separator: ",") + "]"),
                ("events", "[" + events.joined(separator: ",") + "]"),
            ]) + "\n"
        }
        return out
    }

    static let csvHeader = ["session", "session_started_at", "channel", "mode", "seq", "at", "speaker", "text", "language",
                            "matched_id", "score", "state"]

    static func csv(_ sessions: [StoredSession]) -> String {
        var out = CSV.row(csvHeader) + "\n"
        for session in sessions {
            for turn in session.turns {
                out += CSV.row([
                    String(session.id), StoreTime.string(session.startedAt), session.channel, session.mode,
                    String(turn.sequence), StoreTime.string(turn.at), turn.speaker.rawValue, masker.mask(turn.text),
                    turn.language ?? "", turn.matchedID ?? "", turn.score.map { JSONText.number($0) } ?? "", turn.state ?? "",
                ]) + "\n"
            }
        }
        return out
    }

    private static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
