import Foundation
import KefuKit

/// The dialogue engine, built on a background thread while the shell shows its prompt. Building its readers was a
/// fifth of the time to the prompt (13–17 ms of 69), and nothing before the first line needs them: the welcome is a
/// message of the knowledge base, and the first answer waits for the readers' training anyway.
public final class DeferredEngine: Sendable {
    public let knowledge: KnowledgeBase
    private let built: BackgroundValue<DialogueEngine>

    /// Starts building the engine for `knowledge` now, on a background thread.
    public init(knowledge: KnowledgeBase) {
        self.knowledge = knowledge
        built = BackgroundValue(schedule: { DispatchQueue.global(qos: .userInitiated).async(execute: $0) }) { DialogueEngine(knowledge: knowledge) }
    }

    /// An engine already built.
    public init(_ engine: DialogueEngine) {
        knowledge = engine.knowledge
        built = BackgroundValue(engine)
    }

    /// The engine, once built (waits until then).
    public var engine: DialogueEngine { built.value }
}
