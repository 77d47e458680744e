import Foundation

/// A value built on another thread, or given ready; whoever asks for it waits until it is there. The models train this
/// way (`ModelBox`), and so is the dialogue engine built while the chat's prompt shows (`DeferredEngine`).
public final class BackgroundValue<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var built: Value?

    /// Starts `build` now through `schedule` (a queue's `async` or `addOperation`).
    public init(schedule: (@escaping @Sendable () -> Void) -> Void, _ build: @escaping @Sendable () -> Value) {
        schedule {
            let value = build()
            self.condition.lock()
            self.built = value
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    /// A value already built.
    public init(_ value: Value) {
        built = value
    }

    /// The value, once built (waits until then).
    public var value: Value {
        condition.lock()
        defer { condition.unlock() }
        while built == nil { condition.wait() }
        return built!
    }
}
