extension TurnRecord {
    /// A record built outside the engine (stores, benchmarks, tests), with defaults for what such
    /// callers rarely know.
    public init(input: String, language: Language, reply: String, detectedLanguage: Language? = nil, matchedID: String? = nil,
                score: Double? = nil, state: String = "idle", events: [DialogueEvent] = [], endsConversation: Bool = false) {
        self.init(input: input, language: language, detectedLanguage: detectedLanguage, matchedID: matchedID, score: score,
                  state: state, reply: reply, events: events, endsConversation: endsConversation)
    }
}
