import Foundation
import GRDB
import GRDBSQLite
import Segments

/// One recorded interaction with one contact (Business Central's "Interaction Log Entry"): what
/// the caller provided, plus what the store added. The provided values read and write as the
/// entry's own (`entry.contactNo`, `entry.canceled` …); every value is a column of its own.
@dynamicMemberLookup
public struct InteractionLogEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    /// Assigned by the store, increasing.
    public var entryNo: Int64
    /// When the entry was written.
    public var createdAt: Date
    /// The segment the interaction was logged with, if any.
    public var segmentNo: String?
    public var loggedSegmentEntryNo: Int64?
    /// The contact, template, date, amounts, document and status the caller provided.
    public var provided: NewInteractionLogEntry

    public static let databaseTableName = "interactionLogEntry"

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<NewInteractionLogEntry, Value>) -> Value {
        get { provided[keyPath: keyPath] }
        set { provided[keyPath: keyPath] = newValue }
    }

    enum CodingKeys: String, CodingKey {
        case entryNo, createdAt, segmentNo, loggedSegmentEntryNo
    }

    /// Decodes the store's columns and the provided ones from the same row (or object).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entryNo = try container.decode(Int64.self, forKey: .entryNo)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        segmentNo = try container.decodeIfPresent(String.self, forKey: .segmentNo)
        loggedSegmentEntryNo = try container.decodeIfPresent(Int64.self, forKey: .loggedSegmentEntryNo)
        provided = try NewInteractionLogEntry(from: decoder)
    }

    /// Encodes the store's columns and the provided ones side by side, as one flat row (or object).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entryNo, forKey: .entryNo)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encodeIfPresent(segmentNo, forKey: .segmentNo)
        try container.encodeIfPresent(loggedSegmentEntryNo, forKey: .loggedSegmentEntryNo)
        try provided.encode(to: encoder)
    }
}

/// What the caller provides for each interaction of a segment; the store adds the entry
/// number, the segment and the creation time.
public struct NewInteractionLogEntry: Sendable, Hashable, Codable {
    public var contactNo: String
    public var contactCompanyNo: String
    /// The interaction date.
    public var date: Day
    public var templateCode: String
    public var description: String
    public var subject: String
    public var informationFlow: InformationFlow
    public var initiatedBy: InitiatedBy
    public var correspondenceType: CorrespondenceType
    public var salespersonCode: String
    public var cost: Decimal
    /// Minutes.
    public var duration: Decimal
    public var languageCode: String
    public var campaignNo: String
    public var campaignTarget: Bool
    public var campaignResponse: Bool
    /// The document sent, and its SHA-256 (lowercase hex), if any.
    public var documentPath: String?
    public var documentSHA256: String?
    public var attemptFailed: Bool
    public var canceled: Bool
    public var postponed: Bool
    /// How the interaction went (`log evaluate`); `nil` until someone says.
    public var evaluation: Evaluation? = nil
    /// An e-mail interaction's message (`.eml`), envelope sender and recipient, and its delivery:
    /// `nil` for every other interaction (see `DeliveryStatus`).
    public var emailMessagePath: String?
    public var emailSender: String?
    public var emailRecipient: String?
    public var deliveryStatus: DeliveryStatus?
    /// The SMTP server's reply to the last attempt (or why it was not attempted).
    public var deliveryReply: String?

    /// Creates an entry; the flags default to `false`.
    public init(
        contactNo: String, contactCompanyNo: String = "", date: Day, templateCode: String,
        description: String, subject: String = "", informationFlow: InformationFlow = .outbound,
        initiatedBy: InitiatedBy = .us, correspondenceType: CorrespondenceType = .hardCopy,
        salespersonCode: String = "", cost: Decimal = 0, duration: Decimal = 0, languageCode: String = "",
        campaignNo: String = "", campaignTarget: Bool = false, campaignResponse: Bool = false,
        documentPath: String? = nil, documentSHA256: String? = nil, attemptFailed: Bool = false,
        canceled: Bool = false, postponed: Bool = false
    ) {
        self.contactNo = contactNo
        self.contactCompanyNo = contactCompanyNo
        self.date = date
        self.templateCode = templateCode
        self.description = description
        self.subject = subject
        self.informationFlow = informationFlow
        self.initiatedBy = initiatedBy
        self.correspondenceType = correspondenceType
        self.salespersonCode = salespersonCode
        self.cost = cost
        self.duration = duration
        self.languageCode = languageCode
        self.campaignNo = campaignNo
        self.campaignTarget = campaignTarget
        self.campaignResponse = campaignResponse
        self.documentPath = documentPath
        self.documentSHA256 = documentSHA256
        self.attemptFailed = attemptFailed
        self.canceled = canceled
        self.postponed = postponed
    }

    /// The entry for a resolved segment line whose document was written to `documentPath`.
    public init(line: ResolvedLine, documentPath: String?, documentSHA256: String?, attemptFailed: Bool = false) {
        self.init(
            contactNo: line.contact.no, contactCompanyNo: line.contact.companyNo, date: line.date,
            templateCode: line.template.code, description: line.description, subject: line.subject,
            informationFlow: line.template.informationFlow, initiatedBy: line.template.initiatedBy,
            correspondenceType: line.correspondenceType, salespersonCode: line.salespersonCode,
            cost: line.unitCost, duration: line.unitDuration, languageCode: line.languageCode,
            campaignNo: line.campaignNo, campaignTarget: line.campaignTarget, campaignResponse: line.campaignResponse,
            documentPath: documentPath, documentSHA256: documentSHA256, attemptFailed: attemptFailed)
    }
}

/// Inserts entries (of a logged segment, or single ones) with one prepared statement, its values bound straight to
/// SQLite per row (as GRDB binds them: text, integers for flags, NULL for nil), without a record encoded, an array
/// of values or GRDB's statement arguments per row: at 100,000 rows GRDB's per-row work cost about 35 µs a row.
final class InteractionLogEntryInserter {
    private static let columns = [
        "contactNo", "contactCompanyNo", "date", "createdAt", "templateCode", "description", "subject",
        "informationFlow", "initiatedBy", "correspondenceType", "salespersonCode", "cost", "duration",
        "languageCode", "campaignNo", "campaignTarget", "campaignResponse", "segmentNo", "loggedSegmentEntryNo",
        "documentPath", "documentSHA256", "attemptFailed", "canceled", "postponed",
        "emailMessagePath", "emailSender", "emailRecipient", "deliveryStatus", "deliveryReply",
    ]

    /// SQLite copies the text bound (GRDB's `SQLITE_TRANSIENT`, which it does not export).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private let statement: Statement
    private let segmentNo: String?
    private let loggedSegmentEntryNo: Int64?
    /// `createdAt` as GRDB stores a date (its `databaseValue`'s text).
    private let createdAt: String
    /// The text of the last date, cost and duration stored: a segment's rows mostly share them.
    private var dateText: (day: Day, text: String)?
    private var costText: (value: Decimal, text: String)?
    private var durationText: (value: Decimal, text: String)?

    /// Prepares the insertion of entries belonging to `segment`.
    convenience init(_ db: Database, segment: LoggedSegment) throws {
        try self.init(db, segmentNo: segment.segmentNo, loggedSegmentEntryNo: segment.entryNo, createdAt: segment.createdAt)
    }

    /// Prepares the insertion of entries that belong to no segment, written at `createdAt`.
    init(_ db: Database, segmentNo: String? = nil, loggedSegmentEntryNo: Int64? = nil, createdAt: Date) throws {
        self.segmentNo = segmentNo
        self.loggedSegmentEntryNo = loggedSegmentEntryNo
        guard let text = String.fromDatabaseValue(createdAt.databaseValue) else {
            preconditionFailure("GRDB stores a date as text")
        }
        self.createdAt = text
        let placeholders = Array(repeating: "?", count: Self.columns.count).joined(separator: ", ")
        statement = try db.makeStatement(
            sql: """
                INSERT INTO \(InteractionLogEntry.databaseTableName) (\(Self.columns.joined(separator: ", ")))
                VALUES (\(placeholders))
                """)
    }

    /// Inserts `entry`. Amounts are stored as their plain decimal text (`Decimal.description`
    /// is locale-independent and much cheaper than GRDB's locale-formatted conversion); days as `yyyy-MM-dd`.
    func insert(_ entry: NewInteractionLogEntry) throws {
        let handle = statement.sqliteStatement
        if dateText?.day != entry.date { dateText = (entry.date, entry.date.description) }
        if costText?.value != entry.cost { costText = (entry.cost, entry.cost.description) }
        if durationText?.value != entry.duration { durationText = (entry.duration, entry.duration.description) }
        var column: Int32 = 0
        var code = SQLITE_OK
        func text(_ value: String?) {
            column += 1
            guard code == SQLITE_OK else { return }
            code = value.map { sqlite3_bind_text(handle, column, $0, -1, Self.transient) } ?? sqlite3_bind_null(handle, column)
        }
        func integer(_ value: Int64?) {
            column += 1
            guard code == SQLITE_OK else { return }
            code = value.map { sqlite3_bind_int64(handle, column, $0) } ?? sqlite3_bind_null(handle, column)
        }
        func flag(_ value: Bool) { integer(value ? 1 : 0) }
        // In the order of `columns`.
        text(entry.contactNo)
        text(entry.contactCompanyNo)
        text(dateText?.text)
        text(createdAt)
        text(entry.templateCode)
        text(entry.description)
        text(entry.subject)
        text(entry.informationFlow.rawValue)
        text(entry.initiatedBy.rawValue)
        text(entry.correspondenceType.rawValue)
        text(entry.salespersonCode)
        text(costText?.text)
        text(durationText?.text)
        text(entry.languageCode)
        text(entry.campaignNo)
        flag(entry.campaignTarget)
        flag(entry.campaignResponse)
        text(segmentNo)
        integer(loggedSegmentEntryNo)
        text(entry.documentPath)
        text(entry.documentSHA256)
        flag(entry.attemptFailed)
        flag(entry.canceled)
        flag(entry.postponed)
        text(entry.emailMessagePath)
        text(entry.emailSender)
        text(entry.emailRecipient)
        text(entry.deliveryStatus?.rawValue)
        text(entry.deliveryReply)
        assert(Int(column) == Self.columns.count, "a value per column")
        if code == SQLITE_OK {
            code = sqlite3_step(handle)
            if code == SQLITE_DONE { code = SQLITE_OK }
        }
        // Reset whatever happened: the statement holds nothing between rows.
        sqlite3_reset(handle)
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

extension InteractionLogEntry {
    /// An entry as another store (PostgreSQL) read it.
    public init(entryNo: Int64, createdAt: Date, segmentNo: String?, loggedSegmentEntryNo: Int64?, provided: NewInteractionLogEntry) {
        self.entryNo = entryNo
        self.createdAt = createdAt
        self.segmentNo = segmentNo
        self.loggedSegmentEntryNo = loggedSegmentEntryNo
        self.provided = provided
    }
}
