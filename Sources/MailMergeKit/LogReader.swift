import Foundation
import InteractionLog

/// Reading the interaction log (`log list`, `segments logged`).
public enum LogReader {
    /// The entries matching `filter`, oldest first.
    public static func entries(database: String, filter: LogFilter) throws(MailMergeError) -> [InteractionLogEntry] {
        let store = try open(database)
        do { return try store.entries(filter) } catch { throw .log(String(describing: error)) }
    }

    /// All logged segments, oldest first.
    public static func loggedSegments(database: String) throws(MailMergeError) -> [LoggedSegment] {
        let store = try open(database)
        do { return try store.loggedSegments() } catch { throw .log(String(describing: error)) }
    }

    /// Opens an existing log; reading never creates a database.
    static func open(_ database: String) throws(MailMergeError) -> SQLiteInteractionLogStore {
        guard FileManager.default.fileExists(atPath: database) else {
            throw .io(path: database, message: "no interaction log here; log a segment first, or name the database with --db")
        }
        do { return try SQLiteInteractionLogStore(path: database) } catch { throw .log(String(describing: error)) }
    }
}
