import Foundation
import KefuStore
import NIOSSL
import PostgresNIO

/// A PostgreSQL address as people write it: `postgres://user:password@host:5432/database`, with `?host=/run/postgresql`
/// for a Unix socket (as libpq reads it) and `?sslmode=require` for TLS (`disable`, the default, on loopback).
struct PostgresURL {
    let configuration: PostgresConnection.Configuration
    /// The URL without its password, for messages and logs.
    let display: String

    init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw StoreError.cannotOpen(path: "PostgreSQL", reason: "not a PostgreSQL URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding } ?? query["password"]
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? user
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        var shown = components
        if shown.password != nil { shown.password = "***" }
        shown.queryItems = shown.queryItems?.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        display = shown.string ?? "PostgreSQL"
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            configuration = .init(unixSocketPath: socketFolder + "/.s.PGSQL.\(port)", username: user, password: password, database: database)
            return
        }
        let host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let tls: PostgresConnection.Configuration.TLS
        switch query["sslmode"] ?? "disable" {
        case "disable": tls = .disable
        case "require", "verify-full":
            var settings = TLSConfiguration.makeClientConfiguration()
            if query["sslmode"] == "require" { settings.certificateVerification = .none }
            tls = .require(try NIOSSLContext(configuration: settings))
        default:
            throw StoreError.cannotOpen(path: display, reason: "sslmode must be disable, require or verify-full")
        }
        configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
