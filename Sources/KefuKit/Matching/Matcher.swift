import Foundation

/// Ranks knowledge entries for a customer message. Each example question becomes a TF-IDF vector;
/// an entry's score blends its nearest example (precise for phrasings close to one we know) with its
/// centroid (robust when the message mixes words from several examples).
public struct Matcher: Sendable {
    public struct Configuration: Sendable, Equatable {
        /// Weight of the nearest example in the final score; the rest goes to the centroid.
        public var nearestWeight: Double = 0.6
        public var maxCandidates: Int = 5
        public init() {}
    }

    public let extractor: FeatureExtractor
    public let configuration: Configuration
    public let entryCount: Int
    public let exampleCount: Int

    private let vocabulary: [UInt64: Int32]
    private let idf: [Float]
    private let maxIDF: Float
    private let exampleEntry: [Int32]
    /// feature -> (example, weight)
    private let examplePostings: [[(Int32, Float)]]
    /// feature -> (entry, weight)
    private let centroidPostings: [[(Int32, Float)]]

    /// `examples` pairs an entry index with one example text; entries are numbered 0..<entryCount.
    public init(entryCount: Int, examples: [(entry: Int, text: String)], extractor: FeatureExtractor, configuration: Configuration = Configuration()) {
        self.extractor = extractor
        self.configuration = configuration
        self.entryCount = entryCount
        self.exampleCount = examples.count

        var vocabulary: [UInt64: Int32] = [:]
        var raw: [[(Int32, Float)]] = []
        raw.reserveCapacity(examples.count)
        var df: [Int32] = []
        for example in examples {
            var row: [(Int32, Float)] = []
            for (hash, weight) in extractor.features(example.text) {
                let index: Int32
                if let known = vocabulary[hash] { index = known } else {
                    index = Int32(vocabulary.count)
                    vocabulary[hash] = index
                    df.append(0)
                }
                df[Int(index)] += 1
                row.append((index, weight))
            }
            raw.append(row)
        }
        let n = Float(max(examples.count, 1))
        let idf = df.map { log((n + 1) / (Float($0) + 1)) + 1 }
        self.maxIDF = log(n + 1) + 1
        self.vocabulary = vocabulary
        self.idf = idf

        var examplePostings = [[(Int32, Float)]](repeating: [], count: vocabulary.count)
        var centroids = [[Int32: Float]](repeating: [:], count: entryCount)
        var exampleEntry: [Int32] = []
        for (k, row) in raw.enumerated() {
            let vector = Matcher.weighted(row, idf: idf)
            let entry = examples[k].entry
            exampleEntry.append(Int32(entry))
            for (index, value) in zip(vector.indices, vector.values) {
                examplePostings[Int(index)].append((Int32(k), value))
                centroids[entry][index, default: 0] += value
            }
        }
        var centroidPostings = [[(Int32, Float)]](repeating: [], count: vocabulary.count)
        for (entry, centroid) in centroids.enumerated() {
            let norm = sqrt(centroid.values.reduce(0) { $0 + $1 * $1 })
            guard norm > 0 else { continue }
            for (index, value) in centroid.sorted(by: { $0.key < $1.key }) {
                centroidPostings[Int(index)].append((Int32(entry), value / norm))
            }
        }
        self.exampleEntry = exampleEntry
        self.examplePostings = examplePostings
        self.centroidPostings = centroidPostings
    }

    static func weighted(_ row: [(Int32, Float)], idf: [Float]) -> SparseVector {
        let sorted = row.sorted { $0.0 < $1.0 }
        var values = sorted.map { $0.1 * idf[Int($0.0)] }
        let norm = sqrt(values.reduce(0) { $0 + $1 * $1 })
        if norm > 0 { for i in values.indices { values[i] /= norm } }
        return SparseVector(indices: sorted.map(\.0), values: values)
    }

    /// The query vector; unknown features still count in its norm (at the highest IDF), so a message full
    /// of words Kefu has never seen scores low instead of matching on its one familiar word.
    func queryVector(_ text: String) -> (SparseVector, String) {
        let canonical = extractor.canonicalText(text)
        var features: [UInt64: Float] = [:]
        extractor.extract(canonical) { hash, weight in features[hash, default: 0] += weight }
        var known: [(Int32, Float)] = []
        var unknownSquares: Float = 0
        for (hash, weight) in features {
            if let index = vocabulary[hash] {
                known.append((index, weight * idf[Int(index)]))
            } else {
                unknownSquares += (weight * maxIDF) * (weight * maxIDF)
            }
        }
        known.sort { $0.0 < $1.0 }
        let norm = sqrt(known.reduce(0) { $0 + $1.1 * $1.1 } + unknownSquares)
        guard norm > 0 else { return (SparseVector(), canonical) }
        return (SparseVector(indices: known.map(\.0), values: known.map { $0.1 / norm }), canonical)
    }

    public func match(_ text: String) -> MatchResult {
        let (query, canonical) = queryVector(text)
        guard !query.isEmpty else { return MatchResult(candidates: [], canonicalText: canonical) }
        var nearest = [Float](repeating: 0, count: entryCount)
        var centroid = [Float](repeating: 0, count: entryCount)
        var exampleScores: [Int32: Float] = [:]
        for (index, q) in zip(query.indices, query.values) {
            for (example, value) in examplePostings[Int(index)] { exampleScores[example, default: 0] += q * value }
            for (entry, value) in centroidPostings[Int(index)] { centroid[Int(entry)] += q * value }
        }
        for (example, score) in exampleScores {
            let entry = Int(exampleEntry[Int(example)])
            if score > nearest[entry] { nearest[entry] = score }
        }
        let w = Float(configuration.nearestWeight)
        var candidates: [MatchResult.Candidate] = []
        for entry in 0..<entryCount where nearest[entry] > 0 || centroid[entry] > 0 {
            let score = Double(w * min(nearest[entry], 1) + (1 - w) * min(centroid[entry], 1))
            candidates.append(.init(entryIndex: entry, score: score))
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.entryIndex < $1.entryIndex }
        if candidates.count > configuration.maxCandidates { candidates.removeLast(candidates.count - configuration.maxCandidates) }
        return MatchResult(candidates: candidates, canonicalText: canonical)
    }
}
