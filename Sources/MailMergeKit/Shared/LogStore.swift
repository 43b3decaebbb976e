import Foundation
import InteractionLog
import PostgresInteractionLog

/// Where a use case finds the interaction log: a store the caller opened (a test, another
/// backend), or the SQLite file `--db` names, which the use case opens only when it needs it,
/// so a run that is refused leaves no new database behind.
public enum InteractionLogLocation {
    case store(any InteractionLogStore)
    case sqlite(path: String)
    /// A PostgreSQL database (`postgres://user@host:port/db?sslmode=…`); its tables are created when missing.
    case postgres(url: String)

    /// The location `--db` names: a `postgres://` URL, else an SQLite file.
    public static func named(_ db: String) -> InteractionLogLocation {
        PostgresLocation.isURL(db) ? .postgres(url: db) : .sqlite(path: db)
    }

    /// How messages name the log: the SQLite file, or the URL without its password.
    public var displayName: String {
        switch self {
        case .store: "the interaction log"
        case .sqlite(let path): path
        case .postgres(let url): (try? PostgresLocation(url: url).description) ?? PostgresLocation.redact(url)
        }
    }

    /// The log if it exists; never creates a database.
    func existing() throws(MailMergeError) -> (any InteractionLogStore)? {
        switch self {
        case .store(let store): return store
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try logOperation { try SQLiteInteractionLogStore(path: path) }
        case .postgres(let url):
            return try logOperation { try PostgresInteractionLogStore(url: url) }
        }
    }

    /// The log, which must exist: reading or changing it never creates a database.
    func opened() throws(MailMergeError) -> any InteractionLogStore {
        guard let store = try existing() else {
            let path = if case .sqlite(let path) = self { path } else { "" }
            throw .io(path: path, message: "no interaction log here; log a segment first, or name the database with --db")
        }
        return store
    }

    /// The log for recording: an SQLite file (and its folder) is created when missing.
    func creating() throws(MailMergeError) -> any InteractionLogStore {
        switch self {
        case .store(let store): return store
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try OutputFolder.create(folder) }
            return try logOperation { try SQLiteInteractionLogStore(path: path) }
        case .postgres(let url):
            return try logOperation { try PostgresInteractionLogStore(url: url) }
        }
    }
}

/// Runs `body` against an interaction log; its error becomes `MailMergeError.log`, typed.
func logOperation<T>(_ body: () throws -> T) throws(MailMergeError) -> T {
    do {
        return try body()
    } catch let error as MailMergeError {
        // Raised while the entries are made (e.g. an input changed during the run): the transaction is rolled back.
        throw error
    } catch let error as InteractionLogError {
        throw .log(error)
    } catch {
        throw .log(.failed(reason: String(describing: error)))
    }
}
