import Foundation

/// Kefu's own sentences (welcome, clarification, "did not understand"), kept in `messages.txt`
/// so that trainers can change the tone without touching code.
public struct MessageCatalog: Sendable {
    public enum Key: String, CaseIterable, Sendable {
        case welcome, goodbye, help, clarify, notUnderstood = "not-understood", reset
        case langZh = "lang-zh", langEn = "lang-en", langAuto = "lang-auto", langUsage = "lang-usage"
        case ticketExisting = "ticket-existing", objectionInfoSent = "objection-info-sent", objectionFinal = "objection-final"
        case doNotContact = "do-not-contact", sellingStopped = "selling-stopped", sellingPaused = "selling-paused"
        case sellingDeclined = "selling-declined", refusalNoted = "refusal-noted"
        case notEligible = "not-eligible", whichProduct = "which-product", loanRefused = "loan-refused"
        case unknownCommand = "unknown-command", whyNothing = "why-nothing", clarifyPick = "clarify-pick"
        case confirm, confirmDeclined = "confirm-declined"
        case notUnderstoodSuggest = "not-understood-suggest", notUnderstoodConfirm = "not-understood-confirm"
        // Recommendations
        case adviceStart = "advice-start", adviceUnavailable = "advice-unavailable", recommendIntro = "recommend-intro"
        case recommendItem = "recommend-item", investDisclosure = "invest-disclosure", aboveLevelDisclosure = "above-level-disclosure", loanDisclosure = "loan-disclosure"
        case recommendOutro = "recommend-outro", recommendNone = "recommend-none", minor
        case mismatchWarning = "mismatch-warning", mismatchAcknowledged = "mismatch-acknowledged", mismatchDetails = "mismatch-details"
        case loanIntro = "loan-intro", loanOutro = "loan-outro", loanConversion = "loan-conversion", conversion, factUpdated = "fact-updated"
        case conversionNoHandoff = "conversion-no-handoff", handoffDeclined = "handoff-declined", mismatchUnclear = "mismatch-unclear", mismatchDeclined = "mismatch-declined"
        case recommendGoalFallback = "recommend-goal-fallback", recomputed, profileEmpty = "profile-empty", backToProfile = "back-to-profile", profileChoices = "profile-choices"
        case rangeLower = "range-lower", foreignCurrency = "foreign-currency", horizonAssumed = "horizon-assumed"
        case productNotForYou = "product-not-for-you", correctionNoted = "correction-noted", adviceForSomeoneElse = "advice-for-someone-else"
        // After distress or a customer who cannot repay: what a request for products or credit gets instead
        case sellingAfterCrisis = "selling-after-crisis", creditAfterHardship = "credit-after-hardship"
        // The handoff summary an agent reads (in the customer's language)
        case handoffSummary = "handoff-summary", handoffProblem = "handoff-problem", handoffWords = "handoff-words"
        case handoffNoProblem = "handoff-no-problem", handoffAmounts = "handoff-amounts", handoffDates = "handoff-dates"
        case handoffProducts = "handoff-products", handoffRiskLevel = "handoff-risk-level", handoffRecommended = "handoff-recommended"
        case handoffObjection = "handoff-objection", handoffDoNotContact = "handoff-do-not-contact"
    }

    /// Messages needed only when the knowledge base has products.
    public static let adviceKeys: Set<Key> = [
        .objectionInfoSent, .objectionFinal, .doNotContact, .sellingStopped, .sellingPaused, .sellingDeclined, .refusalNoted, .notEligible, .whichProduct, .loanRefused,
        .adviceStart, .recommendIntro, .recommendItem, .investDisclosure, .aboveLevelDisclosure, .loanDisclosure, .recommendOutro,
        .loanIntro, .loanOutro, .loanConversion, .recommendNone, .minor, .mismatchWarning, .mismatchAcknowledged, .mismatchDetails, .conversion, .factUpdated, .recomputed,
        .profileEmpty, .backToProfile, .profileChoices, .conversionNoHandoff, .handoffDeclined, .mismatchUnclear, .mismatchDeclined, .recommendGoalFallback,
        .rangeLower, .foreignCurrency, .horizonAssumed, .productNotForYou, .correctionNoted, .sellingAfterCrisis, .creditAfterHardship,
        .adviceForSomeoneElse,
    ]

    /// Messages a knowledge base may leave out: without them, a line the FAQ cannot place is only "not understood", with
    /// no faint guesses offered (a knowledge base imported from a CSV has only the messages every base needs).
    public static let optionalKeys: Set<Key> = [.notUnderstoodSuggest, .notUnderstoodConfirm]

    /// Whether the catalog has `key` (for the `optionalKeys`).
    public func has(_ key: Key) -> Bool { messages[key.rawValue] != nil }

    /// Messages needed only when the knowledge base hands conversations over (has escalation rules).
    public static let handoffKeys: Set<Key> = [
        .handoffSummary, .handoffProblem, .handoffWords, .handoffNoProblem, .handoffAmounts, .handoffDates, .handoffProducts,
        .handoffRiskLevel, .handoffRecommended, .handoffObjection, .handoffDoNotContact,
    ]

    public var messages: [String: Bilingual]

    public init(messages: [String: Bilingual]) { self.messages = messages }

    public func text(_ key: Key, _ language: Language, _ substitutions: [String: String] = [:]) -> String {
        let text = messages[key.rawValue]?[language] ?? key.rawValue
        return substitutions.isEmpty ? text : Self.fill(text, substitutions)
    }

    /// Replaces each `{name}` of the template in one left-to-right pass: a value that itself contains
    /// braces (a customer's words, another placeholder) is never substituted again, and the result does
    /// not depend on the dictionary's order. Unknown placeholders stay as written.
    static func fill(_ template: String, _ substitutions: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += substitutions[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
