/// Receives every turn of a live conversation so that it can be recorded (database, logs) without the
/// engine or the shell knowing how. Implementations must never throw into the chat: a storage problem
/// is reported once and the conversation goes on.
public protocol ConversationObserver: AnyObject {
    /// `mode` is "chat", "replay" or "rehearse".
    func conversationStarted(mode: String, language: Language)
    /// Called after each answered line, with the effects the engine produced (replies, events, tickets).
    func turnCompleted(_ record: TurnRecord, effects: [DialogueEffect])
    /// Called once when the conversation ends for any reason (quit, end of input, signal).
    func conversationEnded()
    /// How many tickets with this id prefix ("T20261127-") already exist, so that a new conversation
    /// numbers its tickets after them and the number told to the customer is the one stored.
    func ticketsAlready(withPrefix prefix: String) -> Int
    /// The last turn's tickets that were stored under another number than the engine gave them (another
    /// conversation took it first): engine id → stored id. The shell shows the stored number.
    var renumberedTickets: [String: String] { get }
    /// False once recording has failed: tickets then have to reach a person another way.
    var isRecording: Bool { get }
}

extension ConversationObserver {
    public func ticketsAlready(withPrefix prefix: String) -> Int { 0 }
    public var renumberedTickets: [String: String] { [:] }
    public var isRecording: Bool { true }
}
