/// How sure Kefu is about what the customer asked, and which entries came close: kept for `/why`,
/// for clarification menus and for the `--json` output.
public struct MatchResult: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var entryIndex: Int
        public var score: Double
    }

    /// Best first. Empty when nothing shares a single feature with the message.
    public var candidates: [Candidate]
    /// The message as the matcher saw it (normalised, synonyms applied).
    public var canonicalText: String

    public var best: Candidate? { candidates.first }
    public var bestScore: Double { candidates.first?.score ?? 0 }
    public var margin: Double {
        candidates.count > 1 ? candidates[0].score - candidates[1].score : candidates.first?.score ?? 0
    }
}
