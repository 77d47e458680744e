import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KefuTestSupport
import XCTest

/// A real `kefu-server` process on a free port, for the end-to-end tests: started, asked over HTTP, killed.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    static var executable: URL { Fixtures.executable("kefu-server") }

    /// `database`: ["--db", PATH] or ["--postgres", URL].
    init(database: [String], agentTokenFile: String) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-server-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = Self.executable
        process.arguments = ["--port", "0", "--knowledge", Fixtures.knowledgeURL.path, "--agent-token-file", agentTokenFile] + database
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "KEFU_POSTGRES_URL")
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Hummingbird says where it listens once it does.
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last ?? "")
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            process.terminate()
            throw NSError(domain: "kefu-server", code: 1, userInfo: [NSLocalizedDescriptionKey: "did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")"])
        }
        port = found
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    struct Reply {
        var status: Int
        var text: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    }

    func request(_ method: String, _ path: String, json: Any? = nil, token: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self))
    }
}
