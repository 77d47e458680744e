/// What happened so far in a conversation, kept for the person who may take it over: never cleared by the selling or
/// profile flows (a decline or a handoff clears the recommendation, but the agent must still see everything discussed).
public struct ConversationHistory: Sendable, Equatable, Codable {
    /// Every product discussed, in the order first seen: recommended, named, warned about, objected to or declined
    /// (`DialogueState.noteProductsDiscussed`).
    public var productsDiscussed: [String] = []
    /// FAQ entries answered, in order (for the handoff summary).
    public var topics: [String] = []
    /// How often each FAQ entry was answered, per reply language ("withdraw-time@zh"): asking twice for the same thing in
    /// the same language escalates.
    public var answerCounts: [String: Int] = [:]
    /// Objection ids raised, with the reason when given ("too-risky/fear-of-loss").
    public var objectionsRaised: [String] = []
    /// The last lines of the conversation ("you> …", "kefu> …"), for the handoff ticket.
    public var recentTurns: [String] = []

    public init() {}
}
