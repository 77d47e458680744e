/// The conversation's tickets for a person: the latest, every one with its reason, and the day's ticket count the next
/// ticket number follows from. A later urgent reason, or a more urgent one, gets a ticket of its own, so a fraud report
/// followed by self-harm reaches an agent twice.
public struct HandoffState: Sendable, Equatable, Codable {
    /// The open handoff ticket, if the conversation was escalated (the latest).
    public var ticket: HandoffTicket?
    /// Tickets written today so far, this conversation's and those the store already held: the next number follows it.
    public var ticketCount = 0
    /// Every ticket of this conversation, oldest first.
    public var tickets: [DialogueState.TicketNote] = []

    public init() {}
}
