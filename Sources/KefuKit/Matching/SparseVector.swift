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

/// Feature hash -> dense feature index, by open addressing: faster than a Dictionary on the query path,
/// and its layout depends only on the insertion order, so it is the same on every run.
struct FeatureIndex: Sendable {
    private var keys: [UInt64]
    private var slots: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always) private static func spread(_ hash: UInt64) -> Int {
        var h = hash ^ (hash >> 33)
        h &*= 0xff51afd7ed558ccd
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    func find(_ hash: UInt64) -> Int32? {
        var i = FeatureIndex.spread(hash) & mask
        while true {
            let slot = slots[i]
            if slot < 0 { return nil }
            if keys[i] == hash { return slot }
            i = (i + 1) & mask
        }
    }

    /// The index of `hash`, adding it with the next free index when new.
    mutating func insert(_ hash: UInt64) -> (index: Int32, isNew: Bool) {
        if (count + 1) * 2 > slots.count { grow() }
        var i = FeatureIndex.spread(hash) & mask
        while true {
            let slot = slots[i]
            if slot < 0 {
                keys[i] = hash
                slots[i] = Int32(count)
                count += 1
                return (Int32(count - 1), true)
            }
            if keys[i] == hash { return (slot, false) }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldSlots = slots
        let size = slots.count * 2
        keys = [UInt64](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (key, slot) in zip(oldKeys, oldSlots) where slot >= 0 {
            var i = FeatureIndex.spread(key) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            keys[i] = key
            slots[i] = slot
        }
    }
}

/// A small deterministic generator (SplitMix64) for shuffling training examples the same way every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
