/// What Kefu offered in this conversation and what the customer did with it: the recommendation, the product talked
/// about, purchases, risks acknowledged, offers counted and products turned down. Scoped out of `DialogueState` so that
/// the selling rules (at most two offers, never a declined product again) read one part, not a flat list of fields.
public struct OfferState: Sendable, Equatable, Codable {
    /// Product ids of the last recommendation, best first.
    public var recommended: [String] = []
    /// The product talked about last (named by the customer or acknowledged): what "I'll take it" refers to.
    public var lastProduct: String?
    /// Products the customer decided to buy (each with a `conversion` event), for the handoff summary.
    public var purchases: [String] = []
    /// Products above the customer's level whose risk the customer explicitly accepted.
    public var acknowledgedRisk: [String] = []
    /// How many times each product was offered (the recommendation, then re-offers).
    public var timesOffered: [String: Int] = [:]
    /// Products the customer turned down twice: never offered again.
    public var declinedProducts: [String] = []
    /// The product whose details Kefu offered to send with the second no, and the turn it offered them on:
    /// a "yes" on the next line sends them.
    public var infoOffered: String?
    public var infoOfferedTurn = 0

    public init() {}
}
