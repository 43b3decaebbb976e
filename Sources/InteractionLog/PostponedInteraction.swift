import GRDB
import Segments

/// What `interaction create --postpone` was asked, kept so `interaction resume` can finish it
/// later against the then current contacts and templates.
public struct PostponedRequest: Sendable, Hashable, Codable {
    public var contactNo: String
    public var templateCode: String
    public var description: String?
    public var subject: String?
    public var languageCode: String?
    public var correspondenceType: CorrespondenceType?
    public var comment: String?
    /// The interaction date.
    public var date: Day
    /// The contacts CSV, absolute.
    public var contactsPath: String
    /// The folder with `templates.yaml`, absolute.
    public var templatesDirectory: String
    /// Where the document goes when the interaction is resumed, absolute.
    public var outputDirectory: String
    /// Overrides the contact's salesperson (v3 log).
    public var salespersonCode: String? = nil

    /// Creates a request.
    public init(
        contactNo: String, templateCode: String, description: String? = nil, subject: String? = nil,
        languageCode: String? = nil, correspondenceType: CorrespondenceType? = nil, comment: String? = nil,
        date: Day, contactsPath: String, templatesDirectory: String, outputDirectory: String
    ) {
        self.contactNo = contactNo
        self.templateCode = templateCode
        self.description = description
        self.subject = subject
        self.languageCode = languageCode
        self.correspondenceType = correspondenceType
        self.comment = comment
        self.date = date
        self.contactsPath = contactsPath
        self.templatesDirectory = templatesDirectory
        self.outputDirectory = outputDirectory
    }
}

/// A postponed interaction: its log entry (status postponed) and the request that finishes it.
/// Its id is the entry number.
public struct PostponedInteraction: Sendable, Hashable {
    public var entry: InteractionLogEntry
    public var request: PostponedRequest

    /// The id `interaction resume` and `interaction discard` take.
    public var id: Int64 { entry.entryNo }

    /// A postponed interaction as another store (PostgreSQL) read it.
    public init(entry: InteractionLogEntry, request: PostponedRequest) {
        self.entry = entry
        self.request = request
    }
}

/// The row of the `postponedInteraction` table.
struct PostponedRequestRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "postponedInteraction"
    var entryNo: Int64
    var request: PostponedRequest

    init(entryNo: Int64, request: PostponedRequest) {
        self.entryNo = entryNo
        self.request = request
    }

    enum CodingKeys: String, CodingKey {
        case entryNo, contactNo, templateCode, description, subject, languageCode, correspondenceType, comment,
            date, contactsPath, templatesDirectory, outputDirectory, salespersonCode
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entryNo = try container.decode(Int64.self, forKey: .entryNo)
        request = try PostponedRequest(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entryNo, forKey: .entryNo)
        try request.encode(to: encoder)
    }
}

/// How many rows `InteractionLogStore.deleteCanceled` removed.
public struct DeletedCanceled: Sendable, Hashable {
    public var entries: Int
    public var loggedSegments: Int

    /// What another store (PostgreSQL) deleted.
    public init(entries: Int, loggedSegments: Int) {
        self.entries = entries
        self.loggedSegments = loggedSegments
    }
}
