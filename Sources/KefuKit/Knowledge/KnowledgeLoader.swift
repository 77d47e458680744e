import Foundation

/// Loads and validates a knowledge folder. Returns the knowledge base together with every diagnostic,
/// so `kefu check` can report all problems and `kefu chat` can refuse to start on errors.
public struct KnowledgeLoader: Sendable {
    public struct Result: Sendable {
        public var knowledge: KnowledgeBase
        public var diagnostics: DiagnosticsEngine
        /// file (relative) -> number of entries, for the summary
        public var entriesPerFile: [(file: String, count: Int)]
    }

    public static let faqKeys: Set<String> = ["q.zh", "q.en", "a.zh", "a.en", "tags"]
    public var reader = KnowledgeFileReader()
    public var compliance = ComplianceChecker()
    public var normalizer = TextNormalizer()
    /// Whether to look for the same example question under two entries (a warning only `kefu check` shows):
    /// normalising 5,000 examples for it was a sixth of the time to the prompt.
    public var findsDuplicateExamples = true
    /// Whether to load trainer mode's personas and scoring: a customer's chat never uses them, and they were a tenth of
    /// the time to the prompt. (`kefu check` loads and validates everything.)
    public var loadsRehearsal = true

    public init() {}

    public func load(from root: URL) -> Result {
        var diagnostics = DiagnosticsEngine()
        var entries: [FAQEntry] = []
        var perFile: [(String, Int)] = []
        let rootDisplay = root.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.error("knowledge folder not found", file: rootDisplay)
            return Result(knowledge: KnowledgeBase(entries: [], root: rootDisplay), diagnostics: diagnostics, entriesPerFile: [])
        }

        // Read ahead on the second core, in the order the loader needs them (see `KnowledgePrefetch`).
        // (The advice files only with products.txt: without it `loadAdvice` reads none of them.)
        let advises = KnowledgeLoader.present(root.appendingPathComponent("products.txt"))
        let prefetch = KnowledgePrefetch([
            .init(url: root.appendingPathComponent("escalation.txt"), display: "escalation.txt"),
        ] + (advises ? [
            .init(url: root.appendingPathComponent(ProfileAnswers.file), display: ProfileAnswers.file, allowsReasonIDs: true),
            .init(url: root.appendingPathComponent(AdviceOpenings.file), display: AdviceOpenings.file),
        ] : []), reader: reader)

        var faqFiles = reader.textFiles(in: root.appendingPathComponent("faq"), display: "faq", diagnostics: &diagnostics)
        let smalltalk = root.appendingPathComponent("smalltalk.txt")
        if KnowledgeLoader.present(smalltalk) { faqFiles.append(smalltalk) }
        if faqFiles.isEmpty { diagnostics.error("no FAQ files found (expected faq/*.txt)", file: rootDisplay) }

        for url in faqFiles {
            let display = KnowledgeLoader.relative(url, to: root)
            guard let text = reader.read(url, display: display, diagnostics: &diagnostics) else { continue }
            let file = BlockFile.parse(text, path: display, diagnostics: &diagnostics)
            var count = 0
            for block in file.blocks {
                if let entry = faqEntry(block, file: display, diagnostics: &diagnostics) {
                    entries.append(entry)
                    count += 1
                }
            }
            perFile.append((display, count))
        }

        var synonyms = SynonymTable()
        let synonymsURL = root.appendingPathComponent("synonyms.txt")
        if KnowledgeLoader.present(synonymsURL),
           let text = reader.read(synonymsURL, display: "synonyms.txt", diagnostics: &diagnostics) {
            synonyms = SynonymTable.parse(text, path: "synonyms.txt", normalizer: normalizer, diagnostics: &diagnostics)
        }

        let figuresAsPlaceholder = loadMatching(root.appendingPathComponent("matching.txt"), diagnostics: &diagnostics)

        let intentsURL = root.appendingPathComponent("intents.txt")
        if KnowledgeLoader.present(intentsURL), let text = reader.read(intentsURL, display: "intents.txt", diagnostics: &diagnostics) {
            let file = BlockFile.parse(text, path: "intents.txt", diagnostics: &diagnostics)
            var count = 0
            for block in file.blocks {
                if let entry = intentEntry(block, file: "intents.txt", diagnostics: &diagnostics) { entries.append(entry); count += 1 }
            }
            perFile.append(("intents.txt", count))
        }

        let messages = loadMessages(root.appendingPathComponent("messages.txt"), diagnostics: &diagnostics)
        var escalation = EscalationRules()
        let escalationURL = root.appendingPathComponent("escalation.txt")
        if KnowledgeLoader.present(escalationURL), let file = prefetch.blocks(escalationURL, display: "escalation.txt", reader: reader, diagnostics: &diagnostics) {
            escalation = EscalationRules.parse(file, compliance: compliance, diagnostics: &diagnostics)
        }
        validate(entries, diagnostics: &diagnostics)
        var knowledge = KnowledgeBase(entries: entries, synonyms: synonyms, messages: messages, root: rootDisplay)
        knowledge.figuresAsPlaceholder = figuresAsPlaceholder
        knowledge.escalation = escalation
        if !escalation.rules.isEmpty {
            for key in MessageCatalog.handoffKeys where knowledge.messages.messages[key.rawValue] == nil {
                diagnostics.error("message '\(key.rawValue)' is missing (needed for handoff summaries)", file: "messages.txt")
            }
        }
        knowledge.phrases = loadPhrases(root, diagnostics: &diagnostics)
        loadAdvice(root, into: &knowledge, prefetch: prefetch, diagnostics: &diagnostics)
        if loadsRehearsal { knowledge.rehearsal = loadRehearsal(root, knowledge: knowledge, diagnostics: &diagnostics) }
        return Result(knowledge: knowledge, diagnostics: diagnostics, entriesPerFile: perFile)
    }

    func faqEntry(_ block: BlockFile.Block, file: String, diagnostics: inout DiagnosticsEngine) -> FAQEntry? {
        var examples: [FAQEntry.Example] = []
        var answers: [Language: String] = [:]
        var tags: [String] = []
        for field in block.fields {
            switch field.key {
            case "q.zh", "q.en":
                let language: Language = field.key == "q.zh" ? .zh : .en
                if field.value.isEmpty {
                    diagnostics.error("entry '\(block.id)' has an empty example question", file: file, line: field.line)
                } else {
                    examples.append(.init(text: field.value, language: language, line: field.line))
                }
            case "a.zh", "a.en":
                let language: Language = field.key == "a.zh" ? .zh : .en
                if answers[language] != nil {
                    diagnostics.error("entry '\(block.id)' has a second \(language == .zh ? "Chinese" : "English") answer; join them into one", file: file, line: field.line)
                } else if field.value.isEmpty {
                    diagnostics.error("entry '\(block.id)' has an empty \(language == .zh ? "Chinese" : "English") answer", file: file, line: field.line)
                } else {
                    answers[language] = field.value
                    for violation in compliance.violations(in: field.value) {
                        diagnostics.error("entry '\(block.id)': \(violation)", file: file, line: field.line)
                    }
                }
            case "tags":
                tags += field.value.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            default:
                diagnostics.error("entry '\(block.id)': unknown key '\(field.key)' (expected q.zh, q.en, a.zh, a.en or tags)", file: file, line: field.line)
            }
        }
        if answers[.zh] == nil { diagnostics.error("entry '\(block.id)' has no Chinese answer (a.zh)", file: file, line: block.line) }
        if answers[.en] == nil { diagnostics.error("entry '\(block.id)' has no English answer (a.en)", file: file, line: block.line) }
        if examples.isEmpty {
            diagnostics.error("entry '\(block.id)' has no example questions (q.zh / q.en)", file: file, line: block.line)
            return nil
        }
        for language in Language.allCases {
            let count = examples.filter { $0.language == language }.count
            let name = language == .zh ? "Chinese" : "English"
            if count == 0 {
                diagnostics.warning("entry '\(block.id)' has no \(name) example questions (missing translation)", file: file, line: block.line)
            } else if count < 3 {
                diagnostics.warning("entry '\(block.id)' has only \(count) \(name) example question\(count == 1 ? "" : "s"); 3 or more match better", file: file, line: block.line)
            }
        }
        return FAQEntry(id: block.id, file: file, line: block.line, tags: tags, examples: examples,
                        answer: Bilingual(zh: answers[.zh] ?? answers[.en] ?? "", en: answers[.en] ?? answers[.zh] ?? ""))
    }

    func validate(_ entries: [FAQEntry], diagnostics: inout DiagnosticsEngine) {
        var ids: [String: FAQEntry] = [:]
        var questions: [String: (FAQEntry, FAQEntry.Example)] = [:]
        for entry in entries {
            if let previous = ids[entry.id] {
                diagnostics.error("duplicate id '\(entry.id)' (first defined at \(previous.file):\(previous.line))", file: entry.file, line: entry.line)
            } else {
                ids[entry.id] = entry
            }
            for example in entry.examples where findsDuplicateExamples {
                let key = normalizer.normalize(example.text)
                if let (other, otherExample) = questions[key], other.id != entry.id {
                    diagnostics.warning("example '\(example.text)' is also under entry '\(other.id)' (\(other.file):\(otherExample.line)); Kefu cannot tell them apart", file: entry.file, line: example.line)
                } else {
                    questions[key] = (entry, example)
                }
            }
        }
    }

    public static let actions: Set<String> = ["recommend-invest", "recommend-loan", "buy", "acknowledge-risk", "show-profile"]

    func intentEntry(_ block: BlockFile.Block, file: String, diagnostics: inout DiagnosticsEngine) -> FAQEntry? {
        var examples: [FAQEntry.Example] = []
        var action: String?
        for field in block.fields {
            switch field.key {
            case "q.zh", "q.en":
                examples.append(.init(text: field.value, language: field.key == "q.zh" ? .zh : .en, line: field.line))
            case "action":
                if KnowledgeLoader.actions.contains(field.value) { action = field.value } else {
                    diagnostics.error("intent '\(block.id)': unknown action '\(field.value)' (known: \(KnowledgeLoader.actions.sorted().joined(separator: ", ")))", file: file, line: field.line)
                }
            default:
                diagnostics.error("intent '\(block.id)': unknown key '\(field.key)' (expected q.zh, q.en or action)", file: file, line: field.line)
            }
        }
        guard let action else {
            diagnostics.error("intent '\(block.id)' has no action", file: file, line: block.line)
            return nil
        }
        if examples.isEmpty { diagnostics.error("intent '\(block.id)' has no example phrasings", file: file, line: block.line) }
        var entry = FAQEntry(id: block.id, file: file, line: block.line, examples: examples, answer: Bilingual(zh: "", en: ""))
        entry.action = action
        return entry
    }

    /// Whether anything is at `url`, without following a symbolic link: a looping or broken link is
    /// present, so reading it reports the problem (with `fileExists`, which follows links, it looked
    /// missing, and an optional file such as escalation.txt was silently left out).
    static func present(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0
    }

    /// Products, suitability rules and profile questions: all three or none.
    func loadAdvice(_ root: URL, into knowledge: inout KnowledgeBase, prefetch: KnowledgePrefetch, diagnostics: inout DiagnosticsEngine) {
        let productsURL = root.appendingPathComponent("products.txt")
        guard KnowledgeLoader.present(productsURL) else { return }
        if let text = reader.read(productsURL, display: "products.txt", diagnostics: &diagnostics) {
            let file = BlockFile.parse(text, path: "products.txt", diagnostics: &diagnostics)
            knowledge.products = ProductCatalog.parse(file, compliance: compliance, diagnostics: &diagnostics)
        }
        let rulesURL = root.appendingPathComponent("suitability.txt")
        if KnowledgeLoader.present(rulesURL) {
            if let text = reader.read(rulesURL, display: "suitability.txt", diagnostics: &diagnostics) {
                knowledge.suitability = SuitabilityRules.parse(text, path: "suitability.txt", diagnostics: &diagnostics)
            }
        } else {
            diagnostics.error("suitability.txt not found: products cannot be recommended without suitability rules", file: "suitability.txt")
        }
        let questionsURL = root.appendingPathComponent("profile.txt")
        if KnowledgeLoader.present(questionsURL) {
            if let text = reader.read(questionsURL, display: "profile.txt", diagnostics: &diagnostics) {
                let file = BlockFile.parse(text, path: "profile.txt", diagnostics: &diagnostics)
                knowledge.questions = ProfileQuestions.parse(file, compliance: compliance, diagnostics: &diagnostics)
            }
        } else {
            diagnostics.error("profile.txt not found: Kefu cannot ask for the customer's profile", file: "profile.txt")
        }
        let answersURL = root.appendingPathComponent(ProfileAnswers.file)
        if KnowledgeLoader.present(answersURL) {
            if let file = prefetch.blocks(answersURL, display: ProfileAnswers.file, allowsReasonIDs: true, reader: reader, diagnostics: &diagnostics) {
                knowledge.profileAnswers = ProfileAnswers.parse(file, diagnostics: &diagnostics)
                // A suggestion is put to the customer in its choice's words by the question's confirm: without both it is never asked.
                for label in knowledge.profileAnswers.labels {
                    guard let (fact, value) = label.suggests, let question = knowledge.questions.questions[fact.rawValue],
                          question.confirm == nil || !question.choices.contains(where: { $0.value == value }) else { continue }
                    diagnostics.warning("profile answer '\(label.id)': suggests \(fact.rawValue)=\(value), but profile.txt's [\(fact.rawValue)] has no confirm.zh / confirm.en or no choice with that value: the suggestion is never put to the customer",
                                        file: ProfileAnswers.file, line: label.line)
                }
            }
        } else {
            diagnostics.error("\(ProfileAnswers.file) not found: Kefu could not read answers given in words (occupation, goal, loss, experience, skip)",
                              file: ProfileAnswers.file)
        }
        let openingsURL = root.appendingPathComponent(AdviceOpenings.file)
        if KnowledgeLoader.present(openingsURL), let file = prefetch.blocks(openingsURL, display: AdviceOpenings.file, reader: reader, diagnostics: &diagnostics) {
            knowledge.adviceOpenings = AdviceOpenings.parse(file, diagnostics: &diagnostics)
        }
        let repliesURL = root.appendingPathComponent("replies.txt")
        if FileManager.default.fileExists(atPath: repliesURL.path) {
            if let text = reader.read(repliesURL, display: "replies.txt", diagnostics: &diagnostics) {
                let file = BlockFile.parse(text, path: "replies.txt", diagnostics: &diagnostics)
                knowledge.replies = ReplyPhrases.parse(file, diagnostics: &diagnostics)
            }
        } else {
            diagnostics.error("replies.txt not found: Kefu cannot tell an acceptance of a risk from a refusal", file: "replies.txt")
        }
        for url in reader.textFiles(in: root.appendingPathComponent("objections"), display: "objections", diagnostics: &diagnostics) {
            let display = KnowledgeLoader.relative(url, to: root)
            guard let text = reader.read(url, display: display, diagnostics: &diagnostics) else { continue }
            let file = BlockFile.parse(text, path: display, allowsReasonIDs: true, diagnostics: &diagnostics)
            ObjectionLibrary.parse(file, into: &knowledge.objections, compliance: compliance, diagnostics: &diagnostics)
        }
        knowledge.objections.validate(products: knowledge.products, diagnostics: &diagnostics)
        for key in MessageCatalog.adviceKeys where knowledge.messages.messages[key.rawValue] == nil {
            diagnostics.error("message '\(key.rawValue)' is missing (needed for recommendations)", file: "messages.txt")
        }
    }

    /// `phrases.txt`. Without it a do-not-contact request could not be recognised, so a knowledge base that
    /// sells (has products) must have it.
    func loadPhrases(_ root: URL, diagnostics: inout DiagnosticsEngine) -> SalesPhrases {
        let url = root.appendingPathComponent("phrases.txt")
        guard FileManager.default.fileExists(atPath: url.path) else {
            if FileManager.default.fileExists(atPath: root.appendingPathComponent("products.txt").path) {
                diagnostics.error("phrases.txt not found: Kefu could not recognise a refusal or a do-not-contact request", file: "phrases.txt")
            }
            return SalesPhrases()
        }
        guard let text = reader.read(url, display: "phrases.txt", diagnostics: &diagnostics) else { return SalesPhrases() }
        return SalesPhrases.parse(BlockFile.parse(text, path: "phrases.txt", diagnostics: &diagnostics), diagnostics: &diagnostics)
    }

    /// `matching.txt` (optional): how the FAQ matcher reads a line. `[figures] placeholder: yes` reads amounts and
    /// long numbers as one placeholder (`NumberParser.placeholdingAmounts`). Off without the file, so a knowledge
    /// base imported from labelled data (BANKING77, where "$50" and "1000" are part of the question) reads them.
    func loadMatching(_ url: URL, diagnostics: inout DiagnosticsEngine) -> Bool {
        guard KnowledgeLoader.present(url), let text = reader.read(url, display: "matching.txt", diagnostics: &diagnostics) else { return false }
        let file = BlockFile.parse(text, path: "matching.txt", diagnostics: &diagnostics)
        var placeholder = false
        for block in file.blocks {
            guard block.id == "figures" else {
                diagnostics.error("matching.txt: unknown block '[\(block.id)]' (known: [figures])", file: "matching.txt", line: block.line)
                continue
            }
            for field in block.fields {
                switch (field.key, field.value.lowercased()) {
                case ("placeholder", "yes"): placeholder = true
                case ("placeholder", "no"): placeholder = false
                case ("placeholder", _):
                    diagnostics.error("placeholder must be yes or no, found '\(field.value)'", file: "matching.txt", line: field.line)
                default:
                    diagnostics.error("[figures]: unknown key '\(field.key)'", file: "matching.txt", line: field.line)
                }
            }
        }
        return placeholder
    }

    func loadMessages(_ url: URL, diagnostics: inout DiagnosticsEngine) -> MessageCatalog {
        guard KnowledgeLoader.present(url) else {
            diagnostics.error("messages.txt not found: Kefu needs it for its own sentences", file: "messages.txt")
            return MessageCatalog(messages: [:])
        }
        guard let text = reader.read(url, display: "messages.txt", diagnostics: &diagnostics) else { return MessageCatalog(messages: [:]) }
        let file = BlockFile.parse(text, path: "messages.txt", diagnostics: &diagnostics)
        var messages: [String: Bilingual] = [:]
        for block in file.blocks {
            for field in block.fields where !["a.zh", "a.en"].contains(field.key) {
                diagnostics.error("message '\(block.id)': unknown key '\(field.key)' (messages have only a.zh and a.en)", file: "messages.txt", line: field.line)
            }
            let zh = block.first("a.zh"), en = block.first("a.en")
            if zh == nil { diagnostics.error("message '\(block.id)' has no Chinese text (a.zh)", file: "messages.txt", line: block.line) }
            if en == nil { diagnostics.error("message '\(block.id)' has no English text (a.en)", file: "messages.txt", line: block.line) }
            for field in [zh, en].compactMap({ $0 }) {
                for violation in compliance.violations(in: field.value) {
                    diagnostics.error("message '\(block.id)': \(violation)", file: "messages.txt", line: field.line)
                }
            }
            if messages[block.id] != nil {
                diagnostics.error("duplicate message id '\(block.id)'", file: "messages.txt", line: block.line)
            }
            messages[block.id] = Bilingual(zh: zh?.value ?? en?.value ?? "", en: en?.value ?? zh?.value ?? "")
        }
        for key in MessageCatalog.Key.allCases where messages[key.rawValue] == nil && !MessageCatalog.adviceKeys.contains(key)
            && !MessageCatalog.optionalKeys.contains(key)
            && !MessageCatalog.handoffKeys.contains(key) {
            diagnostics.error("message '\(key.rawValue)' is missing", file: "messages.txt")
        }
        return MessageCatalog(messages: messages)
    }

    static func relative(_ url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.path, base = root.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
