import Foundation
import Hummingbird
import HummingbirdTesting
import KefuKit
import KefuServerKit
import KefuStore
import XCTest

final class SessionAPITests: XCTestCase {
    func testStartingAConversationGivesUnguessableSecretsAndTheGreeting() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let response = try await client.post("/v1/sessions", #"{"lang": "en", "channel": "web"}"#)
            XCTAssertEqual(response.status, .created)
            let body = try JSONBody(response)
            let id = try XCTUnwrap(body.string("session")), token = try XCTUnwrap(body.string("token"))
            XCTAssertTrue(SessionSecrets.isWellFormed(id) && SessionSecrets.isWellFormed(token), "\(id) \(token)")
            XCTAssertNotEqual(id, token)
            XCTAssertTrue(body.string("reply")?.hasPrefix("Hello") ?? false, body.string("reply") ?? "")
            // No body at all is a conversation in both languages on the web channel.
            let auto = try JSONBody(try await client.post("/v1/sessions", nil))
            XCTAssertTrue((auto.string("reply") ?? "").contains("您好") && (auto.string("reply") ?? "").contains("Hello"))
        }
        // The store keeps the token's hash, never the token.
        let sessions = try server.store.sessions(RecordFilter())
        XCTAssertEqual(sessions.count, 2)
        XCTAssertEqual(sessions.first?.channel, "web")
    }

    func testAConversationContinuesFromTheStoredState() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            let first = try await client.say("我想理财", in: session)
            XCTAssertEqual(first.string("state"), "profiling:age")
            let second = try await client.say("35", in: session)
            XCTAssertEqual(second.string("state"), "profiling:income")
            for key in ["input", "language", "matched", "score", "state", "reply", "events"] {
                XCTAssertNotNil(second[key], "the turn has no \(key)")
            }
        }
    }

    func testASessionStartedOnOneServerContinuesOnAnother() async throws {
        let first = try ServerUnderTest()
        let second = try ServerUnderTest(path: first.path)
        let session = try await first.app.application().test(.router) { client in
            let session = try await client.startSession("en")
            let turn = try await client.say("I want to invest", in: session)
            XCTAssertEqual(turn.string("state"), "profiling:age")
            return session
        }
        try await second.test { client in
            let turn = try await client.say("42", in: session)
            XCTAssertEqual(turn.string("state"), "profiling:income", turn.string("reply") ?? "")
        }
    }

    func testAWrongOrMissingTokenRevealsNothing() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            let other = try await client.startSession()
            let wrong = try await client.post("/v1/sessions/\(session.id)/messages", #"{"text":"你好"}"#, token: other.token)
            let missing = try await client.post("/v1/sessions/\(session.id)/messages", #"{"text":"你好"}"#)
            let unknown = try await client.post("/v1/sessions/\(String(repeating: "a", count: 32))/messages", #"{"text":"你好"}"#, token: session.token)
            let malformed = try await client.post("/v1/sessions/..%2F..%2Fetc/messages", #"{"text":"你好"}"#, token: session.token)
            for response in [wrong, missing, unknown, malformed] {
                XCTAssertEqual(response.status, .notFound)
                XCTAssertEqual(String(buffer: response.body), String(buffer: wrong.body))
            }
        }
        // Nothing was answered or stored for the refused requests.
        XCTAssertEqual(try server.store.stats(RecordFilter()).turns, 0)
    }

    func testBadBodiesGetAClearRefusal() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("not json", .badRequest, "not a JSON object"),
                ("[1, 2]", .badRequest, "not a JSON object"),
                (#"{"text": 5}"#, .badRequest, "must be a string"),
                (#"{"words": "hi"}"#, .badRequest, "is missing"),
                (#"{"text": "\u0007\u001b[2J"}"#, .badRequest, "empty"),
                ("{\"text\": \"" + String(repeating: "好", count: 30_000) + "\"}", .contentTooLarge, "64 KiB"),
            ]
            for (body, status, words) in cases {
                let response = try await client.post("/v1/sessions/\(session.id)/messages", body, token: session.token)
                XCTAssertEqual(response.status, status, body.prefix(40).description)
                XCTAssertTrue(String(buffer: response.body).contains(words), String(buffer: response.body))
            }
            let invalidUTF8 = try await client.execute(uri: "/v1/sessions/\(session.id)/messages", method: .post,
                                                       headers: [.authorization: "Bearer \(session.token)"],
                                                       body: ByteBuffer(bytes: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]))
            XCTAssertEqual(invalidUTF8.status, .badRequest)
            XCTAssertTrue(String(buffer: invalidUTF8.body).contains("UTF-8"))
            let language = try await client.post("/v1/sessions", #"{"lang": "fr"}"#)
            XCTAssertEqual(language.status, .badRequest)
            let channel = try await client.post("/v1/sessions", #"{"channel": "<script>"}"#)
            XCTAssertEqual(channel.status, .badRequest)
        }
    }

    func testALineOverTwoThousandCharactersIsCutAsInTheTerminal() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession()
            let turn = try await client.say("提现多久到账" + String(repeating: "啊", count: 3_000), in: session)
            XCTAssertEqual((turn.string("input") ?? "").unicodeScalars.count, CustomerInput.maximumScalars)
            XCTAssertEqual(turn["truncated"] as? Bool, true)
            let short = try await client.say("提现多久到账", in: session)
            XCTAssertNil(short["truncated"])
        }
    }

    func testPersonalDataIsMaskedInTurnsAndInTheStoredState() async throws {
        let server = try ServerUnderTest()
        let session = try await server.app.application().test(.router) { client in
            let session = try await client.startSession()
            _ = try await client.say("我手机13812345678一直收不到验证码，卡号6222021234567890123", in: session)
            return session
        }
        let live = try XCTUnwrap(try server.store.liveSession(publicID: session.id))
        let turns = try server.store.turns(session: live.sessionID, through: nil)
        for text in turns.map(\.text) + [live.state] {
            XCTAssertFalse(text.contains("13812345678") || text.contains("6222021234567890123"), text)
        }
        XCTAssertTrue(live.state.contains("5678"), "the state keeps the masked line: \(live.state.prefix(200))")
        XCTAssertNotEqual(live.tokenHash, session.token)
        XCTAssertEqual(live.tokenHash, SessionSecrets.hash(token: session.token))
    }

    /// A state another version of Kefu saved, which this one cannot read, starts the conversation afresh and says so.
    func testAnUnreadableSavedStateStartsAfresh() async throws {
        let server = try ServerUnderTest()
        let session = try await server.app.application().test(.router) { client in try await client.startSession() }
        let live = try XCTUnwrap(try server.store.liveSession(publicID: session.id))
        _ = try server.store.record(TurnWrite(sessionID: live.sessionID, session: NewSession(startedAt: live.startedAt, channel: "web", mode: "chat", language: .zh),
                                              sequence: 1, at: Date(), record: TurnRecord(input: "x", language: .zh, reply: "y"), events: [],
                                              live: LiveSessionWrite(publicID: session.id, state: #"{"fromAFutureVersion":true}"#)))
        try await server.test { client in
            let turn = try await client.say("提现多久到账", in: session)
            XCTAssertEqual(turn.string("matched"), "withdraw-time")
            let events = try XCTUnwrap(turn["events"] as? [[String: Any]])
            XCTAssertEqual(events.first?["kind"] as? String, "conversation-reset")
        }
    }

    func testAnEndedConversationTakesNoMoreLines() async throws {
        let server = try ServerUnderTest()
        try await server.test { client in
            let session = try await client.startSession("en")
            _ = try await client.say("/quit", in: session)
            let after = try await client.post("/v1/sessions/\(session.id)/messages", #"{"text":"hello"}"#, token: session.token)
            XCTAssertEqual(after.status, .conflict)
            XCTAssertTrue(String(buffer: after.body).contains("start a new one"))
        }
    }

    func testRateLimitsPerConversation() async throws {
        var settings = ServerUnderTest.settings()
        settings.perSession = RateLimiter.Limit(burst: 3, perSecond: 0.001)
        let server = try ServerUnderTest(settings: settings)
        try await server.test { client in
            let session = try await client.startSession()
            for _ in 0..<3 { _ = try await client.say("你好", in: session) }
            let refused = try await client.post("/v1/sessions/\(session.id)/messages", #"{"text":"你好"}"#, token: session.token)
            XCTAssertEqual(refused.status, .tooManyRequests)
            XCTAssertEqual(refused.headers[.retryAfter], "1")
            // Another conversation is not held back.
            _ = try await client.say("你好", in: try await client.startSession())
            let metrics = String(buffer: try await client.get("/metrics").body)
            XCTAssertTrue(metrics.contains("kefu_requests_refused_total 1"), metrics)
        }
    }

    func testRateLimitsPerAddress() async throws {
        var settings = ServerUnderTest.settings()
        settings.perAddress = RateLimiter.Limit(burst: 2, perSecond: 0.001)
        let server = try ServerUnderTest(settings: settings)
        try await server.test { client in
            _ = try await client.startSession()
            _ = try await client.startSession()
            let refused = try await client.post("/v1/sessions", nil)
            XCTAssertEqual(refused.status, .tooManyRequests)
        }
    }
}
