import Foundation

/// When Kefu hands the conversation to a person, from `escalation.txt`: keyword rules (complaint,
/// fraud, distress…) and trigger rules (misunderstood twice, a large amount, the same question twice),
/// each with a priority and the first thing Kefu says.
public struct EscalationRules: Sendable {
    public enum Trigger: Sendable, Equatable {
        case keywords
        case misunderstood(Int)
        case amount(Double)
        case repeated(Int)
        /// The customer said yes to Kefu's offer to put them through (after deciding to buy).
        case offerAccepted
    }

    /// What a rule rules out for the rest of the conversation once it fired (`stops: selling, credit`).
    public struct Stops: OptionSet, Sendable, Equatable, Codable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// No product of any kind: a person in crisis is never sold to.
        public static let selling = Stops(rawValue: 1)
        /// No loan: a customer who cannot repay is never offered more credit.
        public static let credit = Stops(rawValue: 2)
    }

    public struct Rule: Sendable, Equatable {
        public var id: String
        public var priority: HandoffTicket.Priority
        public var trigger: Trigger
        /// Lowercased, folded; matched as substrings.
        public var keywords: [String]
        /// Phrases that hold a keyword without being the event ("怎么防止被骗", "how to avoid being scammed"):
        /// blanked out before the keywords are matched, so a question about prevention is answered while
        /// "我被骗了，怎么防止再被骗" still escalates on its first half. Lowercased, folded, longest first (so a
        /// longer phrase is blanked before a shorter one inside it).
        public var exceptions: [String] = []
        public var examples: [FAQEntry.Example]
        /// Messages that must not trigger the rule (`safe.*`): `kefu check` warns when one does.
        public var safe: [FAQEntry.Example] = []
        public var reply: Bilingual
        /// The whole message outside service hours (`after-hours.*`, with `{ticket}`), instead of `reply` and
        /// the service notice: a reply that says "a colleague will contact you right away" is untrue at night,
        /// and distress needs the hotline and what to do now, not just a call-back time.
        public var afterHours: Bilingual?
        /// Words that make an amount a movement of money (`context.*`: 提现, 转账, invest…): for an amount
        /// rule, such an amount at or above the limit in the same clause triggers it anywhere in a conversation.
        public var context: [String] = []
        /// The reader's score at or above which its examples trigger the rule (`threshold:`), tuned on the
        /// dev corpora in `corpora/safety/dev/`; the urgent rules sit low because a miss can cost a life.
        public var threshold: Double = 0.5
        /// The reader's score needed on a line of at most 6 Han characters and words (`threshold.short:`): there is
        /// almost nothing to read ("我说了不要" scored 0.46 as fraud). Nil: `threshold` for every line.
        public var shortThreshold: Double?
        /// FAQ entries whose example questions are this rule's own situation (`covers:`, e.g. hardship covers
        /// loan-hardship): they are not used as counter-examples when the reader is trained.
        public var covers: [String] = []
        /// FAQ entries whose questions talk as this rule's lines do without being its situation (`near:`, e.g. distress
        /// near deceased-account: a death in the family): not used as counter-examples either, so that the reader stays
        /// cautious. Their questions are still answered from the FAQ.
        public var near: [String] = []
        /// What this rule rules out for the rest of the conversation (`stops:`).
        public var stops: Stops = []
        /// How the customer feels when this rule fires (`mood: angry`, and the Chinese word `mood.zh: 生气`), for the
        /// handoff summary.
        public var mood: String?
        public var moodZH: String?
        /// FAQ tags whose answers are withheld for the rest of the conversation once this rule fired (`withholds:`):
        /// after a crisis "how do I apply for a loan" got the loan's application steps.
        public var withholds: [String] = []
        /// What Kefu asks instead of the whole script when only the reader found the rule in a line that also reads as an
        /// answer to Kefu's question or as a request for advice (`check-in.*`, with `{ticket}`), and what it says when the
        /// customer is fine (`check-in-fine.*`). "Maybe 3 to 4 years more then I go home for good" (asked how long the money
        /// can stay) read 0.53 as despair: the hotline and "everything else can wait" ended the conversation of a helper
        /// saving for her house. A check-in still shows the hotline and writes the urgent ticket; only the rest waits for
        /// the customer's answer. See `DialogueEngine.classify`.
        public var checkIn: Bilingual?
        public var checkInFine: Bilingual?
        public var line: Int
    }

    /// Service hours and the notices that go with a handoff.
    public struct Service: Sendable, Equatable {
        /// Minutes since midnight.
        public var opens = 9 * 60
        public var closes = 21 * 60
        public var wait = Bilingual(zh: "已为您转接人工客服，工单号 {ticket}，预计等待 {wait} 分钟。", en: "I've passed you to a colleague: ticket {ticket}, expected wait {wait} minutes.")
        public var afterHours = Bilingual(zh: "现在是非服务时间，已为您登记工单 {ticket}，同事会在 9:00 后回电。", en: "We're outside service hours; ticket {ticket} is logged and a colleague will call you back after 9:00.")
        /// For urgent tickets outside hours (an emergency line); falls back to `afterHours`.
        public var afterHoursUrgent: Bilingual?

        public func isOpen(minuteOfDay: Int) -> Bool { minuteOfDay >= opens && minuteOfDay < closes }
        public var hoursText: String { String(format: "%02d:%02d–%02d:%02d", opens / 60, opens % 60, closes / 60, closes % 60) }
    }

    public var rules: [Rule] = []
    public var service = Service()
    /// Lines that are none of the rules (`[none]`): counter-examples for the reader, next to the FAQ's questions
    /// and every rule's `safe.*` lines.
    public var none: [FAQEntry.Example] = []
    /// Ordinary customers telling their life at length (`[stories]`): not counter-examples for the reader that decides
    /// whether a line needs a person (learned there, they cost crisis lines that talk the same way: "The shop's closed
    /// for good and so am I" read 0.06), but for a second reader that decides how: a distress reading that the second
    /// reader does not confirm is asked about first (`WellbeingCheck`) instead of given the whole script.
    public var stories: [FAQEntry.Example] = []

    public init() {}

    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }

    /// The highest-priority keyword rule the message triggers (file order breaks ties, so distress,
    /// listed first, wins over security). Keywords match the folded, lowercased text without synonyms.
    public func match(_ text: String) -> Rule? { match(text, keywords: keywordLists()) }

    /// Each rule's keywords prepared for searching, for callers that match many messages.
    func keywordLists() -> [PhraseList] { rules.map { PhraseList($0.keywords) } }

    /// Whether the rule's keywords are in the message once its exceptions are blanked out.
    func triggers(_ k: Int, folded: SearchText, keywords: [PhraseList]) -> Bool {
        guard folded.containsAny(keywords[k]) else { return false }
        let exceptions = rules[k].exceptions
        guard !exceptions.isEmpty, folded.containsAny(exceptions) else { return true }
        var text = folded.string
        for phrase in exceptions where folded.contains(phrase) { text = text.replacingAll(phrase, with: " ") }
        return SearchText(text).containsAny(keywords[k])
    }

    /// `match`, with `keywords` from `keywordLists()` of these rules.
    func match(_ text: String, keywords: [PhraseList]) -> Rule? { match(folded: SearchText(EscalationRules.fold(text)), keywords: keywords) }

    /// `match` of a message already folded by `fold`.
    func match(folded: SearchText, keywords: [PhraseList]) -> Rule? {
        var best: Int?  // by position: copying every rule was a third of this
        for k in rules.indices where rules[k].trigger == .keywords && triggers(k, folded: folded, keywords: keywords) {
            if best == nil || rules[k].priority < rules[best!].priority { best = k }
        }
        return best.map { rules[$0] }
    }

    static func fold(_ text: String) -> String {
        String(scalars: NumberParser.fold(text)).replacingAll("’", with: "'")
    }

    public func firstRule(where predicate: (Trigger) -> Bool) -> Rule? { rules.first { predicate($0.trigger) } }

    // MARK: - Parsing

    public static func parse(_ file: BlockFile, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) -> EscalationRules {
        var result = EscalationRules()
        let path = file.path
        let ruleKeys: Set<String> = ["priority", "keywords.zh", "keywords.en", "unless.zh", "unless.en", "q.zh", "q.en", "safe.zh", "safe.en",
                                     "reply.zh", "reply.en", "trigger", "after-hours.zh", "after-hours.en", "context.zh", "context.en",
                                     "threshold", "threshold.short", "covers", "near", "stops", "mood", "mood.zh", "withholds",
                                     "check-in.zh", "check-in.en", "check-in-fine.zh", "check-in-fine.en"]
        for block in file.blocks {
            if block.id == "service" {
                result.service = parseService(block, path: path, compliance: compliance, diagnostics: &diagnostics)
                continue
            }
            if block.id == "none" || block.id == "stories" {
                for field in block.fields {
                    if field.key == "q.zh" || field.key == "q.en" {
                        let example = FAQEntry.Example(text: field.value, language: field.key == "q.zh" ? .zh : .en, line: field.line)
                        if block.id == "none" { result.none.append(example) } else { result.stories.append(example) }
                    } else {
                        diagnostics.error("[\(block.id)] holds only q.zh and q.en lines, found '\(field.key)'", file: path, line: field.line)
                    }
                }
                continue
            }
            for field in block.fields where !ruleKeys.contains(field.key) {
                diagnostics.error("rule '\(block.id)': unknown key '\(field.key)'", file: path, line: field.line)
            }
            guard let priorityField = block.first("priority"), let priority = HandoffTicket.Priority(rawValue: priorityField.value) else {
                diagnostics.error("rule '\(block.id)' needs priority: urgent, high, normal or low", file: path, line: block.first("priority")?.line ?? block.line)
                continue
            }
            var trigger = Trigger.keywords
            if let field = block.first("trigger") {
                let parts = field.value.split(separator: " ").map(String.init)
                if parts == ["offer-accepted"] {
                    trigger = .offerAccepted
                } else if parts.count == 2, let n = Double(parts[1]), n > 0 {
                    switch parts[0] {
                    case "misunderstood": trigger = .misunderstood(Int(n))
                    case "amount": trigger = .amount(n)
                    case "repeated": trigger = .repeated(Int(n))
                    default:
                        diagnostics.error("rule '\(block.id)': trigger must be 'misunderstood N', 'amount YUAN', 'repeated N' or 'offer-accepted'", file: path, line: field.line)
                    }
                } else {
                    diagnostics.error("rule '\(block.id)': trigger must be 'misunderstood N', 'amount YUAN', 'repeated N' or 'offer-accepted'", file: path, line: field.line)
                }
            }
            let keywords = (block.values("keywords.zh") + block.values("keywords.en")).flatMap { $0.split(separator: ",") }
                .map { fold($0.trimmingWhitespace()).lowercased() }.filter { !$0.isEmpty }
            let exceptionFields = block.fields.filter { $0.key == "unless.zh" || $0.key == "unless.en" }
            var exceptions: [String] = []
            for field in exceptionFields {
                for phrase in field.value.split(separator: ",").map({ fold($0.trimmingWhitespace()).lowercased() }) where !phrase.isEmpty {
                    // An exception that holds no keyword excuses nothing; one that is a bare keyword switches it off.
                    if keywords.contains(phrase) {
                        diagnostics.error("rule '\(block.id)': unless '\(phrase)' is itself a keyword; the rule would never fire on it", file: path, line: field.line)
                    } else if !keywords.contains(where: { phrase.includes($0) }) {
                        diagnostics.warning("rule '\(block.id)': unless '\(phrase)' holds none of its keywords, so it excuses nothing", file: path, line: field.line)
                    }
                    exceptions.append(phrase)
                }
            }
            if trigger == .keywords && keywords.isEmpty {
                diagnostics.error("rule '\(block.id)' has neither keywords nor a trigger", file: path, line: block.line)
            }
            let zh = block.first("reply.zh")?.value, en = block.first("reply.en")?.value
            if zh == nil { diagnostics.error("rule '\(block.id)' has no reply.zh", file: path, line: block.line) }
            if en == nil { diagnostics.error("rule '\(block.id)' has no reply.en", file: path, line: block.line) }
            var afterHours: Bilingual?
            let nightZH = block.first("after-hours.zh")?.value, nightEN = block.first("after-hours.en")?.value
            if (nightZH == nil) != (nightEN == nil) {
                diagnostics.error("rule '\(block.id)' needs both after-hours.zh and after-hours.en, or neither", file: path, line: block.line)
            } else if let nightZH, let nightEN {
                afterHours = Bilingual(zh: nightZH, en: nightEN)
                if !nightZH.contains("{ticket}") || !nightEN.contains("{ticket}") {
                    diagnostics.warning("rule '\(block.id)': after-hours text does not show the {ticket} number", file: path, line: block.line)
                }
            }
            let context = (block.values("context.zh") + block.values("context.en")).flatMap { $0.split(separator: ",") }
                .map { fold($0.trimmingWhitespace()).lowercased() }.filter { !$0.isEmpty }
            if !context.isEmpty, case .amount = trigger {} else if !context.isEmpty {
                diagnostics.error("rule '\(block.id)': context words only apply to 'trigger: amount'", file: path, line: block.line)
            }
            let checkInKeys = ["check-in.zh", "check-in.en", "check-in-fine.zh", "check-in-fine.en"]
            let checkInTexts = checkInKeys.map { block.first($0)?.value }
            var checkIn: Bilingual?, checkInFine: Bilingual?
            if checkInTexts.contains(where: { $0 != nil }) {
                if checkInTexts.contains(where: { $0 == nil }) {
                    diagnostics.error("rule '\(block.id)' needs all of \(checkInKeys.joined(separator: ", ")), or none", file: path, line: block.line)
                } else if trigger != .keywords || priority != .urgent {
                    diagnostics.error("rule '\(block.id)': a check-in is only for urgent rules read from lines", file: path, line: block.line)
                } else {
                    checkIn = Bilingual(zh: checkInTexts[0]!, en: checkInTexts[1]!)
                    checkInFine = Bilingual(zh: checkInTexts[2]!, en: checkInTexts[3]!)
                    if !checkInTexts[0]!.contains("{ticket}") || !checkInTexts[1]!.contains("{ticket}") {
                        diagnostics.warning("rule '\(block.id)': check-in text does not show the {ticket} number", file: path, line: block.line)
                    }
                }
            }
            for field in block.fields where field.key.hasPrefix("reply") || field.key.hasPrefix("after-hours") || field.key.hasPrefix("check-in") {
                for violation in compliance.violations(in: field.value) { diagnostics.error("rule '\(block.id)': \(violation)", file: path, line: field.line) }
            }
            var examples: [FAQEntry.Example] = []
            for field in block.fields where field.key == "q.zh" || field.key == "q.en" {
                examples.append(.init(text: field.value, language: field.key == "q.zh" ? .zh : .en, line: field.line))
            }
            if result.rules.contains(where: { $0.id == block.id }) {
                diagnostics.error("duplicate rule id '\(block.id)'", file: path, line: block.line)
                continue
            }
            var safe: [FAQEntry.Example] = []
            for field in block.fields where field.key == "safe.zh" || field.key == "safe.en" {
                safe.append(.init(text: field.value, language: field.key == "safe.zh" ? .zh : .en, line: field.line))
            }
            exceptions.sort { $0.count > $1.count }
            var threshold = 0.5
            if let field = block.first("threshold") {
                if let value = Double(field.value), value > 0, value < 1 {
                    threshold = value
                } else {
                    diagnostics.error("rule '\(block.id)': threshold must be a number between 0 and 1, found '\(field.value)'", file: path, line: field.line)
                }
            }
            var shortThreshold: Double?
            if let field = block.first("threshold.short") {
                if let value = Double(field.value), value > 0, value < 1 {
                    shortThreshold = value
                } else {
                    diagnostics.error("rule '\(block.id)': threshold.short must be a number between 0 and 1, found '\(field.value)'", file: path, line: field.line)
                }
            }
            let covers = block.values("covers").flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            var stops: Stops = []
            for field in block.fields where field.key == "stops" {
                for word in field.value.split(separator: ",").map({ $0.trimmingWhitespace() }) where !word.isEmpty {
                    switch word {
                    case "selling": stops.insert(.selling)
                    case "credit": stops.insert(.credit)
                    default: diagnostics.error("rule '\(block.id)': stops takes 'selling' and 'credit', found '\(word)'", file: path, line: field.line)
                    }
                }
            }
            var rule = Rule(id: block.id, priority: priority, trigger: trigger, keywords: keywords, exceptions: exceptions,
                                     examples: examples, safe: safe, reply: Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? ""), afterHours: afterHours,
                                     context: context, threshold: threshold, covers: covers, stops: stops,
                                     mood: block.first("mood")?.value, line: block.line)
            rule.shortThreshold = shortThreshold
            rule.moodZH = block.first("mood.zh")?.value
            rule.near = block.values("near").flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            rule.checkIn = checkIn
            rule.checkInFine = checkInFine
            rule.withholds = block.values("withholds").flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            result.rules.append(rule)
        }
        // Whether each example is read as its rule, and each safe line as none, is `EscalationReader.misreads`:
        // it needs the trained reader, which `kefu check` builds.
        return result
    }

    static func parseService(_ block: BlockFile.Block, path: String, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) -> Service {
        var service = Service()
        if let field = block.first("hours") {
            let parts = field.value.split(separator: "-").map { $0.trimmingWhitespace() }
            func minutes(_ s: String) -> Int? {
                let hm = s.split(separator: ":").compactMap { Int($0) }
                guard hm.count == 2, (0...24).contains(hm[0]), (0...59).contains(hm[1]) else { return nil }
                return hm[0] * 60 + hm[1]
            }
            if parts.count == 2, let open = minutes(parts[0]), let close = minutes(parts[1]), open < close {
                service.opens = open
                service.closes = close
            } else {
                diagnostics.error("service hours must look like 09:00-21:00, found '\(field.value)'", file: path, line: field.line)
            }
        } else {
            diagnostics.error("[service] needs hours: 09:00-21:00", file: path, line: block.line)
        }
        for (key, keyPath) in [("wait", \Service.wait), ("after-hours", \Service.afterHours)] {
            let zh = block.first("\(key).zh")?.value, en = block.first("\(key).en")?.value
            if zh == nil || en == nil { diagnostics.error("[service] needs \(key).zh and \(key).en", file: path, line: block.line) }
            if let zh, let en { service[keyPath: keyPath] = Bilingual(zh: zh, en: en) }
            if let zh, !zh.contains("{ticket}") { diagnostics.warning("[service] \(key).zh does not show the {ticket} number", file: path, line: block.line) }
        }
        if let zh = block.first("after-hours-urgent.zh")?.value, let en = block.first("after-hours-urgent.en")?.value {
            service.afterHoursUrgent = Bilingual(zh: zh, en: en)
        }
        return service
    }
}
