import Foundation
import KefuKit

/// How long recording one turn takes: the whole `StoreObserver.turnCompleted` path (masking, one
/// IMMEDIATE transaction with two utterances and an event, commit in WAL mode) on a real file.
public enum StoreBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var count: Int
        /// Seconds, sorted.
        public var samples: [Double]
        public var median: Double { samples.isEmpty ? 0 : samples[samples.count / 2] }
        public var p90: Double { samples.isEmpty ? 0 : samples[min(samples.count - 1, samples.count * 9 / 10)] }
        public var p99: Double { samples.isEmpty ? 0 : samples[min(samples.count - 1, samples.count * 99 / 100)] }

        public var description: String {
            func us(_ seconds: Double) -> String { String(format: "%.0f µs", seconds * 1_000_000) }
            return "turn write: median \(us(median)), p90 \(us(p90)), p99 \(us(p99)) over \(count) turns"
        }
    }

    /// Writes `turns` turns to a fresh database in `directory` (a temporary folder by default, removed
    /// afterwards) and times each one.
    public static func turnWrites(turns: Int = 1000, directory: URL? = nil) throws -> Result {
        let folder = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("kefu-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path)
        var warning: String?
        let observer = StoreObserver(store: store, channel: "bench", warn: { warning = $0 })
        observer.conversationStarted(mode: "chat", language: .zh)
        let inputs = ["提现多久到账", "我的卡 6222021234567890128 被盗刷了", "how do I reset my password", "手机号 13812345678 收不到验证码"]
        var samples: [Double] = []
        samples.reserveCapacity(turns)
        let clock = ContinuousClock()
        for index in 0..<turns {
            let input = inputs[index % inputs.count]
            let record = TurnRecord(input: input, language: .zh, reply: "一般 1–2 个工作日到账。", detectedLanguage: .zh,
                                    matchedID: "withdrawal-time", score: 0.87, state: "idle",
                                    events: [DialogueEvent(.answered, "withdrawal-time")])
            let elapsed = clock.measure {
                observer.turnCompleted(record, effects: [.reply(record.reply), .event(DialogueEvent(.answered, "withdrawal-time"))])
            }
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        observer.conversationEnded()
        if let warning { throw StoreError.other(path: store.location, message: warning) }
        return Result(count: turns, samples: samples.sorted())
    }
}
