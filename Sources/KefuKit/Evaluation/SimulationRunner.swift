/// Plays each simulated customer against the engine: the opening, then whatever fact Kefu asks for is
/// answered with the customer's own words for it, until Kefu recommends, refuses, or stops asking.
public struct SimulationRunner: Sendable {
    public struct Result: Sendable {
        public var customer: Simulation.Customer
        /// What the customer was offered: a level, a loan product or no product; nil when Kefu never got there.
        public var outcome: Simulation.Expectation?
        public var expected: Simulation.Expectation
        /// Customer lines sent, the opening included.
        public var lines: Int
        /// Customer lines Kefu said it did not understand.
        public var notUnderstood: [String]
        /// Facts asked three times or more (a question asked again and again).
        public var repeated: [InvestorProfile.Fact]
        /// Facts Kefu holds differently from what the customer meant: "occupation: student, meant employed".
        public var wrongFacts: [String]
        /// Escalation rules that fired other than the large-amount handoff ("distress": an answer read as a crisis).
        public var escalated: [String]
        /// Lines after which Kefu asked whether the customer is all right (`WellbeingCheck`): not a failure (the customer
        /// says they are fine and the conversation goes on), but a false alarm, counted and shown.
        public var checkedIn: [String]
        /// Facts Kefu asked for that the customer has no answer line for (a broken simulation file).
        public var unanswerable: [InvestorProfile.Fact]
        /// The FAQ entry whose answer ended a conversation in which nothing was offered ("大学生能借钱吗，想换个新电脑": students
        /// cannot borrow). For a customer who must get no product, that answer is the outcome; shown, so that a reader can
        /// judge whether it was the right one.
        public var answeredBy: String?
        /// The conversation, for `--verbose` and failures.
        public var transcript: [String]
        /// Every recommendation shown, with whether the conversation then held the customer for a minor (the
        /// suitability properties are checked over these).
        public var offers: [(recommendation: TurnRecord.Recommendation, minor: Bool)]

        public var passed: Bool {
            outcome == expected && notUnderstood.isEmpty && repeated.isEmpty && wrongFacts.isEmpty && unanswerable.isEmpty && escalated.isEmpty
        }
    }

    public let engine: DialogueEngine

    private func isProfiling(_ phase: DialogueState.Phase) -> Bool {
        if case .profiling = phase { return true }
        return false
    }
    /// Turns after which a conversation that still asks is cut off (no real customer answers forever).
    public static let maximumLines = 24

    public init(engine: DialogueEngine) { self.engine = engine }

    /// What the customer should be offered, from the facts they mean, by the same rules the conversation uses.
    public func expectation(for customer: Simulation.Customer) -> Simulation.Expectation {
        engine.advice.expectedOutcome(profile(of: customer))
    }

    /// The profile the customer means (a skipped fact holds the value assumed for it, as in the conversation).
    public func profile(of customer: Simulation.Customer) -> InvestorProfile {
        var profile = InvestorProfile()
        profile.intent = customer.intent
        for (fact, value) in customer.facts {
            switch value {
            case .value(let v): profile.set(fact, v)
            case .skip:
                profile.skipped.insert(fact)
                if let assumed = engine.knowledge.questions.assumed(fact, intent: customer.intent) { profile.set(fact, assumed) }
            }
        }
        return profile
    }

    /// One answer read on its own as the answer to its question: what the customer meant, and what was read.
    public struct AnswerReading: Sendable {
        public var customer: String
        public var fact: InvestorProfile.Fact
        public var answer: String
        public var meant: Simulation.FactValue
        public var read: RuleValue?
        public var skipped: Bool
        public var right: Bool {
            switch meant {
            case .skip: return skipped
            case .value(let v): return read == v
            }
        }
    }

    /// Every answer of the customer read alone as the answer to its own question (the facts whose value is a word,
    /// or that were skipped): the reader's accuracy without the conversation around it, for tuning on dev.
    public func readAnswers(_ customer: Simulation.Customer) -> [AnswerReading] {
        var out: [AnswerReading] = []
        for (fact, answer) in customer.answers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard let meant = customer.facts[fact] else { continue }
            if case .value(.number) = meant, fact != .horizon { continue }
            let extraction = engine.advice.extractor.extract(answer, pending: fact, intent: customer.intent)
            out.append(AnswerReading(customer: customer.id, fact: fact, answer: answer, meant: meant, read: extraction.value(fact), skipped: extraction.skip))
        }
        return out
    }

    public func run(_ customer: Simulation.Customer) -> Result {
        var state = DialogueState()
        var transcript: [String] = []
        var notUnderstood: [String] = []
        var asked: [InvestorProfile.Fact: Int] = [:]
        var unanswerable: [InvestorProfile.Fact] = []
        var outcome: Simulation.Expectation?
        var escalated: [String] = []
        var checkedIn: [String] = []
        var offers: [(recommendation: TurnRecord.Recommendation, minor: Bool)] = []
        var line: String? = customer.opening
        var lines = 0
        var answeredBy: String?
        while let said = line, lines < Self.maximumLines {
            guard let turn = engine.handle(said, in: state) else { break }
            lines += 1
            state = turn.state
            transcript.append(Transcript.customerPrefix + said)
            transcript.append(Transcript.kefuPrefix + turn.record.reply.replacingAll("\n", with: " "))
            let kinds = turn.record.events.map(\.kind)
            if kinds.contains(.notUnderstood) { notUnderstood.append(said) }
            if kinds.contains(.minorDetected) || kinds.contains(.loanRefused) { outcome = .noProduct }
            // Asked whether they are all right: the ticket is written, and the simulated customer (who is fine) says so.
            let checksIn = kinds.contains(.wellbeingCheck)
            if checksIn { checkedIn.append(said) }
            for event in turn.record.events where event.kind == .escalation && !checksIn {
                // The large-amount handoff is an outcome; any other escalation (a crisis read into an answer) is a failure.
                let id = event.escalationRule ?? ""
                if let rule = engine.knowledge.escalation.rule(id: id), case .amount = rule.trigger { outcome = .person } else { escalated.append(id) }
            }
            if !escalated.isEmpty { break }
            if let recommendation = turn.record.recommendation {
                offers.append((recommendation, state.isMinor))
                if customer.intent == .loan {
                    outcome = recommendation.products.first.map { .loan($0.id) } ?? .noProduct
                } else {
                    outcome = recommendation.products.isEmpty && recommendation.investorLevel == nil ? .noProduct : recommendation.investorLevel.map { .level($0) } ?? .noProduct
                }
            }
            answeredBy = turn.record.matchedID
            line = nil
            guard outcome == nil else { break }
            switch state.phase {
            case .checkingIn:
                line = state.language == .zh ? "我没事，继续吧" : "I'm fine, let's carry on"
            case .profiling(let fact):
                asked[fact, default: 0] += 1
                if let answer = customer.answers[fact] {
                    line = answer
                } else {
                    unanswerable.append(fact)
                }
            case .confirmingIncome:
                // The customer's income is monthly (`facts:` says so): they say which.
                line = state.language == .zh ? "每个月" : "a month"
            default:
                break
            }
        }
        // Nothing asked, nothing offered, and the last line answered from the FAQ: a customer who must get no product (a
        // student asking whether students can borrow) got the answer that says so. Any other customer still got nothing.
        let expected = customer.expect ?? expectation(for: customer)
        if outcome == nil, expected == .noProduct, escalated.isEmpty, notUnderstood.isEmpty, offers.isEmpty, answeredBy != nil,
           !isProfiling(state.phase) {
            outcome = .noProduct
        } else if outcome != nil || isProfiling(state.phase) {
            answeredBy = nil
        }
        var wrongFacts: [String] = []
        let meant = profile(of: customer)
        // Facts are compared once something was recommended (a minor's profile is cleared on purpose).
        if let outcome, outcome != .noProduct {
            for fact in InvestorProfile.Fact.allCases {
                guard let want = customer.facts[fact] else { continue }
                let held = state.profile.ruleValue(fact)
                switch want {
                case .skip:
                    if !state.profile.skipped.contains(fact) && held != nil && held != meant.ruleValue(fact) {
                        wrongFacts.append("\(fact.rawValue): \(held!.description), meant skip")
                    }
                case .value(let value):
                    if let held, held != value { wrongFacts.append("\(fact.rawValue): \(held.description), meant \(value.description)") }
                }
            }
        }
        return Result(customer: customer, outcome: outcome, expected: expected, lines: lines,
                      notUnderstood: notUnderstood, repeated: asked.filter { $0.value >= 3 }.map(\.key).sorted { $0.rawValue < $1.rawValue },
                      wrongFacts: wrongFacts, escalated: escalated, checkedIn: checkedIn, unanswerable: unanswerable, answeredBy: answeredBy, transcript: transcript,
                      offers: offers)
    }
}
