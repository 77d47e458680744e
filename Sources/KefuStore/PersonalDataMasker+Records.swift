import Foundation
import KefuKit

extension PersonalDataMasker {
    /// A ticket with every text a customer may have typed into masked (summary, last turns, reason, details), as every
    /// store writes it.
    public func masked(_ ticket: HandoffTicket) -> HandoffTicket {
        var ticket = ticket
        ticket.summary = mask(ticket.summary)
        ticket.lastTurns = ticket.lastTurns.map(mask)
        ticket.reason = mask(ticket.reason)
        if var details = ticket.details {
            details.problem = mask(details.problem)
            details.told = details.told.map(mask)
            ticket.details = details
        }
        return ticket
    }

    /// A scorecard's weak points with the trainee's lines, notes and suggestions masked.
    public func masked(_ points: [Scorecard.WeakPoint]) -> [Scorecard.WeakPoint] {
        points.map { point in
            var point = point
            point.line = mask(point.line)
            point.note = mask(point.note)
            point.suggestion = mask(point.suggestion)
            return point
        }
    }
}
