import Foundation
import GRDB
import Segments

/// A segment recorded in the interaction log (Business Central's "Logged Segment").
public struct LoggedSegment: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    /// Assigned by the store, increasing.
    public var entryNo: Int64
    public var segmentNo: String
    public var description: String
    public var numberOfInteractions: Int
    public var createdAt: Date
    /// The user who logged the segment.
    public var userID: String
    public var canceled: Bool

    public static let databaseTableName = "loggedSegment"

    /// A logged segment as another store (PostgreSQL) read it.
    public init(entryNo: Int64, segmentNo: String, description: String, numberOfInteractions: Int, createdAt: Date, userID: String, canceled: Bool) {
        self.entryNo = entryNo
        self.segmentNo = segmentNo
        self.description = description
        self.numberOfInteractions = numberOfInteractions
        self.createdAt = createdAt
        self.userID = userID
        self.canceled = canceled
    }
}

/// What the caller provides to log a segment; the store assigns the entry number and counts
/// the interactions.
public struct NewLoggedSegment: Sendable, Hashable {
    public var segmentNo: String
    public var description: String
    public var createdAt: Date
    public var userID: String
    /// The segment as it was logged (header and lines); follow-ups made from the log start from it.
    public var segment: Segment?

    /// Creates a logged segment dated now, by the current user (see `currentUserID`).
    public init(
        segmentNo: String, description: String, createdAt: Date = Date(), userID: String = NewLoggedSegment.currentUserID,
        segment: Segment? = nil
    ) {
        self.segmentNo = segmentNo
        self.description = description
        self.createdAt = createdAt
        self.userID = userID
        self.segment = segment
    }

    /// The `USER` or `LOGNAME` environment variable, else `unknown`.
    public static var currentUserID: String {
        let environment = ProcessInfo.processInfo.environment
        return [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "unknown"
    }
}

/// The row inserted for a `NewLoggedSegment`.
struct LoggedSegmentInsert: Encodable, PersistableRecord {
    static let databaseTableName = LoggedSegment.databaseTableName
    var segmentNo: String
    var description: String
    var numberOfInteractions: Int
    var createdAt: Date
    var userID: String
    var canceled = false
    var segmentJSON: String?
}
