import Foundation

/// The time of a turn, injected from outside (the shell's clock, or a transcript's `# time:` line) so
/// that the engine stays deterministic: the same transcript at the same time gives the same replies.
public struct Moment: Sendable, Equatable {
    /// "2026-11-27"
    public var date: String
    public var minuteOfDay: Int

    public init(date: String, minuteOfDay: Int) {
        self.date = date
        self.minuteOfDay = minuteOfDay
    }

    /// `date` in the local time zone, as a shell or a server reads its clock (the clock itself stays outside the engine).
    public init(localTime date: Date) {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        localtime_r(&t, &parts)
        self.date = String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        self.minuteOfDay = Int(parts.tm_hour) * 60 + Int(parts.tm_min)
    }

    /// Replays without a `# time:` line run on a fixed weekday morning, inside service hours.
    public static let replayDefault = Moment(date: "2026-01-05", minuteOfDay: 10 * 60)

    /// Parses "2026-11-27 22:30" (or "2026-11-27T22:30").
    public init?(parsing text: String) {
        let parts = text.trimmingWhitespace().split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count == 2 else { return nil }
        let d = parts[0].split(separator: "-").compactMap { Int($0) }
        let t = parts[1].split(separator: ":").compactMap { Int($0) }
        guard d.count == 3, (1...12).contains(d[1]), (1...31).contains(d[2]), t.count >= 2, (0...23).contains(t[0]), (0...59).contains(t[1]) else { return nil }
        self.date = parts[0]
        self.minuteOfDay = t[0] * 60 + t[1]
    }

    public var compactDate: String { date.replacingOccurrences(of: "-", with: "") }
    /// "2026-11-27 22:30", as a transcript's `# time:` line writes it.
    public var written: String { "\(date) \(String(minuteOfDay / 60).leftPadded(to: 2)):\(String(minuteOfDay % 60).leftPadded(to: 2))" }
    public var iso: String { "\(date)T\(String(minuteOfDay / 60).leftPadded(to: 2)):\(String(minuteOfDay % 60).leftPadded(to: 2))" }
}
