import Foundation
import InteractionLog

/// Where a use case finds the interaction log: a store the caller opened (a test, another
/// backend), or the SQLite file `--db` names, which the use case opens only when it needs it,
/// so a run that is refused leaves no new database behind.
public enum InteractionLogLocation {
    case store(any InteractionLogStore)
    case sqlite(path: String)

    /// The log if it exists; never creates a database.
    func existing() throws(MailMergeError) -> (any InteractionLogStore)? {
        switch self {
        case .store(let store): return store
        case .sqlite(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try logOperation { try SQLiteInteractionLogStore(path: path) }
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
        }
    }
}

/// Runs `body` against an interaction log; its error becomes `MailMergeError.log`, typed.
func logOperation<T>(_ body: () throws -> T) throws(MailMergeError) -> T {
    do {
        return try body()
    } catch let error as InteractionLogError {
        throw .log(error)
    } catch {
        throw .log(.failed(reason: String(describing: error)))
    }
}
