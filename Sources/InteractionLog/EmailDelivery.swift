import Foundation
import GRDB

/// Where an e-mail interaction's message is: Business Central logs an e-mail when it is sent;
/// here the entry is recorded with the segment, and its delivery is tracked beside it, so a
/// message is never logged twice and rerunning the delivery sends only what did not go out.
public enum DeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Written (`.eml`), not sent yet: logged without `--send-email`, or the run stopped before it.
    case queued
    /// Accepted by the SMTP server.
    case sent
    /// Refused by the SMTP server (or the server could not be reached); the entry's "attempt failed" is set.
    case refused

    /// Whether a delivery run (`log resend`) still has to send it.
    public var isPending: Bool { self != .sent }
}

extension SQLiteInteractionLogStore {
    public func recordDelivery(entry entryNo: Int64, status: DeliveryStatus, reply: String) throws -> InteractionLogEntry {
        try database.write { db in
            let entry = try Self.entry(db, entryNo)
            guard entry.deliveryStatus != nil else { throw InteractionLogError.notAnEmail(entryNo) }
            try db.execute(
                sql: """
                    UPDATE \(InteractionLogEntry.databaseTableName) SET deliveryStatus = ?, deliveryReply = ?, attemptFailed = ?
                    WHERE entryNo = ?
                    """,
                arguments: [status.rawValue, reply, status != .sent, entryNo])
            return try Self.entry(db, entryNo)
        }
    }
}
