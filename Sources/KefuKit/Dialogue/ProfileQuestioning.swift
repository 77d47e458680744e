/// How the pending profile question is going: the advice conversation's part of the state that keeps Kefu
/// from dead ends. An answer it cannot read is asked again in other words, then offered as numbered choices,
/// then taken as "rather not say" (the conservative value, said): never "not understood", never a loop, and
/// never a ticket for Kefu's own failure to understand.
public struct ProfileQuestioning: Sendable, Equatable, Codable {
    /// The fact being asked.
    public var fact: InvestorProfile.Fact?
    /// Answers to it that could not be read so far.
    public var unread = 0
    /// The numbered choices for `fact` are on screen: a number picks one.
    public var choicesShown = false
    /// The value the question put to the customer to confirm ("So you may need this money at any time?"): a yes gives it.
    public var suggested: RuleValue?

    public init(fact: InvestorProfile.Fact? = nil) { self.fact = fact }

    /// Unreadable answers after which the choices are offered, and after which the fact is taken as skipped.
    public static let choicesAfter = 2
    public static let assumedAfter = 3
}
