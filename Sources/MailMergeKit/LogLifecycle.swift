import InteractionLog

/// The `log cancel`, `log restore` and `log delete-canceled` use cases. Each is one
/// transaction: all the entries named change, or none do.
public enum LogLifecycle {
    /// Cancels the entries `numbers`.
    public static func cancel(entries numbers: [Int64], database: String) throws(MailMergeError) -> [InteractionLogEntry] {
        try perform(database) { try $0.cancel(entries: numbers) }
    }

    /// Restores the canceled entries `numbers`.
    public static func restore(entries numbers: [Int64], database: String) throws(MailMergeError) -> [InteractionLogEntry] {
        try perform(database) { try $0.restore(entries: numbers) }
    }

    /// Cancels logged segment `entryNo` and all its entries.
    public static func cancel(loggedSegment entryNo: Int64, database: String) throws(MailMergeError) -> LoggedSegment {
        try perform(database) { try $0.cancel(loggedSegment: entryNo) }
    }

    /// Restores logged segment `entryNo` and all its entries.
    public static func restore(loggedSegment entryNo: Int64, database: String) throws(MailMergeError) -> LoggedSegment {
        try perform(database) { try $0.restore(loggedSegment: entryNo) }
    }

    /// Deletes canceled entries dated before `before` (`yyyy-MM-dd`, all when `nil`), and the
    /// logged segments left without entries.
    public static func deleteCanceled(before: String?, database: String) throws(MailMergeError) -> DeletedCanceled {
        if let before { try InteractionDate.check(before, option: "--before") }
        return try perform(database) { try $0.deleteCanceled(before: before) }
    }

    /// Deletes the canceled entries `numbers`; refuses (deleting nothing) if one is not canceled.
    public static func deleteCanceled(entries numbers: [Int64], database: String) throws(MailMergeError) -> DeletedCanceled {
        try perform(database) { try $0.deleteCanceled(entries: numbers) }
    }

    private static func perform<T>(_ database: String, _ body: (SQLiteInteractionLogStore) throws -> T) throws(MailMergeError) -> T {
        let store = try LogReader.open(database)
        do { return try body(store) } catch { throw .log(String(describing: error)) }
    }
}
