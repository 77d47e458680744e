import Foundation
import XCTest

/// The web page in a real headless browser and the WebSocket from a real client, against a running kefu-server. The
/// clients are Python scripts under Tests/Browser (Debian's chromium, chromium-driver, python3-selenium and
/// python3-websockets); where those are missing the tests are skipped, except in CI, where they must run.
final class ClientScriptTests: XCTestCase {
    let python = "/usr/bin/python3"

    func script(_ name: String) -> String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/\(name)").path }

    func requireTools(_ paths: [String], module: String) throws {
        var missing = paths.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import \(module)"]
        probe.standardError = FileHandle.nullDevice
        if FileManager.default.isExecutableFile(atPath: python) {
            try probe.run()
            probe.waitUntilExit()
            if probe.terminationStatus != 0 { missing.append("python3-\(module)") }
        } else {
            missing.append(python)
        }
        guard missing.isEmpty else {
            let message = "needs \(missing.joined(separator: ", ")) (apt-get install chromium chromium-driver python3-selenium python3-websockets)"
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail(message); throw XCTSkip(message) }
            throw XCTSkip(message)
        }
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func server() throws -> ServerProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let token = folder.appendingPathComponent("agent-token")
        try "agent-token-for-client-scripts-0123".write(to: token, atomically: true, encoding: .utf8)
        return try ServerProcess(database: ["--db", folder.appendingPathComponent("kefu.sqlite").path], agentTokenFile: token.path)
    }

    func testTheWebPageInAPhoneSizedHeadlessChromium() throws {
        try requireTools(["/usr/bin/chromium", "/usr/bin/chromedriver"], module: "selenium")
        let server = try server()
        defer { server.stop() }
        let screenshot = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-web-chat.png").path
        let result = try run([script("web_chat.py"), server.base, screenshot])
        XCTAssertEqual(result.status, 0, result.output)
    }

    func testTheConversationOverAWebSocket() throws {
        try requireTools([], module: "websockets")
        let server = try server()
        defer { server.stop() }
        let result = try run([script("websocket_chat.py"), server.base])
        XCTAssertEqual(result.status, 0, result.output)
    }
}
