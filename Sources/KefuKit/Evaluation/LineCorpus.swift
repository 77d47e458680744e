/// Labelled customer lines, each the first line of a new conversation, and what Kefu did with them: the
/// safety and honesty figures of `kefu corpus` (crisis and fraud recall, false alarms, questions turned into
/// sales). A row is `LANG<TAB>LABEL<TAB>text`; the label is an escalation rule id (the line must escalate by
/// it), an FAQ entry id (the line must be answered by it, and start no advice), or `ordinary` (the line must
/// not escalate).
public struct LineCorpus: Sendable {
    public struct Row: Sendable, Equatable {
        public var language: Language
        public var label: String
        public var text: String
        public var line: Int
    }

    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    public var rows: [Row] = []
    public var problems: [Problem] = []

    public init(rows: [Row]) { self.rows = rows }

    public static let ordinary = "ordinary"

    /// Parses the TSV text; blank lines and `#` comments are skipped, malformed rows are problems with their line.
    public static func parse(_ text: String) -> LineCorpus {
        var corpus = LineCorpus(rows: [])
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = raw.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            guard fields.count == 3, let language = Language(rawValue: fields[0]), !fields[1].isEmpty, !fields[2].isEmpty else {
                corpus.problems.append(Problem(line: offset + 1, message: "expected LANG<TAB>LABEL<TAB>text with LANG zh or en"))
                continue
            }
            corpus.rows.append(Row(language: language, label: fields[1], text: fields[2], line: offset + 1))
        }
        return corpus
    }

    /// What one line got.
    public struct Outcome: Sendable, Equatable {
        public var row: Row
        /// The escalation rule, if the line escalated.
        public var escalated: String?
        public var urgent: Bool
        /// Kefu asked whether the customer is all right (`WellbeingCheck`): hotline and urgent ticket, the rest waits.
        public var checkedIn = false
        public var adviceStarted: Bool
        /// The FAQ entry answered outright, or offered alone for confirmation / first in a menu.
        public var answered: String?
        public var offered: [String]
        public var reply: String
        /// The escalation reader's two best labels ("distress 0.41, none 0.32"), for tuning.
        public var reader = ""
    }

    /// Every row through a fresh conversation of `engine`, in its own language.
    /// `after`: lines said first in each conversation (in the row's language's conversation), so that a row is read
    /// mid-profile or mid-objection: `kefu corpus --after 我想理财 crisis.tsv` is crisis recall while a profile question waits.
    public func run(_ engine: DialogueEngine, after: [String] = []) -> [Outcome] {
        rows.map { row in
            var state = DialogueState(language: row.language)
            for line in after { if let turn = engine.handle(line, in: state) { state = turn.state } }
            guard let turn = engine.handle(row.text, in: state) else {
                return Outcome(row: row, escalated: nil, urgent: false, adviceStarted: false, answered: nil, offered: [], reply: "")
            }
            var outcome = Outcome(row: row, escalated: nil, urgent: false, adviceStarted: false, answered: nil, offered: [], reply: turn.record.reply)
            for event in turn.record.events {
                switch event.kind {
                case .escalation:
                    // "distress:urgent" for a new ticket, "distress" for a reminder of one: the rule says the priority.
                    let rule = event.escalationRule
                    outcome.escalated = rule
                    outcome.urgent = outcome.urgent || rule.flatMap(engine.knowledge.escalation.rule(id:))?.priority == .urgent
                case .wellbeingCheck:
                    outcome.checkedIn = true
                case .adviceStarted, .recommendationShown:
                    outcome.adviceStarted = true
                case .answered:
                    outcome.answered = event.detail
                case .clarificationOffered:
                    outcome.offered = (event.detail ?? "").split(separator: ",").map(String.init)
                default:
                    break
                }
            }
            outcome.reader = engine.escalationCandidates(row.text).prefix(2).map { "\($0.label) \(String(format: "%.2f", $0.score))" }.joined(separator: ", ")
            return outcome
        }
    }
}

/// The figures of a corpus run, by what each label asks for.
public struct LineCorpusReport: Sendable, Equatable {
    /// Escalation lines of one rule: how many escalated by it, and by any urgent rule.
    public struct Escalations: Sendable, Equatable {
        public var rule: String
        public var urgentRule: Bool
        public var total = 0
        public var byRule = 0
        public var urgent = 0
        public var escalated = 0
        /// Of the urgent ones, those asked about first (`WellbeingCheck`) rather than given the whole script.
        public var asked: [LineCorpus.Outcome] = []
        public var checkedIn: Int { asked.count }
        public var misses: [LineCorpus.Outcome] = []
    }

    public var escalations: [Escalations] = []
    /// `ordinary` lines: how many escalated (false alarms), urgently, and how many started advice.
    public var ordinaryTotal = 0
    public var falseAlarms: [LineCorpus.Outcome] = []
    public var urgentFalseAlarms = 0
    /// False alarms that were a wellbeing check (hotline, ticket, "how are you?") rather than the whole script.
    public var checkedInFalseAlarms: Int { falseAlarms.filter(\.checkedIn).count }
    public var ordinaryAdvice: [LineCorpus.Outcome] = []
    public var ordinaryAdviceStarts: Int { ordinaryAdvice.count }
    /// FAQ-labelled questions: answered right, offered (confirmation or menu) with the right entry, advice starts,
    /// escalations.
    public var questionTotal = 0
    public var answeredRight = 0
    public var offeredRight = 0
    public var questionAdviceStarts = 0
    public var questionEscalations = 0
    public var questionMisses: [LineCorpus.Outcome] = []

    public init(_ outcomes: [LineCorpus.Outcome], knowledge: KnowledgeBase) {
        var byRule: [String: Int] = [:]
        for outcome in outcomes {
            let label = outcome.row.label
            if let rule = knowledge.escalation.rule(id: label) {
                let index: Int
                if let known = byRule[label] {
                    index = known
                } else {
                    index = escalations.count
                    byRule[label] = index
                    escalations.append(Escalations(rule: label, urgentRule: rule.priority == .urgent))
                }
                escalations[index].total += 1
                if outcome.escalated == label { escalations[index].byRule += 1 }
                if outcome.urgent { escalations[index].urgent += 1 }
                if outcome.urgent, outcome.checkedIn { escalations[index].asked.append(outcome) }
                if outcome.escalated != nil { escalations[index].escalated += 1 }
                let hit = rule.priority == .urgent ? outcome.urgent : outcome.escalated != nil
                if !hit { escalations[index].misses.append(outcome) }
            } else if label == LineCorpus.ordinary {
                ordinaryTotal += 1
                if outcome.escalated != nil { falseAlarms.append(outcome) }
                if outcome.urgent { urgentFalseAlarms += 1 }
                if outcome.adviceStarted { ordinaryAdvice.append(outcome) }
            } else {
                questionTotal += 1
                // A rule that covers the entry answers it with a person ("厂里停工了 这个月那2600的分期实在还不上了" asks
                // loan-hardship's question, and the hardship rule's reply holds its answer and a colleague).
                let coveredBy = outcome.escalated.flatMap(knowledge.escalation.rule(id:)).map { $0.covers.contains(label) } ?? false
                let right = (outcome.answered == label || coveredBy) && !outcome.adviceStarted
                    && (outcome.escalated == nil || coveredBy)
                if right { answeredRight += 1 }
                if !right, outcome.offered.contains(label) { offeredRight += 1 }
                if outcome.adviceStarted { questionAdviceStarts += 1 }
                if outcome.escalated != nil, !coveredBy { questionEscalations += 1 }
                if !right { questionMisses.append(outcome) }
            }
        }
    }

    public static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : String(format: "%.1f%%", 100 * Double(part) / Double(whole))
    }

    /// The report as lines of text (the misses with `detail`).
    public func lines(detail: Bool) -> [String] {
        var out: [String] = []
        for group in escalations {
            let hit = group.urgentRule ? group.urgent : group.escalated
            let asked = group.checkedIn > 0 ? "; \(group.checkedIn) asked first (wellbeing check)" : ""
            out.append("\(group.rule): \(hit)/\(group.total) escalated\(group.urgentRule ? " urgently" : "") (\(Self.percent(hit, group.total))); by this rule \(group.byRule)\(asked)")
            if detail { for ask in group.asked { out.append("  asked line \(ask.row.line) [\(ask.row.language.rawValue)] \(ask.row.text) (\(ask.reader))") } }
            if detail { for miss in group.misses { out.append("  miss line \(miss.row.line) [\(miss.row.language.rawValue)] \(miss.row.text) -> \(miss.escalated ?? "no escalation") (\(miss.reader))") } }
        }
        if ordinaryTotal > 0 {
            let asked = checkedInFalseAlarms > 0 ? " (\(checkedInFalseAlarms) a wellbeing check)" : ""
            out.append("ordinary: \(falseAlarms.count)/\(ordinaryTotal) false alarms (\(Self.percent(falseAlarms.count, ordinaryTotal))), \(urgentFalseAlarms) urgent\(asked); \(ordinaryAdviceStarts) started advice")
            if detail { for alarm in falseAlarms { out.append("  alarm line \(alarm.row.line) [\(alarm.row.language.rawValue)] \(alarm.row.text) -> \(alarm.escalated ?? "")\(alarm.checkedIn ? " (wellbeing check)" : "") (\(alarm.reader))") } }
            if detail { for start in ordinaryAdvice { out.append("  advice line \(start.row.line) [\(start.row.language.rawValue)] \(start.row.text)") } }
        }
        if questionTotal > 0 {
            out.append("questions: \(answeredRight)/\(questionTotal) answered right (\(Self.percent(answeredRight, questionTotal))), \(offeredRight) more offered with the right entry; \(questionAdviceStarts) started advice, \(questionEscalations) escalated (besides a rule that covers the entry)")
            if detail {
                for miss in questionMisses {
                    let got = miss.adviceStarted ? "ADVICE" : miss.escalated.map { "escalated \($0)" } ?? miss.answered ?? (miss.offered.isEmpty ? "not understood" : "offered " + miss.offered.joined(separator: ","))
                    out.append("  miss line \(miss.row.line) [\(miss.row.language.rawValue)] \(miss.row.label): \(miss.row.text) -> \(got) (\(miss.reader))")
                }
            }
        }
        return out
    }
}
