/// Labelled trainee lines (`kefu rehearse --judge`): each line with the judgements it should get, and how often the
/// scorer agrees, per judgement. The corpora are written in varied voices by helpers and split into dev (tune on it)
/// and held-out (never tuned on).
///
/// A file is tab-separated: language, the expected judgements (comma-separated, from `TraineeLineReader.labels`, or
/// `none`), the trainee's line; `#` starts a comment.
public struct JudgementCorpus: Sendable {
    public struct Row: Sendable, Equatable {
        public var language: Language
        public var expected: Set<String>
        public var text: String
        public var line: Int
    }

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
            let labels = Set(row.label.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty && $0 != "none" })
            if let unknown = labels.first(where: { !TraineeLineReader.labels.contains($0) }) {
                problems.append(.init(line: row.line, message: "unknown judgement '\(unknown)' (expected \(TraineeLineReader.labels.joined(separator: ", ")) or none)"))
                continue
            }
            rows.append(Row(language: row.language, expected: labels, text: row.text, line: row.line))
        }
        return JudgementCorpus(rows: rows, problems: problems.sorted { $0.line < $1.line })
    }

    /// How `scorer` judges every row, per label.
    public func evaluate(_ scorer: RehearsalScorer) -> [SkillResult] {
        TraineeLineReader.labels.map { label in
            var result = SkillResult(label: label)
            for row in rows {
                let said = Self.judges(scorer, label, row.text)
                switch (row.expected.contains(label), said) {
                case (true, true): result.truePositives += 1
                case (false, true): result.falsePositives += 1; result.misses.append((row, said))
                case (true, false): result.falseNegatives += 1; result.misses.append((row, said))
                case (false, false): result.trueNegatives += 1
                }
            }
            return result
        }
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
