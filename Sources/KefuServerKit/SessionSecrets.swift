/// The public id and the secret token of a served conversation: 128 random bits each, from the system's secure
/// generator, written as 32 hex digits. The id names the conversation in URLs; the token proves the caller holds it.
public struct SessionSecrets: Sendable, Equatable {
    public var publicID: String
    public var token: String

    public init(publicID: String, token: String) {
        self.publicID = publicID
        self.token = token
    }

    public static func random() -> SessionSecrets {
        var generator = SystemRandomNumberGenerator()
        return SessionSecrets(publicID: hex(&generator), token: hex(&generator))
    }

    /// What the store keeps of a token.
    public static func hash(token: String) -> String { SHA256.hex(token) }

    /// Whether `token` is the one whose hash is `hash`, comparing every byte whatever the first difference (no
    /// timing hint).
    public static func matches(token: String, hash: String) -> Bool {
        let given = Array(SHA256.hex(token).utf8), stored = Array(hash.utf8)
        guard given.count == stored.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, stored) { difference |= a ^ b }
        return difference == 0
    }

    /// A well-formed id or token: 32 lowercase hex digits (anything else is refused before the store is asked).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func hex(_ generator: inout SystemRandomNumberGenerator) -> String {
        let high = generator.next() as UInt64, low = generator.next() as UInt64
        return [high, low].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
