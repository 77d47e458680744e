/// The whole memory of one conversation, as a value: the engine never mutates anything else, so a
/// conversation can be replayed exactly, copied, or tested without a terminal.
public struct DialogueState: Sendable, Equatable {
    public enum LanguageMode: Sendable, Equatable {
        case auto
        case fixed(Language)
    }

    public enum Phase: Sendable, Equatable {
        case idle
        /// Kefu offered a numbered menu of entry ids and waits for a number (or a new question).
        case clarifying(options: [String])
        case ended

        public var name: String {
            switch self {
            case .idle: return "idle"
            case .clarifying: return "clarifying"
            case .ended: return "ended"
            }
        }
    }

    public var languageMode: LanguageMode
    /// The language of the last reply; used when a message has no letters ("2", "？").
    public var language: Language
    public var phase: Phase
    /// Turns in a row that Kefu could not answer.
    public var misunderstandings: Int
    public var turnCount: Int
    /// What the last understood message was decided on, for `/why`.
    public var lastDecision: Decision?

    public init(language: Language = .zh, languageMode: LanguageMode = .auto) {
        self.languageMode = languageMode
        self.language = language
        self.phase = .idle
        self.misunderstandings = 0
        self.turnCount = 0
        self.lastDecision = nil
    }
}

/// Why Kefu answered the way it did: the evidence behind one turn.
public struct Decision: Sendable, Equatable {
    public struct Scored: Sendable, Equatable {
        public var id: String
        public var score: Double
    }

    public enum Outcome: String, Sendable, Equatable {
        case answered, clarified, notUnderstood = "not-understood", picked
    }

    public var input: String
    public var canonicalText: String
    public var detectedLanguage: Language?
    public var candidates: [Scored]
    public var outcome: Outcome
}
