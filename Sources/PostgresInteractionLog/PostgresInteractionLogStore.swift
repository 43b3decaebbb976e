import Foundation
import InteractionLog
import PostgresNIO
import Segments

/// The interaction log in a PostgreSQL database (`--db postgres://…`): the same tables, rules and
/// errors as `SQLiteInteractionLogStore`, for a team whose machines all write one log.
public final class PostgresInteractionLogStore: InteractionLogStore, Sendable {
    public let session: PostgresSession

    /// Connects to the database `url` names and brings its schema up to date.
    ///
    /// - Throws: `InteractionLogError.cannotOpen` naming the URL without its password.
    public convenience init(url: String, reconnectFor: TimeInterval = 30) throws(InteractionLogError) {
        let location: PostgresLocation
        do { location = try PostgresLocation(url: url) } catch { throw .cannotOpen(path: error.url, reason: error.problem) }
        try self.init(location, reconnectFor: reconnectFor)
    }

    /// Connects to `location` and brings its schema up to date.
    public init(_ location: PostgresLocation, reconnectFor: TimeInterval = 30) throws(InteractionLogError) {
        session = try PostgresSession(location, reconnectFor: reconnectFor)
        do {
            try PostgresSchema.migrate(session)
        } catch {
            throw .cannotOpen(path: location.description, reason: PostgresSession.reason(error))
        }
    }

    static let segmentColumns = "entry_no, segment_no, description, number_of_interactions, created_at, user_id, canceled"
    static let entryColumns = """
        entry_no, created_at, segment_no, logged_segment_entry_no, contact_no, contact_company_no, date, template_code, \
        description, subject, information_flow, initiated_by, correspondence_type, salesperson_code, cost, duration, language_code, \
        campaign_no, campaign_target, campaign_response, document_path, document_sha256, attempt_failed, canceled, postponed, \
        evaluation, email_message_path, email_sender, email_recipient, delivery_status, delivery_reply
        """
    /// The columns of an entry as `NewInteractionLogEntry` gives them, in the order `rows(_:)` selects them. The log
    /// (`interaction_log_entry`) and the distributed staging table (`distributed_entry`) both have them: one list for both.
    static let providedColumns = """
        contact_no, contact_company_no, date, template_code, description, subject, information_flow, initiated_by, \
        correspondence_type, salesperson_code, cost, duration, language_code, campaign_no, campaign_target, campaign_response, \
        document_path, document_sha256, attempt_failed, canceled, postponed, \
        email_message_path, email_sender, email_recipient, delivery_status, delivery_reply
        """

    /// `entries` as rows with `providedColumns` (and `ordinal`, 1 for the first entry), bound as one array per column:
    /// `SELECT … FROM unnest($1::text[], …)`. A batch is then 27 parameters for PostgreSQL to parse and bind, however many
    /// entries it has, instead of one per value (13,500 for 500 entries, which cost it more than inserting the rows).
    /// The nullable text columns travel as text arrays (empty for NULL) with a bit mask per entry saying which are NULL.
    static func rows(_ entries: some Collection<NewInteractionLogEntry>, binds: inout PostgresBindings) -> String {
        func text(_ value: (NewInteractionLogEntry) -> String) -> String {
            binds.append(entries.map(value))
            return "$\(binds.count)::text[]"
        }
        func flag(_ value: (NewInteractionLogEntry) -> Bool) -> String {
            binds.append(entries.map(value))
            return "$\(binds.count)::boolean[]"
        }
        let nullable: [(NewInteractionLogEntry) -> String?] = [
            \.documentPath, \.documentSHA256, \.emailMessagePath, \.emailSender, \.emailRecipient, { $0.deliveryStatus?.rawValue }, \.deliveryReply,
        ]
        let arrays = [
            text(\.contactNo), text(\.contactCompanyNo), text(\.date.description), text(\.templateCode), text(\.description), text(\.subject),
            text(\.informationFlow.rawValue), text(\.initiatedBy.rawValue), text(\.correspondenceType.rawValue), text(\.salespersonCode),
            text(\.cost.description), text(\.duration.description), text(\.languageCode), text(\.campaignNo), flag(\.campaignTarget),
            flag(\.campaignResponse), flag(\.attemptFailed), flag(\.canceled), flag(\.postponed),
        ]
        let values = nullable.map { value in text { value($0) ?? "" } }
        binds.append(
            entries.map { entry in Int32(nullable.enumerated().reduce(0) { mask, column in mask | (column.element(entry) == nil ? 1 << column.offset : 0) }) })
        let nulls = "$\(binds.count)::integer[]"
        // e.n0 … e.n6: the nullable columns, in `nullable`'s order; `e.nulls` bit i set: n<i> is NULL.
        let nullableNames = ["document_path", "document_sha256", "email_message_path", "email_sender", "email_recipient", "delivery_status", "delivery_reply"]
        let nullableValue = { (index: Int) in "CASE WHEN e.nulls & \(1 << index) = 0 THEN e.n\(index) END AS \(nullableNames[index])" }
        return """
            SELECT e.contact_no, e.contact_company_no, e.date, e.template_code, e.description, e.subject, e.information_flow, e.initiated_by, \
            e.correspondence_type, e.salesperson_code, e.cost, e.duration, e.language_code, e.campaign_no, e.campaign_target, e.campaign_response, \
            \(nullableValue(0)), \(nullableValue(1)), e.attempt_failed, e.canceled, e.postponed, \
            \((2..<7).map(nullableValue).joined(separator: ", ")), e.ordinal
            FROM unnest(\((arrays + values + [nulls]).joined(separator: ", "))) WITH ORDINALITY AS e(contact_no, contact_company_no, date, \
            template_code, description, subject, information_flow, initiated_by, correspondence_type, salesperson_code, cost, duration, language_code, \
            campaign_no, campaign_target, campaign_response, attempt_failed, canceled, postponed, n0, n1, n2, n3, n4, n5, n6, nulls, ordinal)
            """
    }

    /// The columns a logged entry is inserted with: what the entry provides, then what logging it adds.
    static let insertColumns = providedColumns + ", created_at, segment_no, logged_segment_entry_no"

    /// Runs `body` in a transaction; errors become `InteractionLogError`s.
    func write<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        do {
            return try session.transaction(body)
        } catch let error as InteractionLogError {
            throw error
        } catch {
            throw InteractionLogError.failed(reason: PostgresSession.reason(error))
        }
    }

    public func loggedSegment(no: String) throws -> LoggedSegment? {
        try write { transaction in
            try transaction.query(
                "SELECT \(unescaped: Self.segmentColumns) FROM logged_segment WHERE lower(segment_no) = lower(\(no)) AND NOT canceled"
            ).first.map(Self.segment)
        }
    }

    public func log(_ segment: NewLoggedSegment, entries: [NewInteractionLogEntry]) throws -> LoggedSegment {
        try write { transaction in
            let logged = try Self.insertSegment(transaction, segment, count: entries.count, segmentJSON: .json(try segment.segment.map(Self.json)))
            try Self.insert(transaction, entries, segmentNo: logged.segmentNo, loggedSegmentEntryNo: logged.entryNo, createdAt: logged.createdAt)
            return logged
        }
    }

    /// Where a logged segment's copy of its segment comes from.
    enum SegmentJSON {
        case json(String?)
        case run(Int64)
    }

    /// Inserts the logged segment; a unique violation is `alreadyLogged`.
    /// The trigger on logged_segment also refuses (as a unique violation) a number that was ever logged.
    /// `segmentJSON`: the segment as JSON, or `.run(id)`: the copy a distributed run stored, copied by the server (at
    /// 100,000 lines megabytes the worker that logs the run would otherwise download and send back).
    static func insertSegment(
        _ transaction: PostgresTransaction, _ segment: NewLoggedSegment, count: Int, segmentJSON: SegmentJSON
    ) throws -> LoggedSegment {
        do {
            let rows: [PostgresRandomAccessRow]
            switch segmentJSON {
            case .json(let json):
                rows = try transaction.query(
                    """
                    INSERT INTO logged_segment (segment_no, description, number_of_interactions, created_at, user_id, segment_json)
                    VALUES (\(segment.segmentNo), \(segment.description), \(count), \(milliseconds(segment.createdAt)), \(segment.userID),
                      \(json))
                    RETURNING \(unescaped: segmentColumns)
                    """)
            case .run(let run):
                rows = try transaction.query(
                    """
                    INSERT INTO logged_segment (segment_no, description, number_of_interactions, created_at, user_id, segment_json)
                    SELECT \(segment.segmentNo), \(segment.description), \(count), \(milliseconds(segment.createdAt)), \(segment.userID),
                      segment_json FROM distributed_run WHERE run_id = \(run)
                    RETURNING \(unescaped: segmentColumns)
                    """)
            }
            return try segmentRow(rows)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
        }
    }

    /// Inserts `entries`, up to 1,000 per statement.
    static func insert(
        _ transaction: PostgresTransaction, _ entries: [NewInteractionLogEntry], segmentNo: String?, loggedSegmentEntryNo: Int64?, createdAt: Date
    ) throws {
        let created = milliseconds(createdAt)
        for start in stride(from: 0, to: entries.count, by: 1_000) {
            var binds = PostgresBindings()
            let rows = rows(entries[start..<min(start + 1_000, entries.count)], binds: &binds)
            binds.append(created)
            binds.append(segmentNo)
            binds.append(loggedSegmentEntryNo)
            let count = binds.count
            // In the entries' order: entry numbers follow it.
            try transaction.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO interaction_log_entry (\(insertColumns))
                        SELECT \(providedColumns), $\(count - 2)::timestamptz, $\(count - 1)::text, $\(count)::bigint FROM (\(rows)) AS r ORDER BY ordinal
                        """, binds: binds))
        }
    }

    public func entries(_ filter: LogFilter) throws -> [InteractionLogEntry] {
        try write { transaction in
            var conditions: [String] = []
            var binds = PostgresBindings()
            func bind(_ value: String) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            if let segmentNo = filter.segmentNo { conditions.append("lower(segment_no) = lower(\(bind(segmentNo)))") }
            if let contactNo = filter.contactNo { conditions.append("lower(contact_no) = lower(\(bind(contactNo)))") }
            if let templateCode = filter.templateCode { conditions.append("lower(template_code) = lower(\(bind(templateCode)))") }
            if let fromDate = filter.fromDate { conditions.append("date >= \(bind(fromDate.description))") }
            if let toDate = filter.toDate { conditions.append("date <= \(bind(toDate.description))") }
            if let salesperson = filter.salespersonCode { conditions.append("lower(salesperson_code) = lower(\(bind(salesperson)))") }
            // delivery_status is NULL for every interaction but an e-mail; an e-mail not sent yet is `queued`.
            let queued = "delivery_status IS NOT DISTINCT FROM '\(DeliveryStatus.queued.rawValue)'"
            switch filter.status {
            case .logged?: conditions.append("NOT canceled AND NOT postponed AND NOT attempt_failed AND NOT (\(queued))")
            case .queued?: conditions.append("NOT canceled AND NOT postponed AND NOT attempt_failed AND \(queued)")
            case .canceled?: conditions.append("canceled")
            case .postponed?: conditions.append("NOT canceled AND postponed")
            case .attemptFailed?: conditions.append("NOT canceled AND NOT postponed AND attempt_failed")
            case nil: break
            }
            let condition = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try transaction.query(
                PostgresQuery(unsafeSQL: "SELECT \(Self.entryColumns) FROM interaction_log_entry\(condition) ORDER BY entry_no", binds: binds)
            ).map(Self.entry)
        }
    }

    public func loggedSegments() throws -> [LoggedSegment] {
        try write { transaction in
            try transaction.query("SELECT \(unescaped: Self.segmentColumns) FROM logged_segment ORDER BY entry_no").map(Self.segment)
        }
    }

    // MARK: Rows

    static func segmentRow(_ rows: [PostgresRandomAccessRow]) throws -> LoggedSegment {
        guard let row = rows.first else { throw InteractionLogError.failed(reason: "the database returned no row for the logged segment") }
        return try segment(row)
    }

    static func segment(_ row: PostgresRandomAccessRow) throws -> LoggedSegment {
        LoggedSegment(
            entryNo: try row["entry_no"].decode(Int64.self), segmentNo: try row["segment_no"].decode(String.self),
            description: try row["description"].decode(String.self),
            numberOfInteractions: Int(try row["number_of_interactions"].decode(Int32.self)),
            createdAt: try row["created_at"].decode(Date.self), userID: try row["user_id"].decode(String.self),
            canceled: try row["canceled"].decode(Bool.self))
    }

    static func entry(_ row: PostgresRandomAccessRow) throws -> InteractionLogEntry {
        func text(_ column: String) throws -> String { try row[column].decode(String.self) }
        func flag(_ column: String) throws -> Bool { try row[column].decode(Bool.self) }
        func value<T: RawRepresentable>(_ column: String, _ type: T.Type) throws -> T where T.RawValue == String {
            let raw = try text(column)
            guard let value = T(rawValue: raw) else { throw InteractionLogError.failed(reason: "\(column) holds an unknown value \(raw)") }
            return value
        }
        guard let date = Day(try text("date")) else { throw InteractionLogError.failed(reason: "date holds an invalid day") }
        func optional(_ column: String) throws -> String? { try row[column].decode(String?.self) }
        var provided = NewInteractionLogEntry(
            contactNo: try text("contact_no"), contactCompanyNo: try text("contact_company_no"), date: date,
            templateCode: try text("template_code"), description: try text("description"), subject: try text("subject"),
            informationFlow: try value("information_flow", InformationFlow.self), initiatedBy: try value("initiated_by", InitiatedBy.self),
            correspondenceType: try value("correspondence_type", CorrespondenceType.self), salespersonCode: try text("salesperson_code"),
            cost: Decimal(string: try text("cost")) ?? 0, duration: Decimal(string: try text("duration")) ?? 0,
            languageCode: try text("language_code"), campaignNo: try text("campaign_no"), campaignTarget: try flag("campaign_target"),
            campaignResponse: try flag("campaign_response"), documentPath: try row["document_path"].decode(String?.self),
            documentSHA256: try row["document_sha256"].decode(String?.self), attemptFailed: try flag("attempt_failed"),
            canceled: try flag("canceled"), postponed: try flag("postponed"))
        provided.evaluation = try optional("evaluation").map { raw in
            guard let value = Evaluation(rawValue: raw) else { throw InteractionLogError.failed(reason: "evaluation holds an unknown value \(raw)") }
            return value
        }
        provided.emailMessagePath = try optional("email_message_path")
        provided.emailSender = try optional("email_sender")
        provided.emailRecipient = try optional("email_recipient")
        provided.deliveryStatus = try optional("delivery_status").map { raw in
            guard let value = DeliveryStatus(rawValue: raw) else { throw InteractionLogError.failed(reason: "delivery_status holds an unknown value \(raw)") }
            return value
        }
        provided.deliveryReply = try optional("delivery_reply")
        return InteractionLogEntry(
            entryNo: try row["entry_no"].decode(Int64.self), createdAt: try row["created_at"].decode(Date.self),
            segmentNo: try row["segment_no"].decode(String?.self), loggedSegmentEntryNo: try row["logged_segment_entry_no"].decode(Int64?.self),
            provided: provided)
    }

    /// The segment as JSON, as the SQLite store keeps it.
    static func json(_ segment: Segment) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(segment), as: UTF8.self)
    }

    /// `date` rounded to whole milliseconds, as the SQLite store keeps it.
    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
