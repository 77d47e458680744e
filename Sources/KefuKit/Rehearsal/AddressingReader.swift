/// Whether a trainee's line answers the reason the customer just gave, read by a reader trained on `addressing.txt`.
///
/// The persona's key points were phrase lists: "您放心，这个是 R1 的，想取随时能取，收益也没打包票" answered a fear of loss
/// in everyday words and was judged as covering nothing. The reader learns each reason from lines that answer it, against
/// lines said at the same moment that answer no reason (`[none]`, and the acknowledgements, probes and neutral lines of
/// `scoring.txt`) and lines that answer other reasons. A reason without examples of its own is still judged by its key
/// points.
public struct AddressingReader: Sendable {
    let reader: ExampleReader?
    /// The reasons this reader judges.
    public let reasons: Set<String>

    /// The score at which a line addresses the reason (`defaultThreshold`).
    public let threshold: Double

    /// Dev (corpora/trainer/dev/addressing.tsv, 210 lines): 0.3 and 0.4 judge 99.0% right (1 missed, 1 false), 0.5 97.1%,
    /// 0.6 95.7%; no example of addressing.txt is misread at any of them. The key points alone judged 84.8% (32 of 120
    /// answers missed).
    public static let defaultThreshold = 0.4

    public init(examples: AddressingExamples, scoring: ScoringRules, extractor: FeatureExtractor, threshold: Double = AddressingReader.defaultThreshold) {
        self.threshold = threshold
        reasons = examples.reasons
        guard !examples.isEmpty else {
            reader = nil
            return
        }
        var lines = examples.examples + examples.talks.filter { examples.reasons.contains($0.label) } + examples.none
        // What a trainee says at that moment without answering anything: acknowledging, asking why, small talk, pushing.
        let answered = Set(lines.map(\.text))
        for label in TraineeLineReader.labels + [TraineeLineReader.neutral] {
            for example in scoring.examples[label] ?? [] where !answered.contains(example.text) {
                lines.append(.init(label: ExampleReader.background, text: example.text, file: example.file, line: example.line))
            }
        }
        reader = ExampleReader(examples: lines, extractor: extractor, numbersAsPlaceholder: false)
    }

    public var isEmpty: Bool { reader == nil }

    /// Whether the reader judges `reason` (it has examples of its own).
    public func reads(_ reason: String) -> Bool { reader != nil && reasons.contains(reason) }

    /// The reader's score for `reason`: the whole line's, or a clause's when higher ("理解您。不过您说的这个，其实看四样就
    /// 够了：风险等级、期限、费用和历史区间" answers in its second clause).
    public func score(_ line: String, reason: String) -> Double { scores(line)[reason] ?? 0 }

    /// Every reason's score for the line, from one reading of it and of each clause (the best of them per reason).
    func scores(_ line: String) -> [String: Double] {
        guard let reader else { return [:] }
        var best: [String: Double] = [:]
        let clauses = EscalationReader.clauses(line)
        for text in [line] + (clauses.count > 1 ? clauses : []) {
            for candidate in reader.read(reader.query(text)) where candidate.score > best[candidate.label] ?? 0 {
                best[candidate.label] = candidate.score
            }
        }
        return best
    }

    public func addresses(_ line: String, reason: String) -> Bool { score(line, reason: reason) >= threshold }

    /// Every example its own reader reads differently, with file:line (`kefu check`): a line of a reason below the bar, a
    /// `[none]` line at or above it for any reason.
    public func misreads(_ examples: AddressingExamples) -> [Diagnostic] {
        guard reader != nil else { return [] }
        var found: [Diagnostic] = []
        for example in examples.examples where !addresses(example.text, reason: example.label) {
            found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                    message: "'\(example.text)' is an example of '\(example.label)' but its reader reads it at \(String(format: "%.2f", score(example.text, reason: example.label)))"))
        }
        for example in examples.none {
            let scores = scores(example.text)
            if let reason = reasons.sorted().first(where: { scores[$0] ?? 0 >= threshold }) {
                found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                        message: "[none] line '\(example.text)' reads as addressing '\(reason)' (\(String(format: "%.2f", scores[reason] ?? 0)))"))
            }
        }
        return found
    }
}
