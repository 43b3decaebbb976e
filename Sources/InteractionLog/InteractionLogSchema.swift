import GRDB
import Segments

/// The interaction log's tables, created and upgraded by migrations.
enum InteractionLogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: logged segments and interaction log entries") { db in
            try db.create(table: LoggedSegment.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("entryNo")
                table.column("segmentNo", .text).notNull().collate(.nocase).check { length($0) > 0 }
                table.column("description", .text).notNull()
                table.column("numberOfInteractions", .integer).notNull().check { $0 >= 0 }
                table.column("createdAt", .datetime).notNull()
                table.column("userID", .text).notNull()
                table.column("canceled", .boolean).notNull().defaults(to: false)
            }
            // At most one logged segment per segment number that is not canceled; this is what
            // makes "already logged" hold when two processes log the same segment at once.
            try db.create(
                index: "loggedSegment_activeSegmentNo", on: LoggedSegment.databaseTableName,
                columns: ["segmentNo"], options: .unique, condition: Column("canceled") == false)

            try db.create(table: InteractionLogEntry.databaseTableName) { table in
                table.autoIncrementedPrimaryKey("entryNo")
                table.column("contactNo", .text).notNull().check { length($0) > 0 }
                table.column("contactCompanyNo", .text).notNull()
                table.column("date", .text).notNull().check { length($0) == 10 }
                table.column("createdAt", .datetime).notNull()
                table.column("templateCode", .text).notNull()
                table.column("description", .text).notNull()
                table.column("subject", .text).notNull()
                table.column("informationFlow", .text).notNull()
                    .check { InformationFlow.allCases.map(\.rawValue).contains($0) }
                table.column("initiatedBy", .text).notNull()
                    .check { InitiatedBy.allCases.map(\.rawValue).contains($0) }
                table.column("correspondenceType", .text).notNull()
                    .check { CorrespondenceType.allCases.map(\.rawValue).contains($0) }
                table.column("salespersonCode", .text).notNull()
                table.column("cost", .text).notNull()
                table.column("duration", .text).notNull()
                table.column("languageCode", .text).notNull()
                table.column("campaignNo", .text).notNull()
                table.column("campaignTarget", .boolean).notNull()
                table.column("campaignResponse", .boolean).notNull()
                table.column("segmentNo", .text).collate(.nocase).indexed()
                table.column("loggedSegmentEntryNo", .integer).references(LoggedSegment.databaseTableName, onDelete: .restrict)
                table.column("documentPath", .text)
                table.column("documentSHA256", .text)
                table.column("attemptFailed", .boolean).notNull()
                table.column("canceled", .boolean).notNull()
                table.column("postponed", .boolean).notNull()
            }
            try db.create(index: "interactionLogEntry_contactNo", on: InteractionLogEntry.databaseTableName, columns: ["contactNo"])
        }
        migrator.registerMigration("v2: postponed interactions") { db in
            // The request that finishes a postponed entry; removed when it is resumed or discarded.
            try db.create(table: PostponedRequestRow.databaseTableName) { table in
                table.primaryKey("entryNo", .integer)
                    .references(InteractionLogEntry.databaseTableName, onDelete: .cascade)
                table.column("contactNo", .text).notNull()
                table.column("templateCode", .text).notNull()
                table.column("description", .text)
                table.column("subject", .text)
                table.column("languageCode", .text)
                table.column("correspondenceType", .text)
                table.column("comment", .text)
                table.column("date", .text).notNull()
                table.column("contactsPath", .text).notNull()
                table.column("templatesDirectory", .text).notNull()
                table.column("outputDirectory", .text).notNull()
            }
        }
        registerSegmentNumbers(&migrator)
        migrator.registerMigration("v4: e-mail delivery") { db in
            // An e-mail entry's message file, envelope and delivery; NULL for other interactions.
            try db.alter(table: InteractionLogEntry.databaseTableName) { table in
                table.add(column: "emailMessagePath", .text)
                table.add(column: "emailSender", .text)
                table.add(column: "emailRecipient", .text)
                table.add(column: "deliveryStatus", .text)
                    .check { DeliveryStatus.allCases.map(\.rawValue).contains($0) }
                table.add(column: "deliveryReply", .text)
            }
        }
        return migrator
    }
}
