import ArgumentParser
import Foundation
import KefuKit
import KefuPostgres
import KefuServerKit
import KefuStore
import Logging

/// `kefu-server`: options and wiring only; the application is `KefuServerApp`.
@main
struct KefuServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kefu-server",
        abstract: "Serve Kefu over HTTP: the customer API, the agents' ticket API and a web chat page.",
        discussion: """
            Examples:
              kefu-server                                   # http://127.0.0.1:8080/, records in the default SQLite file
              kefu-server --port 9000 --db /srv/kefu/kefu.sqlite --agent-token-file /etc/kefu/agent-token
            SIGTERM or Ctrl-C stops it gracefully: requests in progress are answered first.
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed on start).")
    var port = 8080

    @Option(help: ArgumentHelp("The knowledge folder (default: the package's knowledge/).", valueName: "DIR"))
    var knowledge: String?

    @Option(help: ArgumentHelp("The SQLite database (default: $XDG_DATA_HOME/kefu/kefu.sqlite or ~/.local/share/kefu/kefu.sqlite).", valueName: "PATH"))
    var db: String?

    @Option(help: ArgumentHelp("Keep the records in PostgreSQL instead (postgres://USER:PASSWORD@HOST:PORT/DATABASE); also read from KEFU_POSTGRES_URL. Several servers on one database serve the same conversations.",
                               valueName: "URL"))
    var postgres: String?

    @Option(help: ArgumentHelp("A file holding the agents' bearer token (one line, at least 16 characters). Without it the agent endpoints are off.",
                               valueName: "FILE"))
    var agentTokenFile: String?

    @Option(help: ArgumentHelp("Requests a second one client address may make, after a burst of four times as many (0: no limit; behind a proxy every client shares its address).",
                               valueName: "N"))
    var limitPerAddress: Double = 50

    @Option(help: ArgumentHelp("Requests a second one conversation may make, after a burst of ten times as many (0: no limit).", valueName: "N"))
    var limitPerSession: Double = 2

    func validate() throws {
        if limitPerAddress < 0 || limitPerSession < 0 { throw ValidationError("a limit is a number of requests a second, 0 or more") }
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
    }

    func run() async throws {
        var logger = Logger(label: "kefu-server")
        logger.logLevel = ProcessInfo.processInfo.environment["KEFU_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let root = try locateKnowledge()
        let loaded = KnowledgeLoader().load(from: root)
        guard !loaded.diagnostics.hasErrors else {
            for diagnostic in loaded.diagnostics.errors { FileHandle.standardError.write(Data("kefu-server: \(diagnostic)\n".utf8)) }
            throw ExitCode(1)
        }
        var settings = KefuServerApp.Settings()
        settings.host = host
        settings.port = port
        settings.perAddress = RateLimiter.Limit(burst: limitPerAddress * 4, perSecond: limitPerAddress)
        settings.perSession = RateLimiter.Limit(burst: limitPerSession * 10, perSecond: limitPerSession)
        if let agentTokenFile { settings.agentToken = try readAgentToken(agentTokenFile) }
        let postgresURL = postgres ?? ProcessInfo.processInfo.environment["KEFU_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if postgresURL != nil, db != nil { throw ValidationError("give --db (SQLite) or --postgres, not both") }
        let store: any ConversationStore
        do {
            if let postgresURL {
                store = try PostgresStore(url: postgresURL, connections: 16, logger: logger)
            } else {
                store = try SQLiteStore(path: db.map(StoreLocation.expand) ?? StoreLocation.defaultPath())
            }
        } catch {
            FileHandle.standardError.write(Data("kefu-server: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let path = store.location
        let engine = DialogueEngine(knowledge: loaded.knowledge)
        engine.waitUntilReady()
        let app = KefuServerApp(service: ConversationService(engine: engine, store: store), settings: settings)
        // Never the token, never a customer's words: only where it listens and what it serves from.
        logger.info("kefu-server ready", metadata: ["knowledge": .string(root.path), "database": .string(path),
                                                    "faqEntries": .stringConvertible(loaded.knowledge.entries.count),
                                                    "agentEndpoints": .string(settings.agentToken == nil ? "off" : "on")])
        try await app.application(logger: logger).runService()
    }

    private func readAgentToken(_ file: String) throws -> String {
        guard let text = try? String(contentsOfFile: StoreLocation.expand(file), encoding: .utf8) else {
            throw ValidationError("cannot read the agent token file \(file)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16, !token.contains(where: \.isWhitespace) else {
            throw ValidationError("the agent token in \(file) must be one word of at least 16 characters")
        }
        return token
    }

    /// As `kefu` finds it (`KnowledgeLocation`).
    private func locateKnowledge() throws -> URL {
        switch KnowledgeLocation.find(explicit: knowledge) {
        case .found(let url): return url
        case .notFound(let looked):
            throw ValidationError("cannot find the knowledge folder (looked in \(looked.joined(separator: ", "))); give --knowledge DIR")
        }
    }
}
