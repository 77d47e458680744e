/// First messages that ask for advice, as customers write them (`openings.txt`): `[invest]`, `[loan]`, and `[not]`
/// for lines that mention money but ask about something already there. Read only by `AdviceOpeningReader`, so
/// hundreds of openings do not crowd the FAQ's own entries (with them in intents.txt, "有没有微信小程序" and "what's
/// a money market fund" were taken for requests for advice).
public struct AdviceOpenings: Sendable {
    public static let file = "openings.txt"
    public var examples: [ExampleReader.Example] = []
    /// `[invest-told]`, `[loan-told]`: long first messages that tell a life first and only hint at the wish. Read as
    /// invest and loan by the advice-opening reader and the reader that confirms a distress reading, never learned by
    /// the safety reader (as background they cost it crisis, takeover and person lines).
    public var told: [ExampleReader.Example] = []

    public init() {}

    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> AdviceOpenings {
        var openings = AdviceOpenings()
        for block in file.blocks {
            let label: String
            switch block.id {
            case "invest", "invest-told": label = InvestorProfile.Intent.invest.rawValue
            case "loan", "loan-told": label = InvestorProfile.Intent.loan.rawValue
            case "not": label = ExampleReader.background
            default:
                diagnostics.error("openings: unknown block '[\(block.id)]' (known: invest, loan, not, invest-told, loan-told)", file: file.path, line: block.line)
                continue
            }
            let told = block.id.hasSuffix("-told")
            for field in block.fields {
                guard field.key == "q.zh" || field.key == "q.en" else {
                    diagnostics.error("openings [\(block.id)]: unknown key '\(field.key)' (expected q.zh or q.en)", file: file.path, line: field.line)
                    continue
                }
                guard !field.value.isEmpty else { continue }
                let example = ExampleReader.Example(label: label, text: field.value, file: file.path, line: field.line)
                if told { openings.told.append(example) } else { openings.examples.append(example) }
            }
        }
        return openings
    }
}
