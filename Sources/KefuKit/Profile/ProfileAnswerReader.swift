/// Reads what a customer's words say about their profile, with a reader trained on `profile-answers.txt`.
///
/// The question asked decides the reading: "想给孩子攒点上大学的钱" answering the goal question is the goal
/// education, never the occupation student (it was, and a 42-year-old office worker was capped at C2). An answer
/// is read first for the pending fact, with a low bar; other facts it volunteers ("I could accept losing maybe
/// 10%" while the goal is asked) are taken only when the reader is sure, clause by clause.
public struct ProfileAnswerReader: Sendable {
    public struct Reading: Sendable, Equatable {
        public var facts: [(InvestorProfile.Fact, RuleValue)] = []
        public var skip = false
        public var correction = false
        public var unsure = false

        public func value(_ fact: InvestorProfile.Fact) -> RuleValue? { facts.last { $0.0 == fact }?.1 }

        public static func == (a: Reading, b: Reading) -> Bool {
            a.facts.map { "\($0.0)=\($0.1)" } == b.facts.map { "\($0.0)=\($0.1)" } && a.skip == b.skip && a.correction == b.correction && a.unsure == b.unsure
        }
    }

    /// Settings, with the evidence for each (measured on `simulations/dev` and the examples' own misreads).
    public struct Thresholds: Sendable, Equatable {
        /// The lowest score at which an answer is read as the pending fact's value (or a skip): the question
        /// asked makes a modest reading enough.
        public var pending = 0.3
        /// How far below the best reading the pending fact's own best may be and still win: "孩子上大学" reads as
        /// student 0.41 and education 0.38 when the goal is asked.
        public var pendingMargin = 0.15
        /// The lowest score at which a fact the customer volunteers is taken, read whole or by clause.
        public var volunteered = 0.5
        public init() {}
    }

    public let answers: ProfileAnswers
    public let reader: ExampleReader
    public let thresholds: Thresholds
    private let meanings: [String: ProfileAnswers.Meaning]

    public init(answers: ProfileAnswers, extractor: FeatureExtractor, thresholds: Thresholds = Thresholds()) {
        self.answers = answers
        self.thresholds = thresholds
        var meanings: [String: ProfileAnswers.Meaning] = [:]
        for label in answers.labels { meanings[label.id] = label.meaning }
        self.meanings = meanings
        // Amounts and ages are NumberParser's: as one placeholder, "亏1万我都心疼" and "亏一点都心疼" read alike.
        reader = ExampleReader(examples: answers.examples, extractor: extractor, numbersAsPlaceholder: true)
    }

    public var isEmpty: Bool { answers.isEmpty }

    public func waitUntilReady() { reader.waitUntilReady() }

    /// Whether a meaning answers the pending fact (a skip, an unsure or a correction answers any question).
    private static func answers(_ meaning: ProfileAnswers.Meaning, _ pending: InvestorProfile.Fact) -> Bool {
        switch meaning {
        case .fact(let fact, _): return fact == pending
        case .skip, .unsure: return true
        case .correction: return false
        }
    }

    /// What the line says. `pending` is the question Kefu asked, if any.
    public func read(_ text: String, pending: InvestorProfile.Fact?) -> Reading {
        var out = Reading()
        guard !reader.isEmpty else { return out }
        let candidates = reader.read(text)
        guard let top = candidates.first else { return out }
        var taken = Set<InvestorProfile.Fact>()
        if let pending {
            let own = candidates.first { meanings[$0.label].map { Self.answers($0, pending) } ?? false }
            if let own, own.score >= thresholds.pending, own.score >= top.score - thresholds.pendingMargin {
                take(meanings[own.label]!, into: &out, taken: &taken)
            }
        }
        if meanings[top.label] == .correction, top.score >= thresholds.pending { out.correction = true }
        // Volunteered facts: the whole line, then each clause ("我是退休教师，想稳健存钱" says two).
        var pieces = [candidates]
        let clauses = EscalationReader.clauses(text)
        if clauses.count > 1 { pieces += clauses.map { reader.read($0) } }
        for ranked in pieces {
            // A correction names what it corrects: "actually I'm retired" is the occupation retired.
            guard let best = ranked.first(where: { if case .fact = meanings[$0.label] { return true } else { return false } }),
                  best.score >= thresholds.volunteered,
                  best.label == ranked.first?.label || meanings[ranked.first?.label ?? ""] == .correction,
                  case .fact(let fact, _) = meanings[best.label], !taken.contains(fact) else { continue }
            take(meanings[best.label]!, into: &out, taken: &taken)
        }
        return out
    }

    private func take(_ meaning: ProfileAnswers.Meaning, into out: inout Reading, taken: inout Set<InvestorProfile.Fact>) {
        switch meaning {
        case .fact(let fact, let value):
            out.facts.append((fact, value))
            taken.insert(fact)
        case .skip: out.skip = true
        case .unsure: out.unsure = true
        case .correction: out.correction = true
        }
    }

    /// The ranked labels of a line, for `/why` and `kefu check`.
    public func candidates(_ text: String) -> [ExampleReader.Candidate] { reader.read(text) }

    /// Every example its own reader reads as something else, with file:line (`kefu check`).
    public func misreads() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for example in answers.examples {
            guard let best = reader.read(example.text).first, best.label != example.label else { continue }
            let what = example.label == ExampleReader.background ? "a counter-example" : "an example of '\(example.label)'"
            let got = best.label == ExampleReader.background ? "none of the answers" : "'\(best.label)'"
            found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                    message: "'\(example.text)' is \(what) but its reader reads it as \(got) (\(String(format: "%.2f", best.score)))"))
        }
        return found
    }
}
