/// Everything Kefu knows, as loaded from the `knowledge/` folder and validated.
public struct KnowledgeBase: Sendable {
    public var entries: [FAQEntry]
    public var synonyms: SynonymTable
    public var messages: MessageCatalog
    /// Where it was loaded from, for messages such as `kefu check`'s summary.
    public var root: String
    public var products = ProductCatalog()
    public var suitability = SuitabilityRules()
    public var questions = ProfileQuestions()
    /// First messages that ask for advice, for the advice-opening reader (`openings.txt`, optional).
    public var adviceOpenings = AdviceOpenings()
    /// Example answers to the profile questions, for the profile reader (`profile-answers.txt`).
    public var profileAnswers = ProfileAnswers()
    /// How customers answer Kefu's questions in the advice conversation (`replies.txt`).
    public var replies = ReplyPhrases()
    public var objections = ObjectionLibrary()
    public var escalation = EscalationRules()
    /// Refusal, do-not-contact and acceptance phrases (`phrases.txt`).
    public var phrases = SalesPhrases()
    /// Personas and scoring rules for `kefu rehearse` (empty when the folder has none).
    public var rehearsal = RehearsalKnowledge()
    /// The FAQ matcher reads amounts and long numbers as one placeholder (`matching.txt`).
    public var figuresAsPlaceholder = false

    /// Product advice needs all three files; a knowledge base without products answers FAQ only.
    public var canRecommend: Bool { !products.products.isEmpty && !suitability.levels.isEmpty }

    public init(entries: [FAQEntry], synonyms: SynonymTable = SynonymTable(), messages: MessageCatalog = MessageCatalog(messages: [:]), root: String = "") {
        self.entries = entries
        self.synonyms = synonyms
        self.messages = messages
        self.root = root
    }

    public func entryIndex(id: String) -> Int? { entries.firstIndex { $0.id == id } }
    public func entry(id: String) -> FAQEntry? { entries.first { $0.id == id } }
}
