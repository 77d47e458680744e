import Foundation

/// Token buckets by key (a conversation, a client address): each key may spend `burst` requests at once, and earns
/// `perSecond` back. A customer typing never comes near it; a script flooding one conversation or one address gets
/// 429 instead of the engine's time.
public final class RateLimiter: @unchecked Sendable {
    public struct Limit: Sendable, Equatable {
        public var burst: Double
        public var perSecond: Double
        public init(burst: Double, perSecond: Double) {
            self.burst = burst
            self.perSecond = perSecond
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    public let limit: Limit
    private let clock: @Sendable () -> Double
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    /// Memory stays bounded: past this many keys, buckets that have filled up again are forgotten.
    private let pruneAbove = 50_000

    /// `clock`: seconds from any fixed point (the system's uptime by default).
    public init(_ limit: Limit, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.limit = limit
        self.clock = clock
    }

    /// Whether `key` may make a request now (and if so, it is counted). A limit of 0 a second is no limit.
    public func allow(_ key: String) -> Bool {
        guard limit.perSecond > 0 else { return true }
        let now = clock()
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
        bucket.tokens = min(limit.burst, bucket.tokens + (now - bucket.updated) * limit.perSecond)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return false
        }
        bucket.tokens -= 1
        buckets[key] = bucket
        if buckets.count > pruneAbove { prune(now) }
        return true
    }

    private func prune(_ now: Double) {
        buckets = buckets.filter { min(limit.burst, $0.value.tokens + (now - $0.value.updated) * limit.perSecond) < limit.burst }
    }
}
