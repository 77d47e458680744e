/// Turns labelled phrasings (a CSV of `text,category`, such as exported chat logs) into knowledge:
/// one FAQ entry per category, its rows as example questions. `kefu eval` builds its matcher from the
/// same entries, and `kefu import-csv` writes them out in the plain-text knowledge format, with a
/// marked placeholder for each answer for a trainer to fill in.
public struct KnowledgeImporter: Sendable {
    /// Every placeholder answer starts with this; `kefu check` warns about answers that still carry it.
    public static let placeholderMarker = "TODO(import)"
    public static let fileName = "faq/imported.txt"

    public struct Imported: Sendable {
        public var knowledge: KnowledgeBase
        /// category -> entry id (ids must be lowercase letters, digits and '-').
        public var idForCategory: [String: String]
        /// entry id -> the category as written in the CSV, in first-appearance order.
        public var categories: [(id: String, category: String)]
    }

    /// Add each category's name ("card_arrival" -> "card arrival") as one more example question, when
    /// it is made of words: a name chosen by a person is a short description of what the entry is about.
    public var namesAsExamples = true

    public init() {}

    /// The category name as a phrasing, or nil when it is not made of letters (a number, a code).
    public static func nameExample(_ category: String) -> String? {
        let words = category.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " || $0 == "." || $0 == "/" })
        let letters = category.unicodeScalars.filter { $0.properties.isAlphabetic }.count
        guard letters >= 3 else { return nil }
        return words.joined(separator: " ")
    }

    public static func placeholderAnswer(for category: String) -> Bilingual {
        Bilingual(zh: "\(placeholderMarker) 请填写“\(category)”的回答。",
                  en: "\(placeholderMarker) Write the answer for '\(category)'.")
    }

    /// True for an answer that is still the importer's placeholder.
    public static func isPlaceholder(_ answer: String) -> Bool { answer.hasPrefix(placeholderMarker) }

    /// Warnings for entries whose answers are still placeholders (for `kefu check`).
    public static func placeholderDiagnostics(_ knowledge: KnowledgeBase) -> [Diagnostic] {
        knowledge.entries.filter { isPlaceholder($0.answer.zh) || isPlaceholder($0.answer.en) }.map {
            Diagnostic(file: $0.file, line: $0.line, severity: .warning,
                       message: "entry '\($0.id)' still has the imported placeholder answer (\(placeholderMarker)); write the real answer")
        }
    }

    /// An id from a category name: lowercase ASCII letters and digits, other runs become '-'.
    public static func entryID(for category: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in category.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// One line of text, as a knowledge file can hold it in a `q.xx:` value.
    public static func exampleText(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\t" })
            .map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    public func makeKnowledge(_ rows: [LabelledText], file: String = KnowledgeImporter.fileName) -> Imported {
        let detector = LanguageDetector()
        var idForCategory: [String: String] = [:]
        var categories: [(id: String, category: String)] = []
        var used: Set<String> = []
        var examples: [[FAQEntry.Example]] = []
        var index: [String: Int] = [:]
        for row in rows {
            let text = KnowledgeImporter.exampleText(row.text)
            if text.isEmpty { continue }
            let slot: Int
            if let known = index[row.category] {
                slot = known
            } else {
                var base = KnowledgeImporter.entryID(for: row.category)
                if base.isEmpty { base = "category" }
                var id = base
                var suffix = 2
                while used.contains(id) {
                    id = "\(base)-\(suffix)"
                    suffix += 1
                }
                used.insert(id)
                idForCategory[row.category] = id
                categories.append((id, row.category))
                slot = examples.count
                index[row.category] = slot
                examples.append([])
            }
            examples[slot].append(FAQEntry.Example(text: text, language: detector.detect(text) ?? .en, line: row.line))
        }
        if namesAsExamples {
            for (k, category) in categories.enumerated() {
                if let name = KnowledgeImporter.nameExample(category.category),
                   !examples[k].contains(where: { $0.text.lowercased() == name.lowercased() }) {
                    examples[k].insert(FAQEntry.Example(text: name, language: detector.detect(name) ?? .en, line: 0), at: 0)
                }
            }
        }
        let entries = categories.enumerated().map { k, category in
            FAQEntry(id: category.id, file: file, line: 0, tags: [], examples: examples[k],
                     answer: KnowledgeImporter.placeholderAnswer(for: category.category))
        }
        return Imported(knowledge: KnowledgeBase(entries: entries), idForCategory: idForCategory, categories: categories)
    }

    /// The FAQ file in the plain-text knowledge format (see knowledge/README.md).
    public func faqFile(_ imported: Imported, source: String) -> String {
        var out = "# Imported by `kefu import-csv` from \(KnowledgeImporter.exampleText(source)).\n"
        out += "# Every answer is a placeholder starting with \(KnowledgeImporter.placeholderMarker): write the real answers,\n"
        out += "# add example questions in the other language, then run `kefu check`.\n"
        for (k, entry) in imported.knowledge.entries.enumerated() {
            out += "\n[\(entry.id)]\n"
            let category = imported.categories[k].category
            if category != entry.id { out += "# category: \(KnowledgeImporter.exampleText(category))\n" }
            for example in entry.examples {
                out += "q.\(example.language.rawValue): \(example.text)\n"
            }
            out += "a.zh: \(entry.answer.zh)\n"
            out += "a.en: \(entry.answer.en)\n"
        }
        return out
    }

    /// Every file of a knowledge folder (relative path -> contents). `messages` is the text of a
    /// messages.txt to copy (Kefu's own sentences), normally the shipped one.
    public func knowledgeFiles(_ imported: Imported, source: String, messages: String) -> [String: String] {
        [
            KnowledgeImporter.fileName: faqFile(imported, source: source),
            "messages.txt": messages,
            "synonyms.txt": "# Words customers use for the same thing. One group per line; the first word is the one Kefu keeps.\n# 提现 = 取现 = 取钱\n",
        ]
    }
}
