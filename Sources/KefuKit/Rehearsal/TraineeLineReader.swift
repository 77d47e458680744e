/// Judges a trainee's line from labelled example lines in `scoring.txt`, one reader per judgement.
///
/// Phrase lists credited only the phrasings their authors wrote: "I hear that a lot…", "换我也会担心" and "您是怕亏钱
/// 还是怕取不出来？" got nothing, while "很理解您的顾虑" scored as a probe because 顾虑 was on the probe list, and "Seriously,
/// you should sign up right now, this rate won't last" and "那是他们倒霉" (to a P2P victim) passed as a fine tone. Each
/// judgement is a yes or no, and a line can be several at once ("理解您的担心，您主要担心哪方面？"), so each label has its
/// own reader: its examples against the [neutral] lines and every other label's examples that are not also its own.
public struct TraineeLineReader: Sendable {
    /// The judgements learned from examples, in the order a scorecard names them.
    public static let labels = ["acknowledgement", "probing", "pressure", "dismissive"]
    /// The block of lines that are none of them.
    public static let neutral = "neutral"
    /// The score at which a reader's label holds, unless the block sets `threshold:`.
    public static let defaultThreshold = 0.5

    let readers: [String: ExampleReader]
    let thresholds: [String: Double]
    /// What a question asks about the customer (age, goal, savings…), from `[topic-*]` examples; nil without them.
    let topics: ExampleReader?
    let topicThreshold: Double
    /// The `[topic-none]` block: questions about none of the customer's facts (the worry, small talk, an offer).
    public static let noTopic = "none"

    public init(rules: ScoringRules, extractor: FeatureExtractor) {
        var readers: [String: ExampleReader] = [:]
        for label in Self.labels {
            let own = rules.examples[label] ?? []
            guard !own.isEmpty else { continue }
            let ownTexts = Set(own.map(\.text))
            var examples = own
            // The factual requirements of [pressure-allowed] ("您必须先实名认证", "you must verify your identity first") are
            // what pressure is not: without them "You must be at least 18 to open an account" read as pressure.
            if label == "pressure" {
                for phrase in rules.pressureAllowed { examples.append(.init(label: ExampleReader.background, text: phrase, file: "scoring.txt")) }
            }
            for other in Self.labels + [Self.neutral] where other != label {
                for example in rules.examples[other] ?? [] where !ownTexts.contains(example.text) {
                    examples.append(.init(label: ExampleReader.background, text: example.text, file: example.file, line: example.line))
                }
            }
            readers[label] = ExampleReader(examples: examples, extractor: extractor, numbersAsPlaceholder: true)
        }
        self.readers = readers
        self.thresholds = rules.thresholds
        self.topics = rules.topicExamples.contains { $0.label != ExampleReader.background }
            ? ExampleReader(examples: rules.topicExamples, extractor: extractor, numbersAsPlaceholder: true) : nil
        self.topicThreshold = rules.topicThreshold
    }

    /// The topic the line asks about, when the reader is sure enough; nil for none or without examples. "What do you want
    /// this money for?" holds no goal phrase, and "What's making you nervous?" asks about the worry, not the age.
    public func topic(_ line: String) -> String? {
        guard let topics else { return nil }
        // Clause by clause too: a greeting first ("Good morning Mrs Wang, I'm Lily from customer service. How long could you
        // leave this money untouched?") read as no question about her at all.
        var best: ExampleReader.Candidate?
        // (A clause of six characters or words or fewer, "能问一下", says too little to ask anything.)
        // (Whether the line has several clauses is counted before the short ones are dropped: in "王师傅辛苦了，刚收车还来问，
        // 挺上心的。您这笔钱平时主要打算干啥用呀？" only the question is long, and read whole the line was no question about him.)
        let all = EscalationReader.clauses(line)
        let clauses = all.filter { !EscalationReader.isShort($0) }
        for text in [line] + (all.count > 1 ? clauses : []) {
            // Only a reading that ranks a topic first: "您主要担心哪方面呢？" asks about the worry (none), not the goal.
            guard let first = topics.read(text).first, first.label != ExampleReader.background else { continue }
            if first.score > (best?.score ?? 0) { best = first }
        }
        guard let best, best.score >= topicThreshold else { return nil }
        return best.label
    }

    /// Whether `label` has examples to learn from (otherwise the phrase lists judge, as before).
    public func reads(_ label: String) -> Bool { readers[label] != nil }

    /// The reader's score for `label` (0 when it has no reader): the line's, or a clause's when higher. A line often does
    /// two things in turn ("I'd be worried too. Is it losing the principal or getting it out that bothers you?"), and read
    /// whole the question hid the acknowledgement.
    public func score(_ label: String, _ line: String) -> Double {
        guard let reader = readers[label] else { return 0 }
        let read = { (text: String) in reader.read(reader.query(text)).first { $0.label == label }?.score ?? 0 }
        var best = read(line)
        let clauses = EscalationReader.clauses(line)
        if Self.readByClause.contains(label), clauses.count > 1 { for clause in clauses { best = max(best, read(clause)) } }
        return best
    }

    /// The labels also read clause by clause. Dev judgements (182 lines): acknowledgement 84.1% → 87.9%, probing alike;
    /// pressure and dismissiveness lost 1 to 6 points read by clause (a fragment such as "That's it?" is no tone), so they
    /// are read whole.
    static let readByClause: Set<String> = ["acknowledgement", "probing"]

    public func holds(_ label: String, _ line: String) -> Bool {
        reads(label) && score(label, line) >= threshold(label)
    }

    public func threshold(_ label: String) -> Double { thresholds[label] ?? Self.defaultThreshold }

    /// Every example its own reader reads differently, with file:line (for `kefu check`).
    public func misreads(_ rules: ScoringRules) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for label in Self.labels where reads(label) {
            for example in rules.examples[label] ?? [] where !holds(label, example.text) {
                found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                        message: "'\(example.text)' is a \(label) example but its reader reads it at \(String(format: "%.2f", score(label, example.text)))"))
            }
            let own = Set((rules.examples[label] ?? []).map(\.text))
            for example in rules.examples[Self.neutral] ?? [] where !own.contains(example.text) && holds(label, example.text) {
                found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                        message: "neutral line '\(example.text)' reads as \(label) (\(String(format: "%.2f", score(label, example.text))))"))
            }
        }
        return found
    }
}
