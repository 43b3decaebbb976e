/// Why the interaction log refused or failed an operation.
public enum InteractionLogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A logged segment that is not canceled already exists for this segment number.
    case alreadyLogged(segmentNo: String)
    /// The database file could not be opened or prepared.
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .alreadyLogged(let segmentNo):
            return "segment \(segmentNo) has already been logged; log a follow-up segment (next number) or cancel the logged segment first"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the interaction log database: \(reason)"
        }
    }
}
