import Foundation
import KefuKit
import KefuStore
import KefuPostgres
import KefuTestSupport
import XCTest

/// Two `kefu-server` processes on one database, as behind a load balancer: PostgreSQL when KEFU_TEST_POSTGRES_URL names
/// a server (required in CI), else one SQLite file.
final class TwoServerTests: XCTestCase {
    let agentToken = "agent-token-two-servers-0123456789"
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try agentToken.write(to: folder.appendingPathComponent("agent-token"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// The database arguments for the servers, and a store on the same database to look at what was written.
    func database() throws -> (arguments: [String], store: any ConversationStore, name: String) {
        let environment = ProcessInfo.processInfo.environment
        if let admin = environment["KEFU_TEST_POSTGRES_URL"], !admin.isEmpty {
            let name = "kefu_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try PostgresStore.createDatabase(String(name), adminURL: admin)
            var components = URLComponents(string: admin)!
            components.path = "/" + name
            return (["--postgres", components.string!], try PostgresStore(url: components.string!), "PostgreSQL")
        }
        if environment["CI"] == "true" { XCTFail("CI runs the two-server tests on PostgreSQL: set KEFU_TEST_POSTGRES_URL") }
        let path = folder.appendingPathComponent("kefu.sqlite").path
        return (["--db", path], try SQLiteStore(path: path), "SQLite")
    }

    func start(_ arguments: [String]) throws -> ServerProcess {
        try ServerProcess(database: arguments, agentTokenFile: folder.appendingPathComponent("agent-token").path)
    }

    func testAConversationAndATicketAcrossTwoServers() async throws {
        let (arguments, store, name) = try database()
        let a = try start(arguments), b = try start(arguments)
        defer { a.stop(); b.stop() }

        let started = try await a.request("POST", "/v1/sessions", json: ["lang": "zh", "channel": "web"])
        XCTAssertEqual(started.status, 201, started.text)
        let id = try XCTUnwrap(started.json["session"] as? String), token = try XCTUnwrap(started.json["token"] as? String)

        let first = try await a.request("POST", "/v1/sessions/\(id)/messages", json: ["text": "我想理财"], token: token)
        XCTAssertEqual(first.json["state"] as? String, "profiling:age", first.text)
        // The next line goes to the other server, which knows where the conversation stands.
        let second = try await b.request("POST", "/v1/sessions/\(id)/messages", json: ["text": "我今年35岁，手机13812345678"], token: token)
        XCTAssertEqual(second.json["state"] as? String, "profiling:income", "\(name): \(second.text)")

        // Refusals, on both: a wrong token, none, and another conversation's.
        let other = try await b.request("POST", "/v1/sessions", json: ["lang": "en"])
        let otherToken = try XCTUnwrap(other.json["token"] as? String)
        for server in [a, b] {
            for wrong in [nil, "0123456789abcdef0123456789abcdef", otherToken] {
                let refused = try await server.request("POST", "/v1/sessions/\(id)/messages", json: ["text": "hi"], token: wrong)
                XCTAssertEqual(refused.status, 404, refused.text)
            }
            let agentRefused = try await server.request("GET", "/v1/tickets", token: token)
            XCTAssertEqual(agentRefused.status, 401)
        }

        // A ticket opened through one server is claimed and closed through the other.
        let handoff = try await a.request("POST", "/v1/sessions/\(id)/messages", json: ["text": "转人工"], token: token)
        XCTAssertTrue((handoff.json["events"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "escalation" }, handoff.text)
        let queue = try await b.request("GET", "/v1/tickets", token: agentToken)
        let ticket = try XCTUnwrap((queue.json["tickets"] as? [[String: Any]])?.first?["id"] as? String, queue.text)
        XCTAssertTrue((handoff.json["reply"] as? String ?? "").contains(ticket))
        let claimed = try await b.request("POST", "/v1/tickets/\(ticket)/claim", json: ["agent": "王芳"], token: agentToken)
        XCTAssertEqual(claimed.status, 200, claimed.text)
        let conflict = try await a.request("POST", "/v1/tickets/\(ticket)/claim", json: ["agent": "李雷"], token: agentToken)
        XCTAssertEqual(conflict.status, 409, conflict.text)

        // An agent on another machine works the same queue with the command-line tool.
        if arguments.first == "--postgres" {
            let listed = try ProcessRunner.run(Fixtures.kefuExecutable, ["tickets", "--status", "claimed", "--json", "--postgres", arguments[1]],
                                               input: Data(), environment: ProcessInfo.processInfo.environment)
            if listed.stderr.contains("built without PostgreSQL") {
                if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("CI builds kefu with --traits PostgreSQL") }
            } else {
                XCTAssertEqual(listed.status, 0, listed.stderr)
                XCTAssertTrue(listed.stdout.contains(ticket) && listed.stdout.contains("王芳"), listed.stdout)
            }
        }

        // Masked in the database: the turns and the saved state.
        let live = try XCTUnwrap(try store.liveSession(publicID: id))
        let texts = try store.turns(session: live.sessionID, through: nil).map(\.text) + [live.state]
        XCTAssertTrue(texts.contains { $0.contains("*******5678") }, "\(texts)")
        XCTAssertFalse(texts.contains { $0.contains("13812345678") }, "\(name) keeps a phone number unmasked")
        XCTAssertFalse(live.tokenHash.contains(token))
        XCTAssertFalse(a.logText.contains("13812345678") || a.logText.contains(token) || b.logText.contains(token), "logs hold no personal data or token")
    }

    func testSIGTERMStopsTheServerGracefully() async throws {
        let (arguments, _, _) = try database()
        let server = try start(arguments)
        let started = try await server.request("POST", "/v1/sessions", json: ["lang": "en"])
        XCTAssertEqual(started.status, 201)
        server.process.terminate()
        server.process.waitUntilExit()
        XCTAssertEqual(server.process.terminationReason, .exit, server.logText)
        XCTAssertEqual(server.process.terminationStatus, 0, server.logText)
    }

    func testAcknowledgedTurnsSurviveAServerKilledMidStream() async throws {
        let (arguments, store, name) = try database()
        let a = try start(arguments)
        let started = try await a.request("POST", "/v1/sessions", json: ["lang": "zh"])
        let id = try XCTUnwrap(started.json["session"] as? String), token = try XCTUnwrap(started.json["token"] as? String)
        // One conversation's lines, one after another, while the server is killed with SIGKILL part-way.
        let lines = ["提现多久到账", "手续费多少", "怎么修改手机号", "银行卡怎么解绑", "零钱通是什么", "提现多久到账"]
        let sender = Task { () -> Int in
            var acknowledged = 0
            for _ in 0..<10 {
                for line in lines {
                    guard let reply = try? await a.request("POST", "/v1/sessions/\(id)/messages", json: ["text": line], token: token),
                          reply.status == 200 else { return acknowledged }
                    acknowledged += 1
                }
            }
            return acknowledged
        }
        try await Task.sleep(for: .milliseconds(400))
        a.kill()
        let acknowledged = await sender.value
        XCTAssertGreaterThan(acknowledged, 0, "some turns were answered before the kill")
        let live = try XCTUnwrap(try store.liveSession(publicID: id))
        XCTAssertGreaterThanOrEqual(live.sequence, acknowledged, "\(name): every acknowledged turn is stored")
        let customerTurns = try store.turns(session: live.sessionID, through: nil).filter { $0.speaker == .customer }
        XCTAssertEqual(customerTurns.count, live.sequence, "the saved state and the turns agree")

        // Another server carries on from the last stored turn.
        let b = try start(arguments)
        defer { b.stop() }
        let next = try await b.request("POST", "/v1/sessions/\(id)/messages", json: ["text": "我想理财"], token: token)
        XCTAssertEqual(next.status, 200, next.text)
        XCTAssertEqual(try store.liveSession(publicID: id)?.sequence, live.sequence + 1)
    }
}
