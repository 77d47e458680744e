/// What the colleague who takes a ticket reads first. Kefu tells the customer "我会把刚才的对话摘要一并转给同事",
/// and the ticket used to say only "reason: explicit-request (normal); language: zh; topics: withdraw-fail":
/// the agent had to ask again what happened. Now: the problem in one line in the customer's language and
/// words, the facts they gave (amounts, dates, products, the risk level), what Kefu already told them, their
/// objections or do-not-contact, and the mood.
public struct HandoffSummary: Sendable, Equatable, Codable {
    /// One line, in the customer's language: the topic Kefu recognised and the customer's own words.
    public var problem: String
    public var language: Language
    /// "¥5,000", as the customer gave them, in order.
    public var amounts: [String] = []
    /// "三天前", "last Friday": when things happened, as the customer said it.
    public var dates: [String] = []
    /// Product names in the customer's language: named by the customer or discussed.
    public var products: [String] = []
    /// The customer's assessed level ("C3"), when the profile was complete enough to assess.
    public var riskLevel: String?
    /// What Kefu already told them: the FAQ answers given (by title), products recommended.
    public var told: [String] = []
    /// Objections raised ("too-risky/fear-of-loss").
    public var objections: [String] = []
    public var doNotContact = false
    /// "angry", "distressed", "urgent", "worried": from the escalation rules of this conversation (`mood:`).
    public var mood: [String] = []

    /// The summary as the agent reads it, worded by `messages` (`handoff-*`) in the customer's language; `moods`
    /// gives each mood's word in that language (escalation.txt's `mood.zh`), the id itself otherwise.
    public func text(_ messages: MessageCatalog, moods: [String: String] = [:]) -> String {
        let separator = language == .zh ? "；" : "; "
        var facts: [String] = []
        if !amounts.isEmpty { facts.append(messages.text(.handoffAmounts, language, ["list": amounts.joined(separator: ", ")])) }
        if !dates.isEmpty { facts.append(messages.text(.handoffDates, language, ["list": dates.joined(separator: ", ")])) }
        if !products.isEmpty { facts.append(messages.text(.handoffProducts, language, ["list": products.joined(separator: ", ")])) }
        if let riskLevel { facts.append(messages.text(.handoffRiskLevel, language, ["level": riskLevel])) }
        var wishes = objections.map { messages.text(.handoffObjection, language, ["objection": $0]) }
        if doNotContact { wishes.append(messages.text(.handoffDoNotContact, language)) }
        let values = ["problem": problem, "facts": facts.joined(separator: separator), "told": told.joined(separator: separator),
                      "wishes": wishes.joined(separator: separator),
                      "mood": mood.map { moods[$0] ?? $0 }.joined(separator: language == .zh ? "、" : ", ")]
        // A line of the template whose placeholder has nothing to say is left out.
        let template = messages.text(.handoffSummary, language)
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            !values.contains { line.contains("{\($0.key)}") && $0.value.isEmpty }
        }
        return MessageCatalog.fill(lines.map { $0.trimmingWhitespace() }.joined(separator: "\n"), values)
    }

    /// Dates and times as customers write them: an exact pattern, because a date is a figure.
    static func dates(in text: String) -> [String] {
        var found: [String] = []
        let scalars = Array(text.unicodeScalars)
        let lowered = text.lowercased()
        let weekdays = ["一", "二", "三", "四", "五", "六", "日", "天"]
        let zhWords = weekdays.flatMap { ["上周\($0)", "上星期\($0)", "周\($0)", "星期\($0)"] }
            + ["前天", "昨天", "今天", "今早", "昨晚", "上周", "上个星期", "上个月", "上月", "刚才", "上午", "下午", "晚上"]
        let search = SearchText(text)
        for word in zhWords where search.contains(word) { found.append(word) }
        // "三天前", "3天前", "两个月前", "15号", "11月3日"
        let numerals = Set("0123456789零一二三四五六七八九十两几半".unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard numerals.contains(scalars[index]) else { index += 1; continue }
            var end = index
            while end < scalars.count, numerals.contains(scalars[end]) { end += 1 }
            let rest = String(String.UnicodeScalarView(scalars[end...].prefix(4)))
            for unit in ["天前", "天了", "周前", "个星期前", "个月前", "小时前", "号", "日", "月"] where rest.hasPrefix(unit) {
                var stop = end + unit.unicodeScalars.count
                if unit == "月", stop < scalars.count, numerals.contains(scalars[stop]) {
                    while stop < scalars.count, numerals.contains(scalars[stop]) { stop += 1 }
                    if stop < scalars.count, scalars[stop] == "日" || scalars[stop] == "号" { stop += 1 } else { break }
                } else if unit == "月" {
                    break
                }
                found.append(String(String.UnicodeScalarView(scalars[index..<stop])))
                break
            }
            index = end
        }
        let loweredSearch = SearchText(lowered)
        for word in ["yesterday", "today", "this morning", "last night", "last week", "last month"] where loweredSearch.contains(word) { found.append(word) }
        let words = lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        let months = ["jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
                      "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"]
        for (k, word) in words.enumerated() {
            if word == "ago", k >= 2 { found.append(words[(k - 2)...k].joined(separator: " ")) }
            if (word == "last" || word == "on" || word == "this"), k + 1 < words.count, days.contains(words[k + 1]) {
                found.append(word == "on" ? words[k + 1] : word + " " + words[k + 1])
            }
            // "Nov 24", "24 November"
            if months.contains(word), word != "may" || k > 0 && words[k - 1] == "on" {
                if k + 1 < words.count, let day = Int(words[k + 1]), (1...31).contains(day) { found.append(word + " " + words[k + 1]) }
                else if k > 0, let day = Int(words[k - 1]), (1...31).contains(day) { found.append(words[k - 1] + " " + word) }
            }
        }
        // Each once, and none inside another ("5月10号" and "10号", "上周五" and "上周").
        var seen = Set<String>()
        let unique = found.filter { seen.insert($0).inserted }
        return unique.filter { item in !unique.contains { $0 != item && $0.contains(item) } }
    }

    /// Amounts of money the customer gave ("五千块", "¥3,000", "20k"): numbers with a currency or magnitude.
    static func amounts(in text: String) -> [String] {
        // A bare figure of 100 or more counts too ("I withdrew 5000"), unless it looks like a year.
        NumberParser().mentions(in: withoutMaskedNumbers(text)).filter { mention in
            guard !mention.isPercent, mention.value > 0, !mention.isForeignCurrency else { return false }
            if mention.hasCurrency || mention.hasMagnitude { return true }
            return mention.value >= 100 && mention.value < 100_000_000 && !(1900...2100).contains(mention.value)
        }.map { "¥" + formatted($0.value) }
    }

    /// The text without masked card, phone and ID numbers ("*******5678", "**** **** **** 0128"): a served
    /// conversation's earlier lines come back from storage masked, and the tail "5678" of a phone number was summed up
    /// for the agent as "金额 ¥5,678".
    static func withoutMaskedNumbers(_ text: String) -> String {
        guard text.contains("*") else { return text }
        var out = String.UnicodeScalarView()
        var inMask = false
        for scalar in text.unicodeScalars {
            if scalar == "*" {
                inMask = true
                continue
            }
            if inMask, scalar == " " || ("0"..."9").contains(scalar) || scalar == "X" || scalar == "x" { continue }
            if inMask { out.append(" ") }
            inMask = false
            out.append(scalar)
        }
        return String(out)
    }

    static func formatted(_ value: Double) -> String {
        let whole = Int(value.rounded())
        var digits = String(whole)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ",")
    }
}
