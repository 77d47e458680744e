/// Measures how well the matcher understands labelled phrasings. It builds the matcher exactly as chat
/// does (a `DialogueEngine` over a knowledge base), so the figures are the ones customers get.
/// Timing comes from an injected clock, so KefuKit stays free of wall-clock reads.
public struct Evaluator: Sendable {
    /// Monotonic nanoseconds.
    public typealias Clock = @Sendable () -> UInt64

    public struct Outcome: Sendable {
        public var report: ClassificationReport
        /// Knowledge -> ready matcher (the whole DialogueEngine initialiser).
        public var buildNanoseconds: UInt64
        /// One `match` per test phrasing, in test order.
        public var latencies: [UInt64]
        public var entryCount: Int
        public var exampleCount: Int
        public var featureCount: Int
        public var usesLinearModel: Bool
        public var testCount: Int { report.count }
        /// Best score and whether the best candidate was right, per test phrasing (for threshold studies).
        public var bestScores: [(score: Double, correct: Bool)]
        /// Test categories that no entry has (counted as errors in the accuracy; out of scope in `scope`).
        public var unknownCategories: [String]
        /// Honesty about what is not in training (see `ScopeReport`).
        public var scope: ScopeReport

        public var latencyMedian: UInt64 { Percentile.of(latencies, 50) }
        public var latencyP99: UInt64 { Percentile.of(latencies, 99) }

        /// Share of phrasings whose best score reaches `threshold`, and accuracy among those.
        public func answered(at threshold: Double) -> (rate: Double, accuracy: Double) {
            let answered = bestScores.filter { $0.score >= threshold }
            guard !bestScores.isEmpty else { return (0, 0) }
            let right = answered.filter(\.correct).count
            return (Double(answered.count) / Double(bestScores.count), answered.isEmpty ? 0 : Double(right) / Double(answered.count))
        }
    }

    public var clock: Clock
    public var engineConfiguration: DialogueEngine.Configuration
    /// Overrides for tuning experiments (`kefu eval --set`); nil evaluates the engine exactly as chat builds it.
    public var tuning: Tuning?

    public struct Tuning: Sendable {
        public var matcher = Matcher.Configuration()
        public var extractor = FeatureExtractor()
        public var namesAsExamples = true
        public init() {}

        /// Applies `key=value` settings; returns the keys it did not know.
        public mutating func apply(_ settings: [String]) -> [String] {
            var unknown: [String] = []
            for setting in settings {
                let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let value = Double(parts[1]) else { unknown.append(setting); continue }
                let f = Float(value)
                switch parts[0] {
                case "epochs": matcher.epochs = Int(value)
                case "lr": matcher.learningRate = f
                case "decay": matcher.learningRateDecay = f
                case "C": matcher.regularization = f
                case "reject": matcher.rejectLogit = f
                case "sharpness": matcher.sharpness = f
                case "gate": matcher.centroidGate = f
                case "nn": matcher.nearestFusion = f
                case "balance": matcher.classBalance = f
                case "evidence": matcher.fullEvidence = f
                case "evidenceexp": matcher.evidenceExponent = f
                case "gateexp": matcher.centroidGateExponent = f
                case "minlinear": matcher.minLinearEntries = Int(value)
                case "unknown": matcher.unknownFeatureWeight = f
                case "nearest": matcher.nearestWeight = value
                case "maxlinear": matcher.maxLinearWeights = Int(value)
                case "seed": matcher.seed = UInt64(value)
                case "lrw": matcher.logisticWeight = f
                case "svm": matcher.svmWeight = f
                case "svmC": matcher.svmC = f
                case "svmtol": matcher.svmTolerance = f
                case "svmpasses": matcher.svmMaxPasses = Int(value)
                case "subword": extractor.weights.subwordGroup = f
                case "word": extractor.weights.word = f
                case "bigram": extractor.weights.wordBigram = f
                case "skip": extractor.weights.skipBigram = f
                case "raw": extractor.weights.unstemmedWord = f
                case "char": extractor.weights.charGram = f
                case "hanuni": extractor.weights.hanUnigram = f
                case "hanbi": extractor.weights.hanBigram = f
                case "hantri": extractor.weights.hanTrigram = f
                case "stem": extractor.stemming = value != 0
                case "names": namesAsExamples = value != 0
                case "charmin": extractor.charGramSizes = Int(value)...max(Int(value), extractor.charGramSizes.upperBound)
                case "charmax": extractor.charGramSizes = min(extractor.charGramSizes.lowerBound, Int(value))...Int(value)
                default: unknown.append(setting)
                }
            }
            return unknown
        }
    }

    public init(clock: @escaping Clock = { 0 }, engineConfiguration: DialogueEngine.Configuration = DialogueEngine.Configuration()) {
        self.clock = clock
        self.engineConfiguration = engineConfiguration
    }

    /// Builds knowledge from training rows (one entry per category, as `kefu import-csv` does) and evaluates it.
    public func evaluate(train: [LabelledText], test: [LabelledText]) -> Outcome {
        var importer = KnowledgeImporter()
        importer.namesAsExamples = tuning?.namesAsExamples ?? true
        let imported = importer.makeKnowledge(train)
        let names = imported.categories.map(\.category)
        return evaluate(knowledge: imported.knowledge, names: names, test: test) { imported.idForCategory[$0] }
    }

    /// Evaluates a knowledge base against phrasings labelled with entry ids.
    /// A label that is not an entry id is tried as a category name the way `kefu import-csv` turns it
    /// into an id ("card_arrival" -> "card-arrival"), so a knowledge base imported from a CSV can be
    /// evaluated on the test CSV that came with it.
    public func evaluate(knowledge: KnowledgeBase, test: [LabelledText]) -> Outcome {
        let ids = Set(knowledge.entries.map(\.id))
        return evaluate(knowledge: knowledge, names: knowledge.entries.map(\.id), test: test) { label in
            ids.contains(label) ? label : KnowledgeImporter.entryID(for: label)
        }
    }

    func evaluate(knowledge: KnowledgeBase, names: [String], test: [LabelledText], entryID: (String) -> String?) -> Outcome {
        let start = clock()
        let matcher: Matcher
        if let tuning {
            var extractor = tuning.extractor
            extractor.synonyms = SynonymRewriter(knowledge.synonyms)
            // The same example list DialogueEngine builds.
            var examples: [(entry: Int, text: String)] = []
            for (index, entry) in knowledge.entries.enumerated() {
                for example in entry.examples { examples.append((index, example.text)) }
            }
            matcher = Matcher(entryCount: knowledge.entries.count, examples: examples, extractor: extractor, configuration: tuning.matcher)
        } else {
            matcher = DialogueEngine(knowledge: knowledge, configuration: engineConfiguration).matcher
        }
        matcher.waitUntilReady()
        let buildNanoseconds = clock() &- start
        var indexOfID: [String: Int] = [:]
        for (k, entry) in knowledge.entries.enumerated() where indexOfID[entry.id] == nil { indexOfID[entry.id] = k }

        var names = names
        var unknown: [String: Int] = [:]
        var gold: [Int] = []
        var ranked: [[Int]] = []
        var latencies: [UInt64] = []
        var best: [(Double, Bool)] = []
        var scopeRows: [ScopeReport.Row] = []
        gold.reserveCapacity(test.count)
        ranked.reserveCapacity(test.count)
        latencies.reserveCapacity(test.count)
        for row in test {
            let g: Int
            var inScope = true
            if let id = entryID(row.category), let index = indexOfID[id] {
                g = index
            } else if let index = unknown[row.category] {
                inScope = false
                g = index
            } else {
                inScope = false
                g = names.count
                names.append(row.category)
                unknown[row.category] = g
            }
            let t0 = clock()
            let result = matcher.match(row.text)
            latencies.append(clock() &- t0)
            let ranking = result.candidates.map(\.entryIndex)
            gold.append(g)
            ranked.append(ranking)
            best.append((result.bestScore, ranking.first == g))
            let second = result.candidates.count > 1 ? result.candidates[1].score : 0
            scopeRows.append(.init(best: result.bestScore, second: second, correct: ranking.first == g, inScope: inScope))
        }
        let report = ClassificationReport(names: names, gold: gold, ranked: ranked, k: 3)
        return Outcome(report: report, buildNanoseconds: buildNanoseconds, latencies: latencies,
                       entryCount: knowledge.entries.count, exampleCount: matcher.exampleCount,
                       featureCount: matcher.featureCount, usesLinearModel: matcher.usesLinearModel,
                       bestScores: best, unknownCategories: unknown.keys.sorted(),
                       scope: ScopeReport(rows: scopeRows, configuration: engineConfiguration))
    }
}
