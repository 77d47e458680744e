/// How customers answer Kefu's own questions in the advice conversation, from `replies.txt`: accepting
/// a risk, deciding to buy, yes or no to an offer. Kept as data so that trainers can add the phrasings
/// they meet without a code change; `ReplyReader` decides in a fixed, safe order what a reply means.
public struct ReplyPhrases: Sendable {
    /// The lists `replies.txt` must hold, each in both languages.
    public static let requiredIDs = ["risk-accept", "risk-refuse", "negation", "tentative", "question", "buy", "buy-verb", "yes", "no"]
    /// Lists a knowledge folder may leave out: the whole-reply yes and no to "have you invested before?" ("有", "没有"),
    /// and the forms of a Chinese question asked without a question mark (see `ProfileAnswerReader.asksWithoutMark`).
    /// And the answer to the wellbeing check (`check-in.*` of an escalation rule): fine, or not.
    public static let optionalIDs = ["have", "have-not", "right", "wrong", "question-form", "question-end", "fine", "not-fine"]
    /// Lists of one language's grammar, which hold no English phrases.
    static let chineseOnlyIDs: Set<String> = ["question-form", "question-end"]

    /// Lowercased and folded as `NumberParser.fold` folds a customer line, by list id.
    public var lists: [String: [String]] { didSet { bare = Self.bareSets(lists) } }
    /// Each list's phrases without white space or clause marks, for "the whole reply is one of them",
    /// which is asked of nearly every line (a bare "ok" is read before anything else).
    public private(set) var bare: [String: Set<String>] = [:]

    public init(lists: [String: [String]] = [:]) {
        self.lists = lists
        self.bare = Self.bareSets(lists)
    }

    /// Clause marks: left out of a bare reply, and where `ReplyReader` splits a reply into clauses.
    static let bareMarks: Set<Unicode.Scalar> = ["，", ",", "。", ".", ";", "；", "！", "!", "、", "\n", "~", "～"]

    /// The text without white space and clause marks.
    public static func bareText(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where !bareMarks.contains(scalar) && !scalar.properties.isWhitespace { out.append(scalar) }
        return String(out)
    }

    static func bareSets(_ lists: [String: [String]]) -> [String: Set<String>] {
        lists.mapValues { Set($0.map(bareText)) }
    }

    public subscript(_ id: String) -> [String] { lists[id] ?? [] }

    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> ReplyPhrases {
        var lists: [String: [String]] = [:]
        for block in file.blocks {
            if !requiredIDs.contains(block.id) && !optionalIDs.contains(block.id) {
                diagnostics.error("unknown list '\(block.id)' (expected \((requiredIDs + optionalIDs).joined(separator: ", ")))", file: file.path, line: block.line)
                continue
            }
            for field in block.fields where field.key != "phrases.zh" && field.key != "phrases.en" {
                diagnostics.error("list '\(block.id)': unknown key '\(field.key)' (lists have phrases.zh and phrases.en)", file: file.path, line: field.line)
            }
            for language in ["zh", "en"] where block.values("phrases.\(language)").isEmpty && !(language == "en" && chineseOnlyIDs.contains(block.id)) {
                diagnostics.error("list '\(block.id)' has no phrases.\(language)", file: file.path, line: block.line)
            }
            let phrases = (block.values("phrases.zh") + block.values("phrases.en"))
                .flatMap { $0.split(separator: ",") }
                .map { ReplyPhrases.fold(String($0).trimmingWhitespace()) }
                .filter { !$0.isEmpty }
            lists[block.id, default: []] += phrases
        }
        for id in requiredIDs where lists[id] == nil {
            diagnostics.error("list '\(id)' is missing", file: file.path)
        }
        return ReplyPhrases(lists: lists)
    }

    /// A customer line or a phrase, folded the same way (full-width forms, case, curly apostrophes).
    static func fold(_ text: String) -> String {
        String(scalars: NumberParser.fold(text)).replacingAll("’", with: "'")
    }
}
