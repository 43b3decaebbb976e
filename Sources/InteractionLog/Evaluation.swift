import Foundation

/// How an interaction went, as Business Central's Interaction Log Entry "Evaluation" says.
public enum Evaluation: String, Sendable, Hashable, Codable, CaseIterable {
    case veryPositive = "very-positive"
    case positive
    case neutral
    case negative
    case veryNegative = "very-negative"
}

/// Whether a segment number was handed out by the number series and whether it was logged.
public struct SegmentNumberUse: Sendable, Hashable {
    public var segmentNo: String
    /// Handed out by the number series (or first logged) at.
    public var reservedAt: Date?
    /// Logged at (the first time); a logged number is never logged again, canceled or not.
    public var loggedAt: Date?

    /// A use as another store (PostgreSQL) read it.
    public init(segmentNo: String, reservedAt: Date?, loggedAt: Date?) {
        self.segmentNo = segmentNo
        self.reservedAt = reservedAt
        self.loggedAt = loggedAt
    }
}
