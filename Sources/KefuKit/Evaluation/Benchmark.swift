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
        /// Transcripts replayed for throughput (0: the customer lines were cycled instead).
        public var replayTranscripts: Int = 0
        /// Replies that differed from a transcript's expected reply, over all the replay's passes.
        public var replayMismatches: Int = 0

        public var p50: UInt64 { Percentile.of(turnLatencies, 50) }
        public var p99: UInt64 { Percentile.of(turnLatencies, 99) }
        public var max: UInt64 { turnLatencies.max() ?? 0 }
        public var turnsPerSecond: Double { replayNanoseconds == 0 ? 0 : Double(replayTurns) / (Double(replayNanoseconds) / 1e9) }
    }

    public var clock: Evaluator.Clock

    public init(clock: @escaping Evaluator.Clock) {
        self.clock = clock
    }

    /// `load` produces the knowledge (timed); `lines` are customer lines, each timed as a turn.
    /// Throughput replays `transcripts` (the golden ones, checked reply by reply exactly as `kefu replay
    /// --check` does) until at least `replayTurns` turns; without transcripts it cycles `lines` as one
    /// long conversation (restarted when it ends).
    public func run(name: String, load: () -> KnowledgeBase, lines: [String], transcripts: [Transcript] = [], replayTurns: Int) -> Result {
        let t0 = clock()
        let knowledge = load()
        let t1 = clock()
        let engine = DialogueEngine(knowledge: knowledge)
        engine.waitUntilReady()
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
        var mismatches = 0
        let replayer = TranscriptReplayer(engine: engine)
        let transcripts = transcripts.filter { !$0.turns.isEmpty }
        state = DialogueState()
        let start = clock()
        if !transcripts.isEmpty {
            while replayed < replayTurns {
                let before = replayed
                for (index, transcript) in transcripts.enumerated() {
                    let outcome = replayer.replay(transcript, file: String(index))
                    replayed += outcome.records.count
                    mismatches += outcome.mismatches.count
                }
                if replayed == before { break }
            }
        } else if !lines.isEmpty {
            while replayed < replayTurns {
                let turn = engine.handle(lines[replayed % lines.count], in: state)
                state = Benchmark.next(turn?.state ?? state)
                replayed += 1
            }
        }
        let replayNanoseconds = clock() &- start
        return Result(name: name, entries: knowledge.entries.count, examples: examples, loadNanoseconds: t1 &- t0,
                      buildNanoseconds: t2 &- t1, turnLatencies: latencies, replayTurns: replayed, replayNanoseconds: replayNanoseconds,
                      replayTranscripts: transcripts.count, replayMismatches: mismatches)
    }

    /// A conversation that ended starts again, as the next customer would.
    static func next(_ state: DialogueState) -> DialogueState {
        if case .ended = state.phase { return DialogueState() }
        return state
    }
}
