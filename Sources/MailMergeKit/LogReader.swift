import InteractionLog

/// Reading the interaction log (`log list`, `segment logged`).
public enum LogReader {
    /// The entries matching `filter`, oldest first.
    public static func entries(_ filter: LogFilter, log: InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry] {
        let store = try log.opened()
        return try logOperation { try store.entries(filter) }
    }

    /// All logged segments, oldest first.
    public static func loggedSegments(log: InteractionLogLocation) throws(MailMergeError) -> [LoggedSegment] {
        let store = try log.opened()
        return try logOperation { try store.loggedSegments() }
    }
}
