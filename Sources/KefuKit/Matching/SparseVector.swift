/// A sparse, L2-normalised feature vector: parallel arrays of feature indices and weights, sorted by index.
public struct SparseVector: Sendable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }

    public func dot(_ other: SparseVector) -> Float {
        var i = 0, j = 0, sum: Float = 0
        while i < indices.count && j < other.indices.count {
            let a = indices[i], b = other.indices[j]
            if a == b { sum += values[i] * other.values[j]; i += 1; j += 1 } else if a < b { i += 1 } else { j += 1 }
        }
        return sum
    }
}
