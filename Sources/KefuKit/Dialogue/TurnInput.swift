/// What a turn derives from the customer's line, each worked out at most once however many steps read it
/// (folding the line five times and preparing it for three matchers was a sizeable part of a turn).
struct TurnInput {
    let input: String
    /// The line folded as escalation keywords are matched (`EscalationRules.fold`), ready for phrase searches.
    let folded: SearchText
    private let matcher: Matcher
    private var prepared: Matcher.Query?

    init(_ input: String, matcher: Matcher) {
        self.input = input
        self.matcher = matcher
        folded = SearchText(EscalationRules.fold(input))
    }

    /// The line prepared for matching. The FAQ, objection and reason matchers share one feature extractor,
    /// so they share its canonical text and features (see `Matcher.Query`).
    mutating func query() -> Matcher.Query {
        if let prepared { return prepared }
        let query = matcher.query(input)
        prepared = query
        return query
    }
}
