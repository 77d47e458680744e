import Foundation
import KefuKit

/// A value read from or bound to a database, whichever database it is.
public enum StoreValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var int: Int {
        switch self {
        case .integer(let value): return Int(value)
        case .real(let value): return Int(value)
        case .text(let value): return Int(value) ?? 0
        case .null: return 0
        }
    }

    public var double: Double {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let value): return Double(value) ?? 0
        case .null: return 0
        }
    }

    public var string: String? {
        switch self {
        case .text(let value): return value
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .null: return nil
        }
    }
}

/// The figures of `kefu stats`, computed with SQL that SQLite and PostgreSQL read alike, so both stores report the
/// same numbers from the same records. `query` runs one statement (`?` placeholders) and returns its rows.
public struct StoreReports {
    public typealias Query = (_ sql: String, _ arguments: [StoreValue]) throws -> [[StoreValue]]
    public let query: Query

    public init(query: @escaping Query) { self.query = query }

    /// `AND …` conditions for the filter, on a query that has `sessions s` joined.
    public static func conditions(_ filter: RecordFilter, time column: String) -> (String, [StoreValue]) {
        var sql = ""
        var arguments: [StoreValue] = []
        if let since = filter.since {
            sql += " AND \(column) >= ?"
            arguments.append(.text(StoreTime.string(since)))
        }
        if let until = filter.until {
            sql += " AND \(column) < ?"
            arguments.append(.text(StoreTime.string(until)))
        }
        if let channel = filter.channel {
            sql += " AND s.channel = ?"
            arguments.append(.text(channel))
        }
        if let mode = filter.mode {
            sql += " AND s.mode = ?"
            arguments.append(.text(mode))
        }
        return (sql, arguments)
    }

    private func number(_ sql: String, _ arguments: [StoreValue]) throws -> Int { try query(sql, arguments).first?.first?.int ?? 0 }

    private func counts(_ sql: String, _ arguments: [StoreValue]) throws -> [ServiceStats.Count] {
        try query(sql, arguments).map { ServiceStats.Count($0[0].string ?? "unknown", $0[1].int) }
    }

    public func stats(_ filter: RecordFilter, top: Int = 10) throws -> ServiceStats {
        var stats = ServiceStats()
        let (sessionWhere, sessionArgs) = Self.conditions(filter, time: "s.started_at")
        let (turnWhere, turnArgs) = Self.conditions(filter, time: "t.at")
        let (eventWhere, eventArgs) = Self.conditions(filter, time: "e.at")

        stats.sessions = try number("SELECT COUNT(*) FROM sessions s WHERE 1 = 1 \(sessionWhere)", sessionArgs)
        stats.channels = try counts("SELECT s.channel, COUNT(*) FROM sessions s WHERE 1 = 1 \(sessionWhere) GROUP BY s.channel ORDER BY 2 DESC, 1", sessionArgs)
        stats.modes = try counts("SELECT s.mode, COUNT(*) FROM sessions s WHERE 1 = 1 \(sessionWhere) GROUP BY s.mode ORDER BY 2 DESC, 1", sessionArgs)

        // A rehearsal's lines are a trainee's, not a customer's: they count only when rehearsals are asked for.
        let turnsFrom = "FROM turns t JOIN sessions s ON s.id = t.session_id" + (filter.mode == nil ? " AND s.mode <> 'rehearse'" : "")
        stats.turns = try number("SELECT COUNT(*) \(turnsFrom) WHERE t.speaker = 'customer' \(turnWhere)", turnArgs)
        stats.questions = try number("SELECT COUNT(*) \(turnsFrom) WHERE t.speaker = 'customer' AND substr(t.text, 1, 1) <> '/' \(turnWhere)", turnArgs)
        // Replies to a line, so the languages add up to the turns (a rehearsal persona's opening, turn 0, answers nothing).
        stats.languages = try counts("SELECT t.language, COUNT(*) \(turnsFrom) WHERE t.speaker = 'kefu' AND t.seq > 0 \(turnWhere) GROUP BY t.language ORDER BY 2 DESC, 1", turnArgs)
        stats.topEntries = try counts("""
            SELECT t.matched_id, COUNT(*) \(turnsFrom) WHERE t.speaker = 'kefu' AND t.matched_id IS NOT NULL \(turnWhere)
            GROUP BY t.matched_id ORDER BY 2 DESC, 1 LIMIT \(top)
            """, turnArgs)

        let eventsFrom = "FROM events e JOIN sessions s ON s.id = e.session_id"
        stats.unanswered = try number("SELECT COUNT(*) \(eventsFrom) WHERE e.kind = ? \(eventWhere)", [.text(EventKindName.notUnderstood)] + eventArgs)
        stats.topUnanswered = try counts("""
            SELECT trim(MIN(c.text)), COUNT(*) \(eventsFrom)
            JOIN turns c ON c.session_id = e.session_id AND c.seq = e.turn_seq AND c.speaker = 'customer'
            WHERE e.kind = ? \(eventWhere)
            GROUP BY lower(trim(c.text)) ORDER BY 2 DESC, 1 LIMIT \(top)
            """, [.text(EventKindName.notUnderstood)] + eventArgs)
        stats.events = try counts("SELECT e.kind, COUNT(*) \(eventsFrom) WHERE 1 = 1 \(eventWhere) GROUP BY e.kind ORDER BY 2 DESC, 1", eventArgs)

        func sessionsWith(_ kind: String) throws -> Int {
            try number("SELECT COUNT(DISTINCT e.session_id) \(eventsFrom) WHERE e.kind = ? \(eventWhere)", [.text(kind)] + eventArgs)
        }
        stats.funnel.profilesCompleted = try sessionsWith(EventKindName.profileCompleted)
        stats.funnel.recommendationsShown = try sessionsWith(EventKindName.recommendationShown)
        stats.funnel.conversions = try sessionsWith(EventKindName.conversion)

        // Objections: raised per type; accepted / declined re-offers per type ("TYPE:PRODUCT"); reasons given.
        let byDetail = "SELECT COALESCE(e.detail, 'unknown'), COUNT(*) \(eventsFrom) WHERE e.kind = ? \(eventWhere) GROUP BY COALESCE(e.detail, 'unknown')"
        var raised: [String: Int] = [:]
        for row in try query(byDetail, [.text(EventKindName.objectionRaised)] + eventArgs) {
            raised[row[0].string ?? "unknown", default: 0] += row[1].int
        }
        var outcomes: [String: [String: Int]] = [:]
        for (kind, outcome) in [(EventKindName.objectionAccepted, "accepted"), (EventKindName.objectionDeclined, "declined")] {
            for row in try query(byDetail, [.text(kind)] + eventArgs) {
                let detail = row[0].string ?? "unknown"
                let type = detail.split(separator: ":", maxSplits: 1).first.map(String.init) ?? detail
                outcomes[type, default: [:]][outcome, default: 0] += row[1].int
            }
        }
        let types = Set(raised.keys).union(outcomes.keys)
        stats.objections = types.map { type in
            let counts = outcomes[type] ?? [:]
            return ServiceStats.Objection(type: type, raised: raised[type] ?? 0,
                                          outcomes: ["accepted", "declined"].map { ServiceStats.Count($0, counts[$0] ?? 0) })
        }.sorted { ($0.raised, $1.type) > ($1.raised, $0.type) }
        stats.objectionReasons = try counts("""
            SELECT COALESCE(e.detail, 'unknown'), COUNT(*) \(eventsFrom) WHERE e.kind = ? \(eventWhere)
            GROUP BY COALESCE(e.detail, 'unknown') ORDER BY 2 DESC, 1 LIMIT \(top)
            """, [.text(EventKindName.objectionReason)] + eventArgs)

        // Escalations come from the tickets (a ticket may outlive its session: LEFT JOIN).
        let (ticketWhere, ticketArgs) = Self.conditions(filter, time: "k.created_at")
        let ticketsFrom = "FROM tickets k LEFT JOIN sessions s ON s.id = k.session_id"
        stats.escalationsByReason = try counts("SELECT k.reason, COUNT(*) \(ticketsFrom) WHERE 1 = 1 \(ticketWhere) GROUP BY k.reason ORDER BY 2 DESC, 1", ticketArgs)
        stats.escalationsByPriority = try counts("""
            SELECT k.priority, COUNT(*) \(ticketsFrom) WHERE 1 = 1 \(ticketWhere) GROUP BY k.priority ORDER BY MIN(k.priority_rank)
            """, ticketArgs)
        stats.ticketsByStatus = try counts("""
            SELECT k.status, COUNT(*) \(ticketsFrom) WHERE 1 = 1 \(ticketWhere) GROUP BY k.status
            ORDER BY CASE k.status WHEN 'open' THEN 0 WHEN 'claimed' THEN 1 ELSE 2 END
            """, ticketArgs)
        stats.rehearsals = try rehearsalStats(filter)
        return stats
    }

    /// The rehearsal figures for `kefu stats`: scorecards scored within the filter.
    func rehearsalStats(_ filter: RecordFilter) throws -> RehearsalStats {
        var stats = RehearsalStats()
        let (condition, arguments) = Self.conditions(filter, time: "sc.at")
        let from = "FROM scorecards sc JOIN sessions s ON s.id = sc.session_id"
        guard let totals = try query("""
            SELECT COUNT(*), COALESCE(SUM(sc.passed), 0), CAST(COALESCE(AVG(sc.overall), 0) AS DOUBLE PRECISION), COALESCE(SUM(sc.hints), 0),
                   COALESCE(SUM(CASE WHEN sc.hints > 0 THEN 1 ELSE 0 END), 0) \(from) WHERE 1 = 1 \(condition)
            """, arguments).first else { return stats }
        stats.rehearsals = totals[0].int
        guard stats.rehearsals > 0 else { return stats }
        stats.passed = totals[1].int
        stats.averageOverall = totals[2].double
        stats.hints = totals[3].int
        stats.withHints = totals[4].int
        stats.outcomes = try counts("SELECT sc.outcome, COUNT(*) \(from) WHERE 1 = 1 \(condition) GROUP BY sc.outcome ORDER BY 2 DESC, 1", arguments)
        let averages = try query("""
            SELECT k.skill, COUNT(k.score), CAST(AVG(k.score) AS DOUBLE PRECISION) FROM scorecard_skills k JOIN scorecards sc ON sc.id = k.scorecard_id
            JOIN sessions s ON s.id = sc.session_id WHERE k.score IS NOT NULL \(condition) GROUP BY k.skill
            """, arguments)
        let bySkill = Dictionary(uniqueKeysWithValues: averages.map { ($0[0].string ?? "", (scored: $0[1].int, average: $0[2].double)) })
        stats.skills = RehearsalSkill.allCases.compactMap { skill in
            bySkill[skill.rawValue].map { RehearsalStats.Skill(skill.rawValue, scored: $0.scored, average: $0.average) }
        }
        stats.personas = try query("""
            SELECT sc.persona, COUNT(*), SUM(CASE WHEN sc.outcome = 'won' THEN 1 ELSE 0 END), CAST(AVG(sc.overall) AS DOUBLE PRECISION) \(from)
            WHERE 1 = 1 \(condition) GROUP BY sc.persona ORDER BY 2 DESC, 1
            """, arguments).map { RehearsalStats.PersonaRow($0[0].string ?? "", rehearsals: $0[1].int, won: $0[2].int, averageOverall: $0[3].double) }
        return stats
    }
}
