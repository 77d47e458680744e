/// Trainee lines that answer a customer's stated reason, from `addressing.txt`: a block per objection reason
/// (`[too-risky/fear-of-loss]`) with `q.zh` / `q.en` lines that address it, and a `[none]` block of lines said at the same
/// moment that address no reason (an acknowledgement alone, a question alone, reassurance without substance).
///
/// The reason's own talk track (`objections/*.txt`) and a persona step's `talk` are examples of it too: the script is the
/// first answer a trainer wrote.
public struct AddressingExamples: Sendable, Equatable {
    public var examples: [ExampleReader.Example] = []
    /// The `[none]` lines.
    public var none: [ExampleReader.Example] = []
    /// The talk tracks of the reasons that have examples (`objections/*.txt`, a persona step's `talk`).
    public var talks: [ExampleReader.Example] = []

    public init() {}

    public var isEmpty: Bool { examples.isEmpty }

    /// The reasons with examples of their own.
    public var reasons: Set<String> { Set(examples.map(\.label)) }

    public static let file = "addressing.txt"
    public static let noneBlock = "none"
    /// A reason with fewer lines than this in a language is reported by `kefu check`: a reader learns a reason's many
    /// phrasings from many examples (the trainer issue asks for 40 per label and language).
    public static let fewestPerLanguage = 40

    /// Reads `addressing.txt`. `reasons` are the objection reasons that exist (`objection/reason`); a block naming another is
    /// an error with its line, and so is an unknown key.
    static func parse(_ file: BlockFile, reasons: Set<String>, diagnostics: inout DiagnosticsEngine) -> AddressingExamples {
        var result = AddressingExamples()
        let detector = LanguageDetector()
        for block in file.blocks {
            guard block.id == noneBlock || reasons.contains(block.id) else {
                diagnostics.error("addressing '\(block.id)': no objection reason of that id (expected [objection/reason] from objections/*.txt, or [none])",
                                  file: file.path, line: block.line)
                continue
            }
            var counts: [Language: Int] = [.zh: 0, .en: 0]
            for field in block.fields {
                guard field.key == "q.zh" || field.key == "q.en" else {
                    diagnostics.error("addressing '\(block.id)': unknown key '\(field.key)' (expected q.zh, q.en)", file: file.path, line: field.line)
                    continue
                }
                let language: Language = field.key == "q.zh" ? .zh : .en
                if detector.detect(field.value) != language {
                    diagnostics.warning("addressing '\(block.id)': '\(field.value)' is under \(field.key) but reads as \(language == .zh ? "English" : "Chinese")",
                                        file: file.path, line: field.line)
                }
                counts[language, default: 0] += 1
                let example = ExampleReader.Example(label: block.id == noneBlock ? ExampleReader.background : block.id, text: field.value,
                                                    file: file.path, line: field.line)
                if block.id == noneBlock { result.none.append(example) } else { result.examples.append(example) }
            }
            if block.id != noneBlock {
                for language in Language.allCases where counts[language, default: 0] < fewestPerLanguage {
                    diagnostics.warning("addressing '\(block.id)': \(counts[language, default: 0]) \(language.rawValue) lines (at least \(fewestPerLanguage) teach the reader its phrasings)",
                                        file: file.path, line: block.line)
                }
            }
        }
        return result
    }
}
