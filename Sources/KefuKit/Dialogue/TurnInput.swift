/// What a turn derives from the customer's line, each worked out at most once however many steps read it
/// (folding the line five times and preparing it for three matchers was a sizeable part of a turn).
struct TurnInput {
    /// The line as read: in simplified characters (`ChineseScript`).
    let input: String
    /// The line as typed: what tickets, records and `/why` keep.
    let typed: String
    /// The line folded as escalation keywords are matched (`EscalationRules.fold`), ready for phrase searches.
    let folded: SearchText
    /// The line is read again after the customer said they are fine (`WellbeingCheck`): the reading that was asked
    /// about no longer escalates it.
    var resumesCheckIn = false
    private let matcher: Matcher
    private var prepared: Matcher.Query?
    private var matched: MatchResult?
    private var reading: ProfileExtractor.Reading?
    private var moved: [Double]?
    private var volunteeredFacts: ProfileExtractor.Extraction?

    init(_ typed: String, matcher: Matcher) {
        self.typed = typed
        self.input = ChineseScript.simplified(typed)
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

    /// The FAQ matcher's ranking of the line, computed once: several steps of a turn ask for it (is this a
    /// question the FAQ answers, a money movement, the answer itself), and it was a tenth of a turn.
    /// The line's profile facts read with no question pending (intent, amount…), computed once.
    mutating func plainReading() -> ProfileExtractor.Reading {
        if let reading { return reading }
        let read = ProfileExtractor().read(input, pending: nil, intent: nil)
        reading = read
        return read
    }

    /// The amounts the line moves in or out (`EscalationRules.movedAmounts`), read once for both the
    /// money-movement answer and the large-amount rule.
    mutating func movedAmounts(_ rules: EscalationRules) -> [Double] {
        if let moved { return moved }
        let amounts = rules.movedAmounts(in: input)
        moved = amounts
        return amounts
    }

    /// The facts the line volunteers outside the advice conversation (`AdviceFlow.volunteered`), read once for both the
    /// safety step (does a faintly alarming line describe the customer?) and the advice opening.
    mutating func volunteered(_ advice: AdviceFlow) -> ProfileExtractor.Extraction {
        if let volunteeredFacts { return volunteeredFacts }
        let extraction = advice.volunteered(input)
        volunteeredFacts = extraction
        return extraction
    }

    mutating func faqMatch() -> MatchResult {
        if let matched { return matched }
        let result = matcher.match(query())
        matched = result
        return result
    }

    /// The FAQ's ranking of the line's best-placed question when the line has several sentences: asked only for a line
    /// nothing else placed, which would otherwise be "not understood" (see `readConversation`).
    func bestQuestionMatch() -> MatchResult? {
        Self.questions(input).map { matcher.match(matcher.query($0)) }.max { $0.bestScore < $1.bestScore }
    }

    /// The sentences of a line that end in a question mark, when the line has more than one sentence.
    static func questions(_ text: String) -> [String] {
        var sentences: [(text: String, asks: Bool)] = []
        var current = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            current.append(character)
            // A full stop ends a sentence only before a space or the end, and not after a lone letter: "3.5%", "U.S. stocks"
            // and "kefu.com" stay whole.
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            let loneLetter = index >= 1 && characters[index - 1].isLetter && (index < 2 || !characters[index - 2].isLetter)
            if character == ".", !next.isWhitespace || loneLetter { continue }
            if ["?", "？", ".", "。", "!", "！"].contains(character) {
                let sentence = current.trimmingWhitespace()
                if sentence.count > 1 { sentences.append((sentence, character == "?" || character == "？")) }
                current = ""
            }
        }
        let rest = current.trimmingWhitespace()
        if !rest.isEmpty { sentences.append((rest, false)) }
        guard sentences.count > 1 else { return [] }
        return sentences.filter(\.asks).map(\.text)
    }
}
