/// A line that read as possible distress, asked about before anything else is done with it (`check-in.*` of an
/// escalation rule): the customer's words, the rule, and the phase to go back to when they are fine.
///
/// "Not one fen. This is everything I have.", asked how much loss is acceptable, read 0.72 as despair; the whole crisis
/// script ("everything else can wait") then ended the conversation for good. Asked instead, the customer who is fine says
/// so and the line is read as what it also was (the answer, the request for advice); one who is not gets the script.
public struct WellbeingCheck: Sendable, Equatable, Codable {
    /// The line as typed, read again when the customer is fine.
    public var line: String
    /// The escalation rule the line read as (distress).
    public var ruleID: String
    /// Where the conversation was when the line came.
    public var resume: DialogueState.Phase

    public init(line: String, ruleID: String, resume: DialogueState.Phase) {
        self.line = line
        self.ruleID = ruleID
        self.resume = resume
    }
}
