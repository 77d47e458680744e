import Foundation

/// Records a rehearsal as it happens, like a chat: each agent line with the customer's reply through
/// `ConversationObserver` (mode "rehearse"), then the scorecard once at the end. The store implements it;
/// KefuKit and the shell only see this protocol.
public protocol RehearsalObserver: ConversationObserver {
    /// Called once, after the last line and before `conversationEnded()`, with the seed that replays it.
    func rehearsalScored(_ scorecard: Scorecard, seed: UInt64)
    /// Called once at the start with the persona's first line, which no trainee line precedes.
    func rehearsalOpened(_ line: String, language: Language)
}

extension RehearsalTurn {
    /// The turn in the form the store keeps for every conversation: the person at the terminal (here the
    /// trainee, as the agent) is the input, and what Kefu said (here as the customer) is the reply; the
    /// state is where the rehearsal stands ("objection-1", "ended-won").
    public func record(input: String) -> TurnRecord {
        TurnRecord(input: input, language: state.language, detectedLanguage: state.language, matchedID: nil, score: nil,
                   state: state.phase.name, reply: reply ?? "", events: [], endsConversation: ended)
    }
}

extension RehearsalState.Phase {
    /// A short stable name for records and JSON: intro, objection-N, reason-N (1-based), closing, ended-OUTCOME.
    public var name: String {
        switch self {
        case .intro: return "intro"
        case .raised(let index): return "objection-\(index + 1)"
        case .reason(let index): return "reason-\(index + 1)"
        case .closing: return "closing"
        case .ended(let outcome): return "ended-\(outcome.rawValue)"
        }
    }
}
