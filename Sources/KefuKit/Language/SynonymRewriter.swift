/// Rewrites synonym variants to their canonical word in normalised text, longest variant first.
/// Latin variants only match whole words, so "withdraw" does not fire inside "withdrawal fee" unless
/// listed; Chinese variants match anywhere, as Chinese has no spaces.
public struct SynonymRewriter: Sendable {
    private struct Variant: Sendable {
        var scalars: [Unicode.Scalar]
        var canonical: [Unicode.Scalar]
        var needsBoundary: Bool
    }

    private var byFirstScalar: [Unicode.Scalar: [Variant]] = [:]
    public var isEmpty: Bool { byFirstScalar.isEmpty }

    public init(_ table: SynonymTable) {
        for (variant, canonical) in table.replacements {
            let scalars = Array(variant.unicodeScalars)
            guard let first = scalars.first else { continue }
            let latinEdges = SynonymRewriter.isLatin(first) || SynonymRewriter.isLatin(scalars.last!)
            byFirstScalar[first, default: []].append(Variant(scalars: scalars, canonical: Array(canonical.unicodeScalars), needsBoundary: latinEdges))
        }
        for key in byFirstScalar.keys {
            byFirstScalar[key]!.sort { $0.scalars.count != $1.scalars.count ? $0.scalars.count > $1.scalars.count : String(String.UnicodeScalarView($0.scalars)) < String(String.UnicodeScalarView($1.scalars)) }
        }
    }

    public func rewrite(_ text: String) -> String {
        if byFirstScalar.isEmpty { return text }
        let input = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        outer: while i < input.count {
            if let candidates = byFirstScalar[input[i]] {
                for variant in candidates where i + variant.scalars.count <= input.count {
                    let end = i + variant.scalars.count
                    if !input[i..<end].elementsEqual(variant.scalars) { continue }
                    if variant.needsBoundary {
                        if i > 0 && SynonymRewriter.isWordChar(input[i - 1]) && SynonymRewriter.isLatin(input[i - 1]) { continue }
                        if end < input.count && SynonymRewriter.isLatin(input[end]) { continue }
                    }
                    out.append(contentsOf: variant.canonical)
                    i = end
                    continue outer
                }
            }
            out.append(input[i])
            i += 1
        }
        return String(out)
    }

    static func isLatin(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
    static func isWordChar(_ s: Unicode.Scalar) -> Bool { s != " " }
}
