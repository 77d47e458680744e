import Foundation
import KefuKit

/// The wall-clock time of a turn: stored as a date, and in local time for the engine (service hours, the date in a
/// ticket's number), as the terminal reads it.
public enum ServerClock {
    @Sendable public static func now() -> (date: Date, moment: Moment) {
        let date = Date()
        return (date, Moment(localTime: date))
    }
}
