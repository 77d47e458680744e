extension TurnRecord {
    /// A record built outside the engine (stores, benchmarks, tests). The synthesized memberwise
    /// initializer is internal to KefuKit; this one is public and names the reply right after the language.
    public init(input: String, language: Language, reply: String, detectedLanguage: Language? = nil, matchedID: String? = nil,
                score: Double? = nil, state: String = "idle", events: [DialogueEvent] = [], endsConversation: Bool = false) {
        self.input = input
        self.language = language
        self.detectedLanguage = detectedLanguage
        self.matchedID = matchedID
        self.score = score
        self.state = state
        self.reply = reply
        self.events = events
        self.endsConversation = endsConversation
    }
}
