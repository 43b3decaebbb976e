import Segments

/// Where logged segments and interaction log entries are kept.
///
/// Implementations throw `InteractionLogError`s; use cases depend on this protocol only, so
/// another store (e.g. PostgreSQL) plugs in beside `SQLiteInteractionLogStore`.
public protocol InteractionLogStore {
    /// The logged segment with number `no` (ignoring case) that is not canceled, if any.
    func loggedSegment(no: String) throws -> LoggedSegment?

    /// Records `segment` and one entry per element of `entries` in ONE transaction: either
    /// everything is stored or nothing is.
    ///
    /// - Throws: `InteractionLogError.alreadyLogged` when a logged segment that is not canceled
    ///   exists for the segment number, also when another process logs it at the same time.
    func log(_ segment: NewLoggedSegment, entries: [NewInteractionLogEntry]) throws -> LoggedSegment

    /// As `log(_:entries:)`, with the entries made one at a time while they are stored (`entry(0)` …
    /// `entry(count - 1)`), so a store can log a segment of millions of lines without holding them all.
    func log(_ segment: NewLoggedSegment, count: Int, entry: (Int) throws -> NewInteractionLogEntry) throws -> LoggedSegment

    /// The entries matching `filter`, oldest first.
    func entries(_ filter: LogFilter) throws -> [InteractionLogEntry]

    /// All logged segments, oldest first.
    func loggedSegments() throws -> [LoggedSegment]

    /// Records one interaction that belongs to no segment.
    func record(_ entry: NewInteractionLogEntry) throws -> InteractionLogEntry

    /// Cancels the entries with these numbers, all or none.
    ///
    /// - Throws: `unknownEntry`, `alreadyCanceled` or `entryPostponed` for the first entry
    ///   that cannot be canceled; then nothing changes.
    func cancel(entries: [Int64]) throws -> [InteractionLogEntry]

    /// Restores canceled entries, all or none.
    ///
    /// - Throws: `unknownEntry`, `notCanceled` or `loggedSegmentCanceled`; then nothing changes.
    func restore(entries: [Int64]) throws -> [InteractionLogEntry]

    /// Cancels a logged segment and every entry logged with it.
    func cancel(loggedSegment entryNo: Int64) throws -> LoggedSegment

    /// Restores a canceled logged segment and every entry logged with it.
    ///
    /// - Throws: `alreadyLogged` when the segment number was logged again since.
    func restore(loggedSegment entryNo: Int64) throws -> LoggedSegment

    /// Deletes the canceled entries dated before `before` (all when `nil`), then the logged
    /// segments left without entries.
    func deleteCanceled(before: Day?) throws -> DeletedCanceled

    /// Deletes the given entries, then the logged segments left without entries.
    ///
    /// - Throws: `unknownEntry` or `notCanceled` when one is not a canceled entry; then
    ///   nothing is deleted.
    func deleteCanceled(entries: [Int64]) throws -> DeletedCanceled

    /// Records `entry` as postponed (no document yet) with the request that finishes it.
    func postpone(_ entry: NewInteractionLogEntry, request: PostponedRequest) throws -> PostponedInteraction

    /// The postponed interactions, oldest first.
    func postponedInteractions() throws -> [PostponedInteraction]

    /// The postponed interaction `id`.
    ///
    /// - Throws: `notPostponed` when there is none (any more).
    func postponedInteraction(id: Int64) throws -> PostponedInteraction

    /// Finishes postponed interaction `id`: its entry gets `entry`'s values and is no longer
    /// postponed, and the request is removed, in one transaction.
    ///
    /// - Throws: `notPostponed` when it was resumed or discarded meanwhile.
    func resume(id: Int64, as entry: NewInteractionLogEntry) throws -> InteractionLogEntry

    /// Deletes postponed interaction `id` (its entry and its request).
    ///
    /// - Throws: `notPostponed` when there is none (any more).
    func discard(id: Int64) throws -> PostponedInteraction

    // MARK: Segment numbers, attempt failed, evaluation

    /// Reserves a segment number in ONE transaction that holds the write lock: `choose` gets
    /// the numbers reserved or logged so far (uppercased) and returns the number to reserve,
    /// or throws (e.g. the series is exhausted). Two processes never get the same number.
    func reserveSegmentNo(_ choose: (_ used: Set<String>) throws -> String) throws -> String

    /// Whether `segmentNo` (ignoring case) was reserved or logged, ever.
    func segmentNumberUse(_ segmentNo: String) throws -> SegmentNumberUse?

    /// The segment as logged segment `entryNo` logged it, when it was stored (logged since v3).
    func loggedSegmentFile(_ entryNo: Int64) throws -> Segment?

    /// Marks the entries' attempt as failed, all or none (canceled or postponed ones are refused).
    func setAttemptFailed(entries: [Int64]) throws -> [InteractionLogEntry]

    /// Records how interaction `entry` went.
    func evaluate(entry: Int64, as evaluation: Evaluation) throws -> InteractionLogEntry
    /// Records an attempt to deliver e-mail entry `entryNo`: `sent` clears "attempt failed",
    /// `refused` sets it; `reply` is the server's answer.
    ///
    /// - Throws: `unknownEntry`, or `notAnEmail` when the entry has no e-mail message.
    func recordDelivery(entry entryNo: Int64, status: DeliveryStatus, reply: String) throws -> InteractionLogEntry
}

extension InteractionLogStore {
    /// Makes every entry first, then logs them with `log(_:entries:)`; stores that can insert as they go
    /// (`SQLiteInteractionLogStore`) implement it themselves.
    public func log(_ segment: NewLoggedSegment, count: Int, entry: (Int) throws -> NewInteractionLogEntry) throws -> LoggedSegment {
        try log(segment, entries: (0..<count).map(entry))
    }
}
