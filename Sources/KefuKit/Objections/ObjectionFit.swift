/// What an objection reply may name for one customer. Talk tracks are written once for everyone, so a
/// C1 customer must not be shown the R3 fund a C3 customer may hear about, and an investor must not be
/// pitched a loan: a text naming such a product is replaced by its `-low` variant (or left out).
struct ObjectionFit {
    let catalog: ProductCatalog
    /// The conversation is about a loan (else an investment or insurance).
    let isLoan: Bool
    /// The customer's investor level, 1…5 (C1…C5).
    let level: Int

    func suits(_ product: Product) -> Bool { product.isLoan == isLoan && (product.isLoan || product.risk <= level) }

    func suits(_ text: Bilingual) -> Bool { catalog.named(in: text).allSatisfy(suits) }

    /// `main` when everything it names suits the customer, else `low` when that does, else nil.
    func choose(_ main: Bilingual?, _ low: Bilingual?) -> Bilingual? {
        if let main, suits(main) { return main }
        if let low, suits(low) { return low }
        return nil
    }
}

extension ProductCatalog {
    /// Products a talk track names, in either language: by full name or by the name's words before its
    /// first number ("定期宝（R2）" names both Fixed Term products). Aliases are left out: "股票" or
    /// "货币基金" in a talk track are ordinary words, not an offer.
    func named(in text: Bilingual) -> [Product] {
        let zh = SearchText(text.zh), en = SearchText(text.en.lowercased())
        return products.indices.filter { index in
            stemsByProduct[index].zh.contains { zh.contains($0) } || stemsByProduct[index].en.contains { en.contains($0) }
        }.map { products[$0] }
    }

    /// The full name, and the words before its first number when they are long enough to be specific.
    static func stems(_ name: String, minimum: Int) -> [String] {
        let words = name.split(separator: " ")
        guard let index = words.firstIndex(where: { $0.contains(where: \.isNumber) }), index > 0 else { return [name] }
        let stem = words[..<index].joined(separator: " ")
        return stem.count >= minimum ? [name, stem] : [name]
    }
}
