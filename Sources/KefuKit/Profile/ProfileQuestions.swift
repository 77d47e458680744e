/// How Kefu asks for each profile fact, from `profile.txt`: trainers tune the wording, and the
/// conservative value assumed on "I'd rather not say".
public struct ProfileQuestions: Sendable {
    public struct Question: Sendable, Equatable {
        public var ask: Bilingual
        public var invalid: Bilingual?
        public var skipValue: String?
        public var skipped: Bilingual?
        /// The question in other words, for an answer Kefu could not read (falls back to `invalid`).
        public var again: Bilingual?
        /// The numbered options offered when the answer still could not be read.
        public var choices: [Choice] = []
        /// The question when the customer's words already suggest its answer (`confirm:`; {choice} is that answer's words
        /// among the choices): asked to confirm, since a likely answer is no answer.
        public var confirm: Bilingual?
        /// Values a short first message says too loosely to stand for the answer (`ask-anyway:`): asked all the same.
        public var askAnyway: Set<String> = []

        /// The question asked again after an answer that could not be read.
        public var rephrased: Bilingual? { again ?? invalid }
    }

    /// One option of a numbered list: the value it stands for and its words in each language.
    public struct Choice: Sendable, Equatable {
        public var value: RuleValue
        public var label: Bilingual
    }

    /// Keyed by fact name, plus "income-period", "loan-amount" and "loan-horizon".
    public var questions: [String: Question]

    public init(questions: [String: Question] = [:]) { self.questions = questions }

    public static let requiredIDs: [String] = InvestorProfile.Fact.allCases.map(\.rawValue) + ["income-period", "loan-amount", "loan-horizon"]

    public func question(for fact: InvestorProfile.Fact, intent: InvestorProfile.Intent?) -> Question? {
        if intent == .loan, fact == .amount || fact == .horizon, let loan = questions["loan-\(fact.rawValue)"] { return loan }
        return questions[fact.rawValue]
    }

    /// The value assumed when the customer skips a fact, as a rule value.
    public func assumed(_ fact: InvestorProfile.Fact, intent: InvestorProfile.Intent?) -> RuleValue? {
        guard let raw = question(for: fact, intent: intent)?.skipValue else { return nil }
        if SuitabilityRules.numericFacts.contains(fact) { return Double(raw).map { .number($0) } }
        return .word(raw)
    }

    public static func parse(_ file: BlockFile, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) -> ProfileQuestions {
        var questions: [String: Question] = [:]
        let keys: Set<String> = ["ask.zh", "ask.en", "invalid.zh", "invalid.en", "skip", "skipped.zh", "skipped.en", "again.zh", "again.en", "confirm.zh", "confirm.en", "choice", "ask-anyway"]
        for block in file.blocks {
            for field in block.fields {
                if !keys.contains(field.key) { diagnostics.error("question '\(block.id)': unknown key '\(field.key)'", file: file.path, line: field.line) }
                for violation in compliance.violations(in: field.value) { diagnostics.error("question '\(block.id)': \(violation)", file: file.path, line: field.line) }
            }
            func pair(_ key: String, required: Bool) -> Bilingual? {
                let zh = block.first("\(key).zh")?.value, en = block.first("\(key).en")?.value
                if zh == nil && en == nil {
                    if required { diagnostics.error("question '\(block.id)' has no \(key).zh / \(key).en", file: file.path, line: block.line) }
                    return nil
                }
                if zh == nil || en == nil { diagnostics.error("question '\(block.id)' needs \(key) in both languages", file: file.path, line: block.line) }
                return Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? "")
            }
            let skipValue = block.first("skip")?.value
            let fact = InvestorProfile.Fact(rawValue: block.id.replacingOccurrences(of: "loan-", with: ""))
            // A word value (`skip`, `choice`, `ask-anyway`) that is not one of the fact's, with the ones it may be.
            func notOneOf(_ key: String, _ value: String, line: Int) {
                let allowed = (fact.flatMap { SuitabilityRules.words[$0] } ?? []).sorted().joined(separator: ", ")
                diagnostics.error("question '\(block.id)': \(key) value '\(value)' is not one of \(allowed)", file: file.path, line: line)
            }
            if let skipValue, let fact {
                if SuitabilityRules.numericFacts.contains(fact) {
                    if Double(skipValue) == nil { diagnostics.error("question '\(block.id)': skip must be a number, found '\(skipValue)'", file: file.path, line: block.first("skip")!.line) }
                } else if SuitabilityRules.words[fact].map({ !$0.contains(skipValue) }) ?? false {
                    notOneOf("skip", skipValue, line: block.first("skip")!.line)
                }
            }
            let skipped = pair("skipped", required: skipValue != nil)
            var choices: [Choice] = []
            for field in block.fields where field.key == "choice" {
                let parts = field.value.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
                guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty, let fact else {
                    diagnostics.error("question '\(block.id)': choice needs 'VALUE | 中文 | English'\(fact == nil ? " and a profile fact" : ""), found '\(field.value)'", file: file.path, line: field.line)
                    continue
                }
                let value: RuleValue
                if SuitabilityRules.numericFacts.contains(fact) {
                    guard let n = Double(parts[0]), n >= 0 else {
                        diagnostics.error("question '\(block.id)': choice value must be a number, found '\(parts[0])'", file: file.path, line: field.line)
                        continue
                    }
                    value = .number(n)
                } else {
                    guard SuitabilityRules.words[fact]?.contains(parts[0]) ?? false else {
                        notOneOf("choice", parts[0], line: field.line)
                        continue
                    }
                    value = .word(parts[0])
                }
                choices.append(Choice(value: value, label: Bilingual(zh: parts[1], en: parts[2])))
            }
            var askAnyway: Set<String> = []
            for field in block.fields where field.key == "ask-anyway" {
                for value in field.value.split(separator: ",").map({ $0.trimmingWhitespace() }) where !value.isEmpty {
                    guard let fact, SuitabilityRules.words[fact]?.contains(value) ?? false else {
                        notOneOf("ask-anyway", value, line: field.line)
                        continue
                    }
                    askAnyway.insert(value)
                }
            }
            questions[block.id] = Question(ask: pair("ask", required: true) ?? Bilingual(zh: "", en: ""), invalid: pair("invalid", required: false), skipValue: skipValue, skipped: skipped,
                                           again: pair("again", required: false), choices: choices, confirm: pair("confirm", required: false), askAnyway: askAnyway)
        }
        for id in requiredIDs where questions[id] == nil {
            diagnostics.error("question '\(id)' is missing", file: file.path)
        }
        return ProfileQuestions(questions: questions)
    }
}
