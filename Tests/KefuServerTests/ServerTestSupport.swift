import Foundation
import Hummingbird
import HummingbirdTesting
import KefuKit
import KefuServerKit
import KefuStore
import KefuTestSupport
import XCTest

/// A server application on the shipped knowledge and a fresh SQLite file, tested in process.
struct ServerUnderTest {
    let store: SQLiteStore
    let app: KefuServerApp
    let path: String

    static let agentToken = "agent-token-for-tests-0123456789"

    init(settings: KefuServerApp.Settings = ServerUnderTest.settings(), path: String? = nil) throws {
        self.path = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("kefu-server-\(UUID().uuidString).sqlite").path
        store = try SQLiteStore(path: self.path)
        app = KefuServerApp(service: ConversationService(engine: Fixtures.engine, store: store), settings: settings)
    }

    static func settings() -> KefuServerApp.Settings {
        var settings = KefuServerApp.Settings()
        settings.agentToken = agentToken
        return settings
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.application().test(.router, body)
    }
}

struct JSONBody {
    let object: [String: Any]
    init(_ response: TestResponse, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = Data(String(buffer: response.body).utf8)
        object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], "not a JSON object", file: file, line: line)
    }
    subscript(key: String) -> Any? { object[key] }
    func string(_ key: String) -> String? { object[key] as? String }
}

extension TestClientProtocol {
    /// POST with a JSON body (a string sent as it is).
    func post(_ uri: String, _ body: String?, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .post, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .get, headers: headers)
    }

    /// Starts a conversation and returns its id and token.
    func startSession(_ lang: String = "zh") async throws -> (id: String, token: String) {
        let response = try await post("/v1/sessions", "{\"lang\":\"\(lang)\",\"channel\":\"web\"}")
        XCTAssertEqual(response.status, .created)
        let body = try JSONBody(response)
        return (try XCTUnwrap(body.string("session")), try XCTUnwrap(body.string("token")))
    }

    func say(_ text: String, in session: (id: String, token: String)) async throws -> JSONBody {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: ["text": text]), as: UTF8.self)
        let response = try await post("/v1/sessions/\(session.id)/messages", body, token: session.token)
        XCTAssertEqual(response.status, .ok, String(buffer: response.body))
        return try JSONBody(response)
    }
}
