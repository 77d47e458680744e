import KefuKit
import KefuTestSupport
import XCTest

/// Replays every transcript in transcripts/ (the same files users replay with `kefu replay --check`).
final class GoldenTranscriptTests: XCTestCase {
    func testEveryGoldenTranscriptReplaysExactly() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.transcriptsURL.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 10)
        let replayer = TranscriptReplayer(engine: Fixtures.engine)
        var turns = 0
        for name in names {
            let text = try String(contentsOf: Fixtures.transcriptsURL.appendingPathComponent(name), encoding: .utf8)
            if RehearsalTranscript.isRehearsal(text) {
                // Rehearsals (`# persona:`, agent>/customer>/score>) replay through the simulated customer.
                let outcome = RehearsalReplayer(engine: RehearsalEngine(knowledge: Fixtures.shipped.knowledge)).replay(RehearsalTranscript.parse(text), file: "transcripts/\(name)")
                XCTAssertGreaterThan(outcome.turns, 0, "\(name) has no agent lines")
                turns += outcome.turns
                for mismatch in outcome.mismatches { XCTFail(mismatch.description) }
                continue
            }
            let transcript = Transcript.parse(text)
            XCTAssertFalse(transcript.turns.isEmpty, "\(name) has no customer lines")
            let outcome = replayer.replay(transcript, file: "transcripts/\(name)")
            turns += outcome.records.count
            for mismatch in outcome.mismatches { XCTFail(mismatch.description) }
            XCTAssertTrue(transcript.turns.allSatisfy { $0.expected != nil }, "\(name): every customer line needs an expected reply")
        }
        print("Replayed \(names.count) golden transcripts, \(turns) turns")
    }

    func testReplayIsDeterministic() throws {
        let text = try String(contentsOf: Fixtures.transcriptsURL.appendingPathComponent("faq-withdrawal-zh.txt"), encoding: .utf8)
        let replayer = TranscriptReplayer(engine: Fixtures.engine)
        let first = replayer.replay(Transcript.parse(text), file: "a").replies
        let second = TranscriptReplayer(engine: DialogueEngine(knowledge: Fixtures.shipped.knowledge)).replay(Transcript.parse(text), file: "a").replies
        XCTAssertEqual(first, second)
    }
}
