import Foundation
import KefuKit

extension StoredTicket {
    /// The rule of `kefu tickets claim`, the same in every store: a closed ticket cannot be claimed, and one claimed by
    /// another agent is theirs (claiming one's own again is harmless).
    public func checkClaimable(by agent: String) throws {
        switch ticket.status {
        case .closed:
            throw StoreError.ticketState(id: ticket.id, message: "ticket \(ticket.id) is closed; it cannot be claimed")
        case .claimed where claimedBy != agent:
            throw StoreError.ticketState(id: ticket.id, message: "ticket \(ticket.id) is already claimed by \(claimedBy ?? "another agent")")
        case .claimed, .open:
            break
        }
    }

    /// The rule of `kefu tickets close`: a ticket is closed once.
    public func checkClosable() throws {
        if ticket.status == .closed { throw StoreError.ticketState(id: ticket.id, message: "ticket \(ticket.id) is already closed") }
    }
}
