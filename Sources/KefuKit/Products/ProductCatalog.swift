import Foundation

/// The products Kefu may recommend, loaded from `products.txt` and checked field by field.
public struct ProductCatalog: Sendable {
    public var products: [Product] {
        didSet {
            namesLongestFirst = ProductCatalog.namesLongestFirst(products)
            namesByProduct = ProductCatalog.namesByProduct(products)
            stemsByProduct = ProductCatalog.stemsByProduct(products)
        }
    }
    /// Each product's name stems in both languages (`stems`), for finding the products a talk track
    /// names; prepared once, since talk tracks are checked on every objection turn.
    private(set) var stemsByProduct: [(zh: [String], en: [String])]
    /// Every lowercased name and alias, longest first: sorting them on every customer line was a fifth
    /// of a turn, so it is done whenever the products change.
    private var namesLongestFirst: [String]
    /// Each product's names and aliases, lowercased, with their length in characters (prepared likewise).
    private var namesByProduct: [[(name: String, length: Int)]]

    public init(products: [Product] = []) {
        self.products = products
        namesLongestFirst = ProductCatalog.namesLongestFirst(products)
        namesByProduct = ProductCatalog.namesByProduct(products)
        stemsByProduct = ProductCatalog.stemsByProduct(products)
    }

    private static func stemsByProduct(_ products: [Product]) -> [(zh: [String], en: [String])] {
        products.map { (stems($0.name.zh, minimum: 2), stems($0.name.en.lowercased(), minimum: 3)) }
    }

    private static func namesByProduct(_ products: [Product]) -> [[(name: String, length: Int)]] {
        products.map { product in
            ([product.name.zh.lowercased(), product.name.en.lowercased()] + product.aliases).filter { !$0.isEmpty }.map { ($0, $0.count) }
        }
    }

    private static func namesLongestFirst(_ products: [Product]) -> [String] {
        products.flatMap { [$0.name.zh.lowercased(), $0.name.en.lowercased()] + $0.aliases }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    public func product(id: String) -> Product? { products.first { $0.id == id } }

    /// Every product's name in both languages, as written: what a reply wrapped for the screen keeps whole.
    public var displayNames: [String] { products.flatMap { [$0.name.zh, $0.name.en] } }

    /// The message with every product name and alias blanked out, so that "Growth Select" or "养老目标基金"
    /// are not read as profile facts.
    public func removingNames(from text: String) -> String { removingNames(fromFolded: String(scalars: NumberParser.fold(text))) }

    /// `removingNames` of a message already folded by `NumberParser.fold` (callers that hold one save a fold).
    func removingNames(fromFolded text: String) -> String {
        var folded = text
        var search = SearchText(folded)  // prepared once per change, not once per name
        for name in namesLongestFirst where search.contains(name) {
            folded = folded.replacingAll(name, with: " ")
            search = SearchText(folded)
        }
        return folded
    }

    /// The product a message names, by name or alias, longest name first ("股票基金" before "股票").
    public func mentioned(in text: String) -> Product? { mentioned(inFolded: SearchText(String(scalars: NumberParser.fold(text)))) }

    /// `mentioned` in a message already folded by `NumberParser.fold`.
    func mentioned(inFolded folded: SearchText) -> Product? {
        var best: (index: Int, length: Int)?  // by position: copying every product was a third of this
        for index in products.indices {
            for (name, length) in namesByProduct[index] where length > (best?.length ?? 0) && folded.containsWord(name) { best = (index, length) }
        }
        return best.map { products[$0.index] }
    }

    static let keys: Set<String> = [
        "name.zh", "name.en", "aliases", "desc.zh", "desc.en", "kind", "risk", "min-amount", "max-amount", "max-income-multiple",
        "term.zh", "term.en", "term-months", "liquidity", "yield", "apr", "fees.zh", "fees.en", "age", "min-income",
        "excludes", "goals", "reason.zh", "reason.en",
    ]
    public static let knownGoals: Set<String> = ["liquidity", "saving", "growth", "retirement", "education", "borrow"]
    public static let knownOccupations: Set<String> = ["student", "retired", "unemployed", "business-owner", "freelancer", "employed"]

    public static func parse(_ file: BlockFile, compliance: ComplianceChecker, diagnostics: inout DiagnosticsEngine) -> ProductCatalog {
        var products: [Product] = []
        let path = file.path
        for block in file.blocks {
            var ok = true
            func error(_ message: String, _ line: Int? = nil) {
                diagnostics.error("product '\(block.id)': \(message)", file: path, line: line ?? block.line)
                ok = false
            }
            for field in block.fields where !keys.contains(field.key) {
                error("unknown key '\(field.key)'", field.line)
            }
            func text(_ key: String) -> String? {
                guard let field = block.first(key) else { return nil }
                for violation in compliance.violations(in: field.value) { error(violation.description, field.line) }
                return field.value
            }
            func bilingual(_ key: String, required: Bool = true) -> Bilingual {
                let zh = text("\(key).zh"), en = text("\(key).en")
                if required && zh == nil { error("has no \(key).zh") }
                if required && en == nil { error("has no \(key).en") }
                return Bilingual(zh: zh ?? en ?? "", en: en ?? zh ?? "")
            }
            func number(_ key: String, required: Bool) -> Double? {
                guard let field = block.first(key) else {
                    if required { error("has no \(key)") }
                    return nil
                }
                guard let value = Double(field.value.replacingOccurrences(of: ",", with: "")), value >= 0 else {
                    error("\(key) must be a number ≥ 0, found '\(field.value)'", field.line)
                    return nil
                }
                return value
            }
            let kindField = block.first("kind")
            let kind = kindField.flatMap { Product.Kind(rawValue: $0.value) }
            if kind == nil { error(kindField == nil ? "has no kind (invest, loan or insurance)" : "kind must be invest, loan or insurance, found '\(kindField!.value)'", kindField?.line) }
            var risk = 0
            if kind != .loan {
                if let field = block.first("risk") {
                    let value = field.value.uppercased()
                    if value.count == 2, value.hasPrefix("R"), let n = Int(value.dropFirst()), (1...5).contains(n) { risk = n } else { error("risk must be R1…R5, found '\(field.value)'", field.line) }
                } else {
                    error("has no risk level (R1…R5)")
                }
            }
            let rateKey = kind == .loan ? "apr" : "yield"
            var rateLow = 0.0, rateHigh = 0.0
            if let field = block.first(rateKey) {
                if let range = parsePercentRange(field.value) { (rateLow, rateHigh) = range } else { error("\(rateKey) must look like 1.5%-2.5%, found '\(field.value)'", field.line) }
            } else {
                error("has no \(rateKey) range")
            }
            var ageRange = 18...120
            if let field = block.first("age") {
                let parts = field.value.split(separator: "-").map { Int($0.trimmingWhitespace()) }
                if parts.count == 2, let low = parts[0], let high = parts[1], low <= high { ageRange = low...high } else { error("age must look like 18-65, found '\(field.value)'", field.line) }
            } else {
                error("has no age range")
            }
            let excludes = (block.first("excludes")?.value ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            for word in excludes where !knownOccupations.contains(word) {
                error("excludes unknown occupation '\(word)' (known: \(knownOccupations.sorted().joined(separator: ", ")))", block.first("excludes")?.line)
            }
            let goals = (block.first("goals")?.value ?? "").split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            for goal in goals where !knownGoals.contains(goal) {
                error("unknown goal '\(goal)' (known: \(knownGoals.sorted().joined(separator: ", ")))", block.first("goals")?.line)
            }
            if kind == .loan {
                if !excludes.contains("student") { error("a loan must exclude students (excludes: student)") }
                if ageRange.lowerBound < 18 { error("a loan's age range must start at 18 or later") }
                if block.first("max-income-multiple") == nil { error("a loan needs max-income-multiple") }
            }
            var product = Product(
                id: block.id, name: bilingual("name"), description: bilingual("desc"), kind: kind ?? .invest, risk: risk,
                minAmount: number("min-amount", required: true) ?? 0, maxAmount: number("max-amount", required: false),
                maxIncomeMultiple: number("max-income-multiple", required: false), term: bilingual("term"),
                termMonths: Int(number("term-months", required: true) ?? 0), liquidity: block.first("liquidity")?.value ?? "medium",
                rateLow: rateLow, rateHigh: rateHigh, fees: bilingual("fees"), ageRange: ageRange,
                minIncome: number("min-income", required: false) ?? 0, excludes: excludes, goals: goals, reason: bilingual("reason"),
                file: path, line: block.line)
            product.aliases = (block.first("aliases")?.value ?? "").split(separator: ",").map { $0.trimmingWhitespace().lowercased() }.filter { !$0.isEmpty }
            if products.contains(where: { $0.id == block.id }) {
                error("duplicate product id")
            } else if ok {
                products.append(product)
            } else {
                // Its first error is the cause of every "unknown product" error elsewhere: folded under it.
                let last = block.fields.map(\.line).max() ?? block.line
                diagnostics.markDropped(block.id, file: path, lines: block.line...last)
            }
        }
        return ProductCatalog(products: products)
    }

    static func parsePercentRange(_ text: String) -> (Double, Double)? {
        let cleaned = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "–", with: "~").replacingOccurrences(of: " ", with: "")
        // Split on the dash that separates the two numbers (the second may itself be negative).
        let scalars = Array(cleaned)
        for (i, c) in scalars.enumerated() where (c == "-" || c == "~") && i > 0 {
            if let low = Double(String(scalars[..<i])), let high = Double(String(scalars[(i + 1)...])), low <= high { return (low, high) }
        }
        return nil
    }
}
