import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

/// `--since`, `--until`, `--channel`, `--mode`: which records a report covers.
struct PeriodOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("From this date or time (2026-11-27, 2026-11-27T09:00; local time).", valueName: "DATE"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Up to and including this date (or up to this time).", valueName: "DATE"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Only this channel (terminal, app, …).", valueName: "NAME"))
    var channel: String?

    @Option(name: .long, help: ArgumentHelp("Only chat, replay or rehearse sessions.", valueName: "MODE"))
    var mode: String?

    func validate() throws {
        if let since, StoreTime.parseArgument(since) == nil { throw ValidationError("--since: '\(since)' is not a date (use 2026-11-27 or 2026-11-27T09:00)") }
        if let until, StoreTime.parseArgument(until) == nil { throw ValidationError("--until: '\(until)' is not a date (use 2026-11-27 or 2026-11-27T09:00)") }
        if let mode, !["chat", "replay", "rehearse"].contains(mode) { throw ValidationError("--mode must be chat, replay or rehearse") }
        let filter = self.filter
        if let from = filter.since, let to = filter.until, from >= to { throw ValidationError("--since must come before --until") }
    }

    var filter: RecordFilter {
        var until = self.until.flatMap { StoreTime.parseArgument($0) }
        // A bare date means the whole day.
        if let text = self.until, text.count == 10, let day = until {
            until = Calendar.current.date(byAdding: .day, value: 1, to: day)
        }
        return RecordFilter(since: since.flatMap { StoreTime.parseArgument($0) }, until: until, channel: channel, mode: mode)
    }
}

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Service analytics: sessions, languages, top questions, unanswered ones, escalations, funnel, objections.",
        discussion: """
            Examples:
              kefu stats                                     # dashboard with bar charts
              kefu stats --since 2026-11-01 --channel app    # one channel, from a date
              kefu stats --json                              # every figure as one JSON object
              kefu stats --csv                               # every table as CSV (each under a '# name' line)
              kefu stats --csv --table top-unanswered        # one table as plain CSV
            """
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var period: PeriodOptions

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    @Flag(name: .long, help: "Print the tables as CSV.")
    var csv = false

    @Option(name: .long, help: ArgumentHelp("With --csv: only this table (\(ServiceStats.tableNames.joined(separator: ", "))).", valueName: "NAME"))
    var table: String?

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR=1).")
    var noColor = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be used together") }
        if let table {
            guard csv else { throw ValidationError("--table goes with --csv") }
            guard ServiceStats.tableNames.contains(table) else {
                throw ValidationError("unknown table '\(table)'; the tables are \(ServiceStats.tableNames.joined(separator: ", "))")
            }
        }
    }

    func run() throws {
        try StoreCommandError.report(noColor: noColor) {
            let store = try database.openExisting()
            let filter = period.filter
            let stats = try store.stats(filter)
            if json {
                Console.out(stats.json(filter: filter))
            } else if csv {
                Console.outNoNewline(stats.csv(table: table))
            } else {
                let style = Style.detect(fileDescriptor: 1, disabledByFlag: noColor)
                let paint = StatsDashboard.Paint(title: { style.bold($0) }, heading: { style.bold($0) }, bar: { style.cyan($0) },
                                                 dim: { style.dim($0) }, warning: { style.yellow($0) })
                let dashboard = StatsDashboard(width: TerminalSize.columns(), paint: paint, sanitize: TerminalSafe.text)
                Console.out(dashboard.render(stats, filter: filter, source: store.location))
            }
        }
    }
}
