import Foundation

/// How a ticket number taken by another conversation is replaced, the same in every store: the day's next free number
/// ("T20261127-0002" after "…-0001"), or a suffix (`id-2`, `id-3`…) for an id of another form.
public enum TicketNumbering {
    /// "T20261127-0003" → ("T20261127-", 4): the day's prefix and the digits' width; nil for other ids.
    public static func numberedPrefix(of id: String) -> (String, Int)? {
        guard let dash = id.lastIndex(of: "-") else { return nil }
        let digits = id[id.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return (String(id[...dash]), digits.count)
    }

    /// The id to store `id` under. `exists` says whether an id is taken; `withPrefix` lists the ids starting with a prefix.
    public static func free(_ id: String, exists: (String) throws -> Bool, withPrefix: (String) throws -> [String]) throws -> String {
        guard try exists(id) else { return id }
        var free = id
        if let (prefix, width) = numberedPrefix(of: id) {
            let highest = try withPrefix(prefix).compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0
            let number = String(highest + 1)
            free = prefix + String(repeating: "0", count: max(0, width - number.count)) + number
        }
        var suffix = 2
        let base = free
        while try exists(free) {
            free = "\(base)-\(suffix)"
            suffix += 1
        }
        return free
    }
}
