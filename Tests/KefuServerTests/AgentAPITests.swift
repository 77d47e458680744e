import Foundation
import Hummingbird
import HummingbirdTesting
import KefuKit
import KefuServerKit
import KefuStore
import XCTest

final class AgentAPITests: XCTestCase {
    func testATicketOpenedByACustomerIsListedClaimedAndClosed() async throws {
        let server = try ServerUnderTest()
        let token = ServerUnderTest.agentToken
        try await server.test { client in
            let session = try await client.startSession()
            let turn = try await client.say("转人工", in: session)
            let events = try XCTUnwrap(turn["events"] as? [[String: Any]])
            XCTAssertTrue(events.contains { $0["kind"] as? String == "escalation" }, "\(events)")
            let reply = try XCTUnwrap(turn.string("reply"))
            let listed = try JSONBody(try await client.get("/v1/tickets", token: token))
            let tickets = try XCTUnwrap(listed["tickets"] as? [[String: Any]])
            XCTAssertEqual(tickets.count, 1)
            let id = try XCTUnwrap(tickets.first?["id"] as? String)
            XCTAssertTrue(reply.contains(id), "the customer is told the ticket number: \(reply)")

            let one = try await client.get("/v1/tickets/\(id)", token: token)
            XCTAssertEqual(one.status, .ok)
            XCTAssertEqual(try JSONBody(one).string("status"), "open")

            let claimed = try await client.post("/v1/tickets/\(id)/claim", #"{"agent": "王芳"}"#, token: token)
            XCTAssertEqual(claimed.status, .ok)
            XCTAssertEqual(try JSONBody(claimed).string("claimedBy"), "王芳")
            let again = try await client.post("/v1/tickets/\(id)/claim", #"{"agent": "李雷"}"#, token: token)
            XCTAssertEqual(again.status, .conflict, String(buffer: again.body))
            let open = try JSONBody(try await client.get("/v1/tickets", token: token))
            XCTAssertEqual((open["tickets"] as? [Any])?.count, 0, "a claimed ticket is no longer open")

            let closed = try await client.post("/v1/tickets/\(id)/close", #"{"note": "回电处理完毕"}"#, token: token)
            XCTAssertEqual(closed.status, .ok)
            XCTAssertEqual(try JSONBody(closed).string("status"), "closed")
            let closedAgain = try await client.post("/v1/tickets/\(id)/close", #"{"note": "again"}"#, token: token)
            XCTAssertEqual(closedAgain.status, .conflict)
            let all = try JSONBody(try await client.get("/v1/tickets?status=all", token: token))
            XCTAssertEqual((all["tickets"] as? [Any])?.count, 1)

            let unknown = try await client.get("/v1/tickets/T20000101-9999", token: token)
            XCTAssertEqual(unknown.status, .notFound)
            let badStatus = try await client.get("/v1/tickets?status=lost", token: token)
            XCTAssertEqual(badStatus.status, .badRequest)
            let noNote = try await client.post("/v1/tickets/\(id)/close", #"{}"#, token: token)
            XCTAssertEqual(noNote.status, .badRequest)
        }
    }

    /// A served conversation's earlier lines come back from storage masked: the tail of a phone number is not an amount.
    func testAMaskedNumberIsNoAmountInTheHandoffSummary() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            _ = try await client.say("我手机13812345678一直收不到验证码", in: session)
            _ = try await client.say("转人工", in: session)
            let listed = try JSONBody(try await client.get("/v1/tickets", token: ServerUnderTest.agentToken))
            let summary = try XCTUnwrap((listed["tickets"] as? [[String: Any]])?.first?["summary"] as? String)
            XCTAssertTrue(summary.contains("*******5678"), summary)
            XCTAssertFalse(summary.contains("5,678"), summary)
        }
    }

    func testAgentEndpointsNeedTheAgentToken() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            for token in [nil, "wrong-token-wrong-token", session.token] {
                let response = try await client.get("/v1/tickets", token: token)
                XCTAssertEqual(response.status, .unauthorized)
                XCTAssertEqual(response.headers[.wwwAuthenticate], "Bearer")
                let claim = try await client.post("/v1/tickets/T1/claim", #"{"agent":"x"}"#, token: token)
                XCTAssertEqual(claim.status, .unauthorized)
            }
        }
        var settings = KefuServerApp.Settings()
        settings.agentToken = nil
        try await ServerUnderTest(settings: settings).test { client in
            let response = try await client.get("/v1/tickets", token: ServerUnderTest.agentToken)
            XCTAssertEqual(response.status, .forbidden)
            XCTAssertTrue(String(buffer: response.body).contains("--agent-token-file"))
        }
    }
}

final class ServerPagesTests: XCTestCase {
    func testHealthMetricsPageAndAPIDocument() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let health = try await client.get("/healthz")
            XCTAssertEqual(health.status, .ok)
            XCTAssertEqual(try JSONBody(health).string("status"), "ok")

            let session = try await client.startSession()
            _ = try await client.say("有人冒充警察让我转钱到安全账户，我已经转了两万", in: session)
            let metrics = try await client.get("/metrics")
            let text = String(buffer: metrics.body)
            for line in ["kefu_turns_total 1", "kefu_sessions_started_total 1", "kefu_escalations_total 1", "kefu_open_tickets 1"] {
                XCTAssertTrue(text.contains(line), "missing \(line) in\n\(text)")
            }
            XCTAssertTrue(text.contains("kefu_turn_duration_seconds_bucket"))
            XCTAssertFalse(text.contains(session.id) || text.contains("安全账户"), "metrics name no conversation and no words")

            let page = try await client.get("/")
            XCTAssertEqual(page.status, .ok)
            XCTAssertEqual(page.headers[.contentType], "text/html; charset=utf-8")
            XCTAssertTrue(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") ?? false)
            let html = String(buffer: page.body)
            XCTAssertTrue(html.contains("name=\"viewport\"") && html.contains("/chat.js"))
            let script = String(buffer: try await client.get("/chat.js").body)
            XCTAssertTrue(script.contains("textContent") && !script.contains("innerHTML"), "the page never inserts markup it was sent")

            let document = try await client.get("/openapi.yaml")
            XCTAssertEqual(document.status, .ok)
            let yaml = String(buffer: document.body)
            for path in ["/v1/sessions:", "/v1/sessions/{id}/messages:", "/v1/tickets:", "/v1/tickets/{id}/claim:", "/v1/tickets/{id}/close:", "/healthz:", "/metrics:"] {
                XCTAssertTrue(yaml.contains(path), "the API document lacks \(path)")
            }
        }
    }

    func testSHA256MatchesTheStandardsVectors() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(String(repeating: "a", count: 1_000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    func testSecretsAreRandomAndChecked() {
        let secrets = (0..<200).map { _ in SessionSecrets.random() }
        XCTAssertEqual(Set(secrets.map(\.publicID) + secrets.map(\.token)).count, 400)
        let one = secrets[0]
        XCTAssertTrue(SessionSecrets.matches(token: one.token, hash: SessionSecrets.hash(token: one.token)))
        XCTAssertFalse(SessionSecrets.matches(token: secrets[1].token, hash: SessionSecrets.hash(token: one.token)))
        XCTAssertFalse(SessionSecrets.isWellFormed("ABCDEF0123456789abcdef0123456789"))
        XCTAssertFalse(SessionSecrets.isWellFormed("abc"))
    }
}
