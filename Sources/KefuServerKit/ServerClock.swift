import Foundation
import KefuKit

/// The wall-clock time of a turn: stored as a date, and in local time for the engine (service hours, the date in a
/// ticket's number), as the terminal reads it.
public enum ServerClock {
    @Sendable public static func now() -> (date: Date, moment: Moment) {
        var t = time(nil)
        var parts = tm()
        localtime_r(&t, &parts)
        let date = String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        return (Date(), Moment(date: date, minuteOfDay: Int(parts.tm_hour) * 60 + Int(parts.tm_min)))
    }
}
