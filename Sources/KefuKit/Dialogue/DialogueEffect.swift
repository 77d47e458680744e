/// Something the conversation asks the outside world to do. The engine only describes effects;
/// the shell or the replayer carries them out, which keeps the engine pure.
public enum DialogueEffect: Sendable, Equatable {
    case reply(String)
    case event(DialogueEvent)
    /// Hand the conversation to a person: store the ticket (or print it where there is no store).
    case ticket(HandoffTicket)
    case endConversation
}

/// A business fact worth recording (for analytics and quality checks).
public struct DialogueEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case answered, clarificationOffered = "clarification-offered", clarificationDeclined = "clarification-declined", notUnderstood = "not-understood"
        case languageChanged = "language-changed", conversationReset = "conversation-reset", complianceBlocked = "compliance-blocked"
        case adviceStarted = "advice-started", profileCompleted = "profile-completed", factCorrected = "fact-corrected"
        case recommendationShown = "recommendation-shown", conversion, riskMismatchWarned = "risk-mismatch-warned"
        case riskMismatchAcknowledged = "risk-mismatch-acknowledged", riskMismatchDeclined = "risk-mismatch-declined", minorDetected = "minor-detected"
        case objectionRaised = "objection-raised", objectionReason = "objection-reason", reoffered
        case objectionAccepted = "objection-accepted", objectionDeclined = "objection-declined"
        case doNotContact = "do-not-contact", escalation, notEligible = "not-eligible", loanRefused = "loan-refused"
        /// Asked whether the customer is all right (`WellbeingCheck`), with an urgent ticket; and their answer that they are.
        case wellbeingCheck = "wellbeing-check", wellbeingFine = "wellbeing-fine"
    }

    public var kind: Kind
    public var detail: String?

    public init(_ kind: Kind, _ detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    /// The rule of an escalation event: "distress" for a new ticket's "distress:urgent" and for a reminder's "distress".
    public var escalationRule: String? {
        guard kind == .escalation else { return nil }
        return detail?.split(separator: ":").first.map(String.init)
    }
}

/// What one customer line produced: the record shown by `--json` and written to transcripts.
public struct TurnRecord: Sendable, Equatable {
    /// What a recommendation turn showed, for tools (`--json`) and analytics.
    public struct Recommendation: Sendable, Equatable {
        public struct Item: Sendable, Equatable {
            public var id: String
            /// "R2"; nil for loans.
            public var risk: String?
            public init(id: String, risk: String?) { self.id = id; self.risk = risk }
        }
        /// "C3"; nil for loans.
        public var investorLevel: String?
        public var products: [Item]
        public init(investorLevel: String?, products: [Item]) { self.investorLevel = investorLevel; self.products = products }
    }

    public var input: String
    public var language: Language
    public var detectedLanguage: Language?
    public var matchedID: String?
    public var score: Double?
    public var state: String
    public var reply: String
    public var events: [DialogueEvent]
    public var endsConversation: Bool
    public var recommendation: Recommendation?

    public init(input: String, language: Language, detectedLanguage: Language?, matchedID: String?, score: Double?, state: String,
                reply: String, events: [DialogueEvent], endsConversation: Bool, recommendation: Recommendation? = nil) {
        self.input = input
        self.language = language
        self.detectedLanguage = detectedLanguage
        self.matchedID = matchedID
        self.score = score
        self.state = state
        self.reply = reply
        self.events = events
        self.endsConversation = endsConversation
        self.recommendation = recommendation
    }
}
