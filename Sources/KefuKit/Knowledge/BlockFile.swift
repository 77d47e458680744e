/// The shared grammar of every knowledge file: `[id]` headers followed by `key: value` lines.
/// FAQ entries, messages, products and scripts all use it, so trainers learn one format.
public struct BlockFile: Sendable {
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int
    }

    public struct Block: Sendable {
        public var id: String
        public var line: Int
        public var fields: [Field]

        public func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }
        public func first(_ key: String) -> Field? { fields.first { $0.key == key } }
    }

    public var path: String
    public var blocks: [Block]

    /// Parses text that has already been decoded; problems go to `diagnostics` and parsing continues,
    /// so one bad line never hides the rest of the file.
    /// `allowsReasonIDs`: ids may have one `/` (objection scripts' `[objection/reason]` blocks).
    public static func parse(_ text: String, path: String, allowsReasonIDs: Bool = false, diagnostics: inout DiagnosticsEngine) -> BlockFile {
        var blocks: [Block] = []
        var current: Block?
        var lastFieldIndex: Int?
        var skippingBrokenEntry = false
        var lineNumber = 0
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }

        for rawLine in text.physicalLines() {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }

            if skippingBrokenEntry, !trimmed.hasPrefix("[") { continue }
            if let first = line.first, first == " " || first == "\t" {
                if current != nil, let index = lastFieldIndex {
                    current!.fields[index].value += "\n" + trimmed
                } else {
                    diagnostics.error("continuation line has no value above it to continue", file: path, line: lineNumber)
                }
                continue
            }

            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]") else {
                    // The entry is lost: its fields are not reported one by one as being "before any header", and
                    // errors elsewhere that name it are folded under this one.
                    let id = String(trimmed.dropFirst()).trimmingWhitespace()
                    diagnostics.error("entry header '\(trimmed)' is missing its closing ']' (the entry is left out until it is fixed)",
                                      file: path, line: lineNumber, dropped: id.isEmpty ? nil : id)
                    current.map { blocks.append($0) }
                    current = nil
                    lastFieldIndex = nil
                    skippingBrokenEntry = true
                    continue
                }
                skippingBrokenEntry = false
                current.map { blocks.append($0) }
                let id = String(trimmed.dropFirst().dropLast()).trimmingWhitespace()
                let parts = allowsReasonIDs ? id.split(separator: "/", omittingEmptySubsequences: false).map(String.init) : [id]
                if parts.count > 2 || !parts.allSatisfy(BlockFile.isValidID) {
                    diagnostics.error("entry id '\(id)' must use only lowercase letters, digits and '-'", file: path, line: lineNumber)
                }
                current = Block(id: id, line: lineNumber, fields: [])
                lastFieldIndex = nil
                continue
            }

            guard let colon = trimmed.firstIndex(where: { $0 == ":" || $0 == "：" }) else {
                diagnostics.error("expected 'key: value' or '[id]', found '\(trimmed.prefix(40))'", file: path, line: lineNumber)
                continue
            }
            let key = String(trimmed[..<colon]).trimmingWhitespace().lowercased()
            let value = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
            guard current != nil else {
                diagnostics.error("'\(key)' appears before any [id] header", file: path, line: lineNumber)
                continue
            }
            current!.fields.append(Field(key: key, value: value, line: lineNumber))
            lastFieldIndex = current!.fields.count - 1
        }
        current.map { blocks.append($0) }
        return BlockFile(path: path, blocks: blocks)
    }

    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

extension StringProtocol {
    /// Trims ASCII and Unicode whitespace (including the ideographic space U+3000 common in Chinese text).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        // Most lines start and end with a visible ASCII character or a Han one: no Unicode property lookup at all
        // (the lookups were 7% of loading the knowledge base once it held 8,000 example lines).
        func plainlyVisible(_ scalar: Unicode.Scalar) -> Bool { (0x21...0x7E).contains(scalar.value) || (0x3001...0xFEFE).contains(scalar.value) }
        if let first = scalars.first, let last = scalars.last, plainlyVisible(first), plainlyVisible(last) { return String(self) }
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.index(after: scalars.lastIndex(where: { !$0.properties.isWhitespace })!)
        // Slicing copies the bytes; rebuilding a UnicodeScalarView went scalar by scalar through generic
        // code and was a third of knowledge loading.
        return String(self[start..<end])
    }
}
