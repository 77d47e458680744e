import Foundation

/// A short key on a file's content (64-bit FNV-1a, hex): `kefu rehearse --score --db` stores a rehearsal under
/// it, so scoring the same file twice keeps one session. Lines that only carry a result (`score>`) are left
/// out, so a file whose score line was updated is still the same rehearsal.
enum ContentDigest {
    static func hex(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.hasPrefix("score>") {
            for byte in line.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            hash ^= 0x0A
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
