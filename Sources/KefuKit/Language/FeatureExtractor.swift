/// Turns a message into hashed features that work for both languages: Chinese character unigrams and
/// bigrams (Chinese has no spaces, and most words are two characters), English words, word pairs, and
/// character n-grams inside words (so typos such as "withdrawl" still share most features).
public struct FeatureExtractor: Sendable {
    public struct Weights: Sendable, Equatable {
        public var word: Float = 1.0
        public var wordBigram: Float = 0.8
        public var charGram: Float = 0.35
        public var hanUnigram: Float = 0.5
        public var hanBigram: Float = 1.0
        public var hanTrigram: Float = 0.5
        public init() {}
    }

    public var normalizer = TextNormalizer()
    public var synonyms: SynonymRewriter
    public var weights: Weights
    public var charGramSizes: ClosedRange<Int> = 3...5

    public init(synonyms: SynonymTable = SynonymTable(), weights: Weights = Weights()) {
        self.synonyms = SynonymRewriter(synonyms)
        self.weights = weights
    }

    /// Normalisation and synonym rewriting, the text form the matcher really sees (shown by `/why`).
    public func canonicalText(_ text: String) -> String {
        synonyms.rewrite(normalizer.normalize(text))
    }

    /// Feature hash -> weight (before IDF). Repeated features add up.
    public func features(_ text: String) -> [UInt64: Float] {
        var result: [UInt64: Float] = [:]
        extract(canonicalText(text)) { hash, weight in result[hash, default: 0] += weight }
        return result
    }

    func extract(_ canonical: String, _ emit: (UInt64, Float) -> Void) {
        let scalars = Array(canonical.unicodeScalars)
        var previousWord: UInt64?
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == " " { i += 1; continue }
            if TextNormalizer.isHan(s) {
                var j = i
                while j < scalars.count && TextNormalizer.isHan(scalars[j]) { j += 1 }
                emitHan(scalars[i..<j], emit)
                previousWord = nil
                i = j
            } else {
                var j = i
                while j < scalars.count && scalars[j] != " " && !TextNormalizer.isHan(scalars[j]) { j += 1 }
                let word = scalars[i..<j]
                let wordHash = FeatureExtractor.hash(word, seed: 1)
                emit(wordHash, weights.word)
                if let previous = previousWord {
                    emit(FeatureExtractor.mix(previous, wordHash), weights.wordBigram)
                }
                previousWord = wordHash
                emitCharGrams(word, emit)
                i = j
            }
        }
    }

    private func emitHan(_ run: ArraySlice<Unicode.Scalar>, _ emit: (UInt64, Float) -> Void) {
        let run = Array(run)
        for k in 0..<run.count {
            emit(FeatureExtractor.hash(run[k...k], seed: 2), weights.hanUnigram)
            if k + 1 < run.count { emit(FeatureExtractor.hash(run[k...k + 1], seed: 3), weights.hanBigram) }
            if k + 2 < run.count && weights.hanTrigram > 0 { emit(FeatureExtractor.hash(run[k...k + 2], seed: 4), weights.hanTrigram) }
        }
    }

    private func emitCharGrams(_ word: ArraySlice<Unicode.Scalar>, _ emit: (UInt64, Float) -> Void) {
        guard weights.charGram > 0 else { return }
        var padded: [Unicode.Scalar] = ["<"]
        padded.append(contentsOf: word)
        padded.append(">")
        for n in charGramSizes where padded.count >= n {
            for k in 0...(padded.count - n) {
                emit(FeatureExtractor.hash(padded[k..<k + n], seed: UInt64(10 + n)), weights.charGram)
            }
        }
    }

    /// FNV-1a over scalar values: stable across runs and platforms, unlike Swift's seeded Hasher,
    /// which keeps replays exact.
    static func hash<C: Collection>(_ scalars: C, seed: UInt64) -> UInt64 where C.Element == Unicode.Scalar {
        var h: UInt64 = 0xcbf29ce484222325 ^ (seed &* 0x9E3779B97F4A7C15)
        for s in scalars {
            h ^= UInt64(s.value)
            h &*= 0x100000001b3
        }
        return h
    }

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = a &* 0x9E3779B97F4A7C15 ^ (b &+ 0x7F4A7C159E3779B9)
        h ^= h >> 31
        h &*= 0xBF58476D1CE4E5B9
        h ^= h >> 29
        return h
    }
}
