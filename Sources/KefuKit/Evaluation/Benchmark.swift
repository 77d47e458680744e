/// Measures a knowledge base the way customers meet it: load and build time, the latency of whole
/// dialogue turns (`DialogueEngine.handle`), and replay throughput. Pure apart from the injected clock.
public struct Benchmark: Sendable {
    public struct Result: Sendable {
        public var name: String
        public var entries: Int
        public var examples: Int
        /// Reading and validating the knowledge (0 when it was generated in memory).
        public var loadNanoseconds: UInt64
        /// DialogueEngine initialiser until the matcher is trained.
        public var buildNanoseconds: UInt64
        /// One per measured turn.
        public var turnLatencies: [UInt64]
        public var replayTurns: Int
        public var replayNanoseconds: UInt64

        public var p50: UInt64 { Percentile.of(turnLatencies, 50) }
        public var p99: UInt64 { Percentile.of(turnLatencies, 99) }
        public var max: UInt64 { turnLatencies.max() ?? 0 }
        public var turnsPerSecond: Double { replayNanoseconds == 0 ? 0 : Double(replayTurns) / (Double(replayNanoseconds) / 1e9) }
    }

    public var clock: Evaluator.Clock

    public init(clock: @escaping Evaluator.Clock) {
        self.clock = clock
    }

    /// `load` produces the knowledge (timed); `lines` are customer lines, cycled through for the replay
    /// of `replayTurns` turns as one long conversation (restarted when it ends).
    public func run(name: String, load: () -> KnowledgeBase, lines: [String], replayTurns: Int) -> Result {
        let t0 = clock()
        let knowledge = load()
        let t1 = clock()
        let engine = DialogueEngine(knowledge: knowledge)
        engine.matcher.waitUntilReady()
        let t2 = clock()
        let examples = knowledge.entries.reduce(0) { $0 + $1.examples.count }

        var latencies: [UInt64] = []
        latencies.reserveCapacity(lines.count)
        var state = DialogueState()
        for line in lines {
            let start = clock()
            let turn = engine.handle(line, in: state)
            latencies.append(clock() &- start)
            state = Benchmark.next(turn?.state ?? state)
        }

        var replayed = 0
        state = DialogueState()
        let start = clock()
        if !lines.isEmpty {
            while replayed < replayTurns {
                let turn = engine.handle(lines[replayed % lines.count], in: state)
                state = Benchmark.next(turn?.state ?? state)
                replayed += 1
            }
        }
        let replayNanoseconds = clock() &- start
        return Result(name: name, entries: knowledge.entries.count, examples: examples, loadNanoseconds: t1 &- t0,
                      buildNanoseconds: t2 &- t1, turnLatencies: latencies, replayTurns: replayed, replayNanoseconds: replayNanoseconds)
    }

    /// A conversation that ended starts again, as the next customer would.
    static func next(_ state: DialogueState) -> DialogueState {
        if case .ended = state.phase { return DialogueState() }
        return state
    }
}
