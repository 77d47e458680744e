/// Decides whether a customer's line asks for advice (to invest, or to borrow), learned from `openings.txt` and the
/// advice requests in `intents.txt`, against every FAQ question and the openings' `[not]` lines.
///
/// Openings that describe the customer were not understood at all: "写网文的，稿费刚到账，想拿一部分搏一搏" scored 0.03
/// for advice among 80 FAQ entries, and a word list ("理财", "invest") cannot know that "开理发店的，想再添几台设备"
/// is a wish to borrow. Read against "the rest" only, the request stands out; a question about an existing loan
/// that names an amount is a FAQ question's example, and stays one.
public struct AdviceOpeningReader: Sendable {
    public let reader: ExampleReader

    /// The score at which a line opens the advice conversation. On the dev simulations' openings, the dev money
    /// questions (no advice may start from them) and the dev ordinary lines: 0.3 started 1 money question, 0.4 none
    /// (46 of 64 openings), 0.5 none (41 of 64); balancing the classes (1.0) doubled the openings read at 0.4.
    public static let threshold = 0.4
    /// Seven hundred openings against five thousand questions: weighed as classes, not as lines.
    static let classBalance: Float = 1.0

    public init(knowledge: KnowledgeBase, extractor: FeatureExtractor) {
        var examples: [ExampleReader.Example] = []
        let background = ExampleReader.background
        for entry in knowledge.entries {
            let label: String
            switch entry.action {
            case "recommend-invest": label = InvestorProfile.Intent.invest.rawValue
            case "recommend-loan": label = InvestorProfile.Intent.loan.rawValue
            default: label = background
            }
            for example in entry.examples { examples.append(.init(label: label, text: example.text, file: entry.file, line: example.line)) }
        }
        examples += knowledge.adviceOpenings.examples + knowledge.adviceOpenings.told
        // Without an advice request among the entries there is nothing to read (an FAQ-only knowledge base).
        if !examples.contains(where: { $0.label != background }) { examples = [] }
        var configuration = ExampleReader.defaultConfiguration
        configuration.classBalance = Self.classBalance
        reader = ExampleReader(examples: examples, extractor: extractor, configuration: configuration, numbersAsPlaceholder: true)
    }

    /// The floor for a line nothing else understood: rather than "not understood", a line that reads even faintly as a
    /// request for advice starts it ("Good evening. I am a retired university professor, 70 years of age, with RMB
    /// 200k I wish to invest conservatively": invest 0.24, the FAQ 0.09). Dev: 0.2 starts 50 of 64 openings (0.4: 46)
    /// and no money question; 0.15 adds one ordinary line, nothing else.
    public static let unansweredFloor = 0.2
    /// The floor at which a line nothing understood is offered the advice conversation among the guesses (a choice, not a
    /// start): "单位年终奖发下来了，卡里的钱一直没动过" reads 0.05 as a wish to invest, "上个月被裁了，拿了N+1赔偿，这钱该怎么处理" 0.14.
    public static let guessFloor = 0.14

    /// The floor for a line that tells two or more facts about the customer (`DialogueEngine.factsThatDescribe`).
    public static let describedFloor = 0.1

    /// The intent the line asks advice for, with the reader's score, when it reaches `threshold` (or `floor`).
    public func intent(_ text: String, floor: Double = AdviceOpeningReader.threshold) -> (intent: InvestorProfile.Intent, score: Double)? {
        guard let best = reader.read(text).first(where: { $0.label != ExampleReader.background }), best.score >= floor,
              let intent = InvestorProfile.Intent(rawValue: best.label) else { return nil }
        return (intent, best.score)
    }

    public func candidates(_ text: String) -> [ExampleReader.Candidate] { reader.read(text) }

    /// Every opening its own reader reads as something else, with file:line (`kefu check`).
    public func misreads(_ openings: AdviceOpenings) -> [Diagnostic] {
        (openings.examples + openings.told).compactMap { example in
            let best = reader.read(example.text).first
            let wanted = example.label == ExampleReader.background ? nil : example.label
            let got = best.flatMap { $0.score >= Self.threshold && $0.label != ExampleReader.background ? $0.label : nil }
            guard got != wanted else { return nil }
            return Diagnostic(file: example.file, line: example.line, severity: .warning,
                              message: "'\(example.text)' is \(wanted.map { "an opening to \($0)" } ?? "no request for advice") but its reader reads it as \(got.map { "one to \($0)" } ?? "none") (\(String(format: "%.2f", best?.score ?? 0)))")
        }
    }
}
