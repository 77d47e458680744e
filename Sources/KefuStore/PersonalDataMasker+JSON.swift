import Foundation
import KefuKit

extension PersonalDataMasker {
    /// A JSON document with every string in it masked. A served conversation's dialogue state holds the customer's
    /// recent lines and the handoff summary, and must reach storage masked like the turns themselves.
    ///
    /// The text is scanned for string literals, and only a literal holding a digit is decoded, masked and written back:
    /// parsing and re-serialising the whole state with JSONSerialization took a third of kefu-server's time under load.
    /// Text that is not well-formed JSON is masked whole: nothing is ever written unmasked.
    public func maskStrings(inJSON json: String) -> String {
        let bytes = Array(json.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "\"") else {
                out.append(bytes[index])
                index += 1
                continue
            }
            // One string literal: up to the next quote that no backslash escapes.
            var end = index + 1
            var hasDigit = false
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") { end += 1 }
                else if Self.startsDigit(bytes, at: end) { hasDigit = true }
                end += 1
            }
            guard end < bytes.count else { return mask(json) }
            let literal = Array(bytes[index...end])
            if hasDigit {
                guard let text = try? JSONDecoder().decode(String.self, from: Data(literal)) else { return mask(json) }
                let masked = mask(text)
                if masked != text, let encoded = try? JSONEncoder().encode(masked) {
                    out.append(contentsOf: encoded)
                } else {
                    out.append(contentsOf: literal)
                }
            } else {
                out.append(contentsOf: literal)
            }
            index = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An ASCII digit, or the first byte of a full-width one (U+FF10…U+FF19 is EF BC 90…99 in UTF-8).
    private static func startsDigit(_ bytes: [UInt8], at index: Int) -> Bool {
        if (48...57).contains(bytes[index]) { return true }
        return bytes[index] == 0xEF && index + 2 < bytes.count && bytes[index + 1] == 0xBC && (0x90...0x99).contains(bytes[index + 2])
    }
}
