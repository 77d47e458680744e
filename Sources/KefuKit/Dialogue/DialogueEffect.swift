/// Something the conversation asks the outside world to do. The engine only describes effects;
/// the shell or the replayer carries them out, which keeps the engine pure.
public enum DialogueEffect: Sendable, Equatable {
    case reply(String)
    case event(DialogueEvent)
    case endConversation
}

/// A business fact worth recording (for analytics and quality checks).
public struct DialogueEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case answered, clarificationOffered = "clarification-offered", notUnderstood = "not-understood"
        case languageChanged = "language-changed", conversationReset = "conversation-reset", complianceBlocked = "compliance-blocked"
    }

    public var kind: Kind
    public var detail: String?

    public init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }
}

/// What one customer line produced: the record shown by `--json` and written to transcripts.
public struct TurnRecord: Sendable, Equatable {
    public var input: String
    public var language: Language
    public var detectedLanguage: Language?
    public var matchedID: String?
    public var score: Double?
    public var state: String
    public var reply: String
    public var events: [DialogueEvent]
    public var endsConversation: Bool
}
