import Foundation

/// The bodies of the fuzz targets in `Fuzz/`, kept in KefuKit so the regression tests replay saved
/// inputs through exactly the code the fuzzers ran. Each function must return normally for any bytes;
/// a broken invariant stops the process (`precondition`), which is what the fuzzer reports.
public enum FuzzHarness {
    /// The knowledge file kinds; the first byte of a fuzz input chooses one.
    public static let knowledgeKinds = ["faq", "synonyms", "intents", "messages", "escalation", "products",
                                        "suitability", "profile", "objections", "transcript"]

    /// Decodes `data` as a knowledge file and parses it as the kind chosen by its first byte.
    /// Every diagnostic must have a file and, when it has a line, one inside the file.
    @discardableResult
    public static func knowledge(_ data: Data) -> DiagnosticsEngine {
        var diagnostics = DiagnosticsEngine()
        guard let selector = data.first else { return diagnostics }
        let kind = knowledgeKinds[Int(selector) % knowledgeKinds.count]
        let body = data.dropFirst()
        let path = kind + ".txt"
        let text = KnowledgeFileReader().decode(Data(body), display: path, diagnostics: &diagnostics)
        let compliance = ComplianceChecker()
        let loader = KnowledgeLoader()
        switch kind {
        case "faq":
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            let entries = file.blocks.compactMap { loader.faqEntry($0, file: path, diagnostics: &diagnostics) }
            loader.validate(entries, diagnostics: &diagnostics)
        case "synonyms":
            _ = SynonymTable.parse(text, path: path, normalizer: TextNormalizer(), diagnostics: &diagnostics)
        case "intents":
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            _ = file.blocks.compactMap { loader.intentEntry($0, file: path, diagnostics: &diagnostics) }
        case "messages":
            // loadMessages reads from disk; parse the same way it does.
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            for block in file.blocks { _ = (block.first("a.zh"), block.first("a.en")) }
        case "escalation":
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            _ = EscalationRules.parse(file, compliance: compliance, diagnostics: &diagnostics)
        case "products":
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            _ = ProductCatalog.parse(file, compliance: compliance, diagnostics: &diagnostics)
        case "suitability":
            _ = SuitabilityRules.parse(text, path: path, diagnostics: &diagnostics)
        case "profile":
            let file = BlockFile.parse(text, path: path, diagnostics: &diagnostics)
            _ = ProfileQuestions.parse(file, compliance: compliance, diagnostics: &diagnostics)
        case "objections":
            let file = BlockFile.parse(text, path: path, allowsReasonIDs: true, diagnostics: &diagnostics)
            var library = ObjectionLibrary()
            ObjectionLibrary.parse(file, into: &library, compliance: compliance, diagnostics: &diagnostics)
            library.validate(products: ProductCatalog(), diagnostics: &diagnostics)
        default:
            _ = Transcript.parse(text).turns
        }
        let lineCount = text.physicalLines().count
        for diagnostic in diagnostics.diagnostics {
            precondition(!diagnostic.file.isEmpty, "diagnostic without a file: \(diagnostic)")
            if let line = diagnostic.line {
                precondition(line >= 1 && line <= max(lineCount, 1), "diagnostic line \(line) outside 1...\(lineCount): \(diagnostic)")
            }
        }
        return diagnostics
    }

    /// Splits `data` into lines (at most `maxLines`), cleans each as the shell does and runs them through
    /// `engine` as one conversation. Every answered line must give a non-empty reply and valid JSON.
    @discardableResult
    public static func dialogue(_ data: Data, engine: DialogueEngine, maxLines: Int = 64) -> [TurnRecord] {
        var state = DialogueState()
        var records: [TurnRecord] = []
        for raw in data.split(separator: UInt8(ascii: "\n"), maxSplits: maxLines, omittingEmptySubsequences: true).prefix(maxLines) {
            let line = CustomerInput.prepare(String(decoding: raw, as: UTF8.self)).text
            precondition(line.unicodeScalars.count <= CustomerInput.maximumScalars, "input not cut to the limit")
            guard let turn = engine.handle(line, in: state, at: .replayDefault) else {
                precondition(line.trimmingWhitespace().isEmpty, "no turn for a non-blank line: \(line.debugDescription)")
                continue
            }
            precondition(!turn.record.reply.trimmingWhitespace().isEmpty, "empty reply to \(line.debugDescription)")
            let json = turn.record.jsonLine
            precondition((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "invalid JSON: \(json)")
            precondition(!json.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "raw control character in JSON: \(json)")
            state = turn.state
            records.append(turn.record)
            if turn.record.endsConversation { state = DialogueState() }
        }
        return records
    }
}
