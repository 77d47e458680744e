import Foundation
import GRDB
import KefuKit
@testable import KefuStore
import XCTest

/// A fresh folder per test, removed afterwards; databases in it are real files.
class StoreTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder {
            _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func path(_ name: String = "kefu.sqlite") -> String { folder.appendingPathComponent(name).path }

    /// A plain SQLite connection on the same file, to look at what was really written.
    func raw(_ path: String) throws -> DatabaseQueue { try DatabaseQueue(path: path) }
}

/// Turn records as the engine makes them.
enum Sample {
    static func record(_ input: String, reply: String = "好的。", language: Language = .zh, matched: String? = nil,
                       score: Double? = nil, events: [DialogueEvent] = []) -> TurnRecord {
        TurnRecord(input: input, language: language, reply: reply, detectedLanguage: language, matchedID: matched,
                   score: score, state: "idle", events: events)
    }

    static func effects(_ record: TurnRecord, tickets: [HandoffTicket] = []) -> [DialogueEffect] {
        [.reply(record.reply)] + record.events.map { .event($0) }
    }

    static func ticket(_ id: String, _ priority: HandoffTicket.Priority = .urgent, reason: String = "security-incident",
                       createdAt: String = "2026-11-27T08:00:00Z", summary: String = "客户称卡片被盗刷") -> HandoffTicket {
        HandoffTicket(id: id, priority: priority, reason: reason, summary: summary,
                      lastTurns: ["you> 我的卡被盗刷了", "kefu> 已为您转接人工客服"], createdAt: createdAt)
    }
}

/// A clock that moves one second per reading, from a fixed start.
final class SteppingClock: @unchecked Sendable {
    var now: Date
    init(_ start: String = "2026-11-27T08:00:00Z") { now = StoreTime.date(start)! }
    func read() -> Date {
        defer { now = now.addingTimeInterval(1) }
        return now
    }
}

/// Collects warnings instead of printing them.
final class WarningLog: @unchecked Sendable {
    var lines: [String] = []
    func add(_ line: String) { lines.append(line) }
}
