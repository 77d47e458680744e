import Foundation

/// One skill a trainee is scored on in a rehearsal.
public enum RehearsalSkill: String, Sendable, CaseIterable, Codable {
    case acknowledgement, probing, addressing, product, compliance, tone

    public func name(_ language: Language) -> String {
        switch (self, language) {
        case (.acknowledgement, .zh): return "共情回应"
        case (.acknowledgement, .en): return "acknowledgement"
        case (.probing, .zh): return "询问原因"
        case (.probing, .en): return "probing the reason"
        case (.addressing, .zh): return "回应原因"
        case (.addressing, .en): return "addressing the reason"
        case (.product, .zh): return "产品知识"
        case (.product, .en): return "product knowledge"
        case (.compliance, .zh): return "合规"
        case (.compliance, .en): return "compliance"
        case (.tone, .zh): return "语气"
        case (.tone, .en): return "tone"
        }
    }
}

/// A key point of a talk track: covered when the trainee's line contains any of its alternatives.
public struct KeyPoint: Sendable, Equatable {
    public var alternatives: [String]
    public var label: String { alternatives.first ?? "" }

    /// The first alternative written in the language (Chinese or not), for hints and notes.
    public func label(_ language: Language) -> String {
        let isChinese = { (text: String) in text.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
        return alternatives.first { isChinese($0) == (language == .zh) } ?? label
    }
}

/// A simulated customer for `kefu rehearse`, loaded from `personas/*.txt`.
public struct Persona: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        /// "too-risky"
        public var objection: String
        /// "too-risky/fear-of-loss"
        public var reason: String
        /// How the customer raises the objection.
        public var say: Bilingual
        /// What the customer says when asked why.
        public var because: Bilingual
        /// What convinces the customer: the key points of the script's talk track.
        public var points: [KeyPoint]
        /// How many key points a good answer covers.
        public var need: Int
        /// What the customer says once convinced.
        public var convinced: Bilingual
        /// The coach's probe and talk track for this moment, when the objection script's own do not fit it (the script
        /// interest-too-high probes the rate, and its hidden-fees talk is about 随心借: neither fits a 商户贷 owner asking
        /// about fees). nil: the script's.
        public var probe: Bilingual? = nil
        public var talk: Bilingual? = nil
    }

    public var id: String
    public var name: Bilingual
    public var profile: Bilingual
    /// The highest product risk (1…5) suitable for this customer.
    public var level: Int
    /// Products the customer will accept at the end.
    public var products: [String]
    /// Poor moves tolerated before the customer leaves.
    public var patience: Int
    public var opening: Bilingual
    public var closing: Bilingual
    public var agree: Bilingual
    public var leave: Bilingual
    public var pushback: Bilingual
    public var pressured: Bilingual
    public var breach: Bilingual
    public var resist: [Bilingual]
    /// Extra phrases that make this customer leave at once (in addition to the scoring rules' pressure phrases).
    public var leavesOn: [String]
    /// topic -> answer ("age" -> "我今年 68 了")
    public var facts: [String: Bilingual]
    public var steps: [Step]
    public var file: String
    public var line: Int
}

/// The scoring rules of `scoring.txt`: weights, phrases and key-point matching.
public struct ScoringRules: Sendable, Equatable {
    public var weights: [RehearsalSkill: Int] = [:]
    public var acknowledgement: [String] = []
    public var probing: [String] = []
    /// Lines that hold a skill phrase without showing the skill ("我不理解", "why not try…"): the `not:`
    /// phrases of [acknowledgement] and [probing], removed before their scan.
    public var acknowledgementNot: [String] = []
    public var probingNot: [String] = []
    public var pressure: [String] = []
    /// Factual requirements that contain a pressure word but are not pressure ("必须先实名认证"):
    /// removed before the pressure scan.
    public var pressureAllowed: [String] = []
    /// Words that rule a product out rather than offer it ("不适合您", "I wouldn't recommend"): a product
    /// named in the same sentence is not proposed, so naming it there is no suitability or disclosure fault.
    public var rulingOut: [String] = []
    /// Words that make a percentage in the same clause a fee, not a rate ("赎回费", "fee").
    public var fee: [String] = []
    /// Words that make the amount next to them a quoted minimum ("起投", "from ¥").
    public var minimum: [String] = []
    /// Words that make a length of time in the same clause a quoted term ("期限", "locked").
    public var term: [String] = []
    public var disparaging: [String] = []
    public var riskDisclosure: [String] = []
    /// Negated forms that are fine ("not guaranteed", "不保本"): removed before the compliance scan.
    public var allowed: [String] = []
    /// Phrases forbidden in addition to ComplianceChecker's.
    public var forbidden: [String] = []
    public var questionMarkers: [String] = []
    /// Example questions about the customer, labelled with their topic (`[topic-none]` lines: asking about none).
    public var topicExamples: [ExampleReader.Example] = []
    /// The topic reader's bar (`threshold:` in `[topic-none]`).
    public var topicThreshold: Double = 0.5
    /// topic -> phrases that ask about it
    public var topics: [String: [String]] = [:]
    /// Labelled trainee lines (`q.zh` / `q.en` of [acknowledgement], [probing], [pressure], [dismissive]; [neutral] lines
    /// are none of them): the readers of `TraineeLineReader` learn each judgement from them.
    public var examples: [String: [ExampleReader.Example]] = [:]
    /// The reader's score at which a line shows the skill, per label (`threshold:` in the block; default 0.5).
    public var thresholds: [String: Double] = [:]
    /// Questions in one line above this count is an interrogation.
    public var maxQuestions: Int = 2
    public var breachCap: Int = 40
    public var pass: Int = 70
    /// hint-intro, hint-closing, suggest-compliance, suggest-tone, unsuitable, not-this, repeated
    public var texts: [String: Bilingual] = [:]

    public init() {}

    public func text(_ key: String, _ language: Language) -> String { texts[key]?[language] ?? "" }
}

/// Personas and scoring rules together.
public struct RehearsalKnowledge: Sendable {
    public var personas: [Persona] = []
    public var scoring = ScoringRules()
    /// Lines that answer a customer's stated reason (`addressing.txt`, optional).
    public var addressing = AddressingExamples()

    public init() {}

    public func persona(id: String) -> Persona? { personas.first { $0.id == id } }
    public var isEmpty: Bool { personas.isEmpty }
}

// MARK: - Loading

extension KnowledgeLoader {
    static let scoringTextKeys: Set<String> = [
        "hint-intro", "hint-closing", "suggest-compliance", "suggest-tone", "unsuitable", "not-this", "repeated",
        "addressing-answered", "addressing-covers", "addressing-not-yet", "addressing-key-points",
    ]

    /// `personas/*.txt` and `scoring.txt`, both optional: a knowledge base without them simply has no rehearsals.
    public func loadRehearsal(_ root: URL, knowledge: KnowledgeBase, diagnostics: inout DiagnosticsEngine) -> RehearsalKnowledge {
        var result = RehearsalKnowledge()
        let personasURL = root.appendingPathComponent("personas")
        let scoringURL = root.appendingPathComponent("scoring.txt")
        let hasPersonas = FileManager.default.fileExists(atPath: personasURL.path)
        guard hasPersonas || FileManager.default.fileExists(atPath: scoringURL.path) else { return result }
        guard let text = reader.read(scoringURL, display: "scoring.txt", diagnostics: &diagnostics) else { return result }
        let scoringFile = BlockFile.parse(text, path: "scoring.txt", diagnostics: &diagnostics)
        result.scoring = parseScoring(scoringFile, diagnostics: &diagnostics)
        for url in reader.textFiles(in: personasURL, display: "personas", diagnostics: &diagnostics) {
            let display = KnowledgeLoader.relative(url, to: root)
            guard let text = reader.read(url, display: display, diagnostics: &diagnostics) else { continue }
            let file = BlockFile.parse(text, path: display, allowsReasonIDs: true, diagnostics: &diagnostics)
            parsePersonas(file, into: &result, knowledge: knowledge, diagnostics: &diagnostics)
        }
        if result.personas.isEmpty {
            diagnostics.error("no personas found (expected personas/*.txt)", file: "personas")
        }
        let addressingURL = root.appendingPathComponent(AddressingExamples.file)
        if KnowledgeLoader.present(addressingURL), let text = reader.read(addressingURL, display: AddressingExamples.file, diagnostics: &diagnostics) {
            let file = BlockFile.parse(text, path: AddressingExamples.file, allowsReasonIDs: true, diagnostics: &diagnostics)
            let scripts = knowledge.objections.scripts
            result.addressing = AddressingExamples.parse(file, reasons: Set(scripts.flatMap(\.reasons).map(\.id)), diagnostics: &diagnostics)
            // The scripts' talk tracks answer their reasons too.
            for script in scripts {
                for reason in script.reasons {
                    for language in Language.allCases {
                        result.addressing.talks.append(.init(label: reason.id, text: reason.talk[language], file: script.file, line: script.line))
                    }
                }
            }
            for persona in result.personas {
                for step in persona.steps {
                    guard let talk = step.talk else { continue }
                    for language in Language.allCases { result.addressing.talks.append(.init(label: step.reason, text: talk[language])) }
                }
            }
        }
        return result
    }

    static func list(_ value: String) -> [String] {
        value.split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
    }

    func parseScoring(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> ScoringRules {
        var rules = ScoringRules()
        let path = file.path
        let compliance = ComplianceChecker()
        for block in file.blocks {
            func phrases() -> [String] { block.values("phrases").flatMap(KnowledgeLoader.list) }
            func allowKeys(_ keys: Set<String>) {
                for field in block.fields where !keys.contains(field.key) {
                    diagnostics.error("scoring '\(block.id)': unknown key '\(field.key)' (expected \(keys.sorted().joined(separator: ", ")))", file: path, line: field.line)
                }
            }
            // Example lines and the reader's threshold, for the judgements learned from examples.
            if TraineeLineReader.labels.contains(block.id) || block.id == TraineeLineReader.neutral {
                for field in block.fields where field.key == "q.zh" || field.key == "q.en" {
                    rules.examples[block.id, default: []].append(.init(label: block.id, text: field.value, file: path, line: field.line))
                }
                if let field = block.first("threshold") {
                    if let value = Double(field.value), value > 0, value < 1 { rules.thresholds[block.id] = value } else {
                        diagnostics.error("scoring '\(block.id)': threshold must be a number between 0 and 1, found '\(field.value)'", file: path, line: field.line)
                    }
                }
            }
            let exampleKeys: Set<String> = ["q.zh", "q.en", "threshold"]
            if block.id == TraineeLineReader.neutral || block.id == "dismissive" {
                allowKeys(exampleKeys)
                continue
            }
            if let skill = RehearsalSkill(rawValue: block.id) {
                allowKeys((skill == .acknowledgement || skill == .probing ? Set(["weight", "phrases", "not"]) : Set(["weight", "phrases"])).union(exampleKeys))
                if let field = block.first("weight") {
                    if let weight = Int(field.value), weight >= 0 { rules.weights[skill] = weight } else {
                        diagnostics.error("scoring '\(block.id)': weight must be a whole number, found '\(field.value)'", file: path, line: field.line)
                    }
                } else {
                    diagnostics.error("scoring '\(block.id)' has no weight", file: path, line: block.line)
                }
                let not = block.values("not").flatMap(KnowledgeLoader.list)
                if skill == .acknowledgement { rules.acknowledgement = phrases(); rules.acknowledgementNot = not }
                if skill == .probing { rules.probing = phrases(); rules.probingNot = not }
                // A `not:` phrase excuses the skill phrases inside it; one that holds none excuses nothing.
                for field in block.fields where field.key == "not" {
                    for phrase in KnowledgeLoader.list(field.value) where !phrases().contains(where: { RehearsalScorer.contains(phrase, $0) }) {
                        diagnostics.warning("scoring '\(block.id)': not-phrase '\(phrase)' holds no phrase of the skill, so it excuses nothing", file: path, line: field.line)
                    }
                }
                if (skill == .acknowledgement || skill == .probing) && phrases().isEmpty && rules.examples[block.id, default: []].isEmpty {
                    diagnostics.error("scoring '\(block.id)' has no phrases", file: path, line: block.line)
                }
                continue
            }
            if block.id.hasPrefix("topic-") {
                allowKeys(["phrases", "q.zh", "q.en", "threshold"])
                let topic = String(block.id.dropFirst(6))
                if topic != TraineeLineReader.noTopic { rules.topics[topic] = phrases() }
                // Example questions: the persona's reader of what the trainee asks about them (`TraineeLineReader.topic`).
                for field in block.fields where field.key == "q.zh" || field.key == "q.en" {
                    rules.topicExamples.append(.init(label: topic == TraineeLineReader.noTopic ? ExampleReader.background : topic, text: field.value,
                                                     file: path, line: field.line))
                }
                if let field = block.first("threshold") {
                    if let value = Double(field.value), value > 0, value < 1 { rules.topicThreshold = value } else {
                        diagnostics.error("scoring '\(block.id)': threshold must be a number between 0 and 1, found '\(field.value)'", file: path, line: field.line)
                    }
                }
                continue
            }
            if KnowledgeLoader.scoringTextKeys.contains(block.id) {
                allowKeys(["a.zh", "a.en"])
                let zh = block.first("a.zh")?.value, en = block.first("a.en")?.value
                if zh == nil || en == nil { diagnostics.error("scoring '\(block.id)' needs both a.zh and a.en", file: path, line: block.line) }
                rules.texts[block.id] = Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? "")
                if block.id.hasPrefix("hint") || block.id.hasPrefix("suggest") {
                    for field in block.fields {
                        for violation in compliance.violations(in: field.value) { diagnostics.error("scoring '\(block.id)': \(violation)", file: path, line: field.line) }
                    }
                }
                continue
            }
            switch block.id {
            case "pressure": allowKeys(["phrases", "q.zh", "q.en", "threshold"]); rules.pressure = phrases()
            case "pressure-allowed": allowKeys(["phrases"]); rules.pressureAllowed = phrases()
            case "ruling-out": allowKeys(["phrases"]); rules.rulingOut = phrases()
            case "fee": allowKeys(["phrases"]); rules.fee = phrases()
            case "minimum": allowKeys(["phrases"]); rules.minimum = phrases()
            case "term": allowKeys(["phrases"]); rules.term = phrases()
            case "disparaging": allowKeys(["phrases"]); rules.disparaging = phrases()
            case "risk-disclosure": allowKeys(["phrases"]); rules.riskDisclosure = phrases()
            case "allowed": allowKeys(["phrases"]); rules.allowed = phrases()
            case "forbidden": allowKeys(["phrases"]); rules.forbidden = phrases()
            case "question": allowKeys(["phrases", "max"]); rules.questionMarkers = phrases()
                if let max = block.first("max").flatMap({ Int($0.value) }) { rules.maxQuestions = max }
            case "overall":
                allowKeys(["breach-cap", "pass"])
                if let cap = block.first("breach-cap").flatMap({ Int($0.value) }) { rules.breachCap = cap }
                if let pass = block.first("pass").flatMap({ Int($0.value) }) { rules.pass = pass }
            default:
                diagnostics.error("scoring: unknown entry '[\(block.id)]' (skills: \(RehearsalSkill.allCases.map(\.rawValue).joined(separator: ", ")); pressure, pressure-allowed, ruling-out, fee, disparaging, risk-disclosure, allowed, forbidden, minimum, term, question, overall, topic-*, \(KnowledgeLoader.scoringTextKeys.sorted().joined(separator: ", ")))", file: path, line: block.line)
            }
        }
        for skill in RehearsalSkill.allCases where rules.weights[skill] == nil {
            diagnostics.error("scoring.txt has no [\(skill.rawValue)] entry with a weight", file: path)
        }
        let total = rules.weights.values.reduce(0, +)
        if rules.weights.count == RehearsalSkill.allCases.count && total != 100 {
            diagnostics.error("skill weights add up to \(total), not 100", file: path)
        }
        if rules.pressure.isEmpty { diagnostics.error("scoring.txt has no [pressure] phrases", file: path) }
        if rules.riskDisclosure.isEmpty { diagnostics.error("scoring.txt has no [risk-disclosure] phrases", file: path) }
        for key in KnowledgeLoader.scoringTextKeys where rules.texts[key] == nil {
            diagnostics.error("scoring.txt has no [\(key)] entry", file: path)
        }
        validatePressureAllowed(file, rules: rules, compliance: compliance, diagnostics: &diagnostics)
        if rules.minimum.isEmpty { diagnostics.warning("scoring.txt has no [minimum] phrases: quoted minimum amounts are not checked", file: path) }
        if rules.term.isEmpty { diagnostics.warning("scoring.txt has no [term] phrases: quoted terms are not checked", file: path) }
        // The phrases trainees are told to use must never themselves be forbidden.
        for phrase in rules.acknowledgement + rules.probing + rules.riskDisclosure where !compliance.isCompliant(phrase) && !rules.allowed.contains(phrase) {
            diagnostics.error("scoring: phrase '\(phrase)' is a forbidden promise", file: path)
        }
        return rules
    }

    /// A `[pressure-allowed]` phrase excuses the pressure phrases inside it, so it must hold one (or it excuses
    /// nothing), must not be a bare pressure phrase (that would switch the phrase off everywhere), and must not
    /// be a forbidden promise (it would be taught as fine).
    func validatePressureAllowed(_ file: BlockFile, rules: ScoringRules, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) {
        for block in file.blocks where block.id == "pressure-allowed" {
            for field in block.fields where field.key == "phrases" {
                for phrase in KnowledgeLoader.list(field.value) {
                    if rules.pressure.contains(phrase) {
                        diagnostics.error("scoring [pressure-allowed]: '\(phrase)' is itself a [pressure] phrase; it would never count as pressure (write the whole factual sentence, such as 必须先实名认证)", file: file.path, line: field.line)
                    } else if !rules.pressure.contains(where: { RehearsalScorer.contains(phrase, $0) }) {
                        diagnostics.warning("scoring [pressure-allowed]: '\(phrase)' holds no [pressure] phrase, so it excuses nothing", file: file.path, line: field.line)
                    }
                    if !compliance.isCompliant(phrase) {
                        diagnostics.error("scoring [pressure-allowed]: '\(phrase)' is a forbidden promise", file: file.path, line: field.line)
                    }
                }
            }
        }
    }

    static let personaKeys: Set<String> = [
        "name.zh", "name.en", "profile.zh", "profile.en", "level", "products", "patience", "opening.zh", "opening.en",
        "closing.zh", "closing.en", "agree.zh", "agree.en", "leave.zh", "leave.en", "pushback.zh", "pushback.en",
        "pressured.zh", "pressured.en", "breach.zh", "breach.en", "resist.zh", "resist.en", "leaves-on",
    ]
    static let stepKeys: Set<String> = ["objection", "say.zh", "say.en", "because.zh", "because.en", "points", "need", "convinced.zh", "convinced.en",
                                        "probe.zh", "probe.en", "talk.zh", "talk.en"]

    func parsePersonas(_ file: BlockFile, into result: inout RehearsalKnowledge, knowledge: KnowledgeBase, diagnostics: inout DiagnosticsEngine) {
        let path = file.path
        for block in file.blocks {
            let parts = block.id.split(separator: "/").map(String.init)
            func pair(_ key: String) -> Bilingual {
                let zh = block.first("\(key).zh")?.value, en = block.first("\(key).en")?.value
                if zh == nil { diagnostics.error("'\(block.id)' has no \(key).zh", file: path, line: block.line) }
                if en == nil { diagnostics.error("'\(block.id)' has no \(key).en", file: path, line: block.line) }
                return Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? "")
            }
            if parts.count == 1 {
                var facts: [String: Bilingual] = [:]
                for field in block.fields where !KnowledgeLoader.personaKeys.contains(field.key) {
                    let keyParts = field.key.split(separator: ".").map(String.init)
                    guard keyParts.count == 3, keyParts[0] == "fact", ["zh", "en"].contains(keyParts[2]) else {
                        diagnostics.error("persona '\(block.id)': unknown key '\(field.key)'", file: path, line: field.line)
                        continue
                    }
                    let topic = keyParts[1]
                    if result.scoring.topics[topic] == nil {
                        diagnostics.error("persona '\(block.id)': fact '\(topic)' has no [topic-\(topic)] in scoring.txt", file: path, line: field.line)
                    }
                    var value = facts[topic] ?? Bilingual(zh: "", en: "")
                    if keyParts[2] == "zh" { value.zh = field.value } else { value.en = field.value }
                    facts[topic] = value
                }
                for (topic, value) in facts where value.zh.isEmpty || value.en.isEmpty {
                    diagnostics.error("persona '\(block.id)': fact '\(topic)' needs both fact.\(topic).zh and fact.\(topic).en", file: path, line: block.line)
                }
                if result.persona(id: block.id) != nil {
                    diagnostics.error("duplicate persona id '\(block.id)'", file: path, line: block.line)
                    continue
                }
                var level = 0
                if let field = block.first("level") {
                    let value = field.value.uppercased()
                    if value.count == 2, value.hasPrefix("C"), let number = Int(value.dropFirst()), (1...5).contains(number) { level = number } else {
                        diagnostics.error("persona '\(block.id)': level must be C1…C5, found '\(field.value)'", file: path, line: field.line)
                    }
                } else {
                    diagnostics.error("persona '\(block.id)' has no level (C1…C5)", file: path, line: block.line)
                }
                let products = KnowledgeLoader.list(block.first("products")?.value ?? "")
                if products.isEmpty { diagnostics.error("persona '\(block.id)' has no products (what it may accept)", file: path, line: block.line) }
                for id in products {
                    if let product = knowledge.products.product(id: id) {
                        if product.risk > level { diagnostics.error("persona '\(block.id)': product '\(id)' (\(product.riskLabel)) is above its level C\(level)", file: path, line: block.first("products")?.line ?? block.line) }
                    } else {
                        diagnostics.error("persona '\(block.id)' names unknown product '\(id)'", file: path, line: block.first("products")?.line ?? block.line, needs: id)
                    }
                }
                let resistZH = block.values("resist.zh"), resistEN = block.values("resist.en")
                if resistZH.isEmpty || resistZH.count != resistEN.count {
                    diagnostics.error("persona '\(block.id)' needs resist.zh and resist.en lines, as many of each (\(resistZH.count) vs \(resistEN.count))", file: path, line: block.line)
                }
                let persona = Persona(
                    id: block.id, name: pair("name"), profile: pair("profile"), level: level, products: products,
                    patience: block.first("patience").flatMap { Int($0.value) } ?? 2,
                    opening: pair("opening"), closing: pair("closing"), agree: pair("agree"), leave: pair("leave"),
                    pushback: pair("pushback"), pressured: pair("pressured"), breach: pair("breach"),
                    resist: zip(resistZH, resistEN).map { Bilingual(zh: $0, en: $1) },
                    leavesOn: KnowledgeLoader.list(block.first("leaves-on")?.value ?? ""),
                    facts: facts, steps: [], file: path, line: block.line)
                result.personas.append(persona)
            } else if parts.count == 2 {
                guard let index = result.personas.firstIndex(where: { $0.id == parts[0] }) else {
                    diagnostics.error("step '\(block.id)' comes before (or without) its persona [\(parts[0])]", file: path, line: block.line)
                    continue
                }
                for field in block.fields where !KnowledgeLoader.stepKeys.contains(field.key) {
                    diagnostics.error("step '\(block.id)': unknown key '\(field.key)'", file: path, line: field.line)
                }
                let reasonID = block.first("objection")?.value ?? ""
                let objectionID = String(reasonID.split(separator: "/").first ?? "")
                if let script = knowledge.objections.script(id: objectionID) {
                    if !script.reasons.contains(where: { $0.id == reasonID }) {
                        diagnostics.error("step '\(block.id)': objection '\(reasonID)' is not a reason of [\(objectionID)] (objections/*.txt)", file: path, line: block.first("objection")?.line ?? block.line)
                    }
                } else {
                    diagnostics.error("step '\(block.id)': unknown objection '\(reasonID)' (expected objection-id/reason-id from objections/*.txt)", file: path, line: block.first("objection")?.line ?? block.line)
                }
                let points = (block.first("points")?.value ?? "").split(whereSeparator: { $0 == "," || $0 == "，" }).map { point in
                    KeyPoint(alternatives: point.split(separator: "|").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty })
                }.filter { !$0.alternatives.isEmpty }
                if points.isEmpty { diagnostics.error("step '\(block.id)' has no key points (points: a | b, c)", file: path, line: block.line) }
                for point in points {
                    // An honest negation of [allowed] ("not guaranteed") is fine, as for the scoring phrases.
                    for alternative in point.alternatives where !ComplianceChecker().isCompliant(alternative) && !result.scoring.allowed.contains(alternative) {
                        diagnostics.error("step '\(block.id)': key point '\(alternative)' is a forbidden promise", file: path, line: block.line)
                    }
                }
                let need = block.first("need").flatMap { Int($0.value) } ?? max(1, (points.count + 1) / 2)
                if need > points.count { diagnostics.error("step '\(block.id)': need \(need) is more than its \(points.count) key points", file: path, line: block.line) }
                result.personas[index].steps.append(Persona.Step(
                    objection: objectionID, reason: reasonID, say: pair("say"), because: pair("because"),
                    points: points, need: need, convinced: pair("convinced"),
                    probe: block.first("probe.zh") != nil || block.first("probe.en") != nil ? pair("probe") : nil,
                    talk: block.first("talk.zh") != nil || block.first("talk.en") != nil ? pair("talk") : nil))
            } else {
                diagnostics.error("persona id '\(block.id)' must be 'persona-id' or 'persona-id/step'", file: path, line: block.line)
            }
        }
        for persona in result.personas where persona.file == path && persona.steps.isEmpty {
            diagnostics.error("persona '\(persona.id)' raises no objections (add [\(persona.id)/1] with objection: …)", file: path, line: persona.line)
        }
    }
}
