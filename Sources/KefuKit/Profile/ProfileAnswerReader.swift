/// Reads what a customer's words say about their profile, with a reader trained on `profile-answers.txt`.
///
/// The question asked decides the reading: "想给孩子攒点上大学的钱" answering the goal question is the goal
/// education, never the occupation student (it was, and a 42-year-old office worker was capped at C2). An answer
/// is read first for the pending fact, with a low bar; other facts it volunteers ("I could accept losing maybe
/// 10%" while the goal is asked) are taken only when the reader is sure, clause by clause.
public struct ProfileAnswerReader: Sendable {
    public struct Reading: Sendable, Equatable {
        public var facts: [(InvestorProfile.Fact, RuleValue)] = []
        public var skip = false
        public var correction = false
        public var unsure = false

        public func value(_ fact: InvestorProfile.Fact) -> RuleValue? { facts.last { $0.0 == fact }?.1 }

        public static func == (a: Reading, b: Reading) -> Bool {
            a.facts.map { "\($0.0)=\($0.1)" } == b.facts.map { "\($0.0)=\($0.1)" } && a.skip == b.skip && a.correction == b.correction && a.unsure == b.unsure
        }
    }

    /// Settings, with the evidence for each (measured on `simulations/dev` and the examples' own misreads).
    public struct Thresholds: Sendable, Equatable {
        /// The lowest score at which an answer is read as the pending fact's value (or a skip), by the reader of
        /// that fact's answers: the question asked makes a modest reading enough, and an answer misread is said back
        /// ("已更新") while one not read is asked again. Dev answers read alone: 0.3 read 253/275, 0.2 254, 0.1 260.
        public var pending = 0.1
        /// How far below the best reading the pending fact's own best may be and still win (dev: 0.15 and 0.3 alike
        /// at 0.1; 0.3 at 0.3 gained 2 answers).
        public var pendingMargin = 0.3
        /// Asked the income, a reading of "no income" below this yields to another fact the whole line reads surely
        /// (`volunteered`) and higher: "上班族", said when the income is asked, read 0.23 as no income and 0.74 as
        /// employed; it was taken as no income, and the occupation then asked of a salaried worker. Only the income:
        /// its words are read for one value, none, so any answer without a figure lands there faintly. (For every fact,
        /// "找到工作之前一家子开销要靠它", asked the goal, lost its goal, liquidity 0.24, to unemployed 0.79; dev answers
        /// read alone 953/987, against 954 for the income only.)
        public var pendingYields = 0.5
        /// The lowest score at which a fact the customer volunteers is taken, read whole or by clause. Dev
        /// simulations: 0.5 passed 24 of 64, 0.6 and 0.7 28 (fewer openings misread as a goal or a loss).
        public var volunteered = 0.7
        /// The same below a reading of no answer at all (dev: 0 to 0.3 alike, 265/275 answers alone, 46/64 customers;
        /// the smaller margin asks again rather than guess).
        public var marginBelowNone = 0.05
        /// The lowest score at which an answer is read as "rather not say", which assumes the cautious value.
        public var skip = 0.5
        /// The same for one clause of several ("我30岁，上班族，月入一万，…"): a clause says one thing.
        public var volunteeredClause = 0.5
        /// The same for a short English clause that refers back with "one" to a thing just named: in "I run my own export
        /// company, small one." the clause "small one" read 0.80 as a small loss tolerance, and the loss was never asked
        /// (dev simulation en-r3-04). (Every clause of one or two words at this bar lost "retired" in "I'm 63, retired, …".)
        public var volunteeredReferringBack = 0.9
        /// The same for a value that raises the customer's level, read in a clause: "if rain more orders more money" read
        /// 0.52 as a large loss tolerance, the loss was never asked, and a delivery rider who cannot lose a fen was offered
        /// R3 products. The whole line's bar, as no clause should say more surely than a line: dev simulations 328 → 332
        /// of 384 (0.6 alike; 0.8 333, one customer, not worth a bar above the line's own).
        public var volunteeredRaising = 0.7
        public init() {}
    }

    public let answers: ProfileAnswers
    /// Every label against every other: what a line volunteers, whatever was asked.
    public let reader: ExampleReader
    /// One reader per asked fact, over that fact's values, a skip, an unsure and the lines that answer nothing:
    /// asked for an occupation, "在银行做客户经理" is read among occupations (employed), not among all 24 labels,
    /// where a goal's or an experience's words drowned it (0.08).
    let asked: [InvestorProfile.Fact: ExampleReader]
    public let thresholds: Thresholds
    private let meanings: [String: ProfileAnswers.Meaning]
    /// The values whose answers need a surer reading (`needs:` in profile-answers.txt).
    private let needs: [String: Double]
    /// The values that raise the customer's level above the cautious one when volunteered: those with `needs:`, and any loss
    /// tolerance or experience but none (a small loss lifts the C1 cap, some experience the C3 cap).
    private let raising: Set<String>
    /// Chinese question forms from replies.txt (`[question-form]`, `[question-end]`): see `asksWithoutMark`.
    private let questionForms: [String]
    private let questionEnds: [String]

    /// `replies`: replies.txt, for the forms of a question asked without a question mark.
    public init(answers: ProfileAnswers, replies: ReplyPhrases, extractor: FeatureExtractor, thresholds: Thresholds = Thresholds()) {
        self.answers = answers
        self.thresholds = thresholds
        questionForms = replies["question-form"]
        questionEnds = replies["question-end"]
        var meanings: [String: ProfileAnswers.Meaning] = [:]
        for label in answers.labels { meanings[label.id] = label.meaning }
        needs = Dictionary(answers.labels.compactMap { label in label.needs.map { (label.id, $0) } }, uniquingKeysWith: { first, _ in first })
        self.meanings = meanings
        raising = Set(answers.labels.filter { label in
            if label.needs != nil { return true }
            guard case .fact(let fact, let value) = label.meaning, fact == .loss || fact == .experience else { return false }
            return value != .word("none")
        }.map(\.id))
        // Amounts and ages are NumberParser's: as one placeholder, "亏1万我都心疼" and "亏一点都心疼" read alike.
        var configuration = ExampleReader.defaultConfiguration
        configuration.maxCandidates = max(configuration.maxCandidates, answers.labels.count + 1)
        let general = answers.counterExamples.filter { $0.fact == nil }.map(\.example)
        // (Not the FAQ's questions as well: against five thousand of them "存钱" read as a question, 0.46, and the dev
        // simulations passed 42 of 64 with them, 43 without.)
        reader = ExampleReader(examples: answers.examples + general, extractor: extractor, configuration: configuration, numbersAsPlaceholder: true)
        var asked: [InvestorProfile.Fact: ExampleReader] = [:]
        // Every fact gets one, numbers included: asked for an age, "Ha, a lady never tells her age" is read among a
        // skip, an unsure and nothing, not against every occupation and goal.
        for fact in InvestorProfile.Fact.allCases where !answers.isEmpty {
            let own = answers.examples.filter { example in
                switch meanings[example.label] {
                case .fact(let other, _)?: return other == fact
                case .skip?, .unsure?: return true
                case .correction?, nil: return false
                }
            }
            let counter = answers.counterExamples.filter { $0.fact == nil || $0.fact == fact }.map(\.example)
            asked[fact] = ExampleReader(examples: own + counter, extractor: extractor, configuration: configuration, numbersAsPlaceholder: true)
        }
        self.asked = asked
    }

    public var isEmpty: Bool { answers.isEmpty }

    /// The likely value of `fact` that the profile's values suggest (`suggests:`), if any: spare cash, the horizon 0.
    public func suggestion(for fact: InvestorProfile.Fact, from profile: InvestorProfile) -> RuleValue? {
        for label in answers.labels {
            guard let (suggested, value) = label.suggests, suggested == fact, case .fact(let source, let sourceValue) = label.meaning,
                  profile.ruleValue(source) == sourceValue else { continue }
            return value
        }
        return nil
    }

    /// Another fact's likely value that a value suggests (`suggests:` of its block), if any.
    public func suggestion(_ fact: InvestorProfile.Fact, _ value: RuleValue) -> (InvestorProfile.Fact, RuleValue)? {
        answers.labels.first { $0.meaning == .fact(fact, value) }?.suggests
    }

    public func waitUntilReady() {
        reader.waitUntilReady()
        for reader in asked.values { reader.waitUntilReady() }
    }

    /// Whether a meaning answers the pending fact (a skip, an unsure or a correction answers any question).
    private static func answers(_ meaning: ProfileAnswers.Meaning, _ pending: InvestorProfile.Fact) -> Bool {
        switch meaning {
        case .fact(let fact, _): return fact == pending
        case .skip, .unsure: return true
        case .correction: return false
        }
    }

    /// How surely the line answers the pending question, by that question's reader (0 when it reads as nothing):
    /// the dialogue's evidence that "I can leave it for a long time, years", said when asked how long, is an answer.
    public func answerScore(_ text: String, pending: InvestorProfile.Fact) -> Double { answerReading(text, pending: pending).score }

    /// `answerScore`, and whether the best reading is only a hedge ("rather not say", "not sure"): no fact, and so weaker
    /// evidence against another reading of the line.
    /// `rankedFirst`: the asked question's own reader ranks one of its answers (a value, a skip or "not sure") first, however
    /// faintly: weak evidence that the line is an answer, enough for Kefu to ask "how are you doing?" rather than give
    /// the whole crisis script when the reader that knows the answers does not find the crisis too ("I am not working,
    /// so no salary of myself.", asked the income: skip 0.39, distress 0.17).
    public func answerReading(_ text: String, pending: InvestorProfile.Fact) -> (score: Double, hedge: Bool, rankedFirst: Bool) {
        var score = 0.0, hedged = false, rankedFirst = false
        if let best = asked[pending]?.read(text).first, let meaning = meanings[best.label], Self.answers(meaning, pending) {
            rankedFirst = best.score >= thresholds.pending
            // A faint "rather not say" or "not sure" is no evidence of an answer: "Bought weedkiller today. Not for the
            // garden.", asked the age, read 0.30 as unsure, and a crisis line was taken for an answer.
            let hedge = meaning == .skip || meaning == .unsure
            if !hedge || best.score >= thresholds.skip { score = best.score; hedged = hedge }
        }
        // "这个我也说不好，你别问了" is an unsure answer to any question (read among every label: 0.80).
        if let best = reader.read(text).first, meanings[best.label] == .unsure || meanings[best.label] == .skip, best.score > score {
            score = best.score
            hedged = true
        }
        return (score, hedged, rankedFirst)
    }

    /// The asked question's own reader's ranking, for `/why`: the reading that decides whether a line answers the question
    /// (the reader over every label, shown beside it, is the one for what a line volunteers).
    public func askedRanking(_ text: String, pending: InvestorProfile.Fact) -> [ExampleReader.Candidate] {
        asked[pending]?.read(text) ?? []
    }

    /// What the line says. `pending` is the question Kefu asked, if any.
    public func read(_ text: String, pending: InvestorProfile.Fact?) -> Reading {
        var out = Reading()
        guard !reader.isEmpty else { return out }
        let candidates = reader.read(text)
        guard let top = candidates.first else { return out }
        var taken = Set<InvestorProfile.Fact>()
        if let pending {
            // Read among the asked fact's own answers when it has a reader of its own.
            let ranked = asked[pending]?.read(text) ?? candidates
            let top = ranked.first ?? top
            let own = ranked.first { meanings[$0.label].map { Self.answers($0, pending) } ?? false }
            // A skip must be said surely: a faint one ("就那样吧") is an answer not read, asked again, never assumed.
            // A value that raises the customer's level may need a surer reading (`needs:`): "找到工作之前每个月都得从里面拿",
            // asked how long the money can stay, read 0.10 as the long term (60 months).
            let floor = max(meanings[own?.label ?? ""] == .skip ? thresholds.skip : thresholds.pending, own.flatMap { needs[$0.label] } ?? 0)
            // Below a reading of "no answer at all", only by a little: "I may need it any time", asked about loss, reads
            // as no answer (0.30) before "no loss" (0.23), and is asked again rather than taken.
            let margin = top.label == ExampleReader.background ? thresholds.marginBelowNone : thresholds.pendingMargin
            let yields = pending == .income && own.map { own in
                own.score < thresholds.pendingYields && candidates.contains { candidate in
                    guard case .fact(let fact, _)? = meanings[candidate.label], fact != pending else { return false }
                    return candidate.score >= thresholds.volunteered && candidate.score > own.score
                }
            } ?? false
            if let own, own.score >= floor, own.score >= top.score - margin, !yields {
                take(meanings[own.label]!, into: &out, taken: &taken)
            }
        }
        if meanings[top.label] == .correction, top.score >= thresholds.pending { out.correction = true }
        // Volunteered facts: the whole line, then each clause ("我是退休教师，想稳健存钱" says two).
        // A question volunteers nothing ("风险有多大？" is no loss tolerance, "what's the risk?" no answer).
        // A bare "no" or "没有" volunteers nothing either: said to nobody's question, it is not "no experience".
        // And a line that answers the question asked says other facts only in clauses of its own: read whole, "a rainy
        // day fund" (the goal) also read as no loss at all.
        let answeredAsked = pending.map { taken.contains($0) } ?? false
        var pieces = Self.isQuestion(text) || asksWithoutMark(text) || Self.isBare(text) || answeredAsked ? [] : [(candidates, thresholds.volunteered, Self.hasFigure(text))]
        let wholeLine = pieces.count
        let clauses = Self.clauses(text)
        if clauses.count > 1 {
            pieces += clauses.filter { !Self.isQuestion($0) && !asksWithoutMark($0) }.map { clause in
                (reader.read(clause), Self.refersBack(clause) ? thresholds.volunteeredReferringBack : thresholds.volunteeredClause, Self.hasFigure(clause))
            }
        }
        // Each fact once, from the piece that reads it most surely: "want to invest 50k" reads faintly as growth, "for
        // saving" surely as saving.
        var volunteered: [InvestorProfile.Fact: (meaning: ProfileAnswers.Meaning, score: Double)] = [:]
        var disputed: Set<InvestorProfile.Fact> = []
        var clauseValues: [InvestorProfile.Fact: (meaning: ProfileAnswers.Meaning, score: Double)] = [:]
        for (index, (ranked, floor, figure)) in pieces.enumerated() {
            // The surest fact, even below "none" ("want to invest 50k for saving" is mostly a wish, and says the goal),
            // or a correction ("actually I'm retired" names what it corrects).
            // A clause that would raise the customer's level (`raising`) must be read surely (`volunteeredRaising`).
            guard let best = ranked.first(where: { if case .fact = meanings[$0.label] { return true } else { return false } }),
                  best.score >= max(floor, needs[best.label] ?? 0, raising.contains(best.label) ? thresholds.volunteeredRaising : 0),
                  let meaning = meanings[best.label], case .fact(let fact, _) = meaning, !taken.contains(fact),
                  // A loss, a length or an income beside a figure is the number grammar's: read as words, "my income is
                  // 300k" was a loss tolerance (the figure is a placeholder, as in "亏30%也行"). Asked for a figure, a piece
                  // holding one is that answer and volunteers nothing: "一个月有六千多点" (asked the income) read 0.56 as some
                  // investing experience.
                  !(figure && (Self.figureFacts.contains(fact) || pending.map(Self.figureQuestions.contains) == true)) else { continue }
            // Only clauses dispute, and only when read about as surely: the whole line is no voice of its own ("我想理财，存点
            // 钱，以后给孩子上学用" read saving whole and education in a clause), and a clause read far more surely wins
            // ("以前在厂里上班，现在退休了").
            let fromClause = index >= wholeLine
            if fromClause, let earlier = clauseValues[fact], earlier.meaning != meaning, abs(earlier.score - best.score) < Self.disputeMargin {
                disputed.insert(fact)
            }
            if fromClause, (clauseValues[fact]?.score ?? 0) < best.score { clauseValues[fact] = (meaning, best.score) }
            if (volunteered[fact]?.score ?? 0) < best.score { volunteered[fact] = (meaning, best.score) }
        }
        // Two pieces that volunteer different values of one fact leave it to its question: "I am an old teacher of English,
        // retired." read employed in one clause, and a retired teacher was never asked what she does.
        for fact in InvestorProfile.Fact.allCases where !disputed.contains(fact) {
            if let (meaning, _) = volunteered[fact] { take(meaning, into: &out, taken: &taken) }
        }
        return out
    }

    /// How close two clauses' readings of different values must be for the fact to be left to its question.
    static let disputeMargin = 0.25

    /// A clause of at most three English words ending in "one" or "ones" ("small one", "a big one"): it describes a thing
    /// named before, not the customer.
    static func refersBack(_ clause: String) -> Bool {
        let words = clause.lowercased().split(whereSeparator: { $0 == " " }).map { $0.trimmingCharacters(in: .punctuationCharacters) }
        return words.count <= 3 && ["one", "ones"].contains(words.last ?? "") && clause.unicodeScalars.allSatisfy { $0.isASCII }
    }

    /// The text without the commas that group digits: "School pays me around 22,000 RMB a month" is one clause, and
    /// split at its comma "School pays me around 22" read as the goal education.
    static func withoutDigitGrouping(_ text: String) -> String {
        guard text.contains(",") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, scalar) in scalars.enumerated() {
            if i > 0, NumberParser.isDigit(scalars[i - 1]), NumberParser.isGroupingComma(scalars, at: i) { continue }
            out.append(scalar)
        }
        return String(out)
    }

    /// The clauses of a message: "上班族" in "我30岁，上班族，月入一万" is three characters and a whole answer. A question
    /// mark stays with its clause (see `isQuestion`).
    static func clauses(_ text: String) -> [String] {
        let marks: Set<Character> = ["。", "，", "；", "！", ",", ";", "!", "…", "\n", "、"]
        var out: [String] = []
        for piece in Self.withoutDigitGrouping(text).split(whereSeparator: { marks.contains($0) }) {
            var rest = Substring(piece)
            while let mark = rest.firstIndex(where: { $0 == "?" || $0 == "？" }) {
                out.append(String(rest[...mark]))
                rest = rest[rest.index(after: mark)...]
            }
            out.append(String(rest))
        }
        return out.map { $0.trimmingWhitespace() }.filter { $0.count >= 2 }
    }

    /// The questions whose answer is a figure.
    static let figureQuestions: Set<InvestorProfile.Fact> = [.age, .income, .amount]

    /// The facts figures express: not volunteered from the words of a piece that holds one.
    static let figureFacts: Set<InvestorProfile.Fact> = [.loss, .horizon, .income]

    /// Holds a figure the number grammar reads (35, 两万, 10%).
    static func hasFigure(_ text: String) -> Bool { !NumberParser().mentions(inFolded: NumberParser.fold(text)).isEmpty }

    /// One word, or two Han characters or fewer.
    static func isBare(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation })
        let han = text.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count
        return han > 0 ? han <= 2 : words.count <= 1
    }

    /// A Chinese clause asked without a question mark: it holds a form of replies.txt's `[question-form]` (A-not-A: 有没有,
    /// 是不是, 能不能…) or ends with one of `[question-end]` (吗). "在县里税务局上班，想提前为退休做点准备，有没有稳妥的"
    /// volunteered no investing experience from its last clause (没有, 0.67), and the experience question was never asked.
    /// The grammar stays here: a form right after a negation is a repeated no ("没有没有", "不会不会我从来没买过"), and one
    /// right before 都 or 也 is "either way" ("好不好都行"), not a question.
    func asksWithoutMark(_ clause: String) -> Bool {
        let text = clause.trimmingWhitespace()
        if questionEnds.contains(where: { text.hasSuffix($0) }) { return true }
        // A byte search first: Foundation's `range(of:)` for each of the forms was a tenth of a turn's time.
        let search = SearchText(text)
        return questionForms.contains { form in
            guard search.contains(form) else { return false }
            var rest = Substring(text)
            while let range = rest.range(of: form) {
                let saysNo = ["不", "没"].contains { text[..<range.lowerBound].hasSuffix($0) }
                let either = ["都", "也"].contains { text[range.upperBound...].hasPrefix($0) }
                if !saysNo && !either { return true }
                rest = rest[range.upperBound...]
            }
            return false
        }
    }

    /// Ends with a question mark.
    static func isQuestion(_ text: String) -> Bool {
        guard let last = text.trimmingWhitespace().last else { return false }
        return last == "?" || last == "？"
    }

    private func take(_ meaning: ProfileAnswers.Meaning, into out: inout Reading, taken: inout Set<InvestorProfile.Fact>) {
        switch meaning {
        case .fact(let fact, let value):
            out.facts.append((fact, value))
            taken.insert(fact)
        case .skip: out.skip = true
        case .unsure: out.unsure = true
        case .correction: out.correction = true
        }
    }

    /// The ranked labels of a line, for `/why` and `kefu check`.
    public func candidates(_ text: String) -> [ExampleReader.Candidate] { reader.read(text) }

    /// The ranked labels of a line read as the answer to `asked` (that question's reader).
    public func candidates(_ text: String, asked fact: InvestorProfile.Fact) -> [ExampleReader.Candidate] { (asked[fact] ?? reader).read(text) }

    /// Every example its own reader reads as something else, with file:line (`kefu check`): an answer by the reader of
    /// its fact (as when that question is asked), a counter-example by the reader it teaches.
    public func misreads() -> [Diagnostic] {
        var found: [Diagnostic] = []
        func report(_ example: ExampleReader.Example, _ ranked: [ExampleReader.Candidate]) {
            guard let best = ranked.first, best.label != example.label else { return }
            let what = example.label == ExampleReader.background ? "a counter-example" : "an example of '\(example.label)'"
            let got = best.label == ExampleReader.background ? "none of the answers" : "'\(best.label)'"
            found.append(Diagnostic(file: example.file, line: example.line, severity: .warning,
                                    message: "'\(example.text)' is \(what) but its reader reads it as \(got) (\(String(format: "%.2f", best.score)))"))
        }
        for example in answers.examples {
            if case .fact(let fact, _)? = meanings[example.label], let own = asked[fact] { report(example, own.read(example.text)) } else { report(example, reader.read(example.text)) }
        }
        for (fact, example) in answers.counterExamples {
            report(example, (fact.flatMap { asked[$0] } ?? reader).read(example.text))
        }
        return found
    }
}
