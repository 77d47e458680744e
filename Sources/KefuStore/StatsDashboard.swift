import Foundation
import KefuKit

/// `kefu stats` for people: sections of horizontal bar charts drawn with Unicode blocks
/// (`█▉▊▋▌▍▎▏`, eighths of a cell), sized to the terminal. Colour is the caller's: `Paint` wraps text,
/// and does nothing when colour is off.
public struct StatsDashboard {
    public struct Paint {
        public var title: (String) -> String
        public var heading: (String) -> String
        public var bar: (String) -> String
        public var dim: (String) -> String
        public var warning: (String) -> String

        public init(title: @escaping (String) -> String = { $0 }, heading: @escaping (String) -> String = { $0 },
                    bar: @escaping (String) -> String = { $0 }, dim: @escaping (String) -> String = { $0 },
                    warning: @escaping (String) -> String = { $0 }) {
            self.title = title
            self.heading = heading
            self.bar = bar
            self.dim = dim
            self.warning = warning
        }

        public static var plain: Paint { Paint() }
    }

    public var width: Int
    public var paint: Paint
    /// Applied to every label taken from the data (customer text can hold escape sequences).
    public var sanitize: (String) -> String

    public init(width: Int = 80, paint: Paint = .plain, sanitize: @escaping (String) -> String = { $0 }) {
        self.width = max(40, min(width, 160))
        self.paint = paint
        self.sanitize = sanitize
    }

    public func render(_ stats: ServiceStats, filter: RecordFilter, source: String) -> String {
        var lines: [String] = []
        lines.append(paint.title("Kefu service dashboard"))
        lines.append(paint.dim(DisplayWidth.truncate(Self.describe(filter), to: width)))
        lines.append(paint.dim(DisplayWidth.truncate(sanitize(source), to: width)))
        lines.append("")

        let rate = Self.percent(stats.unansweredRate)
        lines.append(paint.heading("Overview"))
        let figures = ["sessions \(stats.sessions)", "turns \(stats.turns)", "questions \(stats.questions)",
                       "unanswered \(stats.unanswered) (\(rate))", "escalations \(stats.escalations)"]
        var line = " "
        for figure in figures {
            if line.count > 1, DisplayWidth.of(line) + 3 + DisplayWidth.of(figure) > width {
                lines.append(line)
                line = " "
            }
            line += (line.count > 1 ? "   " : " ") + figure
        }
        lines.append(line)
        if stats.sessions == 0 {
            lines.append("")
            lines.append(paint.dim("  No conversations recorded in this period yet."))
            return lines.joined(separator: "\n")
        }

        section(&lines, "Languages", stats.languages)
        if stats.channels.count > 1 { section(&lines, "Channels (sessions)", stats.channels) }
        if stats.modes.count > 1 { section(&lines, "Modes (sessions)", stats.modes) }
        section(&lines, "Top matched entries", stats.topEntries)
        section(&lines, "Unanswered questions (\(rate)) — the knowledge to-do list", stats.topUnanswered, warn: true)
        section(&lines, "Escalations by reason", stats.escalationsByReason, warn: true)
        section(&lines, "Escalations by priority", stats.escalationsByPriority, warn: true)
        section(&lines, "Tickets by status", stats.ticketsByStatus)

        let funnel = stats.funnel
        var funnelRows = [
            ServiceStats.Count("profiles completed", funnel.profilesCompleted),
            ServiceStats.Count("recommendations shown", funnel.recommendationsShown),
            ServiceStats.Count("conversions", funnel.conversions),
        ]
        if funnelRows.allSatisfy({ $0.count == 0 }) { funnelRows = [] }
        section(&lines, "Recommendation funnel (sessions)", funnelRows)
        if funnel.recommendationsShown > 0 {
            lines.append(paint.dim("  \(Self.percent(stats.conversionRate)) of sessions shown a recommendation converted"))
        }

        lines.append("")
        lines.append(paint.heading("Objections by type"))
        if stats.objections.isEmpty {
            lines.append(paint.dim("  (none)"))
        } else {
            lines += chart(stats.objections.map { ServiceStats.Count($0.type, $0.raised) })
            for objection in stats.objections where objection.outcomes.contains(where: { $0.count > 0 }) {
                let outcomes = objection.outcomes.map { "\($0.key) \($0.count)" }.joined(separator: ", ")
                lines.append(paint.dim(DisplayWidth.truncate(sanitize("  \(objection.type) → " + outcomes), to: width)))
            }
        }
        if !stats.objectionReasons.isEmpty { section(&lines, "Reasons given for objections", stats.objectionReasons) }
        if stats.rehearsals.rehearsals > 0 { rehearsalSection(&lines, stats.rehearsals) }
        return lines.joined(separator: "\n")
    }

    /// Trainer mode: outcomes, the average score per skill (bars out of 100, so that weak skills stand out
    /// however few rehearsals there are) and per persona.
    private func rehearsalSection(_ lines: inout [String], _ rehearsals: RehearsalStats) {
        lines.append("")
        lines.append(paint.heading("Rehearsals (trainer mode)"))
        let hints = rehearsals.hints == 0 ? "no hints" : "hints \(rehearsals.hints) (in \(rehearsals.withHints))"
        lines.append(DisplayWidth.truncate("  rehearsals \(rehearsals.rehearsals)   won \(rehearsals.won)   lost \(rehearsals.lost)   passed \(rehearsals.passed)   "
            + "average \(RehearsalStats.text(rehearsals.averageOverall))/100   \(hints)", to: width))
        lines += chart(rehearsals.outcomes)
        lines.append("")
        lines.append(paint.heading("Average score per skill (out of 100)"))
        let scores = rehearsals.skills.map { (label: $0.skill, value: $0.average, detail: "\(RehearsalStats.text($0.average))") }
        lines += scaled(scores, warnBelow: 60)
        lines.append("")
        lines.append(paint.heading("Rehearsals by persona (average overall)"))
        lines += scaled(rehearsals.personas.map {
            (label: $0.persona, value: $0.averageOverall, detail: "\(RehearsalStats.text($0.averageOverall))  \($0.won)/\($0.rehearsals) won")
        }, warnBelow: 60)
    }

    /// Bars for values out of 100; those below `warnBelow` are painted as warnings.
    private func scaled(_ rows: [(label: String, value: Double, detail: String)], warnBelow: Double) -> [String] {
        let labelWidth = min(max(rows.map { DisplayWidth.of(sanitize($0.label)) }.max() ?? 0, 4), width / 2 - 2)
        let detailWidth = rows.map { DisplayWidth.of($0.detail) }.max() ?? 1
        let barWidth = min(30, max(8, width - 2 - labelWidth - 2 - 1 - detailWidth))
        return rows.map { row in
            let label = DisplayWidth.pad(DisplayWidth.truncate(sanitize(row.label), to: labelWidth), to: labelWidth)
            let bar = Self.bar(row.value, of: 100, width: barWidth)
            let painted = row.value < warnBelow ? paint.warning(bar) : paint.bar(bar)
            let padding = String(repeating: " ", count: max(0, barWidth - DisplayWidth.of(bar)))
            return "  " + label + "  " + painted + padding + " " + row.detail
        }
    }

    private func section(_ lines: inout [String], _ title: String, _ rows: [ServiceStats.Count], warn: Bool = false) {
        lines.append("")
        lines.append(paint.heading(DisplayWidth.truncate(title, to: width)))
        if rows.isEmpty {
            lines.append(paint.dim("  (none)"))
        } else {
            lines += chart(rows, warn: warn)
        }
    }

    /// One line per row: label, bar scaled to the largest count, count.
    public func chart(_ rows: [ServiceStats.Count], warn: Bool = false) -> [String] {
        let labelWidth = min(max(rows.map { DisplayWidth.of(sanitize($0.key)) }.max() ?? 0, 4), width / 2 - 2)
        let countWidth = rows.map { String($0.count).count }.max() ?? 1
        let barWidth = min(50, max(8, width - 2 - labelWidth - 2 - 1 - countWidth))
        let largest = rows.map(\.count).max() ?? 0
        return rows.map { row in
            let label = DisplayWidth.pad(DisplayWidth.truncate(sanitize(row.key), to: labelWidth), to: labelWidth)
            let bar = Self.bar(Double(row.count), of: Double(largest), width: barWidth)
            let painted = warn ? paint.warning(bar) : paint.bar(bar)
            let padding = String(repeating: " ", count: barWidth - DisplayWidth.of(bar))
            let count = String(repeating: " ", count: countWidth - String(row.count).count) + String(row.count)
            return "  " + label + "  " + painted + padding + " " + count
        }
    }

    private static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// `value/largest` of `width` cells in full blocks and one partial block; never empty for a
    /// non-zero value.
    public static func bar(_ value: Double, of largest: Double, width: Int) -> String {
        guard value > 0, largest > 0, width > 0 else { return "" }
        let cells = Int((value / largest * Double(width) * 8).rounded())
        let full = cells / 8
        let rest = cells % 8
        var bar = String(repeating: "█", count: full)
        if rest > 0 { bar.append(eighths[rest - 1]) }
        return bar.isEmpty ? "▏" : bar
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func describe(_ filter: RecordFilter) -> String {
        var parts: [String] = []
        switch (filter.since, filter.until) {
        case (nil, nil): parts.append("all time")
        case (let since?, nil): parts.append("since \(StoreTime.display(since))")
        case (nil, let until?): parts.append("until \(StoreTime.display(until))")
        case (let since?, let until?): parts.append("\(StoreTime.display(since)) – \(StoreTime.display(until))")
        }
        parts.append("channel: \(filter.channel ?? "all")")
        if let mode = filter.mode { parts.append("mode: \(mode)") }
        return parts.joined(separator: ", ")
    }
}
