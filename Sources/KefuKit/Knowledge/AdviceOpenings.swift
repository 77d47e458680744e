/// First messages that ask for advice, as customers write them (`openings.txt`): `[invest]`, `[loan]`, and `[not]`
/// for lines that mention money but ask about something already there. Read only by `AdviceOpeningReader`, so
/// hundreds of openings do not crowd the FAQ's own entries (with them in intents.txt, "有没有微信小程序" and "what's
/// a money market fund" were taken for requests for advice).
public struct AdviceOpenings: Sendable {
    public static let file = "openings.txt"
    public var examples: [ExampleReader.Example] = []

    public init() {}

    public static func parse(_ file: BlockFile, diagnostics: inout DiagnosticsEngine) -> AdviceOpenings {
        var openings = AdviceOpenings()
        for block in file.blocks {
            let label: String
            switch block.id {
            case "invest": label = InvestorProfile.Intent.invest.rawValue
            case "loan": label = InvestorProfile.Intent.loan.rawValue
            case "not": label = ExampleReader.background
            default:
                diagnostics.error("openings: unknown block '[\(block.id)]' (known: invest, loan, not)", file: file.path, line: block.line)
                continue
            }
            for field in block.fields {
                guard field.key == "q.zh" || field.key == "q.en" else {
                    diagnostics.error("openings [\(block.id)]: unknown key '\(field.key)' (expected q.zh or q.en)", file: file.path, line: field.line)
                    continue
                }
                if !field.value.isEmpty { openings.examples.append(.init(label: label, text: field.value, file: file.path, line: field.line)) }
            }
        }
        return openings
    }
}
