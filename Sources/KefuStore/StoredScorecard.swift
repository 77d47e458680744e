import Foundation
import KefuKit

/// A rehearsal scorecard as stored (`scorecards` and `scorecard_skills`, schema v3): one per rehearsal
/// session, with its per-skill scores and weak points (masked), and the seed that replays the customer.
public struct StoredScorecard: Sendable, Equatable {
    public var id: Int64
    public var sessionID: Int64
    public var at: Date
    public var seed: UInt64
    public var scorecard: Scorecard

    public init(id: Int64, sessionID: Int64, at: Date, seed: UInt64, scorecard: Scorecard) {
        self.id = id
        self.sessionID = sessionID
        self.at = at
        self.seed = seed
        self.scorecard = scorecard
    }
}

/// A scorecard to write for a rehearsal session that already has its turns.
public struct ScorecardWrite: Sendable {
    public var sessionID: Int64
    public var at: Date
    public var seed: UInt64
    public var scorecard: Scorecard

    public init(sessionID: Int64, at: Date, seed: UInt64, scorecard: Scorecard) {
        self.sessionID = sessionID
        self.at = at
        self.seed = seed
        self.scorecard = scorecard
    }
}
