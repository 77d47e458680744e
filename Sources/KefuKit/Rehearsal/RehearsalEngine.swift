import Foundation

/// A small deterministic generator (SplitMix64): the persona's wording varies, but the same seed gives
/// the same rehearsal, so a recorded rehearsal replays exactly.
public struct RehearsalRandom: Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next(_ upperBound: Int) -> Int {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return upperBound <= 1 ? 0 : Int(z % UInt64(upperBound))
    }
}

/// Where a rehearsal stands.
public struct RehearsalState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// the customer has opened the call; the agent introduces and finds out the need
        case intro
        /// objection `step` has been raised; the agent should acknowledge and ask why
        case raised(Int)
        /// the customer has said why; the agent should answer that reason
        case reason(Int)
        /// every objection handled; the customer asks what the agent suggests
        case closing
        case ended(RehearsalOutcome)

        /// The customer has told the reason and waits for the answer to it.
        var isReason: Bool { if case .reason = self { return true } else { return false } }
    }

    public var persona: Persona
    public var language: Language
    public var seed: UInt64
    public var random: RehearsalRandom
    public var phase: Phase = .intro
    /// Poor moves so far, less the good answers that won trust back.
    public var resistance = 0
    public var pressureCount = 0
    /// Whether acknowledgement was already judged for the objection now raised.
    public var acknowledged = false
    public var askedTopics: [String] = []
    public var lastQuestion: String?
    /// The product the agent last named: a minimum or term said on its own ("起投1000元") is about it.
    public var discussed: String?
    /// How many times the trainee asked for `/hint`.
    public var hintsUsed = 0
    public var judgements: [LineJudgement] = []
    /// The conversation so far: (isAgent, text).
    public var lines: [(agent: Bool, text: String)] = []

    public var isOver: Bool { if case .ended = phase { return true } else { return false } }
    public var outcome: RehearsalOutcome { if case .ended(let outcome) = phase { return outcome } else { return .unfinished } }

    public static func == (a: RehearsalState, b: RehearsalState) -> Bool {
        a.persona == b.persona && a.language == b.language && a.seed == b.seed && a.random == b.random && a.phase == b.phase
            && a.resistance == b.resistance && a.judgements == b.judgements && a.lines.map(\.text) == b.lines.map(\.text)
            && a.discussed == b.discussed && a.hintsUsed == b.hintsUsed
    }
}

/// One agent line's result.
public struct RehearsalTurn: Sendable {
    public var state: RehearsalState
    /// What the customer says back (nil once the call is over).
    public var reply: String?
    public var judgement: LineJudgement
    public var ended: Bool
}

/// The simulated customer: a pure function `(state, agent line) -> (state, customer reply, judgement)`.
public struct RehearsalEngine: Sendable {
    public let knowledge: KnowledgeBase
    public let scorer: RehearsalScorer

    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        self.scorer = RehearsalScorer(rules: knowledge.rehearsal.scoring, products: knowledge.products, addressing: knowledge.rehearsal.addressing,
                                      extractor: FeatureExtractor(synonyms: knowledge.synonyms))
    }

    var rules: ScoringRules { knowledge.rehearsal.scoring }

    /// The persona for a seed when none is named.
    public func persona(forSeed seed: UInt64) -> Persona? {
        let personas = knowledge.rehearsal.personas
        guard !personas.isEmpty else { return nil }
        var random = RehearsalRandom(seed: seed)
        return personas[random.next(personas.count)]
    }

    /// A new rehearsal and the customer's opening line.
    public func start(persona: Persona, language: Language, seed: UInt64) -> (state: RehearsalState, opening: String) {
        var state = RehearsalState(persona: persona, language: language, seed: seed, random: RehearsalRandom(seed: seed))
        let opening = persona.opening[language]
        state.lines.append((false, opening))
        return (state, opening)
    }

    /// The agent's line, judged and answered.
    public func handle(_ rawLine: String, in current: RehearsalState) -> RehearsalTurn {
        var state = current
        let line = rawLine.trimmingWhitespace()
        let language = state.language
        let persona = state.persona
        let zh = language == .zh
        var judgements: [SkillJudgement] = []
        func judge(_ skill: RehearsalSkill, _ verdict: Verdict, _ note: String, suggestion: String = "") {
            judgements.append(SkillJudgement(skill: skill, verdict: verdict, note: note, suggestion: verdict == .good ? "" : suggestion))
        }
        guard !state.isOver else {
            return RehearsalTurn(state: state, reply: nil, judgement: LineJudgement(line: line, judgements: []), ended: true)
        }
        state.lines.append((true, line))

        // 1. Compliance and tone apply to every line.
        let breach = scorer.forbiddenPromise(in: line)
        // A product the line rules out ("R5，不适合您") is explained, not offered: it is no suitability fault,
        // not what the customer is asked to take, and not the product under discussion.
        let ruledOut = scorer.productsRuledOut(in: line)
        let named = scorer.productsMentioned(in: line).filter { !ruledOut.contains($0) }
        let proposed = scorer.productsProposed(in: line)
        let unsuitable = named.filter { !$0.isLoan && $0.risk > persona.level }
        let disparaging = scorer.disparages(line)
        let suggestCompliance = rules.text("suggest-compliance", language)
        if let breach {
            judge(.compliance, .breach, zh ? "违规承诺「\(breach)」" : "forbidden promise '\(breach)'", suggestion: suggestCompliance)
        } else if !unsuitable.isEmpty {
            judge(.compliance, .poor, zh ? "\(unsuitable.map { "\($0.name.zh)（\($0.riskLabel)）" }.joined(separator: "、"))超出客户的风险等级 C\(persona.level)，不符合适当性要求" : "\(unsuitable.map { "\($0.name.en) (\($0.riskLabel))" }.joined(separator: ", ")) is above the customer's level C\(persona.level): suitability not respected",
                  suggestion: suitableLine(persona, language))
        } else if let disparaging {
            judge(.compliance, .poor, zh ? "贬低同业（「\(disparaging)」）" : "disparages a competitor ('\(disparaging)')", suggestion: suggestCompliance)
        } else if !proposed.isEmpty && !proposed.allSatisfy(\.isLoan) && !scorer.disclosesRisk(line) {
            judge(.compliance, .poor, zh ? "介绍了\(proposed.map(\.name.zh).joined(separator: "、"))，却没有说明风险" : "proposes \(proposed.map(\.name.en).joined(separator: ", ")) without saying its risk", suggestion: proposed.first.map { scorer.riskLine($0, language) } ?? suggestCompliance)
        } else {
            judge(.compliance, .good, zh ? "合规" : "compliant")
        }
        let pressure = scorer.pressure(in: line, persona: persona)
        let topic = scorer.topic(of: line, persona: persona)
        let repeated = topic.map { state.askedTopics.contains($0) } ?? false
        let suggestTone = rules.text("suggest-tone", language)
        let dismissive = pressure == nil && scorer.dismisses(line)
        if let pressure {
            judge(.tone, .breach, pressure == line ? (zh ? "施压" : "pressure") : (zh ? "施压（「\(pressure)」）" : "pressure ('\(pressure)')"), suggestion: suggestTone)
        } else if dismissive {
            judge(.tone, .poor, zh ? "轻视客户的顾虑" : "brushes off the customer's concern", suggestion: suggestTone)
        } else if scorer.questionCount(line) > rules.maxQuestions {
            judge(.tone, .poor, zh ? "一句话问了 \(scorer.questionCount(line)) 个问题，像审问" : "\(scorer.questionCount(line)) questions in one line: an interrogation", suggestion: suggestTone)
        } else if case let asked = scorer.topics(of: line, persona: persona), asked.count > rules.maxQuestions {
            judge(.tone, .poor, zh ? "一句话打听了 \(asked.count) 件事，像审问" : "asks about \(asked.count) things in one line: an interrogation", suggestion: suggestTone)
        } else if repeated || (state.lastQuestion != nil && state.lastQuestion == RehearsalScorer.fold(line) && scorer.isQuestion(line)) {
            judge(.tone, .poor, zh ? "重复问客户已经回答过的问题" : "asks again what the customer already answered", suggestion: suggestTone)
        } else {
            judge(.tone, .good, zh ? "语气平和，不施压" : "no pressure")
        }
        let discussed = state.discussed.flatMap { knowledge.products.product(id: $0) }
        let heard = state.lines.last { !$0.agent }?.text
        if let finding = scorer.productFacts(line, discussed: discussed, heard: heard, language: language) {
            // The product being discussed, not the persona's first one: 随心借's APR was quoted while 商户贷 was discussed.
            let product = finding.product ?? named.first ?? discussed ?? persona.products.first.flatMap { knowledge.products.product(id: $0) }
            judge(.product, finding.verdict, finding.note, suggestion: product.map { scorer.factLine($0, language) } ?? "")
        }
        if let first = named.first { state.discussed = first.id }
        state.lastQuestion = scorer.isQuestion(line) ? RehearsalScorer.fold(line) : nil

        // 2. A forbidden promise or too much pressure ends the call.
        var reply: [String] = []
        func finish(_ outcome: RehearsalOutcome, _ text: String) -> RehearsalTurn {
            state.phase = .ended(outcome)
            let judgement = LineJudgement(line: line, judgements: judgements)
            state.judgements.append(judgement)
            let said = (reply + [text]).joined(separator: language == .zh ? "" : " ")
            state.lines.append((false, said))
            return RehearsalTurn(state: state, reply: said, judgement: judgement, ended: true)
        }
        if breach != nil { return finish(.breach, persona.breach[language]) }
        var poorMove = false
        /// The reason of step `index` answered: the customer says so and raises the next objection, or closes.
        func convinced(by covered: [KeyPoint], step index: Int) {
            // The key points the line names, when it names any: the reader may credit an answer in words no list holds.
            let named = covered.map { $0.label(language) }
            judge(.addressing, .good, named.isEmpty ? rules.text("addressing-answered", language)
                : rules.text("addressing-covers", language).replacingOccurrences(of: "{points}", with: named.joined(separator: zh ? "、" : ", ")))
            state.resistance = max(0, state.resistance - 1)
            reply.append(persona.steps[index].convinced[language])
            if index + 1 < persona.steps.count {
                reply.append(persona.steps[index + 1].say[language])
                state.phase = .raised(index + 1)
                state.acknowledged = false
            } else {
                reply.append(persona.closing[language])
                state.phase = .closing
            }
        }
        if pressure != nil {
            state.pressureCount += 1
            state.resistance += 2
            if state.pressureCount >= 2 || state.resistance > persona.patience { return finish(.pressured, persona.pressured[language]) }
            reply.append(persona.pushback[language])
        } else if judgements.contains(where: { $0.verdict == .poor }) {
            poorMove = true
        }

        // 3. Questions about the customer are answered from the persona's facts. Not a line that answers the reason just told:
        // "Then let me give you a cheat sheet to show her: how risky it is, how long the money's tied up, what it costs you,
        // and how fast you can get it back." read as a question about the horizon, and the customer answered that instead.
        // (Read once: the script moment below judges the same answer.)
        let answersReason: Bool = {
            guard case .reason(let index) = state.phase else { return false }
            return scorer.addresses(line, step: persona.steps[index])
        }()
        if let topic, let fact = persona.facts[topic], !answersReason {
            if repeated { reply.append(rules.text("repeated", language)) }
            reply.append(fact[language])
            if !state.askedTopics.contains(topic) { state.askedTopics.append(topic) }
            if state.phase == .intro {
                // A real customer answers, then says what is on their mind.
                reply.append(persona.steps[0].say[language])
                state.phase = .raised(0)
                state.acknowledged = false
                return respond(&state, line: line, judgements: judgements, reply: reply, poorMove: poorMove)
            }
            // Once the reason is told, a question about the customer is a question, answered: not a failed attempt to address
            // the reason ("Roughly how much could you set aside, and how soon might you need it back?" cost patience).
            if !scorer.probes(line) || state.phase == .closing || state.phase.isReason {
                return respond(&state, line: line, judgements: judgements, reply: reply, poorMove: poorMove)
            }
        }

        // 4. The script moment.
        switch state.phase {
        case .intro where scorer.acknowledges(line) && scorer.probes(line):
            // The opening already sounded like a worry and the agent acknowledged it and asked why, as the
            // script wants: a real customer tells the story and its reason at once, not the objection first.
            judge(.acknowledgement, .good, zh ? "回应了客户的顾虑" : "acknowledges the objection")
            judge(.probing, .good, zh ? "问了原因" : "asks why")
            reply.append(persona.steps[0].say[language])
            reply.append(persona.steps[0].because[language])
            state.phase = .reason(0)
            state.acknowledged = true
        case .intro:
            reply.append(persona.steps[0].say[language])
            state.phase = .raised(0)
            state.acknowledged = false
        case .raised(let index):
            let step = persona.steps[index]
            let script = knowledge.objections.script(id: step.objection)
            if !state.acknowledged {
                state.acknowledged = true
                if scorer.acknowledges(line) {
                    judge(.acknowledgement, .good, zh ? "回应了客户的顾虑" : "acknowledges the objection")
                } else {
                    judge(.acknowledgement, .poor, zh ? "没有先回应客户的顾虑" : "goes on without acknowledging the customer's concern", suggestion: script?.acknowledgement[language] ?? "")
                    poorMove = true
                }
            }
            if scorer.probes(line) {
                judge(.probing, .good, zh ? "问了原因" : "asks why")
            } else {
                judge(.probing, .poor, zh ? "没有询问异议背后的原因" : "does not ask what lies behind the objection", suggestion: step.probe?[language] ?? script?.probe[language] ?? "")
                poorMove = true
                // A line that already answers the reason the customer has not told yet ("When you compare, look at four
                // things: the risk level, …", to "I'd like to compare first", seen in tmux) convinces them as a person would;
                // the coach still asks for the question.
                if scorer.addresses(line, step: step) {
                    convinced(by: scorer.covered(line, step: step), step: index)
                    break
                }
                if state.resistance + 1 <= persona.patience { reply.append(resistLine(&state)) }
            }
            reply.append(step.because[language])
            state.phase = .reason(index)
        case .reason(let index):
            let step = persona.steps[index]
            let covered = scorer.covered(line, step: step)
            let talk = step.talk?[language] ?? knowledge.objections.script(id: step.objection)?.reasons.first { $0.id == step.reason }?.talk[language] ?? ""
            if answersReason {
                convinced(by: covered, step: index)
            } else {
                let missing = step.points.filter { !covered.contains($0) }.map { $0.label(language) }.joined(separator: zh ? "、" : ", ")
                let note = scorer.addressing.reads(step.reason)
                    ? rules.text("addressing-not-yet", language).replacingOccurrences(of: "{missing}", with: missing)
                    : rules.text("addressing-key-points", language).replacingOccurrences(of: "{covered}", with: String(covered.count))
                        .replacingOccurrences(of: "{need}", with: String(step.need)).replacingOccurrences(of: "{missing}", with: missing)
                judge(.addressing, .poor, note, suggestion: talk)
                poorMove = true
                reply.append(resistLine(&state))
            }
        case .closing:
            let accepted = named.filter { persona.products.contains($0.id) }
            if !accepted.isEmpty && unsuitable.isEmpty && !poorMove {
                reply.append(persona.agree[language])
                let judgement = LineJudgement(line: line, judgements: judgements)
                state.judgements.append(judgement)
                state.phase = .ended(.won)
                let said = reply.joined(separator: language == .zh ? "" : " ")
                state.lines.append((false, said))
                return RehearsalTurn(state: state, reply: said, judgement: judgement, ended: true)
            }
            if !unsuitable.isEmpty {
                reply.append(rules.text("unsuitable", language))
            } else if !named.isEmpty && accepted.isEmpty {
                reply.append(rules.text("not-this", language))
                poorMove = true
            } else {
                reply.append(resistLine(&state))
                poorMove = true
            }
        case .ended:
            break
        }
        return respond(&state, line: line, judgements: judgements, reply: reply, poorMove: poorMove)
    }

    private func respond(_ state: inout RehearsalState, line: String, judgements: [SkillJudgement], reply: [String], poorMove: Bool) -> RehearsalTurn {
        let judgement = LineJudgement(line: line, judgements: judgements)
        state.judgements.append(judgement)
        if poorMove {
            state.resistance += 1
            if state.resistance > state.persona.patience {
                state.phase = .ended(.lost)
                let said = state.persona.leave[state.language]
                state.lines.append((false, said))
                return RehearsalTurn(state: state, reply: said, judgement: judgement, ended: true)
            }
        }
        let said = reply.joined(separator: state.language == .zh ? "" : " ")
        state.lines.append((false, said))
        return RehearsalTurn(state: state, reply: said, judgement: judgement, ended: false)
    }

    /// One of the persona's resisting lines, never the one the customer said last: a person does not repeat themselves word
    /// for word ("你绕远了。" twice in a row).
    private func resistLine(_ state: inout RehearsalState) -> String {
        let lines = state.persona.resist.map { $0[state.language] }
        guard !lines.isEmpty else { return "" }
        let last = state.lines.last { !$0.agent }?.text ?? ""
        let fresh = lines.filter { !last.contains($0) }
        let pool = fresh.isEmpty ? lines : fresh
        return pool[state.random.next(pool.count)]
    }

    private func suitableLine(_ persona: Persona, _ language: Language) -> String {
        guard let product = persona.products.first.flatMap({ knowledge.products.product(id: $0) }) else { return "" }
        return scorer.factLine(product, language)
    }

    /// The script's recommended move at this moment (`/hint`).
    public func hint(_ state: RehearsalState) -> String {
        let language = state.language
        let product = state.persona.products.first.flatMap { knowledge.products.product(id: $0) }
        let productName = product?.name[language] ?? ""
        switch state.phase {
        case .intro:
            return rules.text("hint-intro", language).replacingOccurrences(of: "{product}", with: productName)
        case .raised(let index):
            let step = state.persona.steps[index]
            guard let script = knowledge.objections.script(id: step.objection) else { return "" }
            return script.acknowledgement[language] + (language == .zh ? "" : " ") + (step.probe?[language] ?? script.probe[language])
        case .reason(let index):
            let step = state.persona.steps[index]
            let talk = step.talk?[language] ?? knowledge.objections.script(id: step.objection)?.reasons.first { $0.id == step.reason }?.talk[language] ?? ""
            let points = step.points.map { $0.label(language) }.joined(separator: language == .zh ? "、" : ", ")
            return talk + (language == .zh ? "（要点：\(points)）" : " (key points: \(points))")
        case .closing:
            let base = rules.text("hint-closing", language).replacingOccurrences(of: "{product}", with: productName)
            return product.map { base + " " + scorer.factLine($0, language) } ?? base
        case .ended:
            return language == .zh ? "通话已结束，输入 /end 查看评分卡。" : "The call is over; type /end for the scorecard."
        }
    }

    /// `/hint` during a rehearsal: the hint, counted on the scorecard.
    public func takeHint(_ state: inout RehearsalState) -> String {
        state.hintsUsed += 1
        return hint(state)
    }

    /// Feedback on one line for `--coach`.
    public func coaching(_ judgement: LineJudgement, language: Language) -> String {
        judgement.judgements.map { item in
            let mark = item.verdict == .good ? "✓" : item.verdict == .poor ? "✗" : "‼"
            var text = "\(mark) \(item.skill.name(language)): \(item.note)"
            if !item.suggestion.isEmpty { text += "\n    → " + item.suggestion }
            return text
        }.joined(separator: "\n")
    }

    public func scorecard(_ state: RehearsalState) -> Scorecard {
        scorer.scorecard(persona: state.persona, outcome: state.outcome, lines: state.judgements, language: state.language, hints: state.hintsUsed)
    }
}
