import Foundation

/// The defaults of a segment: what every line records unless the line says otherwise.
public struct SegmentHeader: Sendable, Codable, Hashable {
    /// The segment number, e.g. `SM00001`.
    public var no: String
    public var description: String
    /// The interaction template for lines that do not name one.
    public var templateCode: String
    public var subject: String?
    /// Overrides the contacts' languages for lines that do not name one.
    public var languageCode: String?
    /// Overrides the contacts' and the template's correspondence type.
    public var correspondenceType: CorrespondenceType?
    /// Overrides the contacts' salesperson.
    public var salespersonCode: String?
    public var salespersonName: String?
    /// The interaction date, `yyyy-MM-dd`.
    public var date: Day
    public var campaignNo: String?
    public var campaignTarget: Bool
    public var campaignResponse: Bool
    /// Overrides the template's unit cost.
    public var unitCost: Decimal?
    /// Overrides the template's unit duration (minutes).
    public var unitDuration: Decimal?
    /// The contacts CSV, relative to the segment file (or absolute).
    public var contacts: String
    /// The number for this segment's follow-up; by default the next number of the number series.
    public var nextFollowUpNo: String?
    /// The logged segment this segment follows up (set by `--follow-up` and `segment from-logged`).
    public var follows: FollowedSegment?
    /// Child tables for the letters' repeating regions (`ChildRowsDeclaration`), over the template's of the same name.
    public var rows: [String: ChildRowsDeclaration]?

    /// Creates a header; the optional fields default to `nil` or `false`.
    public init(
        no: String, description: String, templateCode: String, subject: String? = nil,
        languageCode: String? = nil, correspondenceType: CorrespondenceType? = nil,
        salespersonCode: String? = nil, salespersonName: String? = nil, date: Day,
        campaignNo: String? = nil, campaignTarget: Bool = false, campaignResponse: Bool = false,
        unitCost: Decimal? = nil, unitDuration: Decimal? = nil, contacts: String, nextFollowUpNo: String? = nil,
        follows: FollowedSegment? = nil
    ) {
        self.no = no
        self.description = description
        self.templateCode = templateCode
        self.subject = subject
        self.languageCode = languageCode
        self.correspondenceType = correspondenceType
        self.salespersonCode = salespersonCode
        self.salespersonName = salespersonName
        self.date = date
        self.campaignNo = campaignNo
        self.campaignTarget = campaignTarget
        self.campaignResponse = campaignResponse
        self.unitCost = unitCost
        self.unitDuration = unitDuration
        self.contacts = contacts
        self.nextFollowUpNo = nextFollowUpNo
        self.follows = follows
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case no, description, templateCode, subject, languageCode, correspondenceType, salespersonCode,
            salespersonName, date, campaignNo, campaignTarget, campaignResponse, unitCost, unitDuration,
            contacts, nextFollowUpNo, follows
        case rows
    }

    /// Decodes a header; `campaignTarget` and `campaignResponse` default to `false`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            no: try container.decode(String.self, forKey: .no),
            description: try container.decode(String.self, forKey: .description),
            templateCode: try container.decode(String.self, forKey: .templateCode),
            subject: try container.decodeIfPresent(String.self, forKey: .subject),
            languageCode: try container.decodeIfPresent(String.self, forKey: .languageCode),
            correspondenceType: try container.decodeIfPresent(CorrespondenceType.self, forKey: .correspondenceType),
            salespersonCode: try container.decodeIfPresent(String.self, forKey: .salespersonCode),
            salespersonName: try container.decodeIfPresent(String.self, forKey: .salespersonName),
            date: try container.decode(Day.self, forKey: .date),
            campaignNo: try container.decodeIfPresent(String.self, forKey: .campaignNo),
            campaignTarget: try container.decodeIfPresent(Bool.self, forKey: .campaignTarget) ?? false,
            campaignResponse: try container.decodeIfPresent(Bool.self, forKey: .campaignResponse) ?? false,
            unitCost: try container.decodeIfPresent(Decimal.self, forKey: .unitCost),
            unitDuration: try container.decodeIfPresent(Decimal.self, forKey: .unitDuration),
            contacts: try container.decode(String.self, forKey: .contacts),
            nextFollowUpNo: try container.decodeIfPresent(String.self, forKey: .nextFollowUpNo),
            follows: try container.decodeIfPresent(FollowedSegment.self, forKey: .follows))
        rows = try container.decodeIfPresent([String: ChildRowsDeclaration].self, forKey: .rows)
    }
}

/// One contact of a segment, with the values it overrides for this line only.
public struct SegmentLine: Sendable, Codable, Hashable {
    /// Unique within the segment; Business Central uses steps of 10000.
    public var lineNo: Int
    public var contactNo: String
    public var description: String?
    public var templateCode: String?
    public var languageCode: String?
    public var subject: String?
    public var correspondenceType: CorrespondenceType?
    /// A personal note merged as `Comment`.
    public var comment: String?
    /// This line's own Word document instead of the template's: a path inside the templates
    /// folder (no `..`, not absolute).
    public var attachment: String?

    /// Creates a line; every override defaults to `nil` (use the header's value).
    public init(
        lineNo: Int, contactNo: String, description: String? = nil, templateCode: String? = nil,
        languageCode: String? = nil, subject: String? = nil, correspondenceType: CorrespondenceType? = nil,
        comment: String? = nil, attachment: String? = nil
    ) {
        self.lineNo = lineNo
        self.contactNo = contactNo
        self.description = description
        self.templateCode = templateCode
        self.languageCode = languageCode
        self.subject = subject
        self.correspondenceType = correspondenceType
        self.comment = comment
        self.attachment = attachment
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case lineNo, contactNo, description, templateCode, languageCode, subject, correspondenceType, comment, attachment
    }
}

/// A segment: a header of interaction defaults and one line per contact.
public struct Segment: Sendable, Codable, Hashable {
    public var header: SegmentHeader
    /// Held compactly (`SegmentLines`): a segment may have a million lines.
    public var lines: SegmentLines
    /// The criteria actions that built the lines, in the order applied (see `CriteriaStep`).
    public var criteria: [CriteriaStep]
    /// Where the segment was loaded from; `nil` for a segment built in code.
    public var source: SegmentSource?
    /// What `segment go-back` needs to undo the last criteria actions, oldest first (see `GoBackStep`).
    public var goBack: [GoBackStep]
    /// Set when the segment was logged: the file is retired and no command changes it any more.
    public var logged: LoggedMark?

    /// Creates a segment.
    public init(
        header: SegmentHeader, lines: SegmentLines, criteria: [CriteriaStep] = [], goBack: [GoBackStep] = [], logged: LoggedMark? = nil,
        source: SegmentSource? = nil
    ) {
        self.header = header
        self.lines = lines
        self.criteria = criteria
        self.source = source
        self.goBack = goBack
        self.logged = logged
    }

    /// Creates a segment of `lines`.
    public init(
        header: SegmentHeader, lines: [SegmentLine], criteria: [CriteriaStep] = [], goBack: [GoBackStep] = [], logged: LoggedMark? = nil,
        source: SegmentSource? = nil
    ) {
        self.init(header: header, lines: SegmentLines(lines), criteria: criteria, goBack: goBack, logged: logged, source: source)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case header, criteria, goBack, lines, logged
    }

    /// Decodes a segment; `criteria` is optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            header: try container.decode(SegmentHeader.self, forKey: .header),
            lines: try container.decode(SegmentLines.self, forKey: .lines),
            criteria: try container.decodeIfPresent([CriteriaStep].self, forKey: .criteria) ?? [],
            goBack: try container.decodeIfPresent([GoBackStep].self, forKey: .goBack) ?? [],
            logged: try container.decodeIfPresent(LoggedMark.self, forKey: .logged))
    }

    /// Encodes the header, the criteria (only when there are some) and the lines.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(header, forKey: .header)
        if !criteria.isEmpty { try container.encode(criteria, forKey: .criteria) }
        if !goBack.isEmpty { try container.encode(goBack, forKey: .goBack) }
        try container.encode(lines, forKey: .lines)
        try container.encodeIfPresent(logged, forKey: .logged)
    }

    /// The segment file's path, when loaded from one.
    public var path: String? { source?.path }

    /// The contacts CSV's path: `header.contacts` resolved against the segment file's directory.
    public var contactsPath: String {
        guard !header.contacts.hasPrefix("/"), let path else {
            return header.contacts
        }
        return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(header.contacts).path
    }
}

/// The file a segment came from and the YAML lines of its parts, for locating diagnostics.
public struct SegmentSource: Sendable, Hashable {
    /// The segment file's path, as given to `Segment.load(path:)`.
    public var path: String
    /// The YAML line of the `header` key.
    public var headerLine: Int?
    /// The YAML line of each header key that was present.
    public var headerKeyLines: [String: Int]
    /// The YAML line of the `lines` key, when present.
    public var linesKeyLine: Int?
    /// The YAML line where each segment line starts, in the order of `Segment.lines` (compactly: `YAMLLineNumbers`).
    public var lineLines: YAMLLineNumbers

    /// The YAML line of header key `key`, or of the header itself.
    func line(ofHeaderKey key: String) -> Int? {
        headerKeyLines[key] ?? headerLine
    }
}
