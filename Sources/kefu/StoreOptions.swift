import ArgumentParser
import Foundation
import KefuKit
import KefuStore
import KefuTerminal
#if PostgreSQL
import KefuPostgres
#endif

/// `--db PATH`, for every command that reads or writes the conversation database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database file (default: $XDG_DATA_HOME/kefu/kefu.sqlite, else ~/.local/share/kefu/kefu.sqlite).",
        valueName: "PATH"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "The records in PostgreSQL instead, shared with kefu-server (postgres://USER:PASSWORD@HOST:PORT/DATABASE); also KEFU_POSTGRES_URL.",
        valueName: "URL"))
    var postgres: String?

    var path: String { db.map(StoreLocation.expand) ?? StoreLocation.defaultPath() }

    /// `--postgres`, else KEFU_POSTGRES_URL unless `--db` names a file.
    var postgresURL: String? {
        if let postgres { return postgres }
        guard db == nil, let environment = ProcessInfo.processInfo.environment["KEFU_POSTGRES_URL"], !environment.isEmpty else { return nil }
        return environment
    }

    func validate() throws {
        if postgres != nil && db != nil { throw ValidationError("give --db (SQLite) or --postgres, not both") }
    }

    /// The PostgreSQL store at `url`.
    static func openPostgres(_ url: String) throws -> any ConversationStore {
        #if PostgreSQL
        do {
            return try PostgresStore(url: url)
        } catch {
            throw StoreCommandError(error)
        }
        #else
        throw StoreCommandError(message: "this kefu was built without PostgreSQL; build it with `swift build --traits PostgreSQL` (kefu-server always has it)")
        #endif
    }

    /// Opens an existing database for the reporting commands; a problem is printed as one line and
    /// ends the command with status 1.
    func openExisting() throws -> any ConversationStore {
        if let url = postgresURL { return try Self.openPostgres(url) }
        let path = self.path
        do {
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.missing(path: path) }
            return try SQLiteStore(path: path)
        } catch StoreError.readOnly, StoreError.cannotOpen {
            // A database we may read but not write still gives reports (claiming and closing will say why not).
            var options = SQLiteStore.Options()
            options.readOnly = true
            do {
                return try SQLiteStore(path: path, options: options)
            } catch {
                throw StoreCommandError(error)
            }
        } catch {
            throw StoreCommandError(error)
        }
    }
}

/// A store failure in a reporting command: printed as `kefu: …` on stderr, exit status 1.
struct StoreCommandError: Error, CustomStringConvertible {
    let message: String
    init(_ error: Error) { message = (error as? StoreError)?.description ?? String(describing: error) }
    init(message: String) { self.message = message }
    var description: String { message }
}

extension StoreCommandError {
    /// Runs `body`, turning store errors into one stderr line and exit 1.
    static func report(noColor: Bool = false, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as StoreCommandError {
            Console.err(Style.detect(fileDescriptor: 2, disabledByFlag: noColor).red("kefu: \(error.message)"))
            throw ExitCode(1)
        } catch let error as StoreError {
            Console.err(Style.detect(fileDescriptor: 2, disabledByFlag: noColor).red("kefu: \(error.description)"))
            throw ExitCode(1)
        }
    }
}

/// How a conversation is kept: `--db`, `--no-store`, `--channel`.
struct StoreOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Flag(name: .long, help: "Keep nothing of this conversation in the database.")
    var noStore = false

    @Option(name: .long, help: ArgumentHelp("The channel the conversations are recorded under.", valueName: "NAME"))
    var channel: String = "terminal"

    func validate() throws {
        if noStore && (database.db != nil || database.postgres != nil) { throw ValidationError("--no-store and --db or --postgres cannot be used together") }
        let trimmed = channel.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.count > 40 || trimmed.contains(where: { $0.isNewline }) {
            throw ValidationError("--channel must be a short name, such as terminal, app or phone")
        }
    }

    /// The observer that records the conversation, or nil with `--no-store`, or when the database
    /// cannot be opened (then a one-line warning says so and the conversation goes on unrecorded).
    /// `defaultLocation: false` (replays) records only when `--db` was given. `openingProblem` gets the
    /// warning line instead of stderr (for opening on another thread).
    func observer(noColor: Bool, defaultLocation: Bool = true, openingProblem: ((String) -> Void)? = nil) -> StoreObserver? {
        if noStore { return nil }
        if database.db == nil && database.postgres == nil && !defaultLocation { return nil }
        let warningStyle = Style.detect(fileDescriptor: 2, disabledByFlag: noColor)
        let warn: (String) -> Void = { Console.err(warningStyle.yellow($0)) }
        do {
            let store: any ConversationStore = try database.postgresURL.map(DatabaseOption.openPostgres) ?? SQLiteStore(path: database.path)
            return StoreObserver(store: store, channel: channel.trimmingCharacters(in: .whitespaces), warn: warn)
        } catch {
            let message = (error as? StoreError)?.description ?? (error as? StoreCommandError)?.message ?? String(describing: error)
            let line = "kefu: \(message); continuing without storage"
            if let openingProblem { openingProblem(warningStyle.yellow(line)) } else { warn(line) }
            return nil
        }
    }

    /// Whether `observer` would open a database that already exists (the one case opened early, so that
    /// broken knowledge still leaves no new file behind).
    var opensExistingDatabase: Bool { !noStore && database.postgresURL == nil && FileManager.default.fileExists(atPath: database.path) }

    /// For `kefu replay`: records each replayed transcript as a session (mode "replay") only when
    /// `--db` was given; nil otherwise.
    func replayObserver(noColor: Bool) -> StoreObserver? {
        observer(noColor: noColor, defaultLocation: false)
    }
}

/// The personal-data mask applied to everything the shell writes to disk (history, --record, /save).
let personalDataFilter: @Sendable (String) -> String = { PersonalDataMasker().mask($0) }
