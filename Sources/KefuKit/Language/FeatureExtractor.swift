/// Turns a message into hashed features that work for both languages. Two groups, weighted and
/// normalised separately (like two TF-IDF vectorisers side by side):
/// - words: English words and word pairs; Chinese character unigrams, bigrams and trigrams (Chinese has
///   no spaces, and most words are one to three characters);
/// - subwords: character n-grams inside English words, so typos ("withdrawl") and inflections
///   ("cancelled", "cancelling") still share most features.
public struct FeatureExtractor: Sendable {
    public struct Weights: Sendable, Equatable {
        public var word: Float = 1.0
        public var wordBigram: Float = 0.8
        /// Pairs of words one apart ("not … received"); 0 turns them off.
        public var skipBigram: Float = 0
        /// The word as typed, besides its stem, when the two differ; 0 turns it off.
        public var unstemmedWord: Float = 0
        public var charGram: Float = 1.0
        public var hanUnigram: Float = 1.5
        public var hanBigram: Float = 0.85
        public var hanTrigram: Float = 0.35
        /// Weight of the subword group against the word group (each is normalised first).
        public var subwordGroup: Float = 1.0
        public init() {}
    }

    /// The two feature groups.
    public enum Group: Int, Sendable { case word = 0, subword = 1 }

    public var normalizer = TextNormalizer()
    public var synonyms: SynonymRewriter
    public var weights: Weights
    public var charGramSizes: ClosedRange<Int> = 2...5
    /// Reduce English words to a stem ("charged" -> "charg") before making features.
    public var stemming = true

    public init(synonyms: SynonymTable = SynonymTable(), weights: Weights = Weights()) {
        self.synonyms = SynonymRewriter(synonyms)
        self.weights = weights
    }

    /// Normalisation and synonym rewriting, the text form the matcher really sees (shown by `/why`).
    public func canonicalText(_ text: String) -> String {
        synonyms.rewrite(normalizer.normalize(text))
    }

    /// Feature hash -> summed weight (before IDF), for inspection and tests. Repeated features add up.
    public func features(_ text: String) -> [UInt64: Float] {
        var result: [UInt64: Float] = [:]
        extract(canonicalText(text)) { hash, _, weight in result[hash, default: 0] += weight }
        return result
    }

    /// Emits (hash, group, weight) for every feature occurrence of canonical text.
    public func extract(_ canonical: String, _ emit: (UInt64, Group, Float) -> Void) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(canonical.unicodeScalars.count)
        scalars.append(contentsOf: canonical.unicodeScalars)
        var previousWord: UInt64?
        var wordBeforePrevious: UInt64?
        var i = 0
        var stemBuffer: [Unicode.Scalar] = []
        while i < scalars.count {
            let s = scalars[i]
            if s == " " { i += 1; continue }
            if TextNormalizer.isHan(s) {
                var j = i
                while j < scalars.count && TextNormalizer.isHan(scalars[j]) { j += 1 }
                emitHan(scalars[i..<j], emit)
                previousWord = nil
                wordBeforePrevious = nil
                i = j
            } else {
                var j = i
                while j < scalars.count && scalars[j] != " " && !TextNormalizer.isHan(scalars[j]) { j += 1 }
                var word = scalars[i..<j]
                if stemming {
                    stemBuffer.removeAll(keepingCapacity: true)
                    stemBuffer.append(contentsOf: word)
                    EnglishStemmer.stem(&stemBuffer)
                    if weights.unstemmedWord > 0 && stemBuffer.count != word.count {
                        emit(FeatureExtractor.hash(word, seed: 5), .word, weights.unstemmedWord)
                    }
                    word = stemBuffer[...]
                }
                let wordHash = FeatureExtractor.hash(word, seed: 1)
                emit(wordHash, .word, weights.word)
                if let previous = previousWord, weights.wordBigram > 0 {
                    emit(FeatureExtractor.mix(previous, wordHash), .word, weights.wordBigram)
                }
                if let before = wordBeforePrevious, weights.skipBigram > 0 {
                    emit(FeatureExtractor.mix(before &+ 0x5A5A, wordHash), .word, weights.skipBigram)
                }
                wordBeforePrevious = previousWord
                previousWord = wordHash
                emitCharGrams(word, emit)
                i = j
            }
        }
    }

    private func emitHan(_ run: ArraySlice<Unicode.Scalar>, _ emit: (UInt64, Group, Float) -> Void) {
        let start = run.startIndex, count = run.count
        for k in 0..<count {
            let a = start + k
            if weights.hanUnigram > 0 { emit(FeatureExtractor.hash(run[a...a], seed: 2), .word, weights.hanUnigram) }
            if k + 1 < count && weights.hanBigram > 0 { emit(FeatureExtractor.hash(run[a...a + 1], seed: 3), .word, weights.hanBigram) }
            if k + 2 < count && weights.hanTrigram > 0 { emit(FeatureExtractor.hash(run[a...a + 2], seed: 4), .word, weights.hanTrigram) }
        }
    }

    private func emitCharGrams(_ word: ArraySlice<Unicode.Scalar>, _ emit: (UInt64, Group, Float) -> Void) {
        guard weights.charGram > 0 else { return }
        let count = word.count + 2
        // Padded "<word>", hashed without building the padded array.
        func scalar(_ k: Int) -> Unicode.Scalar {
            k == 0 ? "<" : k == count - 1 ? ">" : word[word.startIndex + k - 1]
        }
        for n in charGramSizes where count >= n {
            for k in 0...(count - n) {
                var h: UInt64 = 0xcbf29ce484222325 ^ (UInt64(10 + n) &* 0x9E3779B97F4A7C15)
                for m in k..<(k + n) {
                    h ^= UInt64(scalar(m).value)
                    h &*= 0x100000001b3
                }
                emit(h, .subword, weights.charGram)
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
