import Foundation

/// Ranks knowledge entries for a customer message.
///
/// Every example question becomes a TF-IDF vector over two feature groups (see `FeatureExtractor`).
/// For knowledge of at least `minLinearEntries` entries (and at most `maxLinearWeights` weights) a linear
/// model is trained on them: a Crammer–Singer multiclass linear SVM (dual coordinate descent) plus a multinomial
/// logistic regression (SGD), folded into one weight matrix; fixed seeds and orders make the same knowledge always
/// give the same model. The score is a confidence in 0...1: the softmax of the model's scores against a
/// fixed "none of these" logit, times a gate on the cosine with the entry's centroid (the message must
/// look like the entry's examples). Smaller and much larger knowledge (thousands of entries) use
/// similarity instead: an entry's score blends its nearest example with its centroid.
public struct Matcher: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var maxCandidates: Int = 5
        /// Train on a background thread; `match` waits for the model (see `Matcher.init`).
        public var trainInBackground: Bool = true

        /// Train the linear model when entries × features stays within this many weights (4 bytes each)…
        public var maxLinearWeights: Int = 24_000_000
        /// …and there are at least this many entries. A model that must pick one of a handful of topics is
        /// overconfident about messages outside all of them; small matchers (objection types, reasons)
        /// keep the similarity scale their callers' thresholds were tuned on.
        public var minLinearEntries: Int = 40
        /// Weight of the logistic-regression logits and of the linear SVM scores in the model (either may be 0).
        public var logisticWeight: Float = 0.1
        public var svmWeight: Float = 1.0
        /// How the SVM handles many entries. Crammer–Singer trains all entries against each other (on splits of
        /// BANKING77's train.csv: +0.4 points with all examples, +1 with 10 per entry over one-vs-rest).
        public var svmKind: SVMKind = .crammerSinger
        /// Inverse regularisation of the SVM (as liblinear's C) and its stopping tolerance. (One-vs-rest was
        /// tuned at C = 1 and tolerance 0.05; Crammer–Singer is best at C = 2, 0.2, the scale of liblinear's 0.1.)
        public var svmC: Float = 2.0
        public var svmTolerance: Float = 0.2
        public var svmMaxPasses: Int = 10
        /// IDF from entries instead of examples when entries have few examples: an entry's 10 examples say little
        /// about how common a word is, the 77 entries more. Entry frequency fully at `entryIDFFull` examples per
        /// entry or fewer, not at all from `entryIDFNone`, blended linearly in between (BANKING77 train splits:
        /// +1.2 points at 10 examples per entry, −0.2 at 100).
        public var entryIDFFull: Float = 12
        public var entryIDFNone: Float = 24
        public var epochs: Int = 10
        public var learningRate: Float = 1.0
        /// Learning rate at epoch e is learningRate / (1 + decay * e).
        public var learningRateDecay: Float = 0.5
        /// Inverse regularisation strength (as scikit-learn's C): the L2 penalty is 1 / (C × examples).
        public var regularization: Float = 30
        public var seed: UInt64 = 0x4B65_6675
        /// Examples of an entry weigh (examples / (entries × examples of that entry)) ^ classBalance in training:
        /// 0 treats every example alike, 1 gives every entry the same total weight.
        public var classBalance: Float = 0
        /// Logit of "none of these": the higher, the more evidence an entry needs to score high.
        public var rejectLogit: Float = 0.0
        /// Logits are multiplied by this before the softmax (lower: softer, less confident scores). 4.5 keeps the
        /// Crammer–Singer model's share of answered and clarified phrasings where one-vs-rest had them at 5.
        public var sharpness: Float = 4.5
        /// The linear model's probability is multiplied by min(1, centroid cosine / centroidGate) ^ centroidGateExponent:
        /// a message must also look like the entry's examples (a lone "卡" or "money" is not enough evidence).
        public var centroidGate: Float = 0.35
        public var centroidGateExponent: Float = 0.5
        /// …and by min(1, evidence / fullEvidence) ^ evidenceExponent, where evidence is the TF-IDF norm of the
        /// message's known word-level features (off by default: it did not separate vague messages well).
        public var fullEvidence: Float = 8
        public var evidenceExponent: Float = 0
        /// Added to the model's logits: this × the cosine of the message's word-level features with the
        /// entry's nearest example (off by default: +0.2 points on BANKING77, −1 at 10 examples, twice the latency).
        public var nearestFusion: Float = 0

        /// Unknown query features count in the query norm at the highest IDF times this weight, so a message
        /// full of words Kefu has never seen scores low instead of matching on its one familiar word.
        public var unknownFeatureWeight: Float = 0.5

        /// Similarity mode: weight of the nearest example in the score; the rest goes to the centroid.
        public var nearestWeight: Double = 0.6

        public init() {}

        /// Cosine similarity only (nearest example and centroid, no trained model): the scale of Kefu's
        /// first matcher, for callers whose thresholds were tuned on it.
        public static var similarity: Configuration {
            var configuration = Configuration()
            configuration.maxLinearWeights = 0
            configuration.trainInBackground = false
            return configuration
        }
    }

    public enum SVMKind: Sendable { case oneVsRest, crammerSinger }

    public let extractor: FeatureExtractor
    public let configuration: Configuration
    public let entryCount: Int
    public let exampleCount: Int
    /// Distinct features seen in the examples.
    public var featureCount: Int { model.value.vectorizer.idf.count }
    /// True when scores come from the trained linear model, false for similarity.
    public var usesLinearModel: Bool { model.value.linear != nil }

    private let model: ModelBox

    /// `examples` pairs an entry index with one example text; entries are numbered 0..<entryCount.
    /// With `configuration.trainInBackground` the model is built on another thread and `match` waits for
    /// it, so a chat can show its prompt while the model trains; the model is the same either way.
    ///
    /// `prepare` rewrites every text before it is read, examples and messages alike (figures as a placeholder,
    /// `NumberParser.placeholdingAmounts`); examples are prepared on the training thread, so a prompt never waits
    /// for thousands of them.
    public init(entryCount: Int, examples: [(entry: Int, text: String)], extractor: FeatureExtractor, configuration: Configuration = Configuration(),
                prepare: (@Sendable (String) -> String)? = nil) {
        self.extractor = extractor
        self.configuration = configuration
        self.entryCount = entryCount
        self.exampleCount = examples.count
        self.prepare = prepare
        let raw = examples.map(\.text)
        let labels = examples.map { Int32($0.entry) }
        let build: @Sendable () -> TrainedModel = {
            let texts = prepare.map { raw.map($0) } ?? raw
            return TrainedModel(texts: texts, labels: labels, entryCount: entryCount, extractor: extractor, configuration: configuration)
        }
        model = ModelBox(build, background: configuration.trainInBackground)
    }

    /// Blocks until the model is trained (for timing the build).
    public func waitUntilReady() { _ = model.value }

    /// A message ready for matching: its canonical text and features. Both depend only on the feature
    /// extractor, so matchers built with the same extractor can share one: a dialogue turn prepares its
    /// line once for the FAQ, objection and reason matchers instead of once per matcher.
    struct Query: Sendable {
        let canonicalText: String
        let terms: [Vectorizer.Term]
    }

    /// How texts are rewritten before they are read (see `init`).
    let prepare: (@Sendable (String) -> String)?

    func query(_ text: String) -> Query {
        let canonical = extractor.canonicalText(prepare.map { $0(text) } ?? text)
        return Query(canonicalText: canonical, terms: Vectorizer.terms(canonical, extractor: extractor))
    }

    public func match(_ text: String) -> MatchResult {
        if entryCount == 0 { return MatchResult(candidates: [], canonicalText: extractor.canonicalText(prepare.map { $0(text) } ?? text)) }
        return match(query(text))
    }

    /// `query` must come from a matcher with the same extractor (see `Query`).
    func match(_ prepared: Query) -> MatchResult {
        let canonical = prepared.canonicalText
        if entryCount == 0 { return MatchResult(candidates: [], canonicalText: canonical) }
        let model = self.model.value
        let (query, evidence) = model.vectorizer.vectorWithEvidence(terms: prepared.terms)
        guard !query.isEmpty else { return MatchResult(candidates: [], canonicalText: canonical) }
        let scores: [Float]
        if let linear = model.linear {
            let nearest = model.nearest.map { $0.scores(query, weight: configuration.nearestFusion) }
            var probabilities = linear.probabilities(query, sharpness: configuration.sharpness, rejectLogit: configuration.rejectLogit, extra: nearest)
            if let centroids = model.centroids, configuration.centroidGateExponent > 0 {
                let cosines = centroids.scores(query)
                let gate = max(configuration.centroidGate, 1e-6), exponent = configuration.centroidGateExponent
                for c in probabilities.indices {
                    let evidence = min(1, max(cosines[c], 0) / gate)
                    probabilities[c] *= exponent == 0.5 ? evidence.squareRoot() : pow(evidence, exponent)
                }
            }
            if configuration.evidenceExponent > 0 {
                let factor = pow(min(1, evidence / max(configuration.fullEvidence, 1e-6)), configuration.evidenceExponent)
                for c in probabilities.indices { probabilities[c] *= factor }
            }
            scores = probabilities
        } else {
            scores = model.similarity!.scores(query, nearestWeight: Float(configuration.nearestWeight))
        }
        let candidates = Matcher.top(scores, configuration.maxCandidates)
        return MatchResult(candidates: candidates, canonicalText: canonical)
    }

    /// The k best (score desc, then entry index asc), skipping zero scores.
    static func top(_ scores: [Float], _ k: Int) -> [MatchResult.Candidate] {
        var best: [(Int, Float)] = []
        best.reserveCapacity(k + 1)
        for (entry, score) in scores.enumerated() where score > 0 {
            if best.count == k, let last = best.last, score <= last.1 { continue }
            var position = best.count
            while position > 0 && best[position - 1].1 < score { position -= 1 }
            best.insert((entry, score), at: position)
            if best.count > k { best.removeLast() }
        }
        return best.map { .init(entryIndex: $0.0, score: Double($0.1)) }
    }
}

/// Everything learned from the examples.
struct TrainedModel: Sendable {
    let vectorizer: Vectorizer
    let linear: LinearModel?
    /// With the linear model: entry centroids, for the evidence gate on its probabilities.
    let centroids: CentroidIndex?
    /// With the linear model and `nearestFusion` > 0: nearest examples by their word-level features.
    let nearest: NearestWords?
    let similarity: SimilarityModel?

    init(texts: [String], labels: [Int32], entryCount: Int, extractor: FeatureExtractor, configuration: Matcher.Configuration) {
        let perEntry = Float(texts.count) / Float(max(entryCount, 1))
        let span = configuration.entryIDFNone - configuration.entryIDFFull
        let entryIDF = span > 0 ? min(1, max(0, (configuration.entryIDFNone - perEntry) / span)) : (perEntry <= configuration.entryIDFFull ? 1 : 0)
        let (vectorizer, rows) = Vectorizer.fit(texts, extractor: extractor, unknownWeight: configuration.unknownFeatureWeight,
                                                labels: labels, entryIDF: entryIDF)
        self.vectorizer = vectorizer
        if entryCount > 1 && entryCount >= configuration.minLinearEntries
            && entryCount * max(vectorizer.idf.count, 1) <= configuration.maxLinearWeights {
            linear = LinearModel.train(rows: rows, labels: labels, classes: entryCount, features: vectorizer.idf.count, configuration: configuration)
            centroids = configuration.centroidGateExponent > 0 ? CentroidIndex(rows: rows, labels: labels, classes: entryCount, features: vectorizer.idf.count) : nil
            nearest = configuration.nearestFusion > 0 ? NearestWords(rows: rows, labels: labels, classes: entryCount, groups: vectorizer.featureGroup) : nil
            similarity = nil
        } else {
            linear = nil
            centroids = nil
            nearest = nil
            similarity = SimilarityModel(rows: rows, labels: labels, classes: max(entryCount, 1), features: vectorizer.idf.count)
        }
    }
}

extension Matcher {
    /// How many models train at once in the background (at least 1; 2 unless set): 1 lowers the training's share of
    /// peak memory, for a first answer about half a second later. `kefu` reads it from `KEFU_TRAINING_THREADS`.
    public static func setConcurrentTrainings(_ count: Int) {
        ModelBox.training.maxConcurrentOperationCount = max(1, count)
    }
}

/// Holds the model, trained now or on a background thread; readers wait until it is there.
final class ModelBox: @unchecked Sendable {
    private let model: BackgroundValue<TrainedModel>

    /// Models train in the order they are made, two at a time. With a dozen readers (the FAQ, safety, openings,
    /// profile answers, objections) trained at once on two cores, the main thread lost its core and start to prompt
    /// went from 55 to 83 ms; one at a time, the first answer waited 1.8 s for the models a first line needs. The chat
    /// now shows its prompt before the engine is even built (`DeferredEngine`), so its main thread only waits for the
    /// first line, and a training's single-threaded stretches leave the second core to the other: first answer
    /// 1.2 s. (The server, replays and tests build engines the same way. Not more than two: each model in training
    /// holds its own matrices.)
    static let training: OperationQueue = {
        let queue = OperationQueue()
        queue.name = "kefu.training"
        queue.qualityOfService = .userInitiated
        queue.maxConcurrentOperationCount = concurrentTrainings
        return queue
    }()
    static let concurrentTrainings = 2

    init(_ build: @escaping @Sendable () -> TrainedModel, background: Bool) {
        model = background ? BackgroundValue(schedule: { ModelBox.training.addOperation($0) }, build) : BackgroundValue(build())
    }

    var value: TrainedModel { model.value }
}

/// Text -> L2-normalised TF-IDF vector, with IDF learned from the examples.
struct Vectorizer: Sendable {
    var index: FeatureIndex
    var idf: [Float]
    var maxIDF: Float
    var unknownWeight: Float
    var groupWeights: (Float, Float)
    /// Feature index -> its group.
    var featureGroup: [FeatureExtractor.Group] = []

    /// One distinct feature of a text: hash, group, and its term weight (sublinear in repeats).
    struct Term {
        var hash: UInt64
        var group: FeatureExtractor.Group
        var weight: Float
    }

    static func terms(_ canonical: String, extractor: FeatureExtractor) -> [Term] {
        var raw: [Term] = []
        raw.reserveCapacity(canonical.unicodeScalars.count * 4)
        extractor.extract(canonical) { hash, group, weight in raw.append(Term(hash: hash, group: group, weight: weight)) }
        if raw.count < 2 { return raw }
        raw.sort { $0.hash < $1.hash }
        var merged: [Term] = []
        merged.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            var j = i + 1
            while j < raw.count && raw[j].hash == raw[i].hash { j += 1 }
            var term = raw[i]
            if j - i > 1 { term.weight *= 1 + log(Float(j - i)) }
            merged.append(term)
            i = j
        }
        return merged
    }

    /// `entryIDF` blends IDF over examples (0) with IDF over the entries of `labels` (1).
    static func fit(_ texts: [String], extractor: FeatureExtractor, unknownWeight: Float, labels: [Int32] = [], entryIDF: Float = 0) -> (Vectorizer, CSRMatrix) {
        var index = FeatureIndex(capacity: 4096)
        var df: [Int32] = []
        var groups: [FeatureExtractor.Group] = []
        // All texts' terms back to back (one allocation instead of one per text).
        var termStart: [Int] = [0]
        var termFeature: [Int32] = [], termGroup: [FeatureExtractor.Group] = [], termWeight: [Float] = []
        termStart.reserveCapacity(texts.count + 1)
        for text in texts {
            for term in Vectorizer.terms(extractor.canonicalText(text), extractor: extractor) {
                let (slot, isNew) = index.insert(term.hash)
                if isNew { df.append(0); groups.append(term.group) }
                df[Int(slot)] += 1
                termFeature.append(slot)
                termGroup.append(term.group)
                termWeight.append(term.weight)
            }
            termStart.append(termFeature.count)
        }
        let n = Float(max(texts.count, 1))
        var idf = df.map { log((n + 1) / (Float($0) + 1)) + 1 }
        var maxIDF = log(n + 1) + 1
        if entryIDF > 0 && labels.count == texts.count {
            // Entry frequency: in how many entries' examples a feature occurs, out of the m entries with examples.
            var lastEntry = [Int32](repeating: -1, count: idf.count)
            var ef = [Int32](repeating: 0, count: idf.count)
            let m = Float(Set(labels).count)
            for t in 0..<texts.count {
                for k in termStart[t]..<termStart[t + 1] where lastEntry[Int(termFeature[k])] != labels[t] {
                    lastEntry[Int(termFeature[k])] = labels[t]
                    ef[Int(termFeature[k])] += 1
                }
            }
            for f in idf.indices { idf[f] = (1 - entryIDF) * idf[f] + entryIDF * (log((m + 1) / (Float(ef[f]) + 1)) + 1) }
            maxIDF = (1 - entryIDF) * maxIDF + entryIDF * (log(m + 1) + 1)
        }
        let weights = (Float(1), extractor.weights.subwordGroup)
        let vectorizer = Vectorizer(index: index, idf: idf, maxIDF: maxIDF, unknownWeight: unknownWeight, groupWeights: weights, featureGroup: groups)
        var matrix = CSRMatrix()
        matrix.rowStart.reserveCapacity(texts.count + 1)
        matrix.columns.reserveCapacity(termFeature.count)
        matrix.values.reserveCapacity(termFeature.count)
        var row: [(Int32, FeatureExtractor.Group, Float)] = []
        for t in 0..<texts.count {
            row.removeAll(keepingCapacity: true)
            for k in termStart[t]..<termStart[t + 1] {
                row.append((termFeature[k], termGroup[k], termWeight[k] * idf[Int(termFeature[k])]))
            }
            row.sort { $0.0 < $1.0 }
            matrix.append(vectorizer.normalise(row, unknown: (0, 0)))
        }
        return (vectorizer, matrix)
    }

    /// Per-group L2 normalisation times the group weight, then overall normalisation. `unknown` holds the
    /// squared mass of unknown features per group (they count in the norms, not in the vector).
    func normalise(_ known: [(Int32, FeatureExtractor.Group, Float)], unknown: (Float, Float)) -> SparseVector {
        var squares = unknown
        for (_, group, value) in known {
            if group == .word { squares.0 += value * value } else { squares.1 += value * value }
        }
        let scale0 = squares.0 > 0 ? groupWeights.0 / squares.0.squareRoot() : 0
        let scale1 = squares.1 > 0 ? groupWeights.1 / squares.1.squareRoot() : 0
        let total = ((squares.0 > 0 ? groupWeights.0 * groupWeights.0 : 0) + (squares.1 > 0 ? groupWeights.1 * groupWeights.1 : 0)).squareRoot()
        guard total > 0 else { return SparseVector() }
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(known.count)
        values.reserveCapacity(known.count)
        for (feature, group, value) in known {
            indices.append(feature)
            values.append(value * (group == .word ? scale0 : scale1) / total)
        }
        return SparseVector(indices: indices, values: values)
    }

    func vector(_ canonical: String, extractor: FeatureExtractor) -> SparseVector {
        vectorWithEvidence(terms: Vectorizer.terms(canonical, extractor: extractor)).vector
    }

    /// The vector of a message's `terms`, and the evidence in it: the TF-IDF norm of its known word-level
    /// features before normalisation (a lone common word has little, a full question much more).
    func vectorWithEvidence(terms: [Term]) -> (vector: SparseVector, evidence: Float) {
        var known: [(Int32, FeatureExtractor.Group, Float)] = []
        known.reserveCapacity(terms.count)
        var unknown: (Float, Float) = (0, 0)
        let unknownIDF = maxIDF * unknownWeight
        for term in terms {
            if let feature = index.find(term.hash) {
                known.append((feature, term.group, term.weight * idf[Int(feature)]))
            } else {
                let value = term.weight * unknownIDF
                if term.group == .word { unknown.0 += value * value } else { unknown.1 += value * value }
            }
        }
        if known.isEmpty { return (SparseVector(), 0) }
        var evidence: Float = 0
        for (_, group, value) in known where group == .word { evidence += value * value }
        return (normalise(known, unknown: unknown), evidence.squareRoot())
    }
}

/// Rows of sparse vectors, stored back to back.
struct CSRMatrix: Sendable {
    var rowStart: [Int] = [0]
    var columns: [Int32] = []
    var values: [Float] = []

    var rowCount: Int { rowStart.count - 1 }

    mutating func append(_ vector: SparseVector) {
        columns.append(contentsOf: vector.indices)
        values.append(contentsOf: vector.values)
        rowStart.append(columns.count)
    }
}

/// Multinomial logistic regression, weights stored feature-major (all classes of a feature together),
/// so scoring a sparse message reads a few contiguous rows.
struct LinearModel: Sendable {
    let classes: Int
    let weights: [Float]
    let bias: [Float]

    /// The model: logisticWeight × softmax-regression logits + svmWeight × SVM scores.
    /// Both are linear in the message vector, so they fold into one weight matrix.
    static func train(rows: CSRMatrix, labels: [Int32], classes: Int, features: Int, configuration: Matcher.Configuration) -> LinearModel {
        let useLogistic = configuration.logisticWeight != 0, useSVM = configuration.svmWeight != 0
        let exampleWeights = LinearModel.exampleWeights(labels: labels, classes: classes, balance: configuration.classBalance)
        // The two are independent: train them side by side, then add the SVM into the logistic weights.
        let logistic = ResultBox(), svm = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            var weights = [Float](), bias = [Float]()
            if part == 0 && useLogistic {
                weights = [Float](repeating: 0, count: features * classes)
                bias = [Float](repeating: 0, count: classes)
                trainLogistic(rows: rows, labels: labels, exampleWeights: exampleWeights, classes: classes, configuration: configuration, weights: &weights, bias: &bias)
                logistic.set(weights, bias)
            } else if part == 1 && useSVM {
                weights = [Float](repeating: 0, count: features * classes)
                bias = [Float](repeating: 0, count: classes)
                // Crammer–Singer keeps two examples × entries arrays (4 bytes each): past 16M slots, one-vs-rest.
                if configuration.svmKind == .crammerSinger && rows.rowCount * classes <= 16_000_000 {
                    CrammerSingerTrainer.train(rows: rows, labels: labels, exampleWeights: exampleWeights, classes: classes, features: features,
                                               configuration: configuration, scale: configuration.svmWeight, weights: &weights, bias: &bias)
                } else {
                    SVMTrainer.train(rows: rows, labels: labels, exampleWeights: exampleWeights, classes: classes, features: features, configuration: configuration,
                                     scale: configuration.svmWeight, weights: &weights, bias: &bias)
                }
                svm.set(weights, bias)
            }
        }
        var (weights, bias) = logistic.take() ?? ([Float](repeating: 0, count: features * classes), [Float](repeating: 0, count: classes))
        let lw = useLogistic ? configuration.logisticWeight : 0
        if let (sw, sb) = svm.take() {
            for i in weights.indices { weights[i] = lw * weights[i] + sw[i] }
            for c in bias.indices { bias[c] = lw * bias[c] + sb[c] }
        } else if lw != 1 {
            for i in weights.indices { weights[i] *= lw }
            for c in bias.indices { bias[c] *= lw }
        }
        return LinearModel(classes: classes, weights: weights, bias: bias)
    }

    /// Per-example training weights (see `Configuration.classBalance`); nil when all are 1.
    static func exampleWeights(labels: [Int32], classes: Int, balance: Float) -> [Float]? {
        guard balance != 0, !labels.isEmpty else { return nil }
        var counts = [Int](repeating: 0, count: classes)
        for label in labels { counts[Int(label)] += 1 }
        let used = counts.filter { $0 > 0 }.count
        let perClass = Float(labels.count) / Float(max(used, 1))
        return labels.map { pow(perClass / Float(counts[Int($0)]), balance) }
    }

    static func trainLogistic(rows: CSRMatrix, labels: [Int32], exampleWeights: [Float]?, classes: Int, configuration: Matcher.Configuration, weights: inout [Float], bias: inout [Float]) {
        let n = rows.rowCount
        guard n > 0 else { return }
        let lambda = 1 / (max(configuration.regularization, 1e-6) * Float(n))
        var order = Array(0..<n)
        var random = SplitMix64(seed: configuration.seed)
        var z = [Float](repeating: 0, count: classes)
        var active: [Int] = []
        active.reserveCapacity(classes)
        var scale: Float = 1
        weights.withUnsafeMutableBufferPointer { w in
            bias.withUnsafeMutableBufferPointer { b in
                z.withUnsafeMutableBufferPointer { z in
                    rows.columns.withUnsafeBufferPointer { cols in
                        rows.values.withUnsafeBufferPointer { vals in
                            for epoch in 0..<configuration.epochs {
                                // Fisher–Yates with our own generator: the same order on every platform and Swift version.
                                if n > 1 {
                                    for i in stride(from: n - 1, to: 0, by: -1) {
                                        let j = Int(random.next() % UInt64(i + 1))
                                        order.swapAt(i, j)
                                    }
                                }
                                let rate = configuration.learningRate / (1 + configuration.learningRateDecay * Float(epoch))
                                for example in order {
                                    let start = rows.rowStart[example], end = rows.rowStart[example + 1]
                                    for c in 0..<classes { z[c] = b[c] }
                                    for k in start..<end {
                                        let x = vals[k] * scale
                                        let row = w.baseAddress! + Int(cols[k]) * classes
                                        for c in 0..<classes { z[c] += x * row[c] }
                                    }
                                    var top = z[0]
                                    for c in 1..<classes where z[c] > top { top = z[c] }
                                    var sum: Float = 0
                                    for c in 0..<classes {
                                        let e = exp(z[c] - top)
                                        z[c] = e
                                        sum += e
                                    }
                                    let inverse = 1 / sum
                                    active.removeAll(keepingCapacity: true)
                                    for c in 0..<classes {
                                        z[c] *= inverse
                                        if z[c] > 1e-5 { active.append(c) }
                                    }
                                    let y = Int(labels[example])
                                    z[y] -= 1
                                    if !active.contains(y) { active.append(y) }
                                    scale *= 1 - rate * lambda
                                    let exampleRate = rate * (exampleWeights?[example] ?? 1)
                                    let step = exampleRate / scale
                                    if active.count * 4 > classes {
                                        for k in start..<end {
                                            let x = vals[k] * step
                                            let row = w.baseAddress! + Int(cols[k]) * classes
                                            for c in 0..<classes { row[c] -= x * z[c] }
                                        }
                                        for c in 0..<classes { b[c] -= exampleRate * z[c] }
                                    } else {
                                        for k in start..<end {
                                            let x = vals[k] * step
                                            let row = w.baseAddress! + Int(cols[k]) * classes
                                            for c in active { row[c] -= x * z[c] }
                                        }
                                        for c in active { b[c] -= exampleRate * z[c] }
                                    }
                                    if scale < 1e-3 {
                                        for i in 0..<w.count { w[i] *= scale }
                                        scale = 1
                                    }
                                }
                            }
                            if scale != 1 { for i in 0..<w.count { w[i] *= scale } }
                        }
                    }
                }
            }
        }
    }

    func logits(_ query: SparseVector) -> [Float] {
        var z = bias
        z.withUnsafeMutableBufferPointer { z in
            weights.withUnsafeBufferPointer { w in
                for (feature, x) in zip(query.indices, query.values) {
                    let row = w.baseAddress! + Int(feature) * classes
                    for c in 0..<classes { z[c] += x * row[c] }
                }
            }
        }
        return z
    }

    /// Softmax over the entries and a "none of these" outcome with a fixed logit.
    func probabilities(_ query: SparseVector, sharpness: Float, rejectLogit: Float, extra: [Float]? = nil) -> [Float] {
        var z = logits(query)
        if let extra { for c in 0..<classes { z[c] += extra[c] } }
        var top = rejectLogit * sharpness
        for c in 0..<classes {
            z[c] *= sharpness
            if z[c] > top { top = z[c] }
        }
        var sum = exp(rejectLogit * sharpness - top)
        for c in 0..<classes {
            z[c] = exp(z[c] - top)
            sum += z[c]
        }
        for c in 0..<classes { z[c] /= sum }
        return z
    }
}

/// A slot one concurrent task fills.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ([Float], [Float])?
    func set(_ weights: [Float], _ bias: [Float]) { lock.lock(); value = (weights, bias); lock.unlock() }
    /// Moves the value out, so the caller holds the only reference (no copy on write).
    func take() -> ([Float], [Float])? { lock.lock(); defer { lock.unlock() }; let taken = value; value = nil; return taken }
}

/// The nearest example of each entry by word-level features only (words, word pairs, Chinese n-grams),
/// through an inverted list that leaves out features in more than 2% of the examples (they are short
/// on meaning and long on postings).
struct NearestWords: Sendable {
    let classes: Int
    let exampleClass: [Int32]
    let postings: CSRMatrix
    let groups: [FeatureExtractor.Group]

    init(rows: CSRMatrix, labels: [Int32], classes: Int, groups: [FeatureExtractor.Group]) {
        self.classes = classes
        self.groups = groups
        exampleClass = labels
        // Word-level part of each example, renormalised.
        var wordRows = CSRMatrix()
        var indices: [Int32] = [], values: [Float] = []
        for row in 0..<rows.rowCount {
            indices.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            var squares: Float = 0
            for k in rows.rowStart[row]..<rows.rowStart[row + 1] where groups[Int(rows.columns[k])] == .word {
                indices.append(rows.columns[k])
                values.append(rows.values[k])
                squares += rows.values[k] * rows.values[k]
            }
            let norm = squares.squareRoot()
            wordRows.append(SparseVector(indices: indices, values: norm > 0 ? values.map { $0 / norm } : values))
        }
        var full = SimilarityModel.transpose(wordRows, features: groups.count)
        // Drop very common features' postings.
        let limit = max(50, rows.rowCount / 50)
        var pruned = CSRMatrix(rowStart: [0], columns: [], values: [])
        for f in 0..<groups.count {
            let start = full.rowStart[f], end = full.rowStart[f + 1]
            if end - start <= limit {
                pruned.columns.append(contentsOf: full.columns[start..<end])
                pruned.values.append(contentsOf: full.values[start..<end])
            }
            pruned.rowStart.append(pruned.columns.count)
        }
        full = CSRMatrix()
        postings = pruned
    }

    /// weight × nearest-example cosine (word-level) per entry.
    func scores(_ query: SparseVector, weight: Float) -> [Float] {
        var squares: Float = 0
        var words: [(Int32, Float)] = []
        for (feature, value) in zip(query.indices, query.values) where groups[Int(feature)] == .word {
            words.append((feature, value))
        }
        // Normalise over all word-level features of the message (common ones count in the norm).
        for (_, value) in words { squares += value * value }
        var result = [Float](repeating: 0, count: classes)
        guard squares > 0 else { return result }
        let scale = weight / squares.squareRoot()
        var exampleScores: [Int32: Float] = [:]
        for (feature, value) in words {
            let f = Int(feature)
            for k in postings.rowStart[f]..<postings.rowStart[f + 1] {
                exampleScores[postings.columns[k], default: 0] += value * postings.values[k]
            }
        }
        for (example, score) in exampleScores {
            let c = Int(exampleClass[Int(example)])
            result[c] = max(result[c], score * scale)
        }
        return result
    }
}

/// Normalised entry centroids behind an inverted list (feature -> entries), so a message is compared with
/// every centroid it shares a feature with.
struct CentroidIndex: Sendable {
    let classes: Int
    let postings: CSRMatrix

    /// Rows grouped by class (a counting sort): class c's rows are `rows[start[c]..<start[c + 1]]`.
    static func groupRows(byLabel labels: [Int32], classes: Int) -> (start: [Int], rows: [Int32]) {
        var start = [Int](repeating: 0, count: classes + 1)
        for label in labels { start[Int(label) + 1] += 1 }
        for c in 0..<classes { start[c + 1] += start[c] }
        var next = start
        var rows = [Int32](repeating: 0, count: labels.count)
        for (row, label) in labels.enumerated() {
            rows[next[Int(label)]] = Int32(row)
            next[Int(label)] += 1
        }
        return (start, rows)
    }

    init(rows: CSRMatrix, labels: [Int32], classes: Int, features: Int) {
        self.classes = classes
        let (counts, members) = CentroidIndex.groupRows(byLabel: labels, classes: classes)
        var centroidRows = CSRMatrix()
        var accumulator = [Float](repeating: 0, count: features)
        var touched: [Int32] = []
        for c in 0..<classes {
            touched.removeAll(keepingCapacity: true)
            for member in counts[c]..<counts[c + 1] {
                let row = Int(members[member])
                for k in rows.rowStart[row]..<rows.rowStart[row + 1] {
                    let f = rows.columns[k]
                    if accumulator[Int(f)] == 0 { touched.append(f) }
                    accumulator[Int(f)] += rows.values[k]
                }
            }
            touched.sort()
            let norm = touched.reduce(Float(0)) { $0 + accumulator[Int($1)] * accumulator[Int($1)] }.squareRoot()
            let values = touched.map { norm > 0 ? accumulator[Int($0)] / norm : 0 }
            for f in touched { accumulator[Int(f)] = 0 }
            centroidRows.append(SparseVector(indices: touched, values: values))
        }
        postings = SimilarityModel.transpose(centroidRows, features: features)
    }

    /// Cosine of the message with every centroid.
    func scores(_ query: SparseVector) -> [Float] {
        var scores = [Float](repeating: 0, count: classes)
        scores.withUnsafeMutableBufferPointer { scores in
            postings.columns.withUnsafeBufferPointer { columns in
                postings.values.withUnsafeBufferPointer { values in
                    for (feature, q) in zip(query.indices, query.values) {
                        let f = Int(feature)
                        for k in postings.rowStart[f]..<postings.rowStart[f + 1] {
                            scores[Int(columns[k])] += q * values[k]
                        }
                    }
                }
            }
        }
        return scores
    }
}

/// Nearest example and centroid cosine similarity, for knowledge too large for the linear model and for
/// the small matchers: centroids through an inverted list (feature -> entries) pick the closest entries,
/// then each of those entries' nearest example is found.
struct SimilarityModel: Sendable {
    let classes: Int
    /// Example vectors (columns sorted by feature, as `Vectorizer.fit` makes them).
    let rows: CSRMatrix
    /// class -> its examples (rows), back to back
    let classStart: [Int]
    let classRows: [Int32]
    let centroids: CentroidIndex
    /// For small knowledge, feature -> the examples that have it and its value there (the rows transposed):
    /// the shortlist then covers most entries, and the postings touch only examples sharing a feature with
    /// the message. Large knowledge compares its shortlisted entries' examples one by one instead.
    let examplePostings: CSRMatrix?
    /// Entries whose nearest example counts in the score.
    static let shortlist = 24

    init(rows: CSRMatrix, labels: [Int32], classes: Int, features: Int) {
        self.classes = classes
        let (counts, classRows) = CentroidIndex.groupRows(byLabel: labels, classes: classes)
        self.classStart = counts
        self.classRows = classRows
        self.rows = rows
        examplePostings = classes <= 2 * SimilarityModel.shortlist ? SimilarityModel.transpose(rows, features: features) : nil
        centroids = CentroidIndex(rows: rows, labels: labels, classes: classes, features: features)
    }

    static func transpose(_ rows: CSRMatrix, features: Int) -> CSRMatrix {
        var counts = [Int](repeating: 0, count: features + 1)
        for f in rows.columns { counts[Int(f) + 1] += 1 }
        for f in 0..<features { counts[f + 1] += counts[f] }
        var columns = [Int32](repeating: 0, count: rows.columns.count)
        var values = [Float](repeating: 0, count: rows.columns.count)
        var next = counts
        for row in 0..<rows.rowCount {
            for k in rows.rowStart[row]..<rows.rowStart[row + 1] {
                let f = Int(rows.columns[k])
                columns[next[f]] = Int32(row)
                values[next[f]] = rows.values[k]
                next[f] += 1
            }
        }
        return CSRMatrix(rowStart: counts, columns: columns, values: values)
    }

    func scores(_ query: SparseVector, nearestWeight: Float) -> [Float] {
        let centroid = centroids.scores(query)
        let shortlist = Matcher.top(centroid, SimilarityModel.shortlist)
        var order = Array(query.indices.indices)
        order.sort { query.indices[$0] < query.indices[$1] }
        let dots = examplePostings.map { SimilarityModel.dots(query, order: order, postings: $0, examples: rows.rowCount) }
        let q = dots == nil ? SparseVector(indices: order.map { query.indices[$0] }, values: order.map { query.values[$0] }) : SparseVector()
        var scores = [Float](repeating: 0, count: classes)
        for candidate in shortlist {
            let c = candidate.entryIndex
            var nearest: Float = 0
            for member in classStart[c]..<classStart[c + 1] {
                let row = Int(classRows[member])
                if let dots { nearest = max(nearest, dots[row]); continue }
                var i = 0, j = rows.rowStart[row], sum: Float = 0
                let end = rows.rowStart[row + 1]
                while i < q.indices.count && j < end {
                    let a = q.indices[i], b = rows.columns[j]
                    if a == b { sum += q.values[i] * rows.values[j]; i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
                }
                nearest = max(nearest, sum)
            }
            scores[c] = nearestWeight * min(nearest, 1) + (1 - nearestWeight) * min(centroid[c], 1)
        }
        return scores
    }

    /// Every example's dot product with the message through the postings. The message's features are visited
    /// in ascending index order (`order`), so each example adds the same products in the same order as the
    /// merge of two sorted vectors above: the sums, and the scores shown, are bit for bit the same.
    static func dots(_ query: SparseVector, order: [Int], postings: CSRMatrix, examples: Int) -> [Float] {
        var dots = [Float](repeating: 0, count: examples)
        dots.withUnsafeMutableBufferPointer { dots in
            postings.columns.withUnsafeBufferPointer { columns in
                postings.values.withUnsafeBufferPointer { values in
                    for i in order {
                        let f = Int(query.indices[i]), q = query.values[i]
                        for k in postings.rowStart[f]..<postings.rowStart[f + 1] { dots[Int(columns[k])] += q * values[k] }
                    }
                }
            }
        }
        return dots
    }
}
