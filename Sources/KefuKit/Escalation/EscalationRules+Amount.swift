/// A large amount said anywhere in a conversation ("我要提现60万", "transfer 800k to my bank"): the amount
/// rule used to fire only on the advice conversation's amount, so a large withdrawal outside advice was
/// simply "not understood".
extension EscalationRules {
    /// Clause boundaries: a number and its context word must be in the same clause, so "我年薪60万，提现多久到账"
    /// (an income, then a question) is not a large withdrawal. Scalars of `NumberParser.fold` (full-width folded).
    static let clauseBreaks: Set<Unicode.Scalar> = [",", ".", ";", "!", "?", "\n", "。", "、"]

    /// The amount rule with `context` words, and the first of the line's `movedAmounts` at or above its
    /// limit; nil when there is none.
    public func largeAmount(among amounts: [Double]) -> (rule: Rule, amount: Double)? {
        guard let rule = amountRule, case .amount(let limit) = rule.trigger, let amount = amounts.first(where: { $0 >= limit }) else { return nil }
        return (rule, amount)
    }

    /// An amount below the large-amount limit moved in or out ("我要提现5万", "withdraw 5000"), from the line's
    /// `movedAmounts`: a question for the FAQ, not a profile fact. nil when there is none, or no amount rule
    /// with context words.
    public func smallMovedAmount(among amounts: [Double]) -> Double? {
        guard let rule = amountRule, case .amount(let limit) = rule.trigger, let amount = amounts.first(where: { $0 >= 1 }), amount < limit else { return nil }
        return amount
    }

    /// The first rule whose amount limit `amount` reaches (an advice conversation's amount to invest or borrow).
    public func amountRule(reachedBy amount: Double) -> Rule? {
        firstRule(where: { if case .amount(let limit) = $0 { return amount >= limit } else { return false } })
    }

    /// The amount rule that has context words.
    private var amountRule: Rule? {
        rules.first(where: { if case .amount = $0.trigger { return !$0.context.isEmpty } else { return false } })
    }

    /// Every amount of the line that shares a clause with a context word of the amount rule, in order: read
    /// once per turn, for both the large-amount rule and money-movement questions.
    public func movedAmounts(in text: String) -> [Double] {
        guard let rule = amountRule else { return [] }
        return movedAmounts(in: text, rule: rule)
    }

    private func movedAmounts(in text: String, rule: Rule) -> [Double] {
        let folded = NumberParser.fold(text)
        // No figure at all (most questions: "提现多久到账"): nothing to read.
        guard folded.contains(where: { NumberParser.isDigit($0) || NumberParser.chineseDigits[$0] != nil || $0 == "十" || $0 == "半" }) else { return [] }
        let context = PhraseList(rule.context)
        // No context word anywhere, none in any clause: most lines stop here, before any number is read.
        guard SearchText(lowercasing: String(scalars: folded), straightenApostrophes: true).containsAny(context) else { return [] }
        var amounts: [Double] = []
        for mention in NumberParser().mentions(inFolded: folded) where !mention.isPercent && mention.value > 0 {
            // A bare run of digits this long is a phone or card number, not money.
            guard mention.hasMagnitude || mention.hasCurrency || mention.value < 100_000_000 else { continue }
            var start = mention.start, end = mention.end
            while start > 0 && !Self.clauseBreaks.contains(folded[start - 1]) { start -= 1 }
            while end < folded.count && !Self.clauseBreaks.contains(folded[end]) { end += 1 }
            let clause = String(scalars: Array(folded[start..<end])).lowercased().replacingAll("’", with: "'")
            if SearchText(clause).containsAny(context) { amounts.append(mention.value) }
        }
        return amounts
    }
}
