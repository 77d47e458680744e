import Foundation
import KefuStore
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A value bound to a query parameter.
enum SQLValue: Sendable {
    case text(String?)
    case integer(Int64?)
    case real(Double?)
    case texts([String])

    static func of(_ value: String?) -> SQLValue { .text(value) }
    static func of(_ value: Int?) -> SQLValue { .integer(value.map(Int64.init)) }
    static func of(_ value: Int64?) -> SQLValue { .integer(value) }
    static func of(_ value: Double?) -> SQLValue { .real(value) }
}

/// One row of a result, read by column name or position.
struct SQLRow {
    let cells: PostgresRandomAccessRow

    func string(_ column: String) throws -> String? { try cells[column].decode(String?.self) }
    func int(_ column: String) throws -> Int? { try cells[column].decode(Int?.self) }
    func int64(_ column: String) throws -> Int64? { try cells[column].decode(Int64?.self) }
    func double(_ column: String) throws -> Double? { try cells[column].decode(Double?.self) }
    func string(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
    func int(_ index: Int) throws -> Int? { try cells[index].decode(Int?.self) }
    func double(_ index: Int) throws -> Double? { try cells[index].decode(Double?.self) }
}

/// A connection borrowed from the pool, used synchronously: `ConversationStore` is a synchronous protocol (the
/// SQLite store is), so every call waits for its answer. It must never run on an event loop thread: the server calls
/// the store from its blocking thread pool, the command-line tools from their main thread.
struct SQLConnection {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs `sql`, where each `?` stands for the next value (written `$1`, `$2`… for the server), and returns its rows.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        try run(sql, values).rows.map { SQLRow(cells: $0.makeRandomAccess()) }
    }

    /// Runs `sql` and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        try run(sql, values).metadata.rows ?? 0
    }

    func run(_ sql: String, _ values: [SQLValue]) throws -> PostgresQueryResult {
        try connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: Self.bindings(values)), logger: logger).wait()
    }

    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values {
            switch value {
            case .text(let text?): bindings.append(text)
            case .integer(let number?): bindings.append(number)
            case .real(let number?): bindings.append(number)
            case .texts(let texts): bindings.append(texts)
            case .text(nil), .integer(nil), .real(nil): bindings.appendNull()
            }
        }
        return bindings
    }

    /// "a = ? AND b = ?" → "a = $1 AND b = $2"; "?5" names the fifth value again (the store's SQL has no `?` inside
    /// its literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var index = 0
        let characters = Array(sql)
        for (position, character) in characters.enumerated() {
            if character == "?" {
                if position + 1 < characters.count, characters[position + 1].isASCII, characters[position + 1].isNumber {
                    out += "$"
                } else {
                    index += 1
                    out += "$\(index)"
                }
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A few open connections to one database, handed out one caller at a time. A connection that failed is closed and
/// replaced by a new one on the next call.
final class SQLConnectionPool: @unchecked Sendable {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let lock = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private let maximum: Int
    private var nextID = 1

    init(configuration: PostgresConnection.Configuration, maximum: Int, logger: Logger) {
        self.configuration = configuration
        self.maximum = maximum
        self.logger = logger
    }

    func with<T>(_ body: (SQLConnection) throws -> T) throws -> T {
        let connection = try borrow()
        do {
            let result = try body(SQLConnection(connection: connection, logger: logger))
            giveBack(connection, healthy: true)
            return result
        } catch {
            // A statement error leaves the connection usable (the transaction was rolled back); a broken one is dropped.
            giveBack(connection, healthy: !connection.isClosed)
            throw error
        }
    }

    private func borrow() throws -> PostgresConnection {
        lock.lock()
        while idle.isEmpty && open >= maximum { lock.wait() }
        if let connection = idle.popLast() {
            lock.unlock()
            if !connection.isClosed { return connection }
            lock.lock()
            open -= 1
            lock.unlock()
            return try borrow()
        }
        open += 1
        let id = nextID
        nextID += 1
        lock.unlock()
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: id, logger: logger).wait()
        } catch {
            lock.lock()
            open -= 1
            lock.signal()
            lock.unlock()
            throw error
        }
    }

    private func giveBack(_ connection: PostgresConnection, healthy: Bool) {
        lock.lock()
        if healthy {
            idle.append(connection)
        } else {
            open -= 1
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
        lock.signal()
        lock.unlock()
    }

    func close() {
        lock.lock()
        let connections = idle
        idle = []
        open -= connections.count
        lock.unlock()
        for connection in connections { try? (connection.close() as EventLoopFuture<Void>).wait() }
    }
}

extension SQLConnection {
    /// The rows as PostgreSQL sent them (for readers that look at each column's type).
    func rawQuery(_ sql: String, _ values: [SQLValue]) throws -> [PostgresRow] {
        try run(sql, values).rows
    }
}
