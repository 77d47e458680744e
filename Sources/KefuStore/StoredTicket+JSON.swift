import Foundation
import KefuKit

extension StoredTicket {
    /// The summary's parts as JSON fields (`problem`, `facts`, `told`, `wishes`, `mood`); none for tickets
    /// stored before they existed.
    static func jsonDetails(_ details: HandoffSummary?) -> [(String, String)] {
        guard let details else { return [] }
        func list(_ items: [String]) -> String { "[" + items.map(JSONText.string).joined(separator: ",") + "]" }
        return [
            ("problem", JSONText.string(details.problem)),
            ("language", JSONText.string(details.language.rawValue)),
            ("facts", JSONText.object([("amounts", list(details.amounts)), ("dates", list(details.dates)),
                                       ("products", list(details.products)), ("riskLevel", details.riskLevel.map(JSONText.string) ?? "null")])),
            ("told", list(details.told)),
            ("objections", list(details.objections)),
            ("doNotContact", details.doNotContact ? "true" : "false"),
            ("mood", list(details.mood)),
        ]
    }

    /// One JSON object: what `kefu tickets --json` prints and kefu-server's agent endpoints answer.
    public var json: String {
        let stored = self
        let ticket = stored.ticket
        func optional(_ text: String?) -> String { text.map(JSONText.string) ?? "null" }
        let fields: [(String, String)] = [
            ("id", JSONText.string(ticket.id)),
            ("priority", JSONText.string(ticket.priority.rawValue)),
            ("reason", JSONText.string(ticket.reason)),
            ("status", JSONText.string(ticket.status.rawValue)),
            ("summary", JSONText.string(ticket.summary)),
            ("lastTurns", "[" + ticket.lastTurns.map(JSONText.string).joined(separator: ",") + "]"),
            ("createdAt", JSONText.string(StoreTime.string(stored.createdAt))),
            ("session", stored.sessionID.map { String($0) } ?? "null"),
            ("turn", stored.turnSequence.map { String($0) } ?? "null"),
            ("claimedBy", optional(stored.claimedBy)),
            ("claimedAt", optional(stored.claimedAt.map(StoreTime.string))),
            ("closedAt", optional(stored.closedAt.map(StoreTime.string))),
            ("closeNote", optional(stored.closeNote)),
        ] + Self.jsonDetails(ticket.details)
        return "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
