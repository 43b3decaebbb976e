/// Where logged segments and interaction log entries are kept.
public protocol InteractionLogStore {
    /// The logged segment with number `no` (ignoring case) that is not canceled, if any.
    func loggedSegment(no: String) throws -> LoggedSegment?

    /// Records `segment` and one entry per element of `entries` in ONE transaction: either
    /// everything is stored or nothing is.
    ///
    /// - Throws: `InteractionLogError.alreadyLogged` when a logged segment that is not canceled
    ///   exists for the segment number, also when another process logs it at the same time.
    func log(_ segment: NewLoggedSegment, entries: [NewInteractionLogEntry]) throws -> LoggedSegment

    /// The entries matching `filter`, oldest first.
    func entries(_ filter: LogFilter) throws -> [InteractionLogEntry]

    /// All logged segments, oldest first.
    func loggedSegments() throws -> [LoggedSegment]
}
