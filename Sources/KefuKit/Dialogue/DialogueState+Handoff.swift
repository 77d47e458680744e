/// What the handoff summary needs beyond the selling state: the selling fields are cleared as the
/// conversation moves on (a decline, a handoff), but the agent must still see everything discussed.
extension DialogueState {
    /// A ticket written in this conversation, for the next ticket's summary and for deciding whether a new
    /// escalation is already covered.
    public struct TicketNote: Sendable, Equatable, Codable {
        public var id: String
        public var reason: String
        public var priority: HandoffTicket.Priority
    }

    /// The store gave ticket `id` another number (another conversation took it first): the conversation
    /// goes on with the stored number, in reminders and in later tickets' summaries.
    public mutating func renumberTicket(_ id: String, to stored: String) {
        if handoff.ticket?.id == id { handoff.ticket?.id = stored }
        for index in handoff.tickets.indices where handoff.tickets[index].id == id { handoff.tickets[index].id = stored }
    }

    /// Adds every product the conversation has touched so far (recommended, named by the customer, warned
    /// about, objected to, declined) to `productsDiscussed`, in the order first seen. Called on every turn and
    /// before anything clears `recommended`.
    mutating func noteProductsDiscussed(_ more: [String] = []) {
        var ids = offer.recommended + offer.acknowledgedRisk + offer.timesOffered.keys.sorted() + offer.declinedProducts + (offer.lastProduct.map { [$0] } ?? []) + more
        switch phase {
        case .riskWarning(let product): ids.append(product)
        case .objectionProbing(_, let product), .reoffered(_, let product): ids.append(product)
        default: break
        }
        for id in ids where !id.isEmpty && !history.productsDiscussed.contains(id) { history.productsDiscussed.append(id) }
    }
}
