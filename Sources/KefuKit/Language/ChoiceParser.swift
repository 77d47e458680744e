/// Reads a customer's pick from a numbered menu: "2", "２", "第二个", "选1", "the first one", "option 3".
/// Returns nil when the message is not a pick, so it can be treated as a new question instead.
public struct ChoiceParser: Sendable {
    public init() {}

    private static let chineseDigits: [Character: Int] = ["一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5]
    private static let englishOrdinals: [String: Int] = [
        "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "one": 1, "two": 2, "three": 3, "first": 1, "second": 2, "third": 3,
        "1st": 1, "2nd": 2, "3rd": 3,
    ]
    private static let fillerWords: Set<String> = ["the", "one", "option", "number", "no", "choice", "i", "mean", "pick", "please", "it", "s", "is", "its", "a", "ill", "take", "buy", "want", "go", "with", "like", "id", "would", "that", "then"]
    private static let chineseFiller: Set<Character> = ["第", "个", "選", "选", "择", "号", "項", "项", "条", "吧", "就", "是", "我", "要", "的", "啊", "那", "请", "问"]

    public func parse(_ text: String) -> Int? {
        let normalized = TextNormalizer().normalize(text)
        if normalized.isEmpty { return nil }
        // Chinese: only digits / numerals and filler characters.
        if normalized.unicodeScalars.contains(where: TextNormalizer.isHan) {
            var value: Int?
            for character in normalized where character != " " {
                if let digit = ChoiceParser.chineseDigits[character] ?? character.wholeNumberValue {
                    if value != nil { return nil }
                    value = digit
                } else if !ChoiceParser.chineseFiller.contains(character) {
                    return nil
                }
            }
            return value
        }
        var value: Int?
        for word in normalized.split(separator: " ").map(String.init) {
            if let number = ChoiceParser.englishOrdinals[word] ?? Int(word) {
                // "one" is both a filler ("the first one") and a number ("one").
                if word == "one" && value != nil { continue }
                if value != nil && word != "one" { return nil }
                value = number
            } else if !ChoiceParser.fillerWords.contains(word) {
                return nil
            }
        }
        return value
    }
}
