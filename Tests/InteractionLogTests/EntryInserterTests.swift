import Foundation
import GRDB
import MailMergeTestSupport
import Segments
import Testing

@testable import InteractionLog

/// `InteractionLogEntryInserter` binds each row's values straight to SQLite; the rows must be what GRDB's statement
/// arguments (its earlier way, kept here as the reference) stored: same values, same storage classes, NULLs alike.
@Suite struct EntryInserterTests {
    /// The reference: the values as GRDB statement arguments, as the inserter built them before binding them itself.
    static func insertThroughGRDB(_ entry: NewInteractionLogEntry, _ db: Database, segmentNo: String?, loggedSegmentEntryNo: Int64?, createdAt: Date) throws {
        let columns = [
            "contactNo", "contactCompanyNo", "date", "createdAt", "templateCode", "description", "subject",
            "informationFlow", "initiatedBy", "correspondenceType", "salespersonCode", "cost", "duration",
            "languageCode", "campaignNo", "campaignTarget", "campaignResponse", "segmentNo", "loggedSegmentEntryNo",
            "documentPath", "documentSHA256", "attemptFailed", "canceled", "postponed",
            "emailMessagePath", "emailSender", "emailRecipient", "deliveryStatus", "deliveryReply",
        ]
        let values: [(any DatabaseValueConvertible)?] = [
            entry.contactNo, entry.contactCompanyNo, entry.date, createdAt, entry.templateCode,
            entry.description, entry.subject, entry.informationFlow.rawValue, entry.initiatedBy.rawValue,
            entry.correspondenceType.rawValue, entry.salespersonCode, entry.cost.description, entry.duration.description,
            entry.languageCode, entry.campaignNo, entry.campaignTarget, entry.campaignResponse, segmentNo,
            loggedSegmentEntryNo, entry.documentPath, entry.documentSHA256, entry.attemptFailed, entry.canceled,
            entry.postponed, entry.emailMessagePath, entry.emailSender, entry.emailRecipient, entry.deliveryStatus?.rawValue,
            entry.deliveryReply,
        ]
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try db.execute(
            sql: "INSERT INTO interactionLogEntry (\(columns.joined(separator: ", "))) VALUES (\(placeholders))", arguments: StatementArguments(values))
    }

    static var entries: [NewInteractionLogEntry] {
        let day = Day("2026-02-28")!
        var plain = NewInteractionLogEntry(contactNo: "CT000001", date: day, templateCode: "LETTER", description: "Winter mailing")
        plain.cost = Decimal(string: "1.25")!
        plain.duration = 2
        var full = NewInteractionLogEntry(
            contactNo: "ct-Ø2", contactCompanyNo: "CB 01", date: Day("2027-12-01")!, templateCode: "EMAIL", description: "Ünïcødé \"quoted\", 日本",
            subject: "", informationFlow: .inbound, initiatedBy: .them, correspondenceType: .email, salespersonCode: "JO",
            cost: Decimal(string: "-0.001")!, duration: Decimal(string: "123456789.5")!, languageCode: "fr-BE", campaignNo: "CP1",
            campaignTarget: true, campaignResponse: true, documentPath: "/tmp/letters/0002 Ø.docx", documentSHA256: String(repeating: "ab", count: 32),
            attemptFailed: true, canceled: true, postponed: true)
        full.emailMessagePath = "/tmp/letters/0002 Ø.eml"
        full.emailSender = "sales@example.com"
        full.emailRecipient = "ø@example.com"
        full.deliveryStatus = .queued
        full.deliveryReply = "not sent yet\ttab\nnew line"
        var nulls = plain
        nulls.contactNo = "CT3"
        nulls.description = "embedded\u{0}nul"
        nulls.date = day
        return [plain, full, nulls, plain]
    }

    @Test func rowsAreWhatGRDBArgumentsStored() throws {
        let folder = try TemporaryDirectory("EntryInserter")
        let path = folder.path("log.sqlite")
        _ = try SQLiteInteractionLogStore(path: path)  // the schema
        let queue = try DatabaseQueue(path: path)
        let createdAt = Date(timeIntervalSince1970: 1_790_000_000.123)
        let rows = try queue.write { db -> [[String]] in
            let inserter = try InteractionLogEntryInserter(db, segmentNo: "SM00001", loggedSegmentEntryNo: nil, createdAt: createdAt)
            for entry in Self.entries {
                try inserter.insert(entry)
                try Self.insertThroughGRDB(entry, db, segmentNo: "SM00001", loggedSegmentEntryNo: nil, createdAt: createdAt)
            }
            // A row SQLite refuses (an empty contact number fails the table's check) throws and leaves the statement usable.
            var refused = Self.entries[0]
            refused.contactNo = ""
            #expect(throws: DatabaseError.self) { try inserter.insert(refused) }
            try inserter.insert(Self.entries[2])
            try Self.insertThroughGRDB(Self.entries[2], db, segmentNo: "SM00001", loggedSegmentEntryNo: nil, createdAt: createdAt)
            let noSegment = try InteractionLogEntryInserter(db, createdAt: createdAt)
            try noSegment.insert(Self.entries[1])
            try Self.insertThroughGRDB(Self.entries[1], db, segmentNo: nil, loggedSegmentEntryNo: nil, createdAt: createdAt)
            let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('interactionLogEntry') WHERE name <> 'entryNo'")
            // Each value as SQL text with its storage class (quote() keeps text and numbers apart, hex() the exact bytes).
            let shown = columns.map { "typeof(\($0)) || ':' || hex(\($0))" }.joined(separator: " || '|' || ")
            return try String.fetchAll(db, sql: "SELECT \(shown) FROM interactionLogEntry ORDER BY entryNo").map { [$0] }
        }
        #expect(rows.count == 2 * Self.entries.count + 4)
        for pair in stride(from: 0, to: rows.count, by: 2) {
            #expect(rows[pair] == rows[pair + 1], "row \(pair / 2)")
        }
        #expect(rows[2][0].contains("integer:31"), "flags are integers: \(rows[2][0])")
    }
}
