/// Classification metrics over categories 0..<names.count, from each test item's gold category and
/// its ranked predictions (best first; empty when the matcher found nothing).
public struct ClassificationReport: Sendable {
    public struct CategoryScore: Sendable, Equatable {
        public var name: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Test items whose gold category this is.
        public var support: Int
        /// Test items predicted as this category.
        public var predicted: Int
    }

    public struct Confusion: Sendable, Equatable {
        public var gold: String
        public var predicted: String
        public var count: Int
    }

    public var count: Int
    public var top1Correct: Int
    public var topKCorrect: Int
    public var k: Int
    public var categories: [CategoryScore]
    /// Gold -> predicted pairs that were wrong, most frequent first.
    public var confusions: [Confusion]

    public var accuracy: Double { count == 0 ? 0 : Double(top1Correct) / Double(count) }
    public var topKAccuracy: Double { count == 0 ? 0 : Double(topKCorrect) / Double(count) }
    /// Mean F1 over categories that occur in the test set or in the predictions (as scikit-learn does).
    public var macroF1: Double {
        let counted = categories.filter { $0.support > 0 || $0.predicted > 0 }
        return counted.isEmpty ? 0 : counted.reduce(0) { $0 + $1.f1 } / Double(counted.count)
    }

    public init(names: [String], gold: [Int], ranked: [[Int]], k: Int = 3) {
        precondition(gold.count == ranked.count)
        let n = names.count
        var truePositive = [Int](repeating: 0, count: n)
        var support = [Int](repeating: 0, count: n)
        var predicted = [Int](repeating: 0, count: n)
        var pairs: [Int: Int] = [:]
        var top1 = 0, topK = 0
        for (g, ranking) in zip(gold, ranked) {
            support[g] += 1
            if ranking.prefix(k).contains(g) { topK += 1 }
            guard let p = ranking.first else { continue }
            predicted[p] += 1
            if p == g {
                truePositive[g] += 1
                top1 += 1
            } else {
                pairs[g * n + p, default: 0] += 1
            }
        }
        self.count = gold.count
        self.top1Correct = top1
        self.topKCorrect = topK
        self.k = k
        self.categories = (0..<n).map { c in
            let precision = predicted[c] == 0 ? 0 : Double(truePositive[c]) / Double(predicted[c])
            let recall = support[c] == 0 ? 0 : Double(truePositive[c]) / Double(support[c])
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return CategoryScore(name: names[c], precision: precision, recall: recall, f1: f1, support: support[c], predicted: predicted[c])
        }
        self.confusions = pairs.map { Confusion(gold: names[$0.key / n], predicted: names[$0.key % n], count: $0.value) }
            .sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.gold != b.gold { return a.gold < b.gold }
                return a.predicted < b.predicted
            }
    }
}

/// Order statistics for latency figures.
public enum Percentile {
    /// The nearest-rank percentile (p in 0...100) of unsorted values; 0 for no values.
    public static func of<T: BinaryInteger>(_ values: [T], _ p: Double) -> T {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return nearestRank(sorted, p)
    }

    public static func nearestRank<T>(_ sorted: [T], _ p: Double) -> T {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
