/// Why the interaction log refused or failed an operation.
public enum InteractionLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The segment number was logged before (canceled or not, even if deleted since).
    case alreadyLogged(segmentNo: String)
    /// The database file could not be opened or prepared.
    case cannotOpen(path: String, reason: String)
    /// No interaction log entry has this number.
    case unknownEntry(Int64)
    /// No logged segment has this entry number.
    case unknownLoggedSegment(Int64)
    /// The entry (or logged segment) is canceled already.
    case alreadyCanceled(what: String)
    /// The entry (or logged segment) is not canceled, so it cannot be restored or deleted.
    case notCanceled(what: String)
    /// A postponed entry cannot be canceled; it is discarded instead.
    case entryPostponed(Int64)
    /// The entry's logged segment is canceled; restore the logged segment instead.
    case loggedSegmentCanceled(entryNo: Int64, loggedSegmentEntryNo: Int64)
    /// No postponed interaction has this id (it never existed, or was resumed or discarded).
    case notPostponed(id: Int64, reason: String)
    /// The entry is not an e-mail interaction, so it has nothing to deliver.
    case notAnEmail(Int64)
    /// The store failed while reading or writing (disk full, file damaged …); nothing was changed.
    case failed(reason: String)

    public var description: String {
        switch self {
        case .alreadyLogged(let segmentNo):
            return "segment \(segmentNo) has already been logged (a segment number is logged only once, canceled or not); "
                + "log a follow-up segment with a new number (`log-segment --follow-up`, `segment from-logged`)"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the interaction log database: \(reason)"
        case .unknownEntry(let entryNo):
            return "interaction log entry \(entryNo) does not exist; see `mailmerge log list` for the entry numbers"
        case .unknownLoggedSegment(let entryNo):
            return "logged segment \(entryNo) does not exist; see `mailmerge segment logged` for the logged segments' entry numbers"
        case .alreadyCanceled(let what):
            return "\(what) is canceled already; nothing was changed"
        case .notCanceled(let what):
            return "\(what) is not canceled; cancel it first with `mailmerge log cancel`; nothing was changed"
        case .entryPostponed(let entryNo):
            return "interaction log entry \(entryNo) is a postponed interaction; resume or discard it with `mailmerge interaction resume|discard \(entryNo)`"
        case .loggedSegmentCanceled(let entryNo, let segment):
            return "interaction log entry \(entryNo) belongs to logged segment \(segment), which is canceled; restore the whole logged segment with "
                + "`mailmerge log restore --logged-segment \(segment)`"
        case .notPostponed(let id, let reason):
            return "interaction \(id) is not postponed: \(reason); see `mailmerge interaction postponed`"
        case .notAnEmail(let entryNo):
            return "interaction log entry \(entryNo) is not an e-mail (it has no message to send); see `mailmerge log list`"
        case .failed(let reason):
            return "the interaction log failed: \(reason)"
        }
    }
}
