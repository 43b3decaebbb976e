import Foundation
import GRDB

extension InteractionLogSchema {
    /// v3: segment numbers are never used twice, entry evaluations, the logged segment's file,
    /// and the salesperson of a postponed interaction.
    ///
    /// - `segmentNumber` holds every segment number the number series handed out
    ///   (`reservedAt`) and every number ever logged (`loggedAt`); rows are never deleted, so a
    ///   number stays used after its logged segment is canceled or deleted.
    /// - A trigger refuses a logged segment whose number was logged before (canceled or not) —
    ///   in the database itself, so no writer can get around it — and another records each
    ///   logged number. Existing logged segments are copied in (a database where a canceled
    ///   number was logged again keeps both; from now on it cannot happen).
    static func registerSegmentNumbers(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: segment numbers used once, evaluations, salesperson of postponed interactions") { db in
            try db.create(table: SegmentNumberRow.databaseTableName) { table in
                table.primaryKey("segmentNo", .text).collate(.nocase)
                table.column("reservedAt", .datetime)
                table.column("loggedAt", .datetime)
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO segmentNumber (segmentNo, reservedAt, loggedAt)
                      SELECT segmentNo, MIN(createdAt), MIN(createdAt) FROM loggedSegment GROUP BY segmentNo COLLATE NOCASE;
                    CREATE TRIGGER loggedSegment_numberUsedOnce BEFORE INSERT ON loggedSegment
                      WHEN EXISTS (SELECT 1 FROM segmentNumber WHERE segmentNo = NEW.segmentNo AND loggedAt IS NOT NULL)
                      BEGIN SELECT RAISE(ABORT, '\(alreadyLoggedMessage)'); END;
                    CREATE TRIGGER loggedSegment_recordNumber AFTER INSERT ON loggedSegment
                      BEGIN
                        INSERT INTO segmentNumber (segmentNo, reservedAt, loggedAt) VALUES (NEW.segmentNo, NEW.createdAt, NEW.createdAt)
                          ON CONFLICT(segmentNo) DO UPDATE SET loggedAt = excluded.loggedAt;
                      END;
                    """)
            try db.alter(table: LoggedSegment.databaseTableName) { table in
                // The segment as it was logged (JSON of `Segment`), for follow-ups made from the log.
                table.add(column: "segmentJSON", .text)
            }
            try db.alter(table: InteractionLogEntry.databaseTableName) { table in
                table.add(column: "evaluation", .text)
                    .check { $0 == nil || Evaluation.allCases.map(\.rawValue).contains($0) }
            }
            try db.alter(table: PostponedRequestRow.databaseTableName) { table in
                table.add(column: "salespersonCode", .text)
            }
        }
    }

    /// The text of the trigger's refusal, recognised by `SQLiteInteractionLogStore.log`.
    static let alreadyLoggedMessage = "segment number already logged"
}

/// A row of the `segmentNumber` table.
struct SegmentNumberRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "segmentNumber"
    var segmentNo: String
    var reservedAt: Date?
    var loggedAt: Date?
}
