/// How customers answer the profile questions, as labelled examples (`profile-answers.txt`): what "跑外卖的",
/// "for the house we want to buy" or "完全没接触过" mean is decided by a reader trained on these lines, not by
/// phrase lists in Swift that trainers could neither see nor extend.
///
/// A block is `[fact/value]` ("[occupation/employed]", "[goal/education]", "[horizon/long]", "[income/none]")
/// or `[answer/skip]`, `[answer/correction]`, `[answer/unsure]`; `[fact/not]` holds lines that share words with a
/// fact's answers but are none of them ("想给孩子攒点上大学的钱" is no occupation), for that fact's reader only. `q.zh` / `q.en` are examples;
/// `not.zh` / `not.en` in any block are counter-examples; `months:` gives a horizon word's length; `suggests:` another
/// fact's likely value, asked to confirm (`suggests: horizon=0` for spare cash); `needs:` the score an answer to its own question needs.
public struct ProfileAnswers: Sendable {
    /// What a label means once read.
    public enum Meaning: Sendable, Equatable {
        case fact(InvestorProfile.Fact, RuleValue)
        /// "不想说": the pending question is skipped (its conservative value assumed, and said).
        case skip
        /// "不对，我是45岁": the line corrects something said before.
        case correction
        /// "不知道", "what do you mean?": the customer would answer with help, so the choices are offered.
        case unsure
    }

    public struct Label: Sendable {
        public var id: String
        public var meaning: Meaning
        public var line: Int
        /// Another fact's likely value ("suggests: horizon=0": spare cash may be needed any time), put to the customer
        /// to confirm when that fact is asked, never recorded unasked.
        public var suggests: (InvestorProfile.Fact, RuleValue)?
        /// The score a line needs to be read as this value (`needs: 0.3`), as the answer to its own question or
        /// volunteered (where the usual bars are higher anyway), when a misreading costs more than asking again: a value
        /// that raises the customer's level. (On a `[fact/not]` block it means nothing.)
        public var needs: Double?
    }

    public static let file = "profile-answers.txt"
    /// Below this many examples per language a value is reported: the measured floor for a reader that
    /// generalises to phrasings nobody wrote.
    public static let minimumExamples = 30

    public var labels: [Label] = []
    /// Every example answer, labelled with its block id.
    public var examples: [ExampleReader.Example] = []
    /// Lines that answer none of a fact's values, with the fact whose reader learns them (`[occupation/not]` and the
    /// `not.*` lines of occupation blocks teach only the occupation reader: "之前买过基金" is no occupation, but it is
    /// an experience); nil for `[answer/not]`, which every reader learns.
    public var counterExamples: [(fact: InvestorProfile.Fact?, example: ExampleReader.Example)] = []

    public init() {}

    public var isEmpty: Bool { labels.isEmpty }

    public func meaning(of label: String) -> Meaning? { labels.first { $0.id == label }?.meaning }

    /// The word facts read from examples, and the values each may take.
    public static let wordFacts: [InvestorProfile.Fact] = InvestorProfile.Fact.allCases.filter { SuitabilityRules.words[$0] != nil }

    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> ProfileAnswers {
        var answers = ProfileAnswers()
        let keys: Set<String> = ["q.zh", "q.en", "not.zh", "not.en", "months", "suggests", "needs"]
        for block in file.blocks {
            let parts = block.id.split(separator: "/").map(String.init)
            guard parts.count == 2 else {
                diagnostics.error("profile answer '\(block.id)' needs the form [fact/value], for example [occupation/employed]", file: file.path, line: block.line)
                continue
            }
            for field in block.fields where !keys.contains(field.key) {
                diagnostics.error("profile answer '\(block.id)': unknown key '\(field.key)' (known: \(keys.sorted().joined(separator: ", ")))", file: file.path, line: field.line)
            }
            let meaning: Meaning?
            if parts[1] == "not" {
                meaning = nil
                if InvestorProfile.Fact(rawValue: parts[0]) == nil && parts[0] != "answer" {
                    diagnostics.error("profile answer '\(block.id)': unknown fact '\(parts[0])'", file: file.path, line: block.line)
                }
            } else if let parsed = Self.meaning(parts[0], parts[1], block: block, path: file.path, diagnostics: &diagnostics) {
                meaning = parsed
            } else {
                continue
            }
            let scope = InvestorProfile.Fact(rawValue: parts[0])
            if let meaning {
                if answers.labels.contains(where: { $0.id == block.id }) {
                    diagnostics.error("profile answer '\(block.id)' is defined twice", file: file.path, line: block.line)
                } else {
                    var suggests: (InvestorProfile.Fact, RuleValue)?
                    if let field = block.first("suggests") {
                        let pair = field.value.split(separator: "=").map { $0.trimmingWhitespace() }
                        if pair.count == 2, let fact = InvestorProfile.Fact(rawValue: pair[0]), SuitabilityRules.numericFacts.contains(fact), let n = Double(pair[1]) {
                            suggests = (fact, .number(n))
                        } else if pair.count == 2, let fact = InvestorProfile.Fact(rawValue: pair[0]), SuitabilityRules.words[fact]?.contains(pair[1]) ?? false {
                            suggests = (fact, .word(pair[1]))
                        } else {
                            diagnostics.error("profile answer '\(block.id)': suggests needs fact=value (for example suggests: horizon=0), found '\(field.value)'", file: file.path, line: field.line)
                        }
                    }
                    var needs: Double?
                    if let field = block.first("needs") {
                        if let value = Double(field.value), value > 0, value < 1 {
                            needs = value
                        } else {
                            diagnostics.error("profile answer '\(block.id)': needs must be a score between 0 and 1 (for example needs: 0.3), found '\(field.value)'", file: file.path, line: field.line)
                        }
                    }
                    answers.labels.append(Label(id: block.id, meaning: meaning, line: block.line, suggests: suggests, needs: needs))
                }
            }
            var counts: [String: Int] = [:]
            for field in block.fields {
                switch field.key {
                case "q.zh", "q.en":
                    guard !field.value.isEmpty else { continue }
                    counts[field.key, default: 0] += 1
                    let example = ExampleReader.Example(label: meaning == nil ? ExampleReader.background : block.id, text: field.value, file: file.path, line: field.line)
                    if meaning == nil { answers.counterExamples.append((scope, example)) } else { answers.examples.append(example) }
                case "not.zh", "not.en":
                    answers.counterExamples.append((scope, .init(label: ExampleReader.background, text: field.value, file: file.path, line: field.line)))
                default:
                    break
                }
            }
            if meaning != nil {
                for key in ["q.zh", "q.en"] where counts[key, default: 0] < minimumExamples {
                    diagnostics.warning("profile answer '\(block.id)' has \(counts[key, default: 0]) \(key) examples; at least \(minimumExamples) let its reader understand customers who phrase it differently",
                                        file: file.path, line: block.line)
                }
            }
        }
        for fact in wordFacts {
            let known = SuitabilityRules.words[fact] ?? []
            for value in known.sorted() where fact != .goal || value != "borrow" {
                if !answers.labels.contains(where: { $0.id == "\(fact.rawValue)/\(value)" }) {
                    diagnostics.warning("profile answers have no [\(fact.rawValue)/\(value)]: Kefu cannot read that answer in words", file: file.path)
                }
            }
        }
        return answers
    }

    private static func meaning(_ fact: String, _ value: String, block: BlockFile.Block, path: String, diagnostics: inout DiagnosticsEngine) -> Meaning? {
        if fact == "answer" {
            switch value {
            case "skip": return .skip
            case "correction": return .correction
            case "unsure": return .unsure
            default:
                diagnostics.error("profile answer '\(block.id)': unknown answer kind '\(value)' (known: correction, skip, unsure)", file: path, line: block.line)
                return nil
            }
        }
        guard let parsed = InvestorProfile.Fact(rawValue: fact) else {
            diagnostics.error("profile answer '\(block.id)': unknown fact '\(fact)' (known: \(InvestorProfile.Fact.allCases.map(\.rawValue).joined(separator: ", ")), answer)", file: path, line: block.line)
            return nil
        }
        switch parsed {
        case .horizon:
            // Exactness stays in numbers: the words are learned, their length is written down.
            guard let field = block.first("months"), let months = Int(field.value), months >= 0 else {
                diagnostics.error("profile answer '\(block.id)' needs months: (how long the words mean, in months, e.g. months: 60)", file: path, line: block.line)
                return nil
            }
            return .fact(.horizon, .number(Double(months)))
        case .income:
            guard value == "none" else {
                diagnostics.error("profile answer '\(block.id)': income is read from numbers; only [income/none] is learned from words", file: path, line: block.line)
                return nil
            }
            return .fact(.income, .number(0))
        case .occupation, .goal, .loss, .experience:
            let known = (SuitabilityRules.words[parsed] ?? []).subtracting(["borrow"])
            guard known.contains(value) else {
                diagnostics.error("profile answer '\(block.id)': \(fact) has no value '\(value)' (known: \(known.sorted().joined(separator: ", ")))", file: path, line: block.line)
                return nil
            }
            return .fact(parsed, .word(value))
        case .age, .amount:
            diagnostics.error("profile answer '\(block.id)': \(fact) is read from numbers, not from example answers", file: path, line: block.line)
            return nil
        }
    }
}
