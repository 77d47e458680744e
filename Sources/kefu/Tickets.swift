import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal

struct Tickets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Handoff tickets: list the open ones, show one, claim or close it.",
        discussion: """
            Examples:
              kefu tickets                                   # open tickets, urgent first, oldest first
              kefu tickets --all                             # every ticket, whatever its status, with who claimed it
              kefu tickets --priority urgent                 # open urgent tickets only
              kefu tickets --agent li --status claimed       # what li is working on
              kefu tickets show T20261127-0001              # summary and the turns before the handoff
              kefu tickets claim T20261127-0001 --agent li  # take it
              kefu tickets close T20261127-0001 --note "card frozen, customer called back"
            """,
        subcommands: [ListTickets.self, ShowTicket.self, ClaimTicket.self, CloseTicket.self],
        defaultSubcommand: ListTickets.self
    )
}

struct TicketOutputOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR=1).")
    var noColor = false

    var style: Style { Style.detect(fileDescriptor: 1, disabledByFlag: noColor) }
}

extension Tickets {
    struct ListTickets: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List open tickets by priority, then age.")

        @OptionGroup var output: TicketOutputOptions

        @Flag(name: .long, help: "Include claimed and closed tickets.")
        var all = false

        @Option(name: .long, help: ArgumentHelp("Only tickets with this status: open, claimed or closed.", valueName: "STATUS"))
        var status: String?

        @Option(name: .long, help: ArgumentHelp("Only tickets of this priority: urgent, high, normal or low.", valueName: "PRIORITY"))
        var priority: String?

        @Option(name: .long, help: ArgumentHelp("Only tickets claimed by this agent (any status unless --status is given).", valueName: "NAME"))
        var agent: String?

        @Flag(name: .long, help: "One JSON object per ticket.")
        var json = false

        func validate() throws {
            if let status, HandoffTicket.Status(rawValue: status) == nil {
                throw ValidationError("--status must be open, claimed or closed")
            }
            if all && status != nil { throw ValidationError("--all and --status cannot be used together") }
            if let priority, HandoffTicket.Priority(rawValue: priority) == nil {
                throw ValidationError("--priority must be urgent, high, normal or low")
            }
        }

        func run() throws {
            try StoreCommandError.report(noColor: output.noColor) {
                let store = try output.database.openExisting()
                // An agent's tickets are claimed or closed ones: asking for them means every status by default.
                let statuses: Set<HandoffTicket.Status> = all || (agent != nil && status == nil) ? [.open, .claimed, .closed]
                    : status.flatMap(HandoffTicket.Status.init(rawValue:)).map { [$0] } ?? [.open]
                var tickets = try store.tickets(status: statuses)
                if let priority { tickets.removeAll { $0.ticket.priority.rawValue != priority } }
                if let agent { tickets.removeAll { $0.claimedBy?.caseInsensitiveCompare(agent) != .orderedSame } }
                if json {
                    for ticket in tickets { Console.out(TicketText.json(ticket)) }
                    return
                }
                if tickets.isEmpty {
                    var what = all ? "no tickets" : "no \(statuses.map(\.rawValue).sorted().joined(separator: "/")) tickets"
                    if let priority { what += " of priority \(priority)" }
                    if let agent { what += " claimed by \(agent)" }
                    Console.out(output.style.dim("\(what) in \(store.location)"))
                    return
                }
                for line in TicketText.table(tickets, now: Date(), width: TerminalSize.columns(), style: output.style) { Console.out(line) }
            }
        }
    }

    struct ShowTicket: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a ticket with its summary and the turns before the handoff.")

        @OptionGroup var output: TicketOutputOptions

        @Argument(help: ArgumentHelp("The ticket id (T-…).", valueName: "ID"))
        var id: String

        @Flag(name: .long, help: "Print the ticket as one JSON object.")
        var json = false

        func run() throws {
            try StoreCommandError.report(noColor: output.noColor) {
                let store = try output.database.openExisting()
                let ticket = try store.ticket(id: id)
                if json {
                    Console.out(TicketText.json(ticket))
                    return
                }
                var turns = ticket.ticket.lastTurns
                if turns.isEmpty, let session = ticket.sessionID {
                    turns = try store.turns(session: session, through: ticket.turnSequence).suffix(12).map { turn in
                        turn.speaker == .customer ? Transcript.customerPrefix + turn.text : Transcript.formatReply(turn.text)
                    }
                }
                for line in TicketText.detail(ticket, turns: turns, now: Date(), style: output.style) { Console.out(line) }
            }
        }
    }

    struct ClaimTicket: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "claim", abstract: "Take a ticket: it is no longer open.")

        @OptionGroup var output: TicketOutputOptions

        @Argument(help: ArgumentHelp("The ticket id (T-…).", valueName: "ID"))
        var id: String

        @Option(name: .long, help: ArgumentHelp("Who takes it.", valueName: "NAME"))
        var agent: String

        func validate() throws {
            if agent.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--agent needs a name") }
        }

        func run() throws {
            try StoreCommandError.report(noColor: output.noColor) {
                let store = try output.database.openExisting()
                let ticket = try store.claimTicket(id: id, agent: agent.trimmingCharacters(in: .whitespaces), at: Date())
                Console.out("\(output.style.bold(ticket.ticket.id)) claimed by \(ticket.claimedBy ?? agent)")
            }
        }
    }

    struct CloseTicket: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a ticket with a note on how it ended.")

        @OptionGroup var output: TicketOutputOptions

        @Argument(help: ArgumentHelp("The ticket id (T-…).", valueName: "ID"))
        var id: String

        @Option(name: .long, help: ArgumentHelp("What was done (personal data is masked before it is stored).", valueName: "TEXT"))
        var note: String

        func validate() throws {
            if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--note needs a text") }
        }

        func run() throws {
            try StoreCommandError.report(noColor: output.noColor) {
                let store = try output.database.openExisting()
                let ticket = try store.closeTicket(id: id, note: note.trimmingCharacters(in: .whitespacesAndNewlines), at: Date())
                Console.out("\(output.style.bold(ticket.ticket.id)) closed")
            }
        }
    }
}

/// How tickets are printed.
enum TicketText {
    static func age(_ date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86400: return "\(seconds / 3600)h \(seconds % 3600 / 60)m"
        default: return "\(seconds / 86400)d \(seconds % 86400 / 3600)h"
        }
    }

    static func priority(_ priority: HandoffTicket.Priority, style: Style) -> String {
        let text = DisplayWidth.pad(priority.rawValue, to: 8)
        switch priority {
        case .urgent: return style.red(style.bold(text))
        case .high: return style.yellow(text)
        case .normal: return text
        case .low: return style.dim(text)
        }
    }

    static func table(_ tickets: [StoredTicket], now: Date, width: Int, style: Style) -> [String] {
        let idWidth = max(2, tickets.map { DisplayWidth.of($0.ticket.id) }.max() ?? 2)
        let reasonWidth = min(24, max(6, tickets.map { DisplayWidth.of($0.ticket.reason) }.max() ?? 6))
        let showStatus = Set(tickets.map(\.ticket.status)).count > 1 || tickets.contains { $0.ticket.status != .open }
        let statusWidth = showStatus ? 9 : 0
        // Who took each ticket, once any is taken.
        let agentWidth = tickets.contains { $0.claimedBy != nil } ? min(12, max(5, tickets.compactMap { $0.claimedBy.map(DisplayWidth.of) }.max() ?? 5)) + 2 : 0
        let ageWidth = 7
        let fixed = idWidth + 2 + 8 + 2 + statusWidth + agentWidth + ageWidth + 2 + reasonWidth + 2
        let summaryWidth = max(10, width - fixed)
        var header = DisplayWidth.pad("ID", to: idWidth) + "  " + DisplayWidth.pad("PRIORITY", to: 8) + "  "
        if showStatus { header += DisplayWidth.pad("STATUS", to: statusWidth) }
        if agentWidth > 0 { header += DisplayWidth.pad("AGENT", to: agentWidth) }
        header += DisplayWidth.pad("AGE", to: ageWidth) + "  " + DisplayWidth.pad("REASON", to: reasonWidth) + "  SUMMARY"
        var lines = [style.bold(header)]
        for stored in tickets {
            let ticket = stored.ticket
            var line = DisplayWidth.pad(ticket.id, to: idWidth) + "  " + priority(ticket.priority, style: style) + "  "
            if showStatus { line += DisplayWidth.pad(ticket.status.rawValue, to: statusWidth) }
            if agentWidth > 0 { line += DisplayWidth.pad(TerminalSafe.text(DisplayWidth.truncate(stored.claimedBy ?? "-", to: agentWidth - 2)), to: agentWidth) }
            line += DisplayWidth.pad(age(stored.createdAt, now: now), to: ageWidth) + "  "
            line += DisplayWidth.pad(DisplayWidth.truncate(ticket.reason, to: reasonWidth), to: reasonWidth) + "  "
            // The problem line first (the rest of the summary is for `tickets show`).
            let headline = ticket.details?.problem ?? ticket.summary.split(separator: "\n").first.map(String.init) ?? ""
            line += TerminalSafe.text(DisplayWidth.truncate(headline, to: summaryWidth))
            lines.append(line)
        }
        let count = tickets.count
        lines.append(style.dim("\(count) ticket\(count == 1 ? "" : "s") · kefu tickets show ID"))
        return lines
    }

    static func detail(_ stored: StoredTicket, turns: [String], now: Date, style: Style) -> [String] {
        let ticket = stored.ticket
        var lines: [String] = []
        lines.append(style.bold("Ticket \(ticket.id)") + "  " + priority(ticket.priority, style: style).trimmingCharacters(in: .whitespaces)
                     + "  " + ticket.status.rawValue)
        lines.append("Reason:   \(TerminalSafe.text(ticket.reason))")
        lines.append("Created:  \(StoreTime.display(stored.createdAt)) (\(age(stored.createdAt, now: now)) ago)")
        if let session = stored.sessionID {
            lines.append("Session:  #\(session)" + (stored.turnSequence.map { ", turn \($0)" } ?? ""))
        }
        if let agent = stored.claimedBy {
            lines.append("Claimed:  by \(TerminalSafe.text(agent))" + (stored.claimedAt.map { " at \(StoreTime.display($0))" } ?? ""))
        }
        if let closed = stored.closedAt {
            lines.append("Closed:   \(StoreTime.display(closed))")
            if let note = stored.closeNote { lines.append("Note:     \(TerminalSafe.text(note))") }
        }
        lines.append("")
        lines.append(style.bold("Summary"))
        for line in ticket.summary.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append("  " + TerminalSafe.text(String(line)))
        }
        lines.append("")
        lines.append(style.bold("Before the handoff"))
        if turns.isEmpty { lines.append(style.dim("  (no turns recorded)")) }
        for turn in turns {
            for line in turn.split(separator: "\n", omittingEmptySubsequences: false) {
                let text = TerminalSafe.text(String(line))
                lines.append("  " + (line.hasPrefix(Transcript.customerPrefix) ? style.green(text) : style.cyan(text)))
            }
        }
        return lines
    }

    static func json(_ stored: StoredTicket) -> String { stored.json }
}

/// The width of the terminal on standard output (80 when it is not one).
enum TerminalSize {
    static func columns() -> Int {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }
}
