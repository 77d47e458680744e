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

    /// `answering`: the reader for lines said while a profile question waits, which also learns the profile answers
    /// as lines that need no person (see `EscalationFlow`). `stories`: the reader that confirms a distress reading, which
    /// also learns the `[stories]` lines (ordinary customers telling their life at length) as lines that need no person.
    public init(knowledge: KnowledgeBase, extractor: FeatureExtractor, answering: Bool = false, stories: Bool = false) {
        rules = knowledge.escalation
        keywords = knowledge.escalation.keywordLists()
        var examples: [ExampleReader.Example] = []
        for rule in rules.rules where rule.trigger == .keywords {
            for example in rule.examples { examples.append(.init(label: rule.id, text: example.text, file: "escalation.txt", line: example.line)) }
        }
        let background = ExampleReader.background
        for example in rules.none { examples.append(.init(label: background, text: example.text, file: "escalation.txt", line: example.line)) }
        if stories {
            for example in rules.stories { examples.append(.init(label: background, text: example.text, file: "escalation.txt", line: example.line)) }
        }
        for rule in rules.rules {
            for example in rule.safe { examples.append(.init(label: background, text: example.text, file: "escalation.txt", line: example.line)) }
        }
        // The FAQ's questions are what ordinary customers ask; an entry a rule covers (loan-hardship for hardship)
        // describes the rule's own situation and is left out.
        // Nor are the entries near a rule: their questions talk as its lines do ("我爸上个月去世了，他账户里的钱怎么取出来" as
        // "老伴走了，我也想去找老伴了"), and learned as lines that need no person they cost dev crisis lines their reading.
        let covered = Set(rules.rules.flatMap { $0.covers + $0.near })
        if !examples.isEmpty {
            for entry in knowledge.entries where !covered.contains(entry.id) {
                for language in Language.allCases {
                    for example in entry.examples(in: language).prefix(Self.faqBackgroundPerLanguage) {
                        examples.append(.init(label: background, text: example.text, file: entry.file, line: example.line))
                    }
                }
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
        // So are the first messages that ask for advice (`openings.txt`): people telling their situation with a wish for
        // their money. Without them "我六十五了，娃儿们都在外头，想把养老钱放稳当点" read as despair (0.60) and got the hotline.
        // (The profile answers are not: short statements such as "失业了" or "没收入" cost crisis lines their reading. Nor
        // are the openings' [not] lines, questions about money already there: with them, dev fraud and person recall fell
        // by 1 and 4 lines; without them 168/170 crisis lines, 1 of 64 advice openings read as an alarm.)
        // The long, told ones (`[invest-told]`, `[loan-told]`) only for the reader that confirms a reading (`stories`): learned
        // by the reader that decides, 440 of them cost dev crisis, takeover, fraud and person lines ("每天都觉得自己是多余的"
        // no longer escalated).
        if !examples.isEmpty {
            for example in knowledge.adviceOpenings.examples + (stories ? knowledge.adviceOpenings.told : []) where example.label != background {
                examples.append(.init(label: background, text: example.text, file: example.file, line: example.line))
            }
        }
        // Answering a profile question, the answers themselves: "Not one fen. This is everything I have." (asked how much
        // loss is acceptable) read as despair at 0.72. Not for every line: short answers such as "失业了" or "没收入" in the
        // background cost four of the 170 dev crisis lines their reading. Skipped and unsure answers belong here too:
        // "这个我也说不好，你别问了", asked how much loss is acceptable, read as despair at 0.67 (dev crisis lines read
        // mid-profile: 167 of 170 without them, 168 with them).
        if answering, !examples.isEmpty {
            for example in knowledge.profileAnswers.examples + knowledge.profileAnswers.counterExamples.map(\.example) where example.label != "answer/not" && example.label != "answer/correction" {
                examples.append(.init(label: background, text: example.text, file: example.file, line: example.line))
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
        read(folded: SearchText(EscalationRules.fold(text)), text: text)
    }

    /// `read`, for a line already folded by `EscalationRules.fold`, with its text as typed. A line of several
    /// clauses is also read clause by clause: "还款日能不能改到下个月？算了改不改都一样，我大概撑不到那时候了" is
    /// mostly a question about the due date, and read whole it was a question.
    func read(folded: SearchText, text: String) -> Reading? {
        var best = read(folded: folded, query: reader.query(text))
        // Fragments of six characters or words or fewer ("我失业了") say too little to stand for the line.
        let clauses = Self.clauses(text).filter { !Self.isShort($0) }
        guard clauses.count > 1 else { return best }
        for clause in clauses {
            guard let reading = read(folded: SearchText(EscalationRules.fold(clause)), query: reader.query(clause), keywordsToo: false,
                                     margin: Self.clauseMargin) else { continue }
            // A clause alone never overrules as urgent a rule the keywords found in the whole line: in "有人冒充我借钱，催收电话都
            // 打到我这了" (冒充我: identity theft) the clause about collectors' calls read 0.46 as despair.
            if let current = best, current.byKeywords, current.rule.priority == reading.rule.priority { continue }
            if best == nil || more(reading, than: best!) { best = reading }
        }
        return best
    }

    /// At most `shortLength` Han characters and words in all.
    static func isShort(_ text: String) -> Bool { units(text) <= shortLength }

    /// How many Han characters and words (runs of letters or digits) the text holds.
    static func units(_ text: String) -> Int {
        var han = 0, words = 0, inWord = false
        for scalar in text.unicodeScalars {
            if (0x4E00...0x9FFF).contains(scalar.value) {
                han += 1
                inWord = false
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        return han + words
    }

    /// Clauses worth reading on their own: split at sentence and clause marks, at least 4 characters each.
    public static func clauses(_ text: String) -> [String] {
        let marks: Set<Character> = ["。", "，", "；", "！", "？", ",", ";", "!", "?", ".", "…", "\n"]
        return text.split(whereSeparator: { marks.contains($0) }).map { $0.trimmingWhitespace() }.filter { $0.count >= 4 }
    }

    /// Whether the reader's `a` should win over `b` (another rule, from the keywords, the reader or a clause): more
    /// urgent; or as urgent, against keywords, earlier in the file and sure enough to overrule them ("有人冒充我借钱"
    /// says 冒充我, identity theft, and only faintly reads as despair); or, against another reading, scored higher
    /// ("paid a fee to unfreeze a loan, three times" reads as fraud far more than as despair, though both are urgent).
    private func more(_ a: Reading, than b: Reading) -> Bool {
        // A reading at the edge of its rule's bar does not outrank what the keywords plainly found: "I'm going to report
        // you to the regulator, my money still hasn't arrived" is a complaint, and read 0.15 as despair.
        if b.byKeywords, !a.byKeywords, (a.score ?? 0) < a.rule.threshold + Self.marginOverKeywords { return false }
        if a.rule.priority != b.rule.priority { return a.rule.priority < b.rule.priority }
        guard a.rule.id != b.rule.id else { return false }
        if !b.byKeywords { return (a.score ?? 0) > (b.score ?? 0) }
        let pa = rules.rules.firstIndex { $0.id == a.rule.id } ?? 0, pb = rules.rules.firstIndex { $0.id == b.rule.id } ?? 0
        return pa < pb && (a.score ?? 0) >= Self.overrulesKeywords
    }

    /// A clause read on its own must score this much above its rule's threshold: a fragment ("my money still hasn't
    /// arrived") says less than a line. On the dev corpora clause reading finds 1 more of 170 crisis lines, and
    /// margins from 0 to 0.25 change nothing else there (no margin at all: one more request for a person).
    static let clauseMargin = 0.1
    /// The reader's score at which a phrase the rule excuses no longer hides the rule from the reader: "He said he was
    /// from the anti-fraud department and needed my login password to secure the account. I gave it to him." read 0.89 as
    /// fraud and was excused by "anti-fraud" (scammers impersonate the anti-fraud centre). Dev (all corpora, 460 ordinary
    /// lines): 0.5 to 0.8 read alike, that line found and no false alarm more; 0.7 keeps well clear of the excused
    /// questions' readings.
    static let sureDespiteExcuse = 0.7
    /// How many FAQ questions of one entry and language the reader learns as background: the first ones. The bars are
    /// tuned against this background, so an entry that grows for the FAQ matcher does not move them. 600 money questions
    /// added to 30 entries, all learned as background, cost dev fraud, crisis and takeover recall a line each, and read
    /// "I'm going to report you to the regulator, my money still hasn't arrived" as despair. At 30, what most entries
    /// held, every dev safety figure is as before them. (The advice-opening reader learns them all: which questions are
    /// no wish to invest or borrow is what it needs to know.)
    static let faqBackgroundPerLanguage = 30

    /// A line of at most this many Han characters and words is read with its rule's `threshold.short`.
    static let shortLength = 6

    /// How far above its own bar a reading must be to outrank a rule the keywords found (dev corpora: 0.05 and 0.1 read
    /// the same crisis, fraud and person lines as none at all).
    static let marginOverKeywords = 0.05

    /// The score at which the reader's rule replaces an as-urgent rule the keywords found earlier in the file order:
    /// "有人冒充我借钱，催收电话都打到我这了" says 冒充我 (identity theft) and only faintly reads as despair. (0.5 until the
    /// openings joined the background: that line then read 0.49 as fraud; the dev corpora read alike at 0.45 and 0.5.
    /// Back to 0.5 when the stories joined the confirming reader: the line read 0.46 as fraud and its transcript's security
    /// script became the fraud script, while its English twin kept the security script; at 0.5 one dev fraud line of round 3
    /// escalates urgently by another urgent rule, nothing else moves.)
    static let overrulesKeywords = 0.5

    /// One reading of `query`: the keyword floor (unless `keywordsToo` is false), then the reader.
    func read(folded: SearchText, query: Matcher.Query, keywordsToo: Bool = true, margin: Double = 0) -> Reading? {
        read(folded: folded, ranked: reader.read(query), keywordsToo: keywordsToo, margin: margin)
    }

    /// The line read whole (no clause by clause), and whether the reader ranks "nothing" first: a reading above a rule's
    /// bar may still rank below it (the crisis bar is 0.15). One ranking serves both.
    func readWhole(folded: SearchText, text: String) -> (reading: Reading?, nothingFirst: Bool) {
        let ranked = reader.read(reader.query(text))
        return (read(folded: folded, ranked: ranked), ranked.first?.label == ExampleReader.background)
    }

    /// `read`, from the reader's ranking of the line.
    private func read(folded: SearchText, ranked: [ExampleReader.Candidate], keywordsToo: Bool = true, margin: Double = 0) -> Reading? {
        var best: Reading?
        if keywordsToo, let rule = rules.match(folded: folded, keywords: keywords) { best = Reading(rule: rule, score: nil, byKeywords: true) }
        let short = Self.isShort(folded.string)
        for candidate in ranked where candidate.label != ExampleReader.background {
            guard let position = rules.rules.firstIndex(where: { $0.id == candidate.label }) else { continue }
            let rule = rules.rules[position]
            let needed = short ? max(rule.shortThreshold ?? rule.threshold, rule.threshold) : rule.threshold + margin
            // "how do I avoid being scammed": a phrase the rule excuses keeps the reader from finding it too.
            guard candidate.score >= needed, candidate.score >= Self.sureDespiteExcuse || !excuses(rule, folded) else { continue }
            let reading = Reading(rule: rule, score: candidate.score, byKeywords: false)
            if let current = best {
                if current.rule.id == rule.id {
                    best?.score = candidate.score
                    continue
                }
                guard more(reading, than: current) else { continue }
            }
            best = reading
        }
        // Debt despair that the reader is surer is hardship than crisis ("I lost my job and there's no way I can make
        // next month's payment": hardship 0.63, distress 0.18) takes the hardship path, not the hotline; a crisis the
        // keywords or a confident reading found stays a crisis.
        if let current = best, !current.byKeywords, current.rule.stops.contains(.selling), (current.score ?? 0) < Self.overrulesKeywords,
           let softer = ranked.first(where: { candidate in
               rules.rule(id: candidate.label).map { $0.stops == [.credit] && candidate.score >= $0.threshold && candidate.score > (current.score ?? 0) } ?? false
           }), let rule = rules.rule(id: softer.label) {
            best = Reading(rule: rule, score: softer.score, byKeywords: false)
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
            for id in rule.near where !entryIDs.contains(id) {
                found.append(Diagnostic(file: "escalation.txt", line: rule.line, severity: .warning,
                                        message: "rule '\(rule.id)': near names no FAQ entry '\(id)'"))
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

    /// Every `[stories]` line that this reader (the one that learns them, `stories: true`) still reads as a rule, with
    /// file:line: a story that the reader confirms as distress would get the whole crisis script, not the question first.
    public func storyMisreads() -> [Diagnostic] {
        rules.stories.compactMap { example in
            guard let reading = read(example.text) else { return nil }
            return Diagnostic(file: "escalation.txt", line: example.line, severity: .warning,
                              message: "[stories] line '\(example.text)' is read as '\(reading.rule.id)'")
        }
    }
}
