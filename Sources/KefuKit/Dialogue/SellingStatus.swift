/// Whether Kefu may still sell in this conversation, and if not, why: one value instead of three flags that overlapped
/// (`sellingStopped`, `salesDeclined`, `doNotContact`: a do-not-contact also stopped selling, and so did a second no).
/// The reasons only ever grow stronger: a handoff after "别再推销了" is still a do-not-contact.
public enum SellingStatus: Int, Sendable, Equatable, Comparable, Codable {
    /// Recommendations and offers as usual.
    case open
    /// Handed to a person: Kefu leaves the selling to them (a product the customer names is still described).
    case paused
    /// A second no: no unprompted offers for the rest of the conversation; the customer may still ask about a product.
    case declined
    /// "不要再联系我了": never sold to again, and the ticket says so.
    case doNotContact

    public static func < (a: SellingStatus, b: SellingStatus) -> Bool { a.rawValue < b.rawValue }

    /// The status after `reason`, never weaker than the current one.
    public func stopped(_ reason: SellingStatus) -> SellingStatus { Swift.max(self, reason) }
}
