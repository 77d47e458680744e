import Foundation

/// How one agent line did on one skill.
public enum Verdict: String, Sendable, Codable, Comparable {
    case good, poor, breach

    private var rank: Int { self == .good ? 0 : self == .poor ? 1 : 2 }
    public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}

/// One skill's judgement of one agent line, with why and what the script suggests instead.
public struct SkillJudgement: Sendable, Equatable, Codable {
    public var skill: RehearsalSkill
    public var verdict: Verdict
    public var note: String
    /// The line the script suggests (empty when the verdict is good).
    public var suggestion: String
}

/// Everything judged about one agent line.
public struct LineJudgement: Sendable, Equatable, Codable {
    public var line: String
    public var judgements: [SkillJudgement]

    public func verdict(_ skill: RehearsalSkill) -> Verdict? { judgements.first { $0.skill == skill }?.verdict }
    public var worst: Verdict? { judgements.map(\.verdict).max() }
}

/// Pure text checks behind the scorecard, driven by `scoring.txt`; the engine decides which apply when.
public struct RehearsalScorer: Sendable {
    public let rules: ScoringRules
    public let products: ProductCatalog
    let compliance: ComplianceChecker
    let facts: ProductFactChecker
    /// The judgements learned from example lines; a label without examples is judged by its phrases.
    public let lines: TraineeLineReader
    /// Whether a line answers the customer's stated reason, learned from `addressing.txt`.
    public let addressing: AddressingReader

    public init(rules: ScoringRules, products: ProductCatalog, addressing: AddressingExamples = AddressingExamples(),
                extractor: FeatureExtractor = FeatureExtractor()) {
        self.rules = rules
        self.products = products
        self.lines = TraineeLineReader(rules: rules, extractor: extractor)
        self.addressing = AddressingReader(examples: addressing, scoring: rules, extractor: extractor)
        self.compliance = ComplianceChecker(phrases: ComplianceChecker.forbiddenPhrases + rules.forbidden)
        self.facts = ProductFactChecker(rules: rules)
    }

    /// Lowercased, curly apostrophes folded, full-width punctuation kept.
    public static func fold(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "’", with: "'").replacingOccurrences(of: "‘", with: "'")
    }

    /// A phrase occurs in the text; an English phrase must start at a word boundary ("age" is not in "manage").
    public static func contains(_ text: String, _ phrase: String) -> Bool {
        guard !phrase.isEmpty else { return false }
        guard let first = phrase.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return text.contains(phrase) }
        var searchStart = text.startIndex
        while let range = text.range(of: phrase, range: searchStart..<text.endIndex) {
            if range.lowerBound == text.startIndex { return true }
            let before = text[text.index(before: range.lowerBound)]
            if !(before.isASCII && (before.isLetter || before.isNumber)) { return true }
            searchStart = text.index(after: range.lowerBound)
        }
        return false
    }

    public static func any(_ text: String, _ phrases: [String]) -> String? { phrases.first { contains(text, $0) } }

    // MARK: - Checks

    /// Forbidden promises, after removing the negations that are fine ("not guaranteed", "不保本").
    public func forbiddenPromise(in line: String) -> String? {
        compliance.violations(in: RehearsalScorer.removing(rules.allowed, from: line)).first?.phrase
    }

    /// Pressure phrases, after removing the factual requirements of `[pressure-allowed]` ("必须先实名认证",
    /// "you must verify your identity first"): telling a customer a rule is information, not pressure.
    /// The phrases stay as a floor (a persona's own `leaves-on` phrases too); the reader adds the pushing that no phrase
    /// lists ("Seriously, you should sign up right now, this rate won't last", "您今天就可以买").
    public func pressure(in line: String, persona: Persona?) -> String? {
        if let phrase = RehearsalScorer.any(RehearsalScorer.removing(rules.pressureAllowed, from: line), rules.pressure + (persona?.leavesOn ?? [])) {
            return phrase
        }
        // A line that states one of the factual requirements ("您不用马上买，先了解清楚再说") is not read for pressure.
        if RehearsalScorer.any(RehearsalScorer.fold(line), rules.pressureAllowed) != nil { return nil }
        return lines.holds("pressure", line) ? line : nil
    }

    /// The phrases less their `not:` phrases, as a floor, then the reader learned from the [acknowledgement] examples: "I hear
    /// that a lot", "换我也会担心" hold no phrase.
    public func acknowledges(_ line: String) -> Bool {
        shows("acknowledgement", line, phrases: rules.acknowledgement, not: rules.acknowledgementNot, readerApplies: true)
    }

    /// The same for probing, from the [probing] examples ("您是怕亏钱还是怕取不出来？"). Its phrases ask something: 顾虑 alone
    /// made "很理解您的顾虑" a probe, and is no longer one of them. A probe asks: "Don't worry about it." and "您不用担心，
    /// R1 风险很低。" read 0.2 as probes, and ask nothing.
    public func probes(_ line: String) -> Bool {
        shows("probing", line, phrases: rules.probing, not: rules.probingNot, readerApplies: isQuestion(line))
    }

    /// A skill's phrases (less its `not:` phrases) or its reader. A `not:` phrase in the line ("我不理解", "don't
    /// understand") says the words without the skill: the reader is not asked then.
    private func shows(_ label: String, _ line: String, phrases: [String], not: [String], readerApplies: Bool) -> Bool {
        if RehearsalScorer.any(RehearsalScorer.removing(not, from: line), phrases) != nil { return true }
        return readerApplies && RehearsalScorer.any(RehearsalScorer.fold(line), not) == nil && lines.holds(label, line)
    }

    /// Brushing off the customer's concern ("那是他们倒霉", "you're overthinking it"): learned from [dismissive].
    public func dismisses(_ line: String) -> Bool { lines.holds("dismissive", line) }

    /// The folded line with the given phrases blanked out, longest first ("我不理解" before a scan for "理解").
    static func removing(_ phrases: [String], from line: String) -> String {
        var text = fold(line)
        for phrase in phrases.sorted(by: { $0.count > $1.count }) { text = text.replacingOccurrences(of: phrase, with: " ") }
        return text
    }
    public func disparages(_ line: String) -> String? { RehearsalScorer.any(RehearsalScorer.fold(line), rules.disparaging) }
    public func disclosesRisk(_ line: String) -> Bool { RehearsalScorer.any(RehearsalScorer.fold(line), rules.riskDisclosure) != nil }

    public func questionCount(_ line: String) -> Int {
        line.filter { $0 == "?" || $0 == "？" }.count
    }

    /// A question mark, a Chinese question word anywhere (吗, 多少, 有没有), or an English one that opens a sentence or its
    /// last clause: inside one, "how" and "what" ask nothing ("credit history, how stable your income is, and repaying on time
    /// all count", seen in tmux, was answered with the customer's income).
    public func isQuestion(_ line: String) -> Bool {
        if questionCount(line) > 0 { return true }
        let folded = RehearsalScorer.fold(line)
        let english = rules.questionMarkers.filter { $0.unicodeScalars.allSatisfy(\.isASCII) }
        let chinese = rules.questionMarkers.filter { !english.contains($0) }
        if RehearsalScorer.any(folded, chinese) != nil { return true }
        // A sentence that opens with one, or ends in a clause that does ("Just wondering, how old are you").
        let sentences = folded.split(whereSeparator: { ".;:!。；：！".contains($0) })
        return sentences.contains { sentence in
            let clauses = sentence.split(whereSeparator: { ",，—".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            return [clauses.first, clauses.last].contains { clause in
                guard let clause else { return false }
                return english.contains { clause == $0 || clause.hasPrefix($0 + " ") }
            }
        }
    }

    /// The topic of a question about the customer ("age", "income"…), if the line asks one.
    public func topic(of line: String, persona: Persona) -> String? {
        guard isQuestion(line) else { return nil }
        // The phrases first; then the reader learned from the [topic-*] examples, for what no phrase lists ("What do you want
        // this money for?" asks the goal).
        if let phrased = phraseTopic(of: line, persona: persona) { return phrased }
        return lines.topic(line).flatMap { persona.facts[$0] != nil ? $0 : nil }
    }

    /// The topic by the `[topic-*]` phrases alone.
    func phraseTopic(of line: String, persona: Persona) -> String? {
        // Only the sentences that ask: in "自由职业收入不稳定，想先把钱理顺，这个想法挺好的。你现在手头大概有多少存款？" the
        // statement's 收入 made the savings question one about income.
        var sentences: [String] = [], current = ""
        for character in line {
            current.append(character)
            if "。；;！!？?".contains(character) { sentences.append(current); current = "" }
        }
        if !current.trimmingWhitespace().isEmpty { sentences.append(current) }
        let asking = sentences.count > 1 ? sentences.filter { isQuestion($0) } : []
        let text = RehearsalScorer.fold(asking.isEmpty ? line : asking.joined(separator: " "))
        // The most specific phrase wins: "孩子多大" (family) over "多大" (age).
        var best: (topic: String, length: Int)?
        for topic in rules.topics.keys.sorted() where persona.facts[topic] != nil {
            for phrase in rules.topics[topic] ?? [] where RehearsalScorer.contains(text, phrase) && phrase.count > (best?.length ?? 0) {
                best = (topic, phrase.count)
            }
        }
        return best?.topic
    }

    /// Every topic about the customer that a question asks at once ("your age, your pension and your
    /// savings?" is three, however few question marks). Longer phrases claim their words first, so words
    /// inside or overlapping a longer match count once ("孩子多大" is family, not also age; "how much do you
    /// earn" is one question).
    public func topics(of line: String, persona: Persona) -> [String] {
        guard isQuestion(line) else { return [] }
        let text = RehearsalScorer.fold(line)
        var matches: [(topic: String, range: Range<String.Index>)] = []
        for topic in rules.topics.keys.sorted() where persona.facts[topic] != nil {
            for phrase in rules.topics[topic] ?? [] {
                if let range = text.range(of: phrase), RehearsalScorer.contains(text, phrase) { matches.append((topic, range)) }
            }
        }
        matches.sort { text.distance(from: $0.range.lowerBound, to: $0.range.upperBound) > text.distance(from: $1.range.lowerBound, to: $1.range.upperBound) }
        var claimed: [Range<String.Index>] = []
        var topics: [String] = []
        for match in matches where !claimed.contains(where: { $0.overlaps(match.range) }) {
            claimed.append(match.range)
            if !topics.contains(match.topic) { topics.append(match.topic) }
        }
        return topics
    }

    /// Key points of the step the line covers.
    public func covered(_ line: String, step: Persona.Step) -> [KeyPoint] {
        let text = RehearsalScorer.fold(line)
        return step.points.filter { RehearsalScorer.any(text, $0.alternatives) != nil }
    }

    /// Whether the line answers the step's stated reason: the step's key points (`need` of them named) are a floor, what
    /// the persona's author wrote that convinces this customer; the reader of `addressing.txt` adds the answers no list
    /// holds. Dev (corpora/trainer/dev/addressing.tsv, 210 lines): key points alone 84.8% (32 of 120 answers missed), the
    /// reader alone 99.0%, both 99.0%; the reader alone missed five answers of the scoring tests the key points hold
    /// ("零钱通可以随时取出，收益不保证，会变动。": its examples avoid 保证).
    public func addresses(_ line: String, step: Persona.Step) -> Bool {
        covered(line, step: step).count >= step.need || addressing.reads(step.reason) && addressing.addresses(line, reason: step.reason)
    }

    /// Products the line names, longest name first, without repeats.
    public func productsMentioned(in line: String) -> [Product] {
        let folded = String(String.UnicodeScalarView(NumberParser.fold(line)))
        var found: [Product] = []
        for product in products.products {
            let names = [product.name.zh.lowercased(), product.name.en.lowercased()] + product.aliases
            if names.contains(where: { !$0.isEmpty && ProfileExtractor.containsWord(folded, $0) }) { found.append(product) }
        }
        // "定期宝 90 天" also contains no other name; but drop a product whose names are all inside another's mention.
        return found
    }

    /// Percentages written in the line ("2.5%", "2.5 %", "百分之三" is not read).
    public static func percentages(in line: String) -> [Double] {
        let scalars = Array(String(String.UnicodeScalarView(NumberParser.fold(line))).unicodeScalars)
        var values: [Double] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "%" {
                var end = index - 1
                while end >= 0 && scalars[end] == " " { end -= 1 }
                var start = end
                while start >= 0 && (("0"..."9").contains(scalars[start]) || scalars[start] == ".") { start -= 1 }
                if start < end, let value = Double(String(String.UnicodeScalarView(scalars[(start + 1)...end]))) {
                    values.append(value)
                }
            }
            index += 1
        }
        return values
    }

    /// Products the line proposes: named by their full name (an alias such as "教育金" alone is not a proposal),
    /// and not in a sentence that rules them out.
    public func productsProposed(in line: String) -> [Product] {
        let folded = String(String.UnicodeScalarView(NumberParser.fold(line)))
        let ruledOut = productsRuledOut(in: line)
        return products.products.filter { product in
            !ruledOut.contains(product)
                && [product.name.zh.lowercased(), product.name.en.lowercased()].contains { !$0.isEmpty && ProfileExtractor.containsWord(folded, $0) }
        }
    }

    /// Products named in a sentence that also says they do not fit ("成长精选股票基金是 R5，不适合您。",
    /// "I wouldn't recommend the Equity Fund for you."): explaining why a product is not offered is what
    /// suitability asks for, not a breach of it.
    public func productsRuledOut(in line: String) -> [Product] {
        guard !rules.rulingOut.isEmpty else { return [] }
        var result: [Product] = []
        for sentence in RehearsalScorer.sentences(line) where RehearsalScorer.any(RehearsalScorer.fold(sentence), rules.rulingOut) != nil {
            for product in productsMentioned(in: sentence) where !result.contains(product) { result.append(product) }
        }
        return result
    }

    /// A line cut at sentence ends (not at commas: "是 R5，不适合您" is one judgement about one product).
    static func sentences(_ line: String) -> [String] {
        line.split(whereSeparator: { "。；;！!？?".contains($0) || $0 == "." }).map(String.init)
    }

    /// Product knowledge: the rates, minimums and terms quoted agree with the catalogue for the products the
    /// line names (or, for a minimum or term said on its own, the product under discussion). Nil when the
    /// line quotes no figure and proposes nothing.
    public func productFacts(_ line: String, discussed: Product? = nil, heard: String? = nil, language: Language = .en) -> ProductFactChecker.Finding? {
        facts.check(line, named: productsMentioned(in: line), proposed: productsProposed(in: line), discussed: discussed, heard: heard, language: language)
    }

    /// What the catalogue says about a product, as the line to suggest.
    /// What to say to disclose a product's risk when proposing it: its level and that its return is not promised, not the
    /// whole product blurb (that is `factLine`, for a wrong figure).
    public func riskLine(_ product: Product, _ language: Language) -> String {
        if product.isLoan {
            return language == .zh ? "\(product.name.zh)的年化利率（APR）是 \(product.rateText)，以审批结果为准，请按时还款。"
                : "\(product.name.en) costs \(product.rateText) APR, set on approval; please repay on time."
        }
        return language == .zh
            ? "\(product.name.zh)是 \(product.riskLabel)（\(Product.riskName(product.risk, .zh))），收益会波动、不作承诺，过往表现不代表未来。"
            : "\(product.name.en) is \(product.riskLabel) (\(Product.riskName(product.risk, .en))): returns vary and are not promised; past performance is no guide to the future."
    }

    public func factLine(_ product: Product, _ language: Language) -> String {
        let rateWord = product.isLoan ? (language == .zh ? "年化利率" : "APR") : (language == .zh ? "历史年化" : "historical annual return")
        let min = Product.percent(product.minAmount)
        if language == .zh {
            let risk = product.isLoan ? "" : "风险等级 \(product.riskLabel)（\(Product.riskName(product.risk, .zh))），"
            return "\(product.name.zh)：\(product.description.zh)；\(risk)\(rateWord) \(product.rateText)\(product.isLoan ? "" : "，不作承诺")；\(min) 元起；期限\(product.term.zh)。"
        }
        let risk = product.isLoan ? "" : "risk level \(product.riskLabel) (\(Product.riskName(product.risk, .en))), "
        return "\(product.name.en): \(product.description.en); \(risk)\(rateWord) \(product.rateText)\(product.isLoan ? "" : ", not promised"); from ¥\(min); term: \(product.term.en)."
    }

    // MARK: - Scorecard

    /// The scorecard of a whole rehearsal.
    /// `hints` is how many times the trainee asked for `/hint`: shown on the card, not deducted.
    public func scorecard(persona: Persona, outcome: RehearsalOutcome, lines: [LineJudgement], language: Language, hints: Int = 0) -> Scorecard {
        var skills: [Scorecard.SkillScore] = []
        for skill in RehearsalSkill.allCases {
            let verdicts = lines.compactMap { $0.verdict(skill) }
            let good = verdicts.filter { $0 == .good }.count, poor = verdicts.filter { $0 == .poor }.count, breach = verdicts.filter { $0 == .breach }.count
            var score: Int?
            if breach > 0 {
                score = 0
            } else if !verdicts.isEmpty {
                score = Int((100.0 * Double(good) / Double(verdicts.count)).rounded())
            }
            skills.append(.init(skill: skill, weight: rules.weights[skill] ?? 0, good: good, poor: poor, breach: breach, score: score))
        }
        // A skill never judged shows "–" on every card. It counts as 0 only when the call ended before the trainee could show
        // it (acknowledging, asking why and answering the reason are the point of the call); otherwise it is left out.
        let counted = skills.filter { $0.weight > 0 && ($0.score != nil || Scorecard.countsUnjudged($0.skill, outcome: outcome)) }
        let totalWeight = counted.reduce(0) { $0 + $1.weight }
        var overall = totalWeight == 0 ? 0 : Int((Double(counted.reduce(0) { $0 + $1.weight * ($1.score ?? 0) }) / Double(totalWeight)).rounded())
        if skills.contains(where: { $0.skill == .compliance && $0.breach > 0 }) { overall = min(overall, rules.breachCap) }
        var weak: [Scorecard.WeakPoint] = []
        for line in lines {
            for judgement in line.judgements where judgement.verdict != .good {
                weak.append(.init(skill: judgement.skill, verdict: judgement.verdict, line: line.line, note: judgement.note, suggestion: judgement.suggestion))
            }
        }
        return Scorecard(persona: persona.id, language: language, outcome: outcome, skills: skills, overall: overall,
                         passed: overall >= rules.pass && outcome == .won, lines: lines.count, hints: hints, weakPoints: weak, passScore: rules.pass)
    }
}

/// How a rehearsal ended.
public enum RehearsalOutcome: String, Sendable, Codable {
    /// the customer agreed
    case won
    /// the customer lost patience and left
    case lost
    /// the customer left because of pressure
    case pressured
    /// the customer left because of a forbidden promise
    case breach
    /// the trainee ended (or the transcript ran out) before a decision
    case unfinished
}

/// Per-skill scores, the overall score and the weak points of one rehearsal.
public struct Scorecard: Sendable, Equatable, Codable {
    public struct SkillScore: Sendable, Equatable, Codable {
        public var skill: RehearsalSkill
        public var weight: Int
        public var good: Int
        public var poor: Int
        public var breach: Int
        /// 0…100; nil when the skill was never judged (not counted in the overall score).
        public var score: Int?

        public init(skill: RehearsalSkill, weight: Int, good: Int, poor: Int, breach: Int, score: Int?) {
            self.skill = skill
            self.weight = weight
            self.good = good
            self.poor = poor
            self.breach = breach
            self.score = score
        }
    }

    public struct WeakPoint: Sendable, Equatable, Codable {
        public var skill: RehearsalSkill
        public var verdict: Verdict
        public var line: String
        public var note: String
        public var suggestion: String

        public init(skill: RehearsalSkill, verdict: Verdict, line: String, note: String, suggestion: String) {
            self.skill = skill
            self.verdict = verdict
            self.line = line
            self.note = note
            self.suggestion = suggestion
        }
    }

    public var persona: String
    public var language: Language
    public var outcome: RehearsalOutcome
    public var skills: [SkillScore]
    public var overall: Int
    public var passed: Bool
    /// The score a pass needs (scoring.txt `pass`); nil on cards stored before it was kept (70 then).
    public var passScore: Int?
    var passMark: Int { passScore ?? 70 }
    public var lines: Int
    /// How many times the trainee asked for `/hint` (a trainer wants to see it; it costs no points).
    public var hints: Int
    public var weakPoints: [WeakPoint]

    /// For a scorecard read back from a store; `RehearsalScorer.scorecard` makes new ones.
    public init(persona: String, language: Language, outcome: RehearsalOutcome, skills: [SkillScore], overall: Int, passed: Bool,
                lines: Int, hints: Int, weakPoints: [WeakPoint], passScore: Int? = nil) {
        self.persona = persona
        self.language = language
        self.outcome = outcome
        self.skills = skills
        self.overall = overall
        self.passed = passed
        self.lines = lines
        self.hints = hints
        self.weakPoints = weakPoints
        self.passScore = passScore
    }

    public func score(_ skill: RehearsalSkill) -> Int? { skills.first { $0.skill == skill }?.score }

    /// The mark of a skill never judged, the same on every card and summary.
    public static let unjudged = "–"

    /// Whether a skill never judged counts as 0 in the overall score: the skills the call is for, when it ended before the
    /// customer agreed.
    public static func countsUnjudged(_ skill: RehearsalSkill, outcome: RehearsalOutcome) -> Bool {
        outcome != .won && [.acknowledgement, .probing, .addressing].contains(skill)
    }

    /// One line, as written in rehearsal transcripts (`score> …`) and summary tables.
    public var summaryLine: String {
        let parts = skills.map { "\($0.skill.rawValue) \($0.score.map(String.init) ?? Scorecard.unjudged)" }
        return "\(overall)/100 \(outcome.rawValue) · " + parts.joined(separator: " · ") + (hints > 0 ? " · hints \(hints)" : "")
    }

    public func outcomeName(_ language: Language) -> String {
        switch (outcome, language) {
        case (.won, .zh): return "客户同意了"
        case (.won, .en): return "the customer agreed"
        case (.lost, .zh): return "客户失去耐心，离开了"
        case (.lost, .en): return "the customer lost patience and left"
        case (.pressured, .zh): return "客户因被施压而离开"
        case (.pressured, .en): return "the customer left because of pressure"
        case (.breach, .zh): return "违规承诺，客户离开"
        case (.breach, .en): return "a forbidden promise ended the call"
        case (.unfinished, .zh): return "通话未完成"
        case (.unfinished, .en): return "the call ended before a decision"
        }
    }

    /// The scorecard as plain text for the terminal.
    public func render(personaName: String) -> String {
        let zh = language == .zh
        var out: [String] = []
        out.append(zh ? "══ 评分卡 · \(personaName)（\(persona)）══" : "══ Scorecard · \(personaName) (\(persona)) ══")
        out.append((zh ? "结果：" : "Outcome: ") + outcomeName(language) + (zh ? "；坐席发言 \(lines) 句" : "; \(lines) agent lines"))
        for skill in skills {
            let name = skill.skill.name(language)
            let score = skill.score.map { String(format: "%3d", $0) } ?? "  " + Scorecard.unjudged
            let bar = skill.score.map { String(repeating: "█", count: $0 / 10) + String(repeating: "·", count: 10 - $0 / 10) } ?? String(repeating: " ", count: 10)
            let counts = zh ? "好 \(skill.good) / 弱 \(skill.poor) / 违规 \(skill.breach)" : "good \(skill.good) / poor \(skill.poor) / breach \(skill.breach)"
            out.append("  \(name.padding(toLength: zh ? 6 : 22, withPad: " ", startingAt: 0)) \(score) \(bar)  ×\(skill.weight)%  \(counts)")
        }
        out.append((zh ? "总分：" : "Overall: ") + "\(overall)/100 " + (passed ? (zh ? "（通过）" : "(pass)") : (zh ? "（未通过）" : "(not yet)")))
        out.append(zh ? "通过需要 \(passMark) 分以上且客户同意。" : "A pass needs \(passMark)+ and the customer agreeing.")
        if skills.contains(where: { $0.score == nil && $0.weight > 0 }) {
            let zero = skills.filter { $0.score == nil && $0.weight > 0 && Scorecard.countsUnjudged($0.skill, outcome: outcome) }
            out.append(zh
                ? "\(Scorecard.unjudged) 表示没有评到。" + (zero.isEmpty ? "没有评到的技能不计入总分。" : "通话在客户同意前结束，没来得及展示的\(zero.map { $0.skill.name(language) }.joined(separator: "、"))按 0 分计入总分，其余不计入。")
                : "\(Scorecard.unjudged) means not judged. " + (zero.isEmpty ? "Skills not judged are left out of the overall." : "The call ended before the customer agreed, so \(zero.map { $0.skill.name(language) }.joined(separator: ", ")) count as 0 in the overall; other skills not judged are left out."))
        }
        if hints > 0 { out.append(zh ? "使用提示：\(hints) 次" : "Hints used: \(hints)") }
        if !weakPoints.isEmpty {
            out.append(zh ? "需要改进：" : "To improve:")
            for (index, point) in weakPoints.enumerated() {
                let mark = point.verdict == .breach ? (zh ? "违规" : "BREACH") : (zh ? "较弱" : "weak")
                out.append("  \(index + 1). [\(point.skill.name(language)) · \(mark)] \(point.note)")
                out.append((zh ? "     您说：" : "     you said:  ") + point.line)
                if !point.suggestion.isEmpty { out.append((zh ? "     建议：" : "     suggested: ") + point.suggestion) }
            }
        }
        return out.joined(separator: "\n")
    }
}
