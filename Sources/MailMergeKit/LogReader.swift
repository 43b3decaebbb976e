import InteractionLog

/// Reading the interaction log (`log list`, `segment logged`).
public enum LogReader {
    /// The entries matching `filter`, oldest first.
    public static func entries(_ filter: LogFilter, log: InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry] {
        let store = try log.opened()
        return try logOperation { try store.entries(filter) }
    }

    /// The logged segment of segment `segmentNo`, if it was logged; `nil` also when there is no log yet.
    public static func loggedSegment(no segmentNo: String, log: InteractionLogLocation) throws(MailMergeError) -> LoggedSegment? {
        guard let store = try log.existing() else { return nil }
        return try logOperation { try store.loggedSegment(no: segmentNo) }
    }

    /// All logged segments, oldest first.
    public static func loggedSegments(log: InteractionLogLocation) throws(MailMergeError) -> [LoggedSegment] {
        let store = try log.opened()
        return try logOperation { try store.loggedSegments() }
    }
}
