import Foundation
import KefuKit

/// Paths and loaders shared by the test targets, so every test reads the same shipped knowledge.
public enum Fixtures {
    /// The package root, found from this source file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var knowledgeURL: URL { packageRoot.appendingPathComponent("knowledge") }
    public static var transcriptsURL: URL { packageRoot.appendingPathComponent("transcripts") }

    /// The shipped knowledge base, loaded once per test process.
    public static let shipped: KnowledgeLoader.Result = KnowledgeLoader().load(from: knowledgeURL)
    public static let engine: DialogueEngine = DialogueEngine(knowledge: shipped.knowledge)
    /// The profile extractor with the shipped answer reader (`profile-answers.txt`), as the engine reads answers.
    public static let profileExtractor = ProfileExtractor(answers: ProfileAnswerReader(answers: shipped.knowledge.profileAnswers, replies: shipped.knowledge.replies,
                                                                                      extractor: FeatureExtractor(synonyms: shipped.knowledge.synonyms)))

    /// The engine tests' own knowledge (`Tests/Fixtures/knowledge`): a frozen, smaller copy, so that an ordinary edit
    /// of the shipped knowledge never breaks a test of the engine (the shipped knowledge has its own tests: golden
    /// transcripts, corpora, simulations). Without trainer mode's files, which the engine never reads.
    public static var fixtureKnowledgeURL: URL { packageRoot.appendingPathComponent("Tests/Fixtures/knowledge") }
    public static let fixture: KnowledgeLoader.Result = {
        var loader = KnowledgeLoader()
        loader.loadsRehearsal = false
        return loader.load(from: fixtureKnowledgeURL)
    }()
    public static let fixtureEngine: DialogueEngine = DialogueEngine(knowledge: fixture.knowledge)
    /// The profile extractor with the fixture's answer reader, as the fixture engine reads answers.
    public static let fixtureProfileExtractor = ProfileExtractor(answers: ProfileAnswerReader(answers: fixture.knowledge.profileAnswers, replies: fixture.knowledge.replies,
                                                                                             extractor: FeatureExtractor(synonyms: fixture.knowledge.synonyms)))

    /// Writes `files` (relative path -> contents) into a fresh temporary folder.
    public static func temporaryKnowledge(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-test-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    /// The built `kefu` executable next to the test bundle.
    public static var kefuExecutable: URL { executable("kefu") }

    /// A built executable of the package (`kefu`, `kefu-server`) next to the test bundle.
    public static func executable(_ name: String) -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/\(name)")
    }
}

extension DialogueEngine {
    /// The records of `lines` said one after the other in one new conversation (blank lines give no turn).
    public func records(of lines: [String]) -> [TurnRecord] {
        var state = DialogueState()
        var records: [TurnRecord] = []
        for line in lines {
            guard let turn = handle(line, in: state) else { continue }
            state = turn.state
            records.append(turn.record)
        }
        return records
    }
}
