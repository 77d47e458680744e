/// The phrases that decide how Kefu takes a customer's "no", loaded from `phrases.txt` so that trainers
/// can widen them without a code change: a do-not-contact request, a plain refusal, and a "yes" to a re-offer.
public struct SalesPhrases: Sendable {
    public struct Set: Sendable {
        /// Folded (`EscalationRules.fold`) and lowercased.
        public var phrases: [String] = []
        /// Messages that count only when they are the whole message ("no", "不"): as phrases they would
        /// be found inside ordinary words.
        public var whole: [String] = []
        /// Count only at the very end of the message, punctuation aside (the particle 么 in "零风险么", not in "怎么").
        public var ends: [String] = []
        fileprivate var list = PhraseList([])
        /// Left out when comparing a whole message ("no." and "不！" are "no" and "不").
        static let punctuation: Swift.Set<Unicode.Scalar> = [".", ",", "!", "?", "~", "。", "，", "！", "？", "…"]

        func matches(_ folded: SearchText) -> Bool {
            // Whole-message and end phrases are short: a long message is compared by its end only (asked of
            // every line, filtering all of it was a tenth of an objection turn).
            let scalars = folded.string.unicodeScalars
            let tail = folded.string.utf8.count <= 128 ? scalars[...] : scalars.suffix(48)
            var kept = String.UnicodeScalarView()
            for scalar in tail where !Set.punctuation.contains(scalar) { kept.append(scalar) }
            let bare = String(kept).trimmingWhitespace()
            if whole.contains(bare) { return true }
            if ends.contains(where: { bare.hasSuffix($0) }) { return true }
            // English phrases are whole words ("ok" not in "book"; "no", from "no," and "no.", not in "now", "know" or
            // "snow": "Can I just pay now?", said after "I can't repay", was a refusal and got "Understood, I won't suggest
            // anything more"). Chinese phrases match anywhere.
            return folded.containsAnyWord(list)
        }
    }

    /// "别再推销了", "leave me alone": stops all selling for the rest of the conversation.
    public var doNotContact = Set()
    /// "不要", "no thanks": a refusal, with or without a reason.
    public var refusal = Set()
    /// "好的", "send it": yes to a re-offer.
    public var acceptance = Set()
    /// "零风险吗", "can I lose money": a question, never taken as an objection (optional block).
    public var question = Set()
    /// Words a refusal may carry without adding a reason ("我说了不要", "就是不要", "no thanks").
    public var filler: [String] = []

    public init() {}

    func isDoNotContact(_ folded: SearchText) -> Bool { doNotContact.matches(folded) }
    func isRefusal(_ folded: SearchText) -> Bool { refusal.matches(folded) }
    func isAcceptance(_ folded: SearchText) -> Bool { acceptance.matches(folded) }
    /// A question mark, or a question phrase of `[question]` (吗, "is it", "can I").
    func isQuestion(_ folded: SearchText) -> Bool {
        folded.string.contains("?") || folded.string.contains("？") || question.matches(folded)
    }

    /// A refusal and nothing else: with the refusal phrases, `filler` words and punctuation taken out, nothing is
    /// left ("不要", "就是不要", "no thanks"). "不要，怕亏本金" or "不想说" still say something more.
    func isBareRefusal(_ folded: SearchText) -> Bool {
        guard isRefusal(folded) else { return false }
        var rest = folded.string.lowercased()
        // Longest first, so "no thanks" goes before "no".
        for phrase in (refusal.phrases + refusal.whole + filler).sorted(by: { $0.count > $1.count }) where !phrase.isEmpty {
            rest = rest.replacingOccurrences(of: phrase, with: " ")
        }
        return rest.unicodeScalars.allSatisfy { Set.punctuation.contains($0) || $0.properties.isWhitespace || $0 == "," }
    }

    /// Whether a customer's message asks Kefu to stop selling and contacting them.
    public func isDoNotContact(_ text: String) -> Bool { isDoNotContact(SearchText(EscalationRules.fold(text))) }
    public func isRefusal(_ text: String) -> Bool { isRefusal(SearchText(EscalationRules.fold(text))) }

    static let blocks = ["do-not-contact", "refusal", "acceptance", "question"]
    /// Blocks a knowledge base may leave out.
    static let optionalBlocks: Swift.Set<String> = ["question"]
    static let keys: Swift.Set<String> = ["phrases.zh", "phrases.en", "whole.zh", "whole.en", "end.zh", "end.en", "filler.zh", "filler.en",
                                          "q.zh", "q.en", "not.zh", "not.en"]

    /// Parses `phrases.txt`; every `q` example must be recognised by its own block and no `not` example may be.
    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> SalesPhrases {
        var result = SalesPhrases()
        let path = file.path
        func split(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",") }.map { EscalationRules.fold($0.trimmingWhitespace()).lowercased() }.filter { !$0.isEmpty }
        }
        for block in file.blocks {
            guard blocks.contains(block.id) else {
                diagnostics.error("unknown block [\(block.id)]: phrases.txt holds \(blocks.map { "[\($0)]" }.joined(separator: ", "))", file: path, line: block.line)
                continue
            }
            for field in block.fields where !keys.contains(field.key) {
                diagnostics.error("[\(block.id)]: unknown key '\(field.key)'", file: path, line: field.line)
            }
            var set = Set()
            set.phrases = split(block.values("phrases.zh") + block.values("phrases.en"))
            set.whole = split(block.values("whole.zh") + block.values("whole.en"))
            set.ends = split(block.values("end.zh") + block.values("end.en"))
            set.list = PhraseList(set.phrases)
            for language in ["zh", "en"] where block.values("phrases.\(language)").isEmpty {
                diagnostics.error("[\(block.id)] has no phrases.\(language)", file: path, line: block.line)
            }
            for field in block.fields where field.key.hasPrefix("q.") || field.key.hasPrefix("not.") {
                let text = SearchText(EscalationRules.fold(field.value).lowercased())
                let recognised = set.matches(text) || (block.id == "question" && (text.string.contains("?") || text.string.contains("？")))
                if field.key.hasPrefix("q.") && !recognised {
                    diagnostics.error("[\(block.id)]: example '\(field.value)' is not recognised by any phrase", file: path, line: field.line)
                } else if field.key.hasPrefix("not.") && recognised {
                    diagnostics.error("[\(block.id)]: '\(field.value)' must not be recognised, but a phrase matches it", file: path, line: field.line)
                }
            }
            switch block.id {
            case "do-not-contact": result.doNotContact = set
            case "refusal":
                result.refusal = set
                result.filler = split(block.values("filler.zh") + block.values("filler.en"))
            case "question": result.question = set
            default: result.acceptance = set
            }
        }
        for id in blocks where !optionalBlocks.contains(id) && !file.blocks.contains(where: { $0.id == id }) {
            diagnostics.error("phrases.txt has no [\(id)] block", file: path)
        }
        return result
    }
}
