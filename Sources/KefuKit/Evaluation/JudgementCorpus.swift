/// Labelled trainee lines (`kefu rehearse --judge`): each line with the judgements it should get, and how often the
/// scorer agrees, per judgement. The corpora are written in varied voices by helpers and split into dev (tune on it)
/// and held-out (never tuned on).
///
/// A file is tab-separated: language, the expected judgements (comma-separated, from `TraineeLineReader.labels`, or
/// `none`), the trainee's line; `#` starts a comment. A row whose judgements hold `reason=objection/reason` is the line a
/// trainee says after the customer gave that reason, and is judged only for `addressing` (listed when the line answers
/// the reason).
public struct JudgementCorpus: Sendable {
    public struct Row: Sendable, Equatable {
        public var language: Language
        public var expected: Set<String>
        public var text: String
        public var line: Int
        /// The reason the customer just gave (`reason=`): the row is judged for addressing it, and for nothing else.
        public var reason: String? = nil
    }

    /// The judgement of rows with a `reason=`.
    public static let addressing = "addressing"

    public typealias Problem = LineCorpus.Problem

    /// One judgement's agreement: yes/no per line against the expected labels.
    public struct SkillResult: Sendable, Equatable {
        public var label: String
        public var truePositives = 0, falsePositives = 0, falseNegatives = 0, trueNegatives = 0
        /// Lines judged wrongly, for `--detail`.
        public var misses: [(row: Row, said: Bool)] = []

        public var count: Int { truePositives + falsePositives + falseNegatives + trueNegatives }
        public var accuracy: Double { count == 0 ? 0 : Double(truePositives + trueNegatives) / Double(count) }
        public var precision: Double { truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives) }
        public var recall: Double { truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives) }

        public static func == (a: SkillResult, b: SkillResult) -> Bool {
            a.label == b.label && a.truePositives == b.truePositives && a.falsePositives == b.falsePositives
                && a.falseNegatives == b.falseNegatives && a.trueNegatives == b.trueNegatives
        }
    }

    public var rows: [Row]
    public var problems: [Problem]

    /// `kefu corpus`'s format (`LineCorpus.parse`), the label column holding the judgements.
    public static func parse(_ text: String) -> JudgementCorpus {
        let lines = LineCorpus.parse(text)
        var rows: [Row] = [], problems = lines.problems
        for row in lines.rows {
            var labels = Set(row.label.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && $0 != "none" })
            let reason = labels.first { $0.hasPrefix("reason=") }.map { String($0.dropFirst("reason=".count)) }
            labels = labels.filter { !$0.hasPrefix("reason=") }
            let known = reason == nil ? TraineeLineReader.labels : [Self.addressing]
            if let unknown = labels.first(where: { !known.contains($0) }) {
                let expected = reason == nil ? "\(TraineeLineReader.labels.joined(separator: ", ")) or none" : "only \(Self.addressing) with reason="
                problems.append(.init(line: row.line, message: "unknown judgement '\(unknown)' (expected \(expected))"))
                continue
            }
            if reason?.isEmpty == true {
                problems.append(.init(line: row.line, message: "reason= names no reason (expected reason=objection/reason)"))
                continue
            }
            rows.append(Row(language: row.language, expected: labels, text: row.text, line: row.line, reason: reason))
        }
        return JudgementCorpus(rows: rows, problems: problems.sorted { $0.line < $1.line })
    }

    /// How `scorer` judges every row, per label: the skill labels on rows without a reason, addressing on rows with one
    /// (by the persona step of that reason in `steps` when there is one, so that a reason without examples is judged by
    /// its key points as in a rehearsal).
    public func evaluate(_ scorer: RehearsalScorer, steps: [Persona.Step] = []) -> [SkillResult] {
        let judged = rows.contains { $0.reason != nil } ? TraineeLineReader.labels + [Self.addressing] : TraineeLineReader.labels
        return judged.map { label in
            var result = SkillResult(label: label)
            for row in rows where (row.reason != nil) == (label == Self.addressing) {
                let said: Bool
                if let reason = row.reason {
                    if let step = steps.first(where: { $0.reason == reason }) { said = scorer.addresses(row.text, step: step) } else {
                        said = scorer.addressing.addresses(row.text, reason: reason)
                    }
                } else {
                    said = Self.judges(scorer, label, row.text)
                }
                switch (row.expected.contains(label), said) {
                case (true, true): result.truePositives += 1
                case (false, true): result.falsePositives += 1; result.misses.append((row, said))
                case (true, false): result.falseNegatives += 1; result.misses.append((row, said))
                case (false, false): result.trueNegatives += 1
                }
            }
            return result
        }.filter { $0.count > 0 }
    }

    /// The scorer's yes or no for one label, as a rehearsal judges a line (pressure: the phrases as a floor, then the reader).
    public static func judges(_ scorer: RehearsalScorer, _ label: String, _ line: String) -> Bool {
        switch label {
        case "acknowledgement": return scorer.acknowledges(line)
        case "probing": return scorer.probes(line)
        case "pressure": return scorer.pressure(in: line, persona: nil) != nil
        case "dismissive": return scorer.dismisses(line)
        default: return false
        }
    }
}
