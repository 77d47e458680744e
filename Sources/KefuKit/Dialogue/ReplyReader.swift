import Foundation

/// Reads what a customer's reply to one of Kefu's own questions means, with the phrase lists of
/// `replies.txt`. A phrase counts only where it is affirmed: a negation just before it ("我不了解风险",
/// "I don't want to buy it") turns it around, so a plain substring match can never read a refusal as a yes.
struct ReplyReader: Sendable {
    enum RiskAnswer: Equatable { case accept, refuse, unclear }

    let phrases: ReplyPhrases

    /// How many units (a Chinese character or an English word) before a phrase a negation reaches:
    /// "我真的不太了解风险", "I do not really accept the risk".
    static let window = 3

    /// The answer to "do you understand and accept this product's risk?". Refusals and negated
    /// acceptances are checked first and always win; a wish or a question is not an acceptance yet.
    func riskAnswer(_ text: String) -> RiskAnswer {
        let folded = ReplyPhrases.fold(text)
        if ReplyReader.contains(phrases["risk-refuse"], in: folded) || isOnly(folded, "no") { return .refuse }
        // An acceptance followed by a contrast ("我了解风险，但…", "I understand the risk but…") is never an
        // acceptance: what follows the contrast qualifies it (a refusal there was caught above).
        let parts = ReplyReader.contrastParts(folded)
        if parts.dropLast().contains(where: { ReplyReader.contains(phrases["risk-accept"], in: $0) }) { return .unclear }
        var accepted = false
        var unclear = false
        for clause in ReplyReader.clauses(folded) {
            let asks = ReplyReader.contains(phrases["question"], in: clause)
            for before in ReplyReader.textBefore(phrases["risk-accept"], in: clause) {
                let lead = ReplyReader.lastUnits(before, ReplyReader.window)
                if ReplyReader.contains(phrases["negation"], in: lead) { return .refuse }
                if asks || ReplyReader.contains(phrases["tentative"], in: lead) { unclear = true } else { accepted = true }
            }
        }
        return accepted && !unclear ? .accept : .unclear
    }

    /// Whether the reply decides to buy: a buying phrase ("就买这个", "I'll take it"), or, when it names a
    /// product, a buying verb ("买零钱通") in `withoutNames` (the reply with product names blanked, so that
    /// 随心借's 借 is not a verb). Never when negated, and a question ("零钱通怎么买") is not a decision.
    func wantsToBuy(_ text: String, withoutNames: String, namesProduct: Bool) -> Bool {
        let folded = ReplyPhrases.fold(text)
        if isAffirmed(phrases["buy"], in: folded) { return true }
        guard namesProduct, !ReplyReader.contains(phrases["question"], in: folded) else { return false }
        return isAffirmed(phrases["buy-verb"], in: ReplyPhrases.fold(withoutNames))
    }

    /// Whether the text asks something (`[question]` of replies.txt: 怎么, 吗, "how", "?").
    func asks(_ text: String) -> Bool { ReplyReader.contains(phrases["question"], in: ReplyPhrases.fold(text)) }

    /// Yes (true) or no (false) to an offer, or nil when the reply is about something else.
    /// "No" is read first: "好的，不用了" declines.
    func yesOrNo(_ text: String) -> Bool? {
        let folded = ReplyPhrases.fold(text)
        let no = phrases["no"]
        if isOnly(folded, "no") || ReplyReader.contains(no.filter { $0.count > 1 || $0.first?.isASCII == true }, in: folded) { return false }
        return isAffirmed(phrases["yes"], in: folded) ? true : nil
    }

    /// Right (true) or wrong (false) to "did you mean …?", or nil: the whole reply or its first clause must be the answer
    /// ("是的，就是这个", "不是，我是问手续费"), so 是 inside "我是问提现" is never a yes. Knowledge without the optional
    /// [right] / [wrong] lists reads the offer's yes and no.
    func confirmation(_ text: String) -> Bool? {
        guard phrases.bare["right"] != nil, phrases.bare["wrong"] != nil else { return yesOrNo(text) }
        let folded = ReplyPhrases.fold(text)
        guard let first = ReplyReader.clauses(folded).first else { return nil }
        if isOnly(folded, "wrong") || isOnly(first, "wrong") || opens(first, "wrong") { return false }
        if isOnly(folded, "right") || isOnly(first, "right") || opens(first, "right") { return true }
        return nil
    }

    /// Whether the answer to the wellbeing check says the customer is fine: a clause that is, or opens with, a [fine]
    /// phrase ("No, I'm fine", "嗯，我没事", "I'm fine, let's carry on"), and no [not-fine] phrase anywhere unless negated
    /// ("I'm fine, just struggling a bit" and "还好吧，其实不太好" are not fine: a crisis reply errs toward help). A figure
    /// ("2", the numbered choice) counts only as the whole reply: "2 years" is no choice. Knowledge without the optional
    /// lists reads no reply as fine. The caller also asks the safety reader (`DialogueEngine.classify`).
    func isFine(_ text: String) -> Bool {
        guard let fine = phrases.lists["fine"] else { return false }
        let folded = ReplyPhrases.fold(text)
        let notFine = phrases["not-fine"]
        // A figure ("1"), a one-character word or a Chinese one of two ("不好" is inside "不好意思，我没事") only as a whole
        // clause; the rest anywhere.
        let short = { (phrase: String) in
            let count = ReplyPhrases.bareText(phrase).count
            return count < 2 || phrase.allSatisfy(\.isNumber) || (phrase.first?.isASCII == false && count < 3)
        }
        let clauses = ReplyReader.clauses(folded)
        if isOnly(folded, "not-fine") || clauses.contains(where: { isOnly($0, "not-fine") }) || isAffirmed(notFine.filter { !short($0) }, in: folded) {
            return false
        }
        if isOnly(folded, "fine") { return true }
        let words = fine.filter { !$0.allSatisfy(\.isNumber) }
        return clauses.contains { clause in
            (isOnly(clause, "fine") && !clause.allSatisfy(\.isNumber)) || opens(clause, words)
        }
    }

    /// A short clause (at most `EscalationReader.shortLength` units) that opens with a phrase of list `id`: "yep that's it",
    /// "no not that one", "对就是这个". A Chinese phrase must have two characters or more: 是 opens "是不是要手续费".
    private func opens(_ clause: String, _ id: String) -> Bool {
        guard let list = phrases.lists[id] else { return false }
        return opens(clause, list)
    }

    private func opens(_ clause: String, _ list: [String]) -> Bool {
        guard EscalationReader.isShort(clause) else { return false }
        let words = clause.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" })
        return list.contains { phrase in
            let bare = ReplyPhrases.bareText(phrase)
            if phrase.first?.isASCII == true {
                let count = phrase.split(separator: " ").count
                return words.count > count && words.prefix(count).joined(separator: " ") == phrase
            }
            return bare.count >= 2 && ReplyPhrases.bareText(clause).hasPrefix(bare)
        }
    }

    /// Whether the reply is one clause only (nothing follows a yes or a no).
    func isOneClause(_ text: String) -> Bool { ReplyReader.clauses(ReplyPhrases.fold(text)).count <= 1 }

    /// Some phrase of `list` occurs with no negation just before it.
    func isAffirmed(_ list: [String], in folded: String) -> Bool {
        ReplyReader.clauses(folded).contains { clause in
            ReplyReader.textBefore(list, in: clause).contains { before in
                !ReplyReader.contains(phrases["negation"], in: ReplyReader.lastUnits(before, ReplyReader.window))
            }
        }
    }

    /// Whether the whole reply is one of the phrases of list `id` (as typed).
    func says(only id: String, _ text: String) -> Bool { isOnly(ReplyPhrases.fold(text), id) }

    /// The whole reply is one of the phrases of list `id` ("no", "不").
    private func isOnly(_ folded: String, _ id: String) -> Bool {
        // Every phrase is short; a long reply is none of them.
        guard folded.utf8.count <= 96, let bare = phrases.bare[id] else { return false }
        return bare.contains(ReplyPhrases.bareText(folded))
    }

    /// Where a reply splits into clauses: the marks a bare reply leaves out (`ReplyPhrases.bareMarks`).
    static let clauseMarks: Set<Character> = Set(ReplyPhrases.bareMarks.map(Character.init))
    /// Words that start a new clause: what follows "but" is judged on its own.
    static let contrast = ["但是", "不过", "可是", "但", "but", "however", "though"]

    /// The reply split into clauses at punctuation and at "but".
    static func clauses(_ folded: String) -> [String] {
        contrastParts(folded).flatMap { $0.split(whereSeparator: { clauseMarks.contains($0) }) }
            .map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// The reply split at contrast words only (an English one must be a whole word: "but", not "button").
    static func contrastParts(_ folded: String) -> [String] {
        var cuts: [Range<String.Index>] = []
        let search = SearchText(folded)
        for word in contrast where search.contains(word) {
            var from = folded.startIndex
            while from < folded.endIndex, let range = folded.range(of: word, range: from..<folded.endIndex) {
                let ascii = word.first!.isASCII
                let startsWord = range.lowerBound == folded.startIndex || !isWordCharacter(folded[folded.index(before: range.lowerBound)])
                let endsWord = range.upperBound == folded.endIndex || !isWordCharacter(folded[range.upperBound])
                if (!ascii || (startsWord && endsWord)) && !cuts.contains(where: { $0.overlaps(range) }) { cuts.append(range) }
                from = range.upperBound
            }
        }
        var parts: [String] = []
        var start = folded.startIndex
        for cut in cuts.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            parts.append(String(folded[start..<cut.lowerBound]))
            start = cut.upperBound
        }
        parts.append(String(folded[start...]))
        return parts
    }

    /// A bare acknowledgement ("ok", "好", "嗯"): the whole reply is a [yes] phrase. It neither switches the
    /// reply language nor counts as a greeting, and at the risk warning it is not an informed acceptance.
    func isAcknowledgement(_ text: String) -> Bool { isOnly(ReplyPhrases.fold(text), "yes") }

    /// Whether any phrase of the list occurs in the text (`textBefore`'s rules).
    static func contains(_ list: [String], in text: String) -> Bool { !textBefore(list, in: text).isEmpty }

    /// The text before each occurrence of each phrase in the clause. An English phrase must start and end
    /// a word ("no" is not in "know"); Chinese phrases and marks such as "?" match anywhere.
    static func textBefore(_ list: [String], in clause: String) -> [Substring] {
        var found: [Substring] = []
        // A byte search (Foundation's answer, see SearchText) rules most phrases out cheaply; only a phrase
        // that occurs is located with Foundation's range(of:), which was a fifth of a replayed turn.
        let search = SearchText(clause)
        for phrase in list where !phrase.isEmpty && search.contains(phrase) {
            let ascii = phrase.unicodeScalars.first?.isASCII ?? false
            var from = clause.startIndex
            while from < clause.endIndex, let range = clause.range(of: phrase, range: from..<clause.endIndex) {
                let startsWord = range.lowerBound == clause.startIndex || !isWordCharacter(clause[clause.index(before: range.lowerBound)])
                let endsWord = range.upperBound == clause.endIndex || !isWordCharacter(clause[range.upperBound])
                if !ascii || ((startsWord || !isWordCharacter(phrase.first!)) && (endsWord || !isWordCharacter(phrase.last!))) {
                    found.append(clause[..<range.lowerBound])
                }
                from = clause.index(after: range.lowerBound)
            }
        }
        return found
    }

    /// The last `count` units of the text: each Chinese character is one, each English word is one.
    static func lastUnits(_ text: Substring, _ count: Int) -> String {
        var index = text.endIndex
        var units = 0
        while index > text.startIndex && units < count {
            let previous = text.index(before: index)
            let character = text[previous]
            if character.isWhitespace { index = previous; continue }
            if isWordCharacter(character) {
                var start = previous
                while start > text.startIndex, isWordCharacter(text[text.index(before: start)]) { start = text.index(before: start) }
                index = start
            } else {
                index = previous
            }
            units += 1
        }
        return String(text[index...])
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "'")
    }
}
