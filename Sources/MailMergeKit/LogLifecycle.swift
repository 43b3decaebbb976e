import InteractionLog
import Segments

/// The `log cancel`, `log restore` and `log delete-canceled` use cases. Each is one
/// transaction: all the entries named change, or none do.
public enum LogLifecycle {
    /// Cancels the entries `numbers`.
    public static func cancel(entries numbers: [Int64], log: InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry] {
        try perform(log) { try $0.cancel(entries: numbers) }
    }

    /// Restores the canceled entries `numbers`.
    public static func restore(entries numbers: [Int64], log: InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry] {
        try perform(log) { try $0.restore(entries: numbers) }
    }

    /// Cancels logged segment `entryNo` and all its entries.
    public static func cancel(loggedSegment entryNo: Int64, log: InteractionLogLocation) throws(MailMergeError) -> LoggedSegment {
        try perform(log) { try $0.cancel(loggedSegment: entryNo) }
    }

    /// Restores logged segment `entryNo` and all its entries.
    public static func restore(loggedSegment entryNo: Int64, log: InteractionLogLocation) throws(MailMergeError) -> LoggedSegment {
        try perform(log) { try $0.restore(loggedSegment: entryNo) }
    }

    /// Deletes canceled entries dated before `before` (all when `nil`), and the logged
    /// segments left without entries.
    public static func deleteCanceled(before: Day?, log: InteractionLogLocation) throws(MailMergeError) -> DeletedCanceled {
        try perform(log) { try $0.deleteCanceled(before: before) }
    }

    /// Deletes the canceled entries `numbers`; refuses (deleting nothing) if one is not canceled.
    public static func deleteCanceled(entries numbers: [Int64], log: InteractionLogLocation) throws(MailMergeError) -> DeletedCanceled {
        try perform(log) { try $0.deleteCanceled(entries: numbers) }
    }

    private static func perform<T>(_ log: InteractionLogLocation, _ body: (any InteractionLogStore) throws -> T) throws(MailMergeError) -> T {
        let store = try log.opened()
        return try logOperation { try body(store) }
    }
}
