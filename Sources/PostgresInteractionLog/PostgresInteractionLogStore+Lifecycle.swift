import Foundation
import InteractionLog
import PostgresNIO
import Segments

/// Canceling, restoring and deleting entries and logged segments, and postponed interactions; each
/// operation is one transaction that changes everything asked for or nothing (as the SQLite store).
extension PostgresInteractionLogStore {
    public func record(_ entry: NewInteractionLogEntry) throws -> InteractionLogEntry {
        try write { transaction in try Self.insertReturning(transaction, entry) }
    }

    public func cancel(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try write { transaction in
            let entries = try numbers.map { try Self.entry(transaction, $0, lock: true) }
            for entry in entries {
                if entry.postponed { throw InteractionLogError.entryPostponed(entry.entryNo) }
                if entry.canceled { throw InteractionLogError.alreadyCanceled(what: "interaction log entry \(entry.entryNo)") }
            }
            return try Self.setCanceled(transaction, entries, to: true)
        }
    }

    public func restore(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try write { transaction in
            let entries = try numbers.map { try Self.entry(transaction, $0, lock: true) }
            for entry in entries {
                if !entry.canceled { throw InteractionLogError.notCanceled(what: "interaction log entry \(entry.entryNo)") }
                if let segment = entry.loggedSegmentEntryNo, try Self.loggedSegment(transaction, segment).canceled {
                    throw InteractionLogError.loggedSegmentCanceled(entryNo: entry.entryNo, loggedSegmentEntryNo: segment)
                }
            }
            return try Self.setCanceled(transaction, entries, to: false)
        }
    }

    public func cancel(loggedSegment entryNo: Int64) throws -> LoggedSegment {
        try write { transaction in
            var segment = try Self.loggedSegment(transaction, entryNo)
            if segment.canceled { throw InteractionLogError.alreadyCanceled(what: "logged segment \(entryNo)") }
            try transaction.query("UPDATE logged_segment SET canceled = true WHERE entry_no = \(entryNo)")
            try transaction.query("UPDATE interaction_log_entry SET canceled = true WHERE logged_segment_entry_no = \(entryNo)")
            segment.canceled = true
            return segment
        }
    }

    public func restore(loggedSegment entryNo: Int64) throws -> LoggedSegment {
        try write { transaction in
            var segment = try Self.loggedSegment(transaction, entryNo)
            if !segment.canceled { throw InteractionLogError.notCanceled(what: "logged segment \(entryNo)") }
            do {
                try transaction.query("UPDATE logged_segment SET canceled = false WHERE entry_no = \(entryNo)")
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
            }
            try transaction.query("UPDATE interaction_log_entry SET canceled = false WHERE logged_segment_entry_no = \(entryNo)")
            segment.canceled = false
            return segment
        }
    }

    public func deleteCanceled(before: Day?) throws -> DeletedCanceled {
        try write { transaction in
            let rows: [PostgresRandomAccessRow]
            if let before {
                rows = try transaction.query(
                    "SELECT \(unescaped: Self.entryColumns) FROM interaction_log_entry WHERE canceled AND date < \(before.description) FOR UPDATE")
            } else {
                rows = try transaction.query("SELECT \(unescaped: Self.entryColumns) FROM interaction_log_entry WHERE canceled FOR UPDATE")
            }
            return try Self.delete(transaction, try rows.map(Self.entry))
        }
    }

    public func deleteCanceled(entries numbers: [Int64]) throws -> DeletedCanceled {
        try write { transaction in
            let entries = try numbers.map { try Self.entry(transaction, $0, lock: true) }
            if let entry = entries.first(where: { !$0.canceled }) {
                throw InteractionLogError.notCanceled(what: "interaction log entry \(entry.entryNo)")
            }
            return try Self.delete(transaction, entries)
        }
    }

    // MARK: Postponed interactions

    public func postpone(_ entry: NewInteractionLogEntry, request: PostponedRequest) throws -> PostponedInteraction {
        try write { transaction in
            var postponed = entry
            postponed.postponed = true
            postponed.documentPath = nil
            postponed.documentSHA256 = nil
            let stored = try Self.insertReturning(transaction, postponed)
            try transaction.query(
                """
                INSERT INTO postponed_interaction (entry_no, contact_no, template_code, description, subject, language_code,
                  correspondence_type, comment, date, contacts_path, templates_directory, output_directory, salesperson_code)
                VALUES (\(stored.entryNo), \(request.contactNo), \(request.templateCode), \(request.description), \(request.subject),
                  \(request.languageCode), \(request.correspondenceType?.rawValue), \(request.comment), \(request.date.description),
                  \(request.contactsPath), \(request.templatesDirectory), \(request.outputDirectory), \(request.salespersonCode))
                """)
            return PostponedInteraction(entry: stored, request: request)
        }
    }

    public func postponedInteractions() throws -> [PostponedInteraction] {
        try write { transaction in
            try transaction.query("SELECT * FROM postponed_interaction ORDER BY entry_no").map { row in
                PostponedInteraction(entry: try Self.entry(transaction, try row["entry_no"].decode(Int64.self), lock: false), request: try Self.request(row))
            }
        }
    }

    public func postponedInteraction(id: Int64) throws -> PostponedInteraction {
        try write { transaction in try Self.postponed(transaction, id) }
    }

    public func resume(id: Int64, as entry: NewInteractionLogEntry) throws -> InteractionLogEntry {
        try write { transaction in
            _ = try Self.postponed(transaction, id)
            try transaction.query("DELETE FROM postponed_interaction WHERE entry_no = \(id)")
            try transaction.query(
                """
                UPDATE interaction_log_entry SET
                  contact_no = \(entry.contactNo), contact_company_no = \(entry.contactCompanyNo), date = \(entry.date.description),
                  created_at = \(Self.milliseconds(Date())), template_code = \(entry.templateCode), description = \(entry.description),
                  subject = \(entry.subject), information_flow = \(entry.informationFlow.rawValue), initiated_by = \(entry.initiatedBy.rawValue),
                  correspondence_type = \(entry.correspondenceType.rawValue), salesperson_code = \(entry.salespersonCode),
                  cost = \(entry.cost.description), duration = \(entry.duration.description), language_code = \(entry.languageCode),
                  campaign_no = \(entry.campaignNo), campaign_target = \(entry.campaignTarget), campaign_response = \(entry.campaignResponse),
                  document_path = \(entry.documentPath), document_sha256 = \(entry.documentSHA256), attempt_failed = \(entry.attemptFailed),
                  email_message_path = \(entry.emailMessagePath), email_sender = \(entry.emailSender),
                  email_recipient = \(entry.emailRecipient), delivery_status = \(entry.deliveryStatus?.rawValue),
                  delivery_reply = \(entry.deliveryReply), postponed = false
                WHERE entry_no = \(id)
                """)
            return try Self.entry(transaction, id, lock: false)
        }
    }

    public func discard(id: Int64) throws -> PostponedInteraction {
        try write { transaction in
            let postponed = try Self.postponed(transaction, id)
            try transaction.query("DELETE FROM postponed_interaction WHERE entry_no = \(id)")
            try transaction.query("DELETE FROM interaction_log_entry WHERE entry_no = \(id)")
            return postponed
        }
    }

    // MARK: Helpers

    private static func insertReturning(_ transaction: PostgresTransaction, _ entry: NewInteractionLogEntry) throws -> InteractionLogEntry {
        try insert(transaction, [entry], segmentNo: nil, loggedSegmentEntryNo: nil, createdAt: Date())
        let number = try transaction.query("SELECT lastval() AS entry_no")[0]["entry_no"].decode(Int64.self)
        return try Self.entry(transaction, number, lock: false)
    }

    /// The postponed interaction `id`, or `notPostponed` saying why there is none.
    private static func postponed(_ transaction: PostgresTransaction, _ id: Int64) throws -> PostponedInteraction {
        guard let row = try transaction.query("SELECT * FROM postponed_interaction WHERE entry_no = \(id) FOR UPDATE").first else {
            let exists = try !transaction.query("SELECT 1 FROM interaction_log_entry WHERE entry_no = \(id)").isEmpty
            let reason =
                exists
                ? "interaction log entry \(id) is already recorded (resumed already, or never postponed)"
                : "there is no such interaction (never created, or discarded)"
            throw InteractionLogError.notPostponed(id: id, reason: reason)
        }
        return PostponedInteraction(entry: try entry(transaction, id, lock: false), request: try request(row))
    }

    private static func request(_ row: PostgresRandomAccessRow) throws -> PostponedRequest {
        func text(_ column: String) throws -> String { try row[column].decode(String.self) }
        func optional(_ column: String) throws -> String? { try row[column].decode(String?.self) }
        guard let date = Day(try text("date")) else { throw InteractionLogError.failed(reason: "postponed_interaction.date holds an invalid day") }
        var request = PostponedRequest(
            contactNo: try text("contact_no"), templateCode: try text("template_code"), description: try optional("description"),
            subject: try optional("subject"), languageCode: try optional("language_code"),
            correspondenceType: try optional("correspondence_type").flatMap(CorrespondenceType.init(rawValue:)), comment: try optional("comment"),
            date: date, contactsPath: try text("contacts_path"), templatesDirectory: try text("templates_directory"),
            outputDirectory: try text("output_directory"))
        request.salespersonCode = try optional("salesperson_code")
        return request
    }

    /// Deletes `entries`, then those of their logged segments that have no entries left.
    private static func delete(_ transaction: PostgresTransaction, _ entries: [InteractionLogEntry]) throws -> DeletedCanceled {
        let numbers = Array(Set(entries.map(\.entryNo)))
        let segments = Set(entries.compactMap(\.loggedSegmentEntryNo)).sorted()
        let deletedEntries = try transaction.execute("DELETE FROM interaction_log_entry WHERE entry_no = ANY(\(numbers))")
        var deletedSegments = 0
        for segment in segments {
            let deleted = try transaction.execute(
                """
                DELETE FROM logged_segment WHERE entry_no = \(segment)
                  AND NOT EXISTS (SELECT 1 FROM interaction_log_entry WHERE logged_segment_entry_no = \(segment))
                """)
            deletedSegments += deleted
            if deleted == 0 {
                // The logged segment's count follows its entries (`segment logged`).
                try transaction.query(
                    """
                    UPDATE logged_segment SET number_of_interactions =
                      (SELECT count(*) FROM interaction_log_entry WHERE logged_segment_entry_no = \(segment))
                    WHERE entry_no = \(segment)
                    """)
            }
        }
        return DeletedCanceled(entries: deletedEntries, loggedSegments: deletedSegments)
    }

    private static func setCanceled(_ transaction: PostgresTransaction, _ entries: [InteractionLogEntry], to canceled: Bool) throws -> [InteractionLogEntry] {
        try entries.map { entry in
            try transaction.query("UPDATE interaction_log_entry SET canceled = \(canceled) WHERE entry_no = \(entry.entryNo)")
            var changed = entry
            changed.canceled = canceled
            return changed
        }
    }

    static func entry(_ transaction: PostgresTransaction, _ entryNo: Int64, lock: Bool) throws -> InteractionLogEntry {
        let suffix = lock ? " FOR UPDATE" : ""
        guard
            let row = try transaction.query(
                "SELECT \(unescaped: entryColumns) FROM interaction_log_entry WHERE entry_no = \(entryNo)\(unescaped: suffix)"
            ).first
        else {
            throw InteractionLogError.unknownEntry(entryNo)
        }
        return try entry(row)
    }

    static func loggedSegment(_ transaction: PostgresTransaction, _ entryNo: Int64) throws -> LoggedSegment {
        guard
            let row = try transaction.query("SELECT \(unescaped: segmentColumns) FROM logged_segment WHERE entry_no = \(entryNo) FOR UPDATE")
                .first
        else {
            throw InteractionLogError.unknownLoggedSegment(entryNo)
        }
        return try segment(row)
    }
}
