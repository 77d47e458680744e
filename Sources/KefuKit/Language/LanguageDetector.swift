/// Decides the language of one customer message, so that the reply follows the customer even when
/// they switch mid-conversation. A Chinese sentence with an English product name stays Chinese.
public struct LanguageDetector: Sendable {
    public init() {}

    /// nil when the message has no letters at all ("1", "？", "👍"): the caller keeps the previous language.
    public func detect(_ text: String) -> Language? {
        var han = 0
        var latinWords = 0
        var inLatinWord = false
        for scalar in text.unicodeScalars {
            if TextNormalizer.isHan(scalar) {
                han += 1
                inLatinWord = false
            } else if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) {
                if !inLatinWord { latinWords += 1 }
                inLatinWord = true
            } else {
                inLatinWord = false
            }
        }
        if han == 0 && latinWords == 0 { return nil }
        return han >= latinWords ? .zh : .en
    }
}
