/// How honest the matcher is about what it does not know: of the test rows whose category is not in training (for
/// example `oos`, or intents held out with `kefu eval --unseen`), the share Kefu does not answer outright; of the
/// rest, the share it answers outright and right. Both at the chat's answer threshold and over a sweep, so that the
/// threshold is chosen from data (on a training split, never on the test set).
///
/// "Answered outright" is the chat's own rule (`DialogueEngine.Configuration.answersOutright`): the best score reaches
/// the threshold and no second candidate at the threshold is within the ambiguity margin; below it the customer gets a
/// menu, a yes/no question or "not understood", never a wrong answer stated as fact.
public struct ScopeReport: Sendable, Equatable {
    /// One test row: its best and second scores, whether the best was right, and whether its category was in training.
    public struct Row: Sendable, Equatable {
        public var best: Double
        public var second: Double
        public var correct: Bool
        public var inScope: Bool

        public init(best: Double, second: Double, correct: Bool, inScope: Bool) {
            self.best = best
            self.second = second
            self.correct = correct
            self.inScope = inScope
        }
    }

    /// The two figures at one threshold.
    public struct Point: Sendable, Equatable {
        public var threshold: Double
        /// In-scope rows answered outright and right, over all in-scope rows.
        public var inScopeAnsweredRight: Double
        /// Out-of-scope rows not answered outright, over all out-of-scope rows.
        public var outOfScopeNotAnswered: Double
    }

    public var rows: [Row]
    /// The chat's settings: its rule for answering outright (`DialogueEngine.Configuration.answersOutright`).
    public var configuration: DialogueEngine.Configuration

    public init(rows: [Row], configuration: DialogueEngine.Configuration) {
        self.rows = rows
        self.configuration = configuration
    }

    public var inScopeCount: Int { rows.filter(\.inScope).count }
    public var outOfScopeCount: Int { rows.count - inScopeCount }

    /// Whether the chat would answer this row outright at `threshold`.
    public func answersOutright(_ row: Row, at threshold: Double) -> Bool {
        configuration.answersOutright(best: row.best, second: row.second, at: threshold)
    }

    public func point(at threshold: Double) -> Point {
        var right = 0, inScope = 0, declined = 0, outOfScope = 0
        for row in rows {
            let answers = answersOutright(row, at: threshold)
            if row.inScope {
                inScope += 1
                if answers && row.correct { right += 1 }
            } else {
                outOfScope += 1
                if !answers { declined += 1 }
            }
        }
        return Point(threshold: threshold, inScopeAnsweredRight: inScope == 0 ? 0 : Double(right) / Double(inScope),
                     outOfScopeNotAnswered: outOfScope == 0 ? 0 : Double(declined) / Double(outOfScope))
    }

    /// The figures from 0.05 to 0.95 in steps of 0.025.
    public var sweep: [Point] { stride(from: 0.05, through: 0.9501, by: 0.025).map { point(at: ($0 * 1000).rounded() / 1000) } }

    /// The sweep's point where the lower of the two figures is highest (the best balanced trade-off); of equal ones, the
    /// one with the higher other figure.
    public var balanced: Point? {
        let key = { (p: Point) in (min(p.inScopeAnsweredRight, p.outOfScopeNotAnswered), max(p.inScopeAnsweredRight, p.outOfScopeNotAnswered)) }
        return sweep.max { key($0) < key($1) }
    }
}
