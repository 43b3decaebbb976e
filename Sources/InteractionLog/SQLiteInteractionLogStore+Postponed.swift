import Foundation
import GRDB

/// Postponed interactions: an entry with status postponed plus the request that finishes it.
extension SQLiteInteractionLogStore {
    public func postpone(_ entry: NewInteractionLogEntry, request: PostponedRequest) throws -> PostponedInteraction {
        try database.write { db in
            var postponed = entry
            postponed.postponed = true
            postponed.documentPath = nil
            postponed.documentSHA256 = nil
            try InteractionLogEntryInserter(db, createdAt: Date()).insert(postponed)
            let stored = try Self.entry(db, db.lastInsertedRowID)
            try PostponedRequestRow(entryNo: stored.entryNo, request: request).insert(db)
            return PostponedInteraction(entry: stored, request: request)
        }
    }

    public func postponedInteractions() throws -> [PostponedInteraction] {
        try database.read { db in
            try PostponedRequestRow.order(Column("entryNo")).fetchAll(db).map { row in
                PostponedInteraction(entry: try Self.entry(db, row.entryNo), request: row.request)
            }
        }
    }

    public func postponedInteraction(id: Int64) throws -> PostponedInteraction {
        try database.read { db in try Self.postponed(db, id) }
    }

    public func resume(id: Int64, as entry: NewInteractionLogEntry) throws -> InteractionLogEntry {
        try database.write { db in
            _ = try Self.postponed(db, id)
            try PostponedRequestRow.deleteOne(db, key: id)
            try db.execute(
                sql: """
                    UPDATE \(InteractionLogEntry.databaseTableName) SET
                      contactNo = ?, contactCompanyNo = ?, date = ?, createdAt = ?, templateCode = ?, description = ?,
                      subject = ?, informationFlow = ?, initiatedBy = ?, correspondenceType = ?, salespersonCode = ?,
                      cost = ?, duration = ?, languageCode = ?, campaignNo = ?, campaignTarget = ?, campaignResponse = ?,
                      documentPath = ?, documentSHA256 = ?, attemptFailed = ?, emailMessagePath = ?, emailSender = ?,
                      emailRecipient = ?, deliveryStatus = ?, deliveryReply = ?, postponed = 0
                    WHERE entryNo = ?
                    """,
                arguments: [
                    entry.contactNo, entry.contactCompanyNo, entry.date, Date(), entry.templateCode, entry.description,
                    entry.subject, entry.informationFlow.rawValue, entry.initiatedBy.rawValue,
                    entry.correspondenceType.rawValue, entry.salespersonCode, entry.cost.description,
                    entry.duration.description, entry.languageCode, entry.campaignNo, entry.campaignTarget,
                    entry.campaignResponse, entry.documentPath, entry.documentSHA256, entry.attemptFailed, entry.emailMessagePath,
                    entry.emailSender, entry.emailRecipient, entry.deliveryStatus?.rawValue, entry.deliveryReply, id,
                ])
            return try Self.entry(db, id)
        }
    }

    public func discard(id: Int64) throws -> PostponedInteraction {
        try database.write { db in
            let postponed = try Self.postponed(db, id)
            try PostponedRequestRow.deleteOne(db, key: id)
            try InteractionLogEntry.deleteOne(db, key: id)
            return postponed
        }
    }

    /// The postponed interaction `id`, or `notPostponed` saying why there is none.
    private static func postponed(_ db: Database, _ id: Int64) throws -> PostponedInteraction {
        guard let row = try PostponedRequestRow.fetchOne(db, key: id) else {
            let reason =
                try InteractionLogEntry.fetchOne(db, key: id) == nil
                ? "there is no such interaction (never created, or discarded)"
                : "interaction log entry \(id) is already recorded (resumed already, or never postponed)"
            throw InteractionLogError.notPostponed(id: id, reason: reason)
        }
        return PostponedInteraction(entry: try entry(db, id), request: row.request)
    }
}
