// libFuzzer target over the dialogue engine: the input is a conversation, one customer line per
// '\n', run against the shipped knowledge (or $KEFU_KNOWLEDGE). Built by Fuzz/run.sh together with
// the KefuKit sources; the body is FuzzHarness.dialogue, which the regression tests also run.
import Foundation

nonisolated(unsafe) let engine: DialogueEngine = {
    let root = ProcessInfo.processInfo.environment["KEFU_KNOWLEDGE"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("knowledge")
    let loaded = KnowledgeLoader().load(from: root)
    if loaded.diagnostics.hasErrors {
        for diagnostic in loaded.diagnostics.errors { print(diagnostic) }
        fatalError("the knowledge in \(root.path) has errors")
    }
    return DialogueEngine(knowledge: loaded.knowledge)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDialogue(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    FuzzHarness.dialogue(Data(bytes: start, count: count), engine: engine)
    return 0
}
