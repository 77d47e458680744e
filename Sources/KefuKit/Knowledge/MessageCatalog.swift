import Foundation

/// Kefu's own sentences (welcome, clarification, "did not understand"), kept in `messages.txt`
/// so that trainers can change the tone without touching code.
public struct MessageCatalog: Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case welcome, goodbye, help, clarify, notUnderstood = "not-understood", reset
        case langZh = "lang-zh", langEn = "lang-en", langAuto = "lang-auto", langUsage = "lang-usage"
        case unknownCommand = "unknown-command", whyNothing = "why-nothing", clarifyPick = "clarify-pick"
    }

    public var messages: [String: Bilingual]

    public init(messages: [String: Bilingual]) { self.messages = messages }

    public func text(_ key: Key, _ language: Language, _ substitutions: [String: String] = [:]) -> String {
        var text = messages[key.rawValue]?[language] ?? key.rawValue
        for (name, value) in substitutions { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
