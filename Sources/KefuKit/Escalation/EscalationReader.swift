/// Decides whether a customer line needs a person, and which rule: the keyword floor of `escalation.txt`, then
/// a reader trained on each rule's example lines (`q.*`) against counter-examples (the FAQ's questions, the
/// `[none]` lines and every rule's `safe.*` lines).
///
/// Keywords alone missed the people who most needed a person: "I can't pay any of it back, I just want it all
/// to end" (not understood), "有人冒充警察让我转钱到安全账户，我已经转了两万" (a leaflet), "能不能给我打个
/// 电话，我说不清楚" (a menu about text messages). Keywords stay as a floor, so nothing escalates less than it
/// did; the reader adds what the keywords cannot list.
public struct EscalationReader: Sendable {
    /// Why a line escalates: the rule, and what found it (for `/why`, `kefu check` and the corpus reports).
    public struct Reading: Sendable, Equatable {
        public var rule: EscalationRules.Rule
        /// The reader's score for the rule, or nil when only its keywords found it.
        public var score: Double?
        public var byKeywords: Bool
    }

    public let rules: EscalationRules
    public let reader: ExampleReader
    private let keywords: [PhraseList]

    public init(knowledge: KnowledgeBase, extractor: FeatureExtractor) {
        rules = knowledge.escalation
        keywords = knowledge.escalation.keywordLists()
        var examples: [ExampleReader.Example] = []
        for rule in rules.rules where rule.trigger == .keywords {
            for example in rule.examples { examples.append(.init(label: rule.id, text: example.text, file: "escalation.txt", line: example.line)) }
        }
        let background = ExampleReader.background
        for example in rules.none { examples.append(.init(label: background, text: example.text, file: "escalation.txt", line: example.line)) }
        for rule in rules.rules {
            for example in rule.safe { examples.append(.init(label: background, text: example.text, file: "escalation.txt", line: example.line)) }
        }
        // The FAQ's questions are what ordinary customers ask; an entry a rule covers (loan-hardship for hardship)
        // describes the rule's own situation and is left out.
        let covered = Set(rules.rules.flatMap(\.covers))
        if !examples.isEmpty {
            for entry in knowledge.entries where !covered.contains(entry.id) {
                for example in entry.examples { examples.append(.init(label: background, text: example.text, file: entry.file, line: example.line)) }
            }
        }
        // So are the objections' lines: "这个月房租一交就没剩了" is a reason for a no, not a crisis.
        if !examples.isEmpty {
            for script in knowledge.objections.scripts {
                for example in script.examples + script.reasons.flatMap(\.examples) {
                    examples.append(.init(label: background, text: example.text, file: script.file, line: example.line))
                }
            }
        }
        // And the sales phrases ("不要再联系我了", "do not call me", "好的，发我"): a customer ending the sales talk
        // is not saying goodbye to life, nor asking for a call.
        if !examples.isEmpty {
            let phrases = knowledge.phrases
            for set in [phrases.doNotContact, phrases.refusal, phrases.acceptance] {
                for phrase in set.phrases + set.whole { examples.append(.init(label: background, text: phrase, file: "phrases.txt")) }
            }
            // And answers to the risk warning ("I know the risk and I'm willing to take it", "不过还是不要了").
            for id in ["risk-accept", "risk-refuse", "yes", "no"] {
                for phrase in knowledge.replies[id] { examples.append(.init(label: background, text: phrase, file: "replies.txt")) }
            }
        }
        reader = ExampleReader(examples: examples, extractor: extractor, numbersAsPlaceholder: true)
    }

    /// The rule this line triggers, or nil. `text` is the customer's line as typed.
    public func read(_ text: String) -> Reading? {
        read(folded: SearchText(EscalationRules.fold(text)), query: reader.query(text))
    }

    /// `read`, for a line already folded by `EscalationRules.fold` and prepared by `reader.query`.
    func read(folded: SearchText, query: Matcher.Query) -> Reading? {
        var best: Reading?
        if let rule = rules.match(folded: folded, keywords: keywords) { best = Reading(rule: rule, score: nil, byKeywords: true) }
        for candidate in reader.read(query) where candidate.label != ExampleReader.background {
            guard let position = rules.rules.firstIndex(where: { $0.id == candidate.label }) else { continue }
            let rule = rules.rules[position]
            // "how do I avoid being scammed": a phrase the rule excuses keeps the reader from finding it too.
            guard candidate.score >= rule.threshold, !excuses(rule, folded) else { continue }
            if let current = best {
                if current.rule.id == rule.id {
                    best?.score = candidate.score
                    continue
                }
                // The reader overrides the keywords only with a more urgent rule: "有人冒充我借钱" says 冒充我
                // (security-incident) and stays so, though the reader ranks fraud, as urgent, first.
                let currentPosition = rules.rules.firstIndex { $0.id == current.rule.id } ?? position
                let better = rule.priority < current.rule.priority
                    || (!current.byKeywords && rule.priority == current.rule.priority && position < currentPosition)
                guard better else { continue }
            }
            best = Reading(rule: rule, score: candidate.score, byKeywords: false)
        }
        return best
    }

    private func excuses(_ rule: EscalationRules.Rule, _ folded: SearchText) -> Bool {
        !rule.exceptions.isEmpty && folded.containsAny(rule.exceptions)
    }

    /// Every example that its own reader reads differently, with file:line: a rule's example that does not
    /// trigger it (or something as urgent), a safe or `[none]` line that triggers anything, and `covers:`
    /// naming an entry the FAQ does not have.
    public func misreads(entryIDs: Set<String>) -> [Diagnostic] {
        var found: [Diagnostic] = []
        for rule in rules.rules {
            for id in rule.covers where !entryIDs.contains(id) {
                found.append(Diagnostic(file: "escalation.txt", line: rule.line, severity: .warning,
                                        message: "rule '\(rule.id)': covers names no FAQ entry '\(id)'"))
            }
            guard rule.trigger == .keywords else { continue }
            for example in rule.examples {
                let reading = read(example.text)
                if reading?.rule.id == rule.id || (reading.map { $0.rule.priority < rule.priority } ?? false) { continue }
                let got = reading.map { "'\($0.rule.id)'" } ?? "no escalation"
                found.append(Diagnostic(file: "escalation.txt", line: example.line, severity: .warning,
                                        message: "rule '\(rule.id)': example '\(example.text)' is read as \(got)"))
            }
            for example in rule.safe {
                if let reading = read(example.text) {
                    found.append(Diagnostic(file: "escalation.txt", line: example.line, severity: .warning,
                                            message: "rule '\(rule.id)': safe line '\(example.text)' triggers '\(reading.rule.id)'"))
                }
            }
        }
        for example in rules.none {
            if let reading = read(example.text) {
                found.append(Diagnostic(file: "escalation.txt", line: example.line, severity: .warning,
                                        message: "[none] line '\(example.text)' triggers '\(reading.rule.id)'"))
            }
        }
        return found
    }
}
