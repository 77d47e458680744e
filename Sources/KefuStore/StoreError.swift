import Foundation
import GRDB

/// Everything that can go wrong with the store, each with a one-line message a person can act on.
/// The chat never dies of one: it prints the message once and goes on without storage.
public enum StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Another program held the database longer than the busy timeout.
    case locked(path: String, seconds: Double)
    case readOnly(path: String)
    case diskFull(path: String)
    /// Not an SQLite file, or a damaged one.
    case corrupt(path: String)
    /// Written by a newer Kefu: this version does not know some of its migrations.
    case newerSchema(path: String, unknown: [String])
    /// An SQLite database, but not one of Kefu's.
    case notKefu(path: String)
    /// The file or its folder could not be created or opened.
    case cannotOpen(path: String, reason: String)
    /// Read commands (`kefu stats`, `tickets`, `export`) on a database that does not exist yet.
    case missing(path: String)
    case ticketNotFound(id: String)
    /// A ticket move that its status does not allow (claiming a closed ticket…).
    case ticketState(id: String, message: String)
    case other(path: String, message: String)
    /// A served conversation moved on while this turn was answered (two messages of one session at once): the turn
    /// was not stored, and the customer's line should be sent again.
    case sessionMovedOn(session: String)

    public var description: String {
        switch self {
        case .locked(let path, let seconds):
            return "the database \(path) is locked by another program (waited \(Self.seconds(seconds)))"
        case .readOnly(let path):
            return "the database \(path) is read-only"
        case .diskFull(let path):
            return "the disk holding \(path) is full"
        case .corrupt(let path):
            return "\(path) is damaged or not a database (move it aside; Kefu will start a new one)"
        case .newerSchema(let path, let unknown):
            return "\(path) was written by a newer version of Kefu (schema \(unknown.sorted().joined(separator: ", "))); upgrade kefu or use --db with another file"
        case .notKefu(let path):
            return "\(path) is an SQLite database but not Kefu's; choose another file with --db"
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .missing(let path):
            return "there is no database at \(path) yet (chat with kefu first, or give --db PATH)"
        case .ticketNotFound(let id):
            return "no ticket '\(id)' (kefu tickets lists the open ones)"
        case .ticketState(_, let message):
            return message
        case .other(let path, let message):
            return "database \(path): \(message)"
        case .sessionMovedOn:
            return "another message of this conversation was answered at the same moment; send the line again"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    /// Translates what GRDB or the file system threw into a StoreError.
    static func from(_ error: Error, path: String, busyTimeout: Double) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return .other(path: path, message: String(describing: error))
        }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path, seconds: busyTimeout)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM:
            return .cannotOpen(path: path, reason: Self.fileProblem(path) ?? message)
        case .SQLITE_IOERR:
            // Short writes and failed fsyncs are how a full disk often shows up.
            if let reason = Self.fileProblem(path) { return .cannotOpen(path: path, reason: reason) }
            return .other(path: path, message: "input/output error (\(message))")
        default:
            return .other(path: path, message: message)
        }
    }

    /// A plain reason when the folder is the problem (missing, not writable).
    static func fileProblem(_ path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory) {
            return "the folder \(folder) does not exist"
        }
        if !isDirectory.boolValue { return "\(folder) is not a folder" }
        if access(folder.isEmpty ? "." : folder, W_OK) != 0 { return "the folder \(folder) is not writable" }
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 { return "the file is not writable" }
        return nil
    }
}
