/// The two languages Kefu speaks. Every reply exists in both, so a conversation can switch at any turn.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// A pair of texts, one per language: the unit in which all of Kefu's sentences are stored.
public struct Bilingual: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public subscript(language: Language) -> String { language == .zh ? zh : en }
}
