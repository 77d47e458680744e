import Foundation

extension TurnRecord {
    /// One line of JSON with stable key order, so tools and diffs see the same bytes for the same turn.
    public var jsonLine: String {
        var fields: [(String, String)] = [
            ("input", JSONText.string(input)),
            ("language", JSONText.string(language.rawValue)),
            ("detectedLanguage", detectedLanguage.map { JSONText.string($0.rawValue) } ?? "null"),
            ("matched", matchedID.map(JSONText.string) ?? "null"),
            ("score", score.map { JSONText.number($0) } ?? "null"),
            ("state", JSONText.string(state)),
            ("reply", JSONText.string(reply)),
        ]
        let events = self.events.map { event -> String in
            var object = "{\"kind\":\(JSONText.string(event.kind.rawValue))"
            if let detail = event.detail { object += ",\"detail\":\(JSONText.string(detail))" }
            return object + "}"
        }
        fields.append(("events", "[" + events.joined(separator: ",") + "]"))
        if let recommendation {
            fields.append(("investorLevel", recommendation.investorLevel.map(JSONText.string) ?? "null"))
            let items = recommendation.products.map { "{\"id\":\(JSONText.string($0.id)),\"risk\":\($0.risk.map(JSONText.string) ?? "null")}" }
            fields.append(("products", "[" + items.joined(separator: ",") + "]"))
        }
        return "{" + fields.map { "\(JSONText.string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// Minimal JSON encoding helpers with deterministic output (JSONEncoder's key order and float
/// formatting vary across platforms).
public enum JSONText {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // Control characters (ESC included), and the invisible line separators and bidi controls
                // that could reorder or hide text in a viewer, are written as \u escapes.
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029
                    || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// An object of already-encoded values, keys in the given order.
    public static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    public static func number(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "null" }
        return String(format: "%.3f", value)
    }
}
