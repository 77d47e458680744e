import Foundation
import Hummingbird
import HummingbirdWebSocket
import KefuKit
import KefuStore
import Logging
import NIOPosix

/// kefu-server's HTTP application: the customer API, the agents' ticket API, the web chat page, health and metrics.
/// Built from its parts so that tests run it in process and the executable only parses options and starts it.
public struct KefuServerApp: Sendable {
    public struct Settings: Sendable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// The agents' bearer token (from `--agent-token-file`); nil: the agent endpoints answer 403.
        public var agentToken: String?
        /// Requests one conversation may make: a burst, then a steady rate.
        public var perSession = RateLimiter.Limit(burst: 20, perSecond: 2)
        /// Requests one client address may make (every conversation behind it together).
        public var perAddress = RateLimiter.Limit(burst: 200, perSecond: 50)
        public init() {}
    }

    public let service: ConversationService
    public let settings: Settings
    public let metrics: ServerMetrics
    let sessionLimiter: RateLimiter
    let addressLimiter: RateLimiter

    public init(service: ConversationService, settings: Settings, metrics: ServerMetrics = ServerMetrics()) {
        self.service = service
        self.settings = settings
        self.metrics = metrics
        sessionLimiter = RateLimiter(settings.perSession)
        addressLimiter = RateLimiter(settings.perAddress)
    }

    public func application(logger: Logger = Logger(label: "kefu-server")) -> some ApplicationProtocol {
        Application(router: router(), server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter()),
                    configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "kefu-server"),
                    logger: logger)
    }

    /// The store answers synchronously (SQLite through GRDB, PostgreSQL through a blocking client); its calls run on
    /// these threads, never on the few threads that serve every request.
    static let blockingPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    /// `body` on the blocking pool, its errors turned into what the client is told.
    func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.blockingPool.runIfActive { try self.stored(body) }
    }

    public func router() -> Router<KefuRequestContext> {
        let router = Router(context: KefuRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.get("/") { _, _ in try WebAssets.response("index.html") }
        router.get("/chat.js") { _, _ in try WebAssets.response("chat.js") }
        router.get("/chat.css") { _, _ in try WebAssets.response("chat.css") }
        router.get("/openapi.yaml") { _, _ in try WebAssets.response("openapi.yaml") }
        router.get("/healthz") { _, _ in try await health() }
        router.get("/metrics") { _, _ in
            let open = try? await Self.blockingPool.runIfActive { try service.store.tickets(status: [.open]).count }
            metrics.openTickets.set(Double(open ?? 0))
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.post("/v1/sessions") { request, context in try await startSession(request, context) }
        router.post("/v1/sessions/:id/messages") { request, context in try await message(request, context) }
        router.get("/v1/tickets") { request, context in try await tickets(request, context) }
        router.get("/v1/tickets/:id") { request, context in try await ticket(request, context) }
        router.post("/v1/tickets/:id/claim") { request, context in try await claim(request, context) }
        router.post("/v1/tickets/:id/close") { request, context in try await close(request, context) }
        return router
    }

    // MARK: - Customers

    func startSession(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try limitAddress(context)
        let body = try await RequestJSON.object(request, emptyAllowed: true)
        guard let language = LanguageChoice(try RequestJSON.string(body, "lang")) else {
            throw APIError(.badRequest, "\"lang\" must be \"zh\", \"en\" or \"auto\"")
        }
        let channel = try RequestJSON.string(body, "channel") ?? "web"
        guard Self.isChannelName(channel) else {
            throw APIError(.badRequest, "\"channel\" must be 1 to 32 lowercase letters, digits or hyphens (for example \"web\")")
        }
        let started = try await offloaded { try service.start(language: language, channel: channel) }
        metrics.sessions.increment()
        let json = JSONText.object([("session", JSONText.string(started.secrets.publicID)), ("token", JSONText.string(started.secrets.token)),
                                    ("reply", JSONText.string(started.greeting))])
        return Self.json(json, status: .created)
    }

    func message(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try limitAddress(context)
        let id = context.parameters.get("id") ?? ""
        guard sessionLimiter.allow(id) else {
            metrics.refused.increment()
            throw APIError.tooMany("in this conversation")
        }
        let token = Self.bearer(request)
        // A malformed id or token is refused before the body is read. The database is asked once, by `send`: a bad body
        // gets the same 400 whether or not the conversation exists, so the order tells a stranger nothing, and a turn
        // costs one read less (a second read for the check alone was a tenth of PostgreSQL's work per turn).
        guard SessionSecrets.isWellFormed(id), let token, SessionSecrets.isWellFormed(token) else { throw APIError.notFound }
        let body = try await RequestJSON.object(request)
        guard let text = try RequestJSON.string(body, "text") else { throw APIError(.badRequest, "\"text\" is missing: send {\"text\": \"…\"}") }
        let start = ContinuousClock.now
        let answered = try await offloaded { try service.send(publicID: id, token: token, text: text) }
        metrics.turnLatency.record(ContinuousClock.now - start)
        metrics.turns.increment()
        if answered.escalations > 0 { metrics.escalations.increment(by: Int64(answered.escalations)) }
        return Self.json(Self.turnJSON(answered), status: .ok)
    }

    // MARK: - Agents

    func tickets(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try authorizeAgent(request)
        let statuses: Set<HandoffTicket.Status>
        switch request.uri.queryParameters.get("status") ?? "open" {
        case "open": statuses = [.open]
        case "claimed": statuses = [.claimed]
        case "closed": statuses = [.closed]
        case "all": statuses = [.open, .claimed, .closed]
        default: throw APIError(.badRequest, "status must be open, claimed, closed or all")
        }
        let list = try await offloaded { try service.store.tickets(status: statuses) }
        return Self.json("{\"tickets\":[" + list.map(\.json).joined(separator: ",") + "]}", status: .ok)
    }

    func ticket(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try authorizeAgent(request)
        let id = context.parameters.get("id") ?? ""
        return Self.json(try await offloaded { try service.store.ticket(id: id) }.json, status: .ok)
    }

    func claim(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try authorizeAgent(request)
        let id = context.parameters.get("id") ?? ""
        let body = try await RequestJSON.object(request)
        guard let agent = try RequestJSON.string(body, "agent")?.trimmingCharacters(in: .whitespacesAndNewlines), !agent.isEmpty else {
            throw APIError(.badRequest, "\"agent\" is missing or blank: send {\"agent\": \"NAME\"}")
        }
        return Self.json(try await offloaded { try service.store.claimTicket(id: id, agent: agent, at: Date()) }.json, status: .ok)
    }

    func close(_ request: Request, _ context: KefuRequestContext) async throws -> Response {
        try authorizeAgent(request)
        let id = context.parameters.get("id") ?? ""
        let body = try await RequestJSON.object(request)
        guard let note = try RequestJSON.string(body, "note")?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
            throw APIError(.badRequest, "\"note\" is missing or blank: send {\"note\": \"what was done\"}")
        }
        return Self.json(try await offloaded { try service.store.closeTicket(id: id, note: note, at: Date()) }.json, status: .ok)
    }

    private func authorizeAgent(_ request: Request) throws {
        guard let expected = settings.agentToken else {
            throw APIError(.forbidden, "the agent endpoints are off: start kefu-server with --agent-token-file FILE")
        }
        guard let given = Self.bearer(request), Self.constantTimeEqual(given, expected) else {
            var error = APIError(.unauthorized, "an agent token is needed: Authorization: Bearer TOKEN")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
    }

    // MARK: - Health

    func health() async throws -> Response {
        do {
            try await Self.blockingPool.runIfActive { try service.store.checkAvailable() }
        } catch {
            return Self.json(JSONText.object([("status", JSONText.string("unavailable")), ("error", JSONText.string("the database does not answer"))]),
                             status: .serviceUnavailable)
        }
        return Self.json(JSONText.object([("status", JSONText.string("ok")), ("faqEntries", String(service.engine.knowledge.entries.count))]),
                         status: .ok)
    }

    // MARK: - Helpers

    private func limitAddress(_ context: KefuRequestContext) throws {
        guard addressLimiter.allow(context.clientKey) else {
            metrics.refused.increment()
            throw APIError.tooMany("from this address")
        }
    }

    /// Runs a store or service call, turning what it throws into what the client is told.
    func stored<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ServiceError {
            switch error {
            case .notFound: throw APIError.notFound
            case .ended: throw APIError(.conflict, "this conversation has ended; start a new one")
            case .emptyMessage: throw APIError(.badRequest, "\"text\" is empty after removing control characters; send what the customer typed")
            }
        } catch let error as StoreError {
            switch error {
            case .ticketNotFound: throw APIError(.notFound, error.description)
            case .ticketState: throw APIError(.conflict, error.description)
            case .sessionMovedOn: throw APIError(.conflict, error.description)
            case .locked: throw APIError(.serviceUnavailable, "the database is busy; try again")
            default: throw APIError(.internalServerError, "the database could not be written or read")
            }
        }
    }

    static func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<min(x.count, y.count) { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func isChannelName(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }

    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Headers every response carries: the page loads nothing from elsewhere and cannot be framed.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = KefuRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
