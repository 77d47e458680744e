import Foundation
import KefuKit

/// The figures behind `kefu stats`: what customers ask, what Kefu could not answer, who was handed
/// over and why, and how recommendations and objections went.
public struct ServiceStats: Sendable, Equatable {
    public struct Count: Sendable, Equatable {
        public var key: String
        public var count: Int
        public init(_ key: String, _ count: Int) {
            self.key = key
            self.count = count
        }
    }

    public struct Funnel: Sendable, Equatable {
        /// Sessions with at least one such event.
        public var profilesCompleted = 0
        public var recommendationsShown = 0
        public var conversions = 0
        public init() {}
    }

    public struct Objection: Sendable, Equatable {
        /// The objection script's id ("too-risky"); "no" for a plain second no with no objection named.
        public var type: String
        public var raised: Int
        /// How the re-offers after it ended: "accepted" and "declined", in that order.
        public var outcomes: [Count]
    }

    public var sessions = 0
    /// Customer lines, commands included.
    public var turns = 0
    /// Customer lines that were not commands (`/help`…): the denominator of the unanswered rate.
    public var questions = 0
    public var channels: [Count] = []
    public var modes: [Count] = []
    /// Turns by the language Kefu answered in.
    public var languages: [Count] = []
    public var topEntries: [Count] = []
    public var unanswered = 0
    /// The most common questions Kefu could not answer (masked text, case-folded): the knowledge base's to-do list.
    public var topUnanswered: [Count] = []
    public var escalationsByReason: [Count] = []
    public var escalationsByPriority: [Count] = []
    public var ticketsByStatus: [Count] = []
    public var funnel = Funnel()
    public var objections: [Objection] = []
    /// The reasons customers gave for their objections ("too-risky/lost-money-before"), most common first.
    public var objectionReasons: [Count] = []
    /// Every event kind with its count.
    public var events: [Count] = []
    /// Trainer mode: the stored rehearsal scorecards.
    public var rehearsals = RehearsalStats()

    public init() {}

    public var unansweredRate: Double { questions == 0 ? 0 : Double(unanswered) / Double(questions) }
    public var escalations: Int { escalationsByReason.reduce(0) { $0 + $1.count } }
    public var conversionRate: Double {
        funnel.recommendationsShown == 0 ? 0 : Double(funnel.conversions) / Double(funnel.recommendationsShown)
    }

    // MARK: - Tables

    /// The figures as named tables of (key, count) rows, in the order reports show them.
    public var tables: [(name: String, rows: [Count])] {
        var tables: [(String, [Count])] = [
            ("overview", [
                Count("sessions", sessions), Count("turns", turns), Count("questions", questions),
                Count("unanswered", unanswered), Count("escalations", escalations),
            ]),
            ("channels", channels),
            ("modes", modes),
            ("languages", languages),
            ("top-entries", topEntries),
            ("top-unanswered", topUnanswered),
            ("escalations-by-reason", escalationsByReason),
            ("escalations-by-priority", escalationsByPriority),
            ("tickets-by-status", ticketsByStatus),
            ("funnel", [
                Count("profiles-completed", funnel.profilesCompleted),
                Count("recommendations-shown", funnel.recommendationsShown),
                Count("conversions", funnel.conversions),
            ]),
        ]
        var objectionRows: [Count] = []
        for objection in objections {
            objectionRows.append(Count("\(objection.type):raised", objection.raised))
            for outcome in objection.outcomes { objectionRows.append(Count("\(objection.type):\(outcome.key)", outcome.count)) }
        }
        tables.append(("objections", objectionRows))
        tables.append(("objection-reasons", objectionReasons))
        tables.append(("events", events))
        return tables.map { (name: $0.0, rows: $0.1) }
    }

    /// Every table `--csv --table` accepts: the (key, count) tables, then the rehearsal tables.
    public static let tableNames: [String] = ServiceStats().tables.map(\.name) + RehearsalStats.tableNames

    // MARK: - JSON

    /// One JSON object with a stable key order.
    public func json(filter: RecordFilter) -> String {
        func counts(_ list: [Count]) -> String {
            "[" + list.map { "{\"key\":\(JSONText.string($0.key)),\"count\":\($0.count)}" }.joined(separator: ",") + "]"
        }
        func date(_ value: Date?) -> String { value.map { JSONText.string(StoreTime.string($0)) } ?? "null" }
        let objections = self.objections.map {
            "{\"type\":\(JSONText.string($0.type)),\"raised\":\($0.raised),\"outcomes\":\(counts($0.outcomes))}"
        }
        let fields: [(String, String)] = [
            ("filter", "{\"since\":\(date(filter.since)),\"until\":\(date(filter.until)),\"channel\":\(filter.channel.map(JSONText.string) ?? "null"),\"mode\":\(filter.mode.map(JSONText.string) ?? "null")}"),
            ("sessions", "\(sessions)"),
            ("turns", "\(turns)"),
            ("questions", "\(questions)"),
            ("channels", counts(channels)),
            ("modes", counts(modes)),
            ("languages", counts(languages)),
            ("topEntries", counts(topEntries)),
            ("unanswered", "\(unanswered)"),
            ("unansweredRate", JSONText.number(unansweredRate)),
            ("topUnanswered", counts(topUnanswered)),
            ("escalations", "\(escalations)"),
            ("escalationsByReason", counts(escalationsByReason)),
            ("escalationsByPriority", counts(escalationsByPriority)),
            ("ticketsByStatus", counts(ticketsByStatus)),
            ("funnel", "{\"profilesCompleted\":\(funnel.profilesCompleted),\"recommendationsShown\":\(funnel.recommendationsShown),\"conversions\":\(funnel.conversions),\"conversionRate\":\(JSONText.number(conversionRate))}"),
            ("objections", "[" + objections.joined(separator: ",") + "]"),
            ("objectionReasons", counts(objectionReasons)),
            ("events", counts(events)),
            ("rehearsals", rehearsals.json),
        ]
        return "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    // MARK: - CSV

    /// One table as CSV (header `key,count`; the rehearsal tables have their own), or every table one
    /// after another, each under a `# name` line, when `table` is nil.
    public func csv(table: String? = nil) -> String {
        var out = ""
        for (name, rows) in tables where table == nil || table == name {
            if table == nil {
                if !out.isEmpty { out += "\n" }
                out += "# \(name)\n"
            }
            out += "key,count\n"
            for row in rows { out += CSV.field(row.key) + "," + String(row.count) + "\n" }
        }
        for (name, header, rows) in rehearsals.tables where table == nil || table == name {
            if table == nil {
                if !out.isEmpty { out += "\n" }
                out += "# \(name)\n"
            }
            out += CSV.row(header) + "\n"
            for row in rows { out += CSV.row(row) + "\n" }
        }
        return out
    }
}

/// RFC 4180 fields: quoted when they hold a comma, quote or line break. A leading `=`, `+`, `-` or `@`
/// is prefixed with `'` so that spreadsheets do not run customer text as a formula.
public enum CSV {
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), !(first == "-" && Double(text) != nil) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
