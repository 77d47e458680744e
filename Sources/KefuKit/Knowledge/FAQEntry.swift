/// One question customers ask, in its many phrasings, with the answer in both languages.
public struct FAQEntry: Sendable, Equatable {
    public struct Example: Sendable, Equatable {
        public var text: String
        public var language: Language
        public var line: Int

        public init(text: String, language: Language, line: Int) {
            self.text = text
            self.language = language
            self.line = line
        }
    }

    public var id: String
    public var file: String
    public var line: Int
    public var tags: [String]
    public var examples: [Example]
    public var answer: Bilingual
    /// For intent entries (`intents.txt`): what Kefu does instead of answering (e.g. "recommend-invest").
    public var action: String?

    public init(id: String, file: String = "", line: Int = 0, tags: [String] = [], examples: [Example], answer: Bilingual) {
        self.id = id
        self.file = file
        self.line = line
        self.tags = tags
        self.examples = examples
        self.answer = answer
        self.action = nil
    }

    public func examples(in language: Language) -> [Example] { examples.filter { $0.language == language } }

    /// A short title for menus ("您是想问：1) …"): the first example in that language.
    public func title(in language: Language) -> String {
        examples.first { $0.language == language }?.text ?? examples.first?.text ?? id
    }
}
