/// A prepared way to handle one kind of "no": acknowledge it warmly, ask gently why, and answer the
/// reason the customer gives with a talk track written in advance.
public struct ObjectionScript: Sendable, Equatable {
    public struct Reason: Sendable, Equatable {
        /// "too-risky/fear-of-loss"
        public var id: String
        public var examples: [FAQEntry.Example]
        public var talk: Bilingual
        public var pivot: Bilingual?
    }

    public var id: String
    public var examples: [FAQEntry.Example]
    public var acknowledgement: Bilingual
    public var probe: Bilingual
    public var general: Bilingual
    public var reoffer: Bilingual
    public var products: [String]
    /// The kind of product the script is written for (`for: invest` or `for: loan`); nil for any.
    public var kind: Product.Kind?
    public var reasons: [Reason]
    public var file: String
    public var line: Int

    public func applies(to product: Product) -> Bool {
        guard let kind else { return true }
        return kind == .loan ? product.isLoan : !product.isLoan
    }
}

/// All objection scripts, loaded from `objections/*.txt` and checked for completeness.
public struct ObjectionLibrary: Sendable {
    public var scripts: [ObjectionScript] = []

    public init(scripts: [ObjectionScript] = []) { self.scripts = scripts }

    public func script(id: String) -> ObjectionScript? { scripts.first { $0.id == id } }

    static let scriptKeys: Set<String> = ["q.zh", "q.en", "ack.zh", "ack.en", "probe.zh", "probe.en", "general.zh", "general.en", "reoffer.zh", "reoffer.en", "products", "for"]
    static let reasonKeys: Set<String> = ["q.zh", "q.en", "talk.zh", "talk.en", "pivot.zh", "pivot.en"]

    /// Parses one file's blocks into scripts; `[objection/reason]` blocks attach to their objection.
    public static func parse(_ file: BlockFile, into library: inout ObjectionLibrary, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) {
        let path = file.path
        for block in file.blocks {
            let parts = block.id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, parts.allSatisfy(BlockFile.isValidID) else {
                diagnostics.error("objection id '\(block.id)' must be 'objection-id' or 'objection-id/reason-id'", file: path, line: block.line)
                continue
            }
            let allowed = parts.count == 1 ? scriptKeys : reasonKeys
            for field in block.fields {
                if !allowed.contains(field.key) {
                    diagnostics.error("\(parts.count == 1 ? "objection" : "reason") '\(block.id)': unknown key '\(field.key)'", file: path, line: field.line)
                }
                if field.key != "products" && field.key != "for" {
                    for violation in compliance.violations(in: field.value) { diagnostics.error("'\(block.id)': \(violation)", file: path, line: field.line) }
                }
            }
            let examples = block.fields.filter { $0.key == "q.zh" || $0.key == "q.en" }
                .map { FAQEntry.Example(text: $0.value, language: $0.key == "q.zh" ? .zh : .en, line: $0.line) }
            for language in Language.allCases where !examples.contains(where: { $0.language == language }) {
                diagnostics.error("'\(block.id)' has no \(language == .zh ? "Chinese" : "English") example phrasings (q.\(language.rawValue))", file: path, line: block.line)
            }
            func pair(_ key: String, required: Bool) -> Bilingual? {
                let zh = block.first("\(key).zh")?.value, en = block.first("\(key).en")?.value
                if required || zh != nil || en != nil {
                    if zh == nil { diagnostics.error("'\(block.id)' has no \(key).zh", file: path, line: block.line) }
                    if en == nil { diagnostics.error("'\(block.id)' has no \(key).en", file: path, line: block.line) }
                }
                guard zh != nil || en != nil else { return nil }
                return Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? "")
            }
            if parts.count == 1 {
                if library.script(id: block.id) != nil {
                    diagnostics.error("duplicate objection id '\(block.id)'", file: path, line: block.line)
                    continue
                }
                let products = (block.first("products")?.value ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                let script = ObjectionScript(
                    id: block.id, examples: examples,
                    acknowledgement: pair("ack", required: true) ?? Bilingual(zh: "", en: ""),
                    probe: pair("probe", required: true) ?? Bilingual(zh: "", en: ""),
                    general: pair("general", required: true) ?? Bilingual(zh: "", en: ""),
                    reoffer: pair("reoffer", required: true) ?? Bilingual(zh: "", en: ""),
                    products: products, kind: kind(block, path: path, diagnostics: &diagnostics), reasons: [], file: path, line: block.line)
                library.scripts.append(script)
            } else {
                guard let index = library.scripts.firstIndex(where: { $0.id == parts[0] }) else {
                    diagnostics.error("reason '\(block.id)' comes before (or without) its objection [\(parts[0])]", file: path, line: block.line)
                    continue
                }
                if library.scripts[index].reasons.contains(where: { $0.id == block.id }) {
                    diagnostics.error("duplicate reason id '\(block.id)'", file: path, line: block.line)
                    continue
                }
                let reason = ObjectionScript.Reason(id: block.id, examples: examples, talk: pair("talk", required: true) ?? Bilingual(zh: "", en: ""),
                                                    pivot: pair("pivot", required: false))
                library.scripts[index].reasons.append(reason)
            }
        }
    }

    private static func kind(_ block: BlockFile.Block, path: String, diagnostics: inout DiagnosticsEngine) -> Product.Kind? {
        guard let field = block.first("for") else { return nil }
        switch field.value {
        case "any": return nil
        case "invest", "insurance": return .invest
        case "loan": return .loan
        default:
            diagnostics.error("objection '\(block.id)': for must be invest, loan or any, found '\(field.value)'", file: path, line: field.line)
            return nil
        }
    }

    /// Checks that span files: each script has a reason, and every product it names exists.
    public func validate(products: ProductCatalog, diagnostics: inout DiagnosticsEngine) {
        for script in scripts {
            if script.reasons.isEmpty {
                diagnostics.error("objection '\(script.id)' has no reasons ([\(script.id)/reason-id] with talk.zh and talk.en)", file: script.file, line: script.line)
            }
            for product in script.products where products.product(id: product) == nil {
                diagnostics.error("objection '\(script.id)' names unknown product '\(product)'", file: script.file, line: script.line)
            }
            if !script.reoffer.zh.contains("{product}") || !script.reoffer.en.contains("{product}") {
                diagnostics.warning("objection '\(script.id)': the re-offer does not name {product}", file: script.file, line: script.line)
            }
        }
    }
}
