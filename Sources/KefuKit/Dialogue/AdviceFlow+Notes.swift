/// What Kefu says about how it read a message, so that no reading is a silent guess: the lower end of a
/// range, a horizon taken from words rather than a length, facts that replaced earlier ones.
extension AdviceFlow {
    /// "您说的是一个范围（1 万元–2 万元），我先按较低的 1 万元 来考虑…", one line per range.
    func rangeNotes(_ extraction: ProfileExtractor.Extraction, language: Language) -> [String] {
        extraction.ranges.map { range in
            let text = { (value: Double) -> String in
                range.fact == .horizon ? (language == .zh ? "\(Int(value)) 个月" : "\(Int(value)) months") : AdviceFlow.money(value, language)
            }
            let dash = language == .zh ? "–" : " to "
            return messages.text(.rangeLower, language, ["range": text(range.lower) + dash + text(range.upper), "value": text(range.lower)])
        }
    }

    /// "随时备用" sets the horizon to 0 months: say so, since it changes what can be recommended.
    func horizonNote(_ profile: InvestorProfile, language: Language) -> String? {
        guard let months = profile.horizonMonths else { return nil }
        return messages.text(.horizonAssumed, language, ["said": AdviceFlow.horizonSaid(months, language), "horizon": AdviceFlow.horizonName(months, language)])
    }

    static func horizonSaid(_ months: Int, _ language: Language) -> String {
        if months == 0 { return language == .zh ? "随时可能要用" : "you may need it at any time" }
        return language == .zh ? "长期不用" : "it is for the long term"
    }

    static func horizonName(_ months: Int, _ language: Language) -> String {
        if months == 0 { return language == .zh ? "“随时可能取用（0 个月）”" : "\"may be needed any time (0 months)\"" }
        return language == .zh ? "“\(months) 个月”" : "\"\(months) months\""
    }
}
