/// A prepared way to handle one kind of "no": acknowledge it warmly, ask gently why, and answer the
/// reason the customer gives with a talk track written in advance.
public struct ObjectionScript: Sendable, Equatable {
    public struct Reason: Sendable, Equatable {
        /// "too-risky/fear-of-loss"
        public var id: String
        public var examples: [FAQEntry.Example]
        public var talk: Bilingual
        public var pivot: Bilingual?
        /// The talk track and pivot for a customer whose level or conversation the products named in
        /// `talk` / `pivot` do not suit (they name none that could be unsuitable).
        public var talkLow: Bilingual?
        public var pivotLow: Bilingual?
        /// The kind of conversation this reason fits (`for:`), when narrower than its script's.
        public var kind: Product.Kind?
        /// What the re-offer after this reason names (`offer:`): `lowest-risk` (the lowest-risk product that
        /// suits the customer, for a fear of loss), a product id, or nil for the product objected to.
        public var offer: String?
        /// Where `offer:` is written, for diagnostics.
        public var offerLine: Int?
    }

    public var id: String
    public var examples: [FAQEntry.Example]
    public var acknowledgement: Bilingual
    public var probe: Bilingual
    public var general: Bilingual
    /// `general` for a customer whose level or conversation the products it names do not suit.
    public var generalLow: Bilingual?
    public var reoffer: Bilingual
    public var products: [String]
    /// Where `products:` is written, for diagnostics about them.
    public var productsLine: Int?
    /// The kind of product the script is written for (`for: invest` or `for: loan`); nil for any.
    public var kind: Product.Kind?
    public var reasons: [Reason]
    public var file: String
    public var line: Int

    public func applies(to product: Product) -> Bool { ObjectionScript.fits(kind, product) }

    /// Whether a script or reason written for `kind` (nil: any) fits a conversation about `product`.
    static func fits(_ kind: Product.Kind?, _ product: Product) -> Bool {
        guard let kind else { return true }
        return kind == .loan ? product.isLoan : !product.isLoan
    }

    /// The id of the neutral script: a "no" with no clear reason is acknowledged and gently probed with it
    /// rather than answered with a guessed reason.
    public static let neutralID = "plain-no"
}

/// All objection scripts, loaded from `objections/*.txt` and checked for completeness.
public struct ObjectionLibrary: Sendable {
    public var scripts: [ObjectionScript] = []

    public init(scripts: [ObjectionScript] = []) { self.scripts = scripts }

    public func script(id: String) -> ObjectionScript? { scripts.first { $0.id == id } }

    static let scriptKeys: Set<String> = ["q.zh", "q.en", "ack.zh", "ack.en", "probe.zh", "probe.en", "general.zh", "general.en",
                                          "general-low.zh", "general-low.en", "reoffer.zh", "reoffer.en", "products", "for"]
    static let reasonKeys: Set<String> = ["q.zh", "q.en", "talk.zh", "talk.en", "pivot.zh", "pivot.en", "talk-low.zh", "talk-low.en",
                                          "pivot-low.zh", "pivot-low.en", "for", "offer"]

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
                if !["products", "for", "offer"].contains(field.key) {
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
                    generalLow: pair("general-low", required: false),
                    reoffer: pair("reoffer", required: true) ?? Bilingual(zh: "", en: ""),
                    products: products, kind: kind(block, path: path, diagnostics: &diagnostics), reasons: [], file: path, line: block.line)
                var placed = script
                placed.productsLine = block.first("products")?.line
                library.scripts.append(placed)
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
                                                    pivot: pair("pivot", required: false), talkLow: pair("talk-low", required: false),
                                                    pivotLow: pair("pivot-low", required: false),
                                                    kind: kind(block, path: path, diagnostics: &diagnostics), offer: block.first("offer")?.value)
                var placed = reason
                placed.offerLine = block.first("offer")?.line
                library.scripts[index].reasons.append(placed)
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
                diagnostics.error("objection '\(script.id)' names unknown product '\(product)'", file: script.file, line: script.productsLine ?? script.line,
                                  needs: product)
            }
            validateNames(script, products: products, diagnostics: &diagnostics)
            if !script.reoffer.zh.contains("{product}") || !script.reoffer.en.contains("{product}") {
                diagnostics.warning("objection '\(script.id)': the re-offer does not name {product}", file: script.file, line: script.line)
            }
        }
    }

    /// Talk tracks are written once for every customer, so a text naming a product that would not suit the
    /// most conservative customer (C1) or the other kind of conversation needs a `-low` variant that names
    /// none; a pivot without one is left out. The acknowledgement, probe and re-offer name no product.
    private func validateNames(_ script: ObjectionScript, products: ProductCatalog, diagnostics: inout DiagnosticsEngine) {
        let file = script.file, line = script.line
        for (key, text) in [("ack", script.acknowledgement), ("probe", script.probe), ("reoffer", script.reoffer)] {
            if let named = products.named(in: text).first {
                diagnostics.error("objection '\(script.id)': \(key) names \(named.id); only {product} may name one", file: file, line: line)
            }
        }
        for reason in script.reasons {
            guard let option = reason.offer, option != "lowest-risk", products.product(id: option) == nil else { continue }
            diagnostics.error("reason '\(reason.id)': offer '\(option)' is neither lowest-risk nor a product", file: file,
                              line: reason.offerLine ?? line, needs: option)
        }
        func check(_ owner: String, _ key: String, _ main: Bilingual?, _ low: Bilingual?, kind: Product.Kind?, required: Bool) {
            let kinds: [Product.Kind] = kind.map { [$0] } ?? [.invest, .loan]
            func unsuitable(_ text: Bilingual) -> Product? {
                products.named(in: text).first { named in kinds.contains { !ObjectionFit(catalog: products, isLoan: $0 == .loan, level: 1).suits(named) } }
            }
            if let low, let bad = unsuitable(low) {
                diagnostics.error("'\(owner)': \(key)-low names \(bad.id), which does not suit every customer", file: file, line: line)
            }
            if required, low == nil, let main, let bad = unsuitable(main) {
                diagnostics.error("'\(owner)': \(key) names \(bad.id) (\(bad.isLoan ? "a loan" : bad.riskLabel)), which does not suit every customer; add \(key)-low.zh/en naming no such product", file: file, line: line)
            }
        }
        check(script.id, "general", script.general, script.generalLow, kind: script.kind, required: true)
        for reason in script.reasons {
            let kind = reason.kind ?? script.kind
            check(reason.id, "talk", reason.talk, reason.talkLow, kind: kind, required: true)
            check(reason.id, "pivot", reason.pivot, reason.pivotLow, kind: kind, required: false)
        }
    }
}

extension ObjectionScript {
    /// The `offer:` values of its reasons.
    var offers: [String] { reasons.compactMap(\.offer) }
}
