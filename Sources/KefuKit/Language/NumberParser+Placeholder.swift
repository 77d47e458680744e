extension NumberParser {
    /// Every amount and long number in `text` as one placeholder ("三天前提现了五千块" → "三天前提现了#块"): which
    /// amount a customer typed says nothing about what they mean, and amounts in the examples made "我三天前提现了五千块，
    /// 到现在还没到账" read like the takeover examples that named amounts; a phone or card number never changes the
    /// match. Small numbers stay ("我17岁"). The placeholder is no digit: "9" made "我35岁" read as a nine-year-old.
    /// (The normaliser drops "#", so an amount is simply not a feature.)
    ///
    /// Personal data goes first, whatever its length: a 19-digit card number is too big to be an amount
    /// (`maximumValue`), and its digits made "my card 6222021234567890123 was charged twice" score 0.08 where the line
    /// without it scores 0.19.
    public static func placeholdingAmounts(_ text: String) -> String {
        let masked = Self.placeholdingPersonalData(text)
        let folded = NumberParser.fold(masked)
        let mentions = NumberParser(readsRanges: false).mentions(inFolded: folded)
        guard !mentions.isEmpty else { return masked }
        var out = String.UnicodeScalarView()
        var position = 0
        // Only figures that are amounts or identifiers: an age, a count of instalments or a day of the month
        // ("我17岁", "分12期", "15号") still says something.
        for mention in mentions where mention.start >= position && (mention.hasCurrency || mention.hasMagnitude || mention.value >= 1000) {
            out.append(contentsOf: folded[position..<mention.start])
            out.append("#")
            position = mention.end
        }
        out.append(contentsOf: folded[position...])
        return String(out)
    }

    /// Every phone, card or ID number, e-mail address or code (`PersonalDataMasker`) as one placeholder.
    static func placeholdingPersonalData(_ text: String) -> String { PersonalDataMasker().replacing(text) { _ in " # " } }
}
