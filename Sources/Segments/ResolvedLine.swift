import Foundation
import Synchronization

/// A segment line with every value decided: line override, else header, else contact or
/// template. This is what gets merged into a document and recorded in the interaction log.
public struct ResolvedLine: Sendable, Hashable {
    public var segmentNo: String
    public var segmentDescription: String
    public var lineNo: Int
    public var contact: Contact
    public var template: InteractionTemplate
    /// The Word document to merge for this line (absolute when the catalogue directory is);
    /// `nil` when the template has none: the interaction is logged without a document.
    public var attachmentPath: String?
    public var description: String
    public var subject: String
    /// The language the interaction is in; empty when nobody decided one.
    public var languageCode: String
    public var correspondenceType: CorrespondenceType
    /// The line's personal comment; empty when there is none.
    public var comment: String
    /// The interaction date.
    public var date: Day
    public var salespersonCode: String
    public var salespersonName: String
    /// From the salespeople file (`Salespeople`); empty when the salesperson is not in it.
    public var salespersonEmail = ""
    public var salespersonPhone = ""
    public var campaignNo: String
    public var campaignTarget: Bool
    public var campaignResponse: Bool
    public var unitCost: Decimal
    /// Minutes.
    public var unitDuration: Decimal
    /// The contact's salutations and address lines as Business Central makes them
    /// (`FormalSalutation`, `InformalSalutation`, `AddressLine1`…`AddressLine8`, `CountryRegionName`),
    /// filled in after resolution from the templates folder's salutations, countries and setup.
    public var correspondenceFields: [String: String] = [:]

    /// Creates a resolved line; `SegmentResolver` is the usual source of these.
    public init(
        segmentNo: String, segmentDescription: String, lineNo: Int, contact: Contact, template: InteractionTemplate,
        attachmentPath: String?, description: String, subject: String, languageCode: String,
        correspondenceType: CorrespondenceType, comment: String, date: Day, salespersonCode: String, salespersonName: String,
        campaignNo: String, campaignTarget: Bool, campaignResponse: Bool, unitCost: Decimal, unitDuration: Decimal
    ) {
        self.segmentNo = segmentNo
        self.segmentDescription = segmentDescription
        self.lineNo = lineNo
        self.contact = contact
        self.template = template
        self.attachmentPath = attachmentPath
        self.description = description
        self.subject = subject
        self.languageCode = languageCode
        self.correspondenceType = correspondenceType
        self.comment = comment
        self.date = date
        self.salespersonCode = salespersonCode
        self.salespersonName = salespersonName
        self.campaignNo = campaignNo
        self.campaignTarget = campaignTarget
        self.campaignResponse = campaignResponse
        self.unitCost = unitCost
        self.unitDuration = unitDuration
    }

    /// Every merge field of the document, by its documented name (matching is the merge
    /// engine's job and ignores case): the contact's fields, then the interaction's, the
    /// salesperson's and the template's. Interaction fields win over a contacts CSV column of
    /// the same name. Booleans are `Yes`/`No`; numbers use a dot for decimals.
    public var mergeFields: [String: String] {
        var fields: [String: (name: String, value: String)] = [:]
        fields.reserveCapacity(contact.extra.count + 56)
        forEachMergeField { name, folded, value in fields[folded] = (name, value()) }
        var named: [String: String] = [:]
        named.reserveCapacity(fields.count)
        for (_, field) in fields { named[field.name] = field.value }
        return named
    }

    /// `mergeFields` by lowercased name, as the merge engine looks them up (`MergeRecord(folded:children:)`): made in
    /// one pass, without folding the documented names per line.
    public var foldedMergeFields: [String: String] {
        var fields: [String: String] = [:]
        fields.reserveCapacity(contact.extra.count + 56)
        forEachMergeField { _, folded, value in fields[folded] = value() }
        return fields
    }

    /// `foldedMergeFields` with only the fields `selection` wants (all of them when nil): the fields a template may read
    /// (`CompiledTemplate.recordKeys`), the others' values not even made. A line's record held 56 fields where a letter
    /// reads about 20, and making them showed in log-segment's profiles.
    public func foldedMergeFields(_ selection: MergeFieldSelection?) -> [String: String] {
        guard let selection else { return foldedMergeFields }
        var fields: [String: String] = [:]
        fields.reserveCapacity(selection.keys.count)
        forEachMergeField(selection) { _, folded, value in fields[folded] = value() }
        return fields
    }

    /// Gives `body` each merge field (documented name, lowercased name, value), a later one replacing an earlier one of
    /// the same lowercased name: the contact's (`Contact.forEachMergeField`), the correspondence fields, then the
    /// interaction's, the salesperson's and the template's (`lineMergeFields`). A value is made only when `body` asks
    /// for it. With `selection`, only the fields it wants.
    func forEachMergeField(
        _ selection: MergeFieldSelection? = nil, _ body: (_ name: String, _ folded: String, _ value: @autoclosure () -> String) -> Void
    ) {
        contact.forEachMergeField(selection, body)
        for (name, value) in correspondenceFields {
            let folded: String
            if let selection {
                // One lookup for a name `CorrespondenceFields` makes: whether it is wanted, and its lowercased name.
                if let known = selection.correspondenceFields[name] {
                    guard let known else { continue }
                    folded = known
                } else {
                    folded = name.lowercased()
                    guard selection.keys.contains(folded) else { continue }
                }
            } else {
                folded = Self.foldedCorrespondenceNames[name] ?? name.lowercased()
            }
            body(name, folded, value)
        }
        MergeFieldSelection.forEach(Self.lineMergeFields, at: selection?.lineFields, of: self, body)
    }

    /// The names of the correspondence fields `CorrespondenceFields` makes (in MailMergeKit), by their lowercased
    /// names, so that a line's are not lowercased again for every line; another name is lowercased as it comes.
    static let foldedCorrespondenceNames: [String: String] = Dictionary(
        uniqueKeysWithValues: (["FormalSalutation", "InformalSalutation", "CountryRegionName"] + (1...8).map { "AddressLine\($0)" }).map {
            ($0, $0.lowercased())
        })

    /// The interaction's, the salesperson's and the template's merge fields, in the order of `mergeFields` (after the
    /// contact's and the correspondence fields): documented name, lowercased name, value.
    static let lineMergeFields: MergeFieldTable<ResolvedLine> = [
        ("SegmentNo", "segmentno", { $0.segmentNo }),
        ("SegmentDescription", "segmentdescription", { $0.segmentDescription }),
        ("LineNo", "lineno", { String($0.lineNo) }),
        ("Description", "description", { $0.description }),
        ("Subject", "subject", { $0.subject }),
        ("Date", "date", { $0.date.description }),
        ("LanguageCode", "languagecode", { $0.languageCode }),
        ("CorrespondenceType", "correspondencetype", { $0.correspondenceType.rawValue }),
        ("Comment", "comment", { $0.comment }),
        ("CampaignNo", "campaignno", { $0.campaignNo }),
        ("CampaignTarget", "campaigntarget", { $0.campaignTarget ? "Yes" : "No" }),
        ("CampaignResponse", "campaignresponse", { $0.campaignResponse ? "Yes" : "No" }),
        ("SalespersonCode", "salespersoncode", { $0.salespersonCode }),
        ("SalespersonName", "salespersonname", { $0.salespersonName }),
        ("SalespersonEmail", "salespersonemail", { $0.salespersonEmail }),
        ("SalespersonPhone", "salespersonphone", { $0.salespersonPhone }),
        ("TemplateCode", "templatecode", { $0.template.code }),
        ("TemplateDescription", "templatedescription", { $0.template.description }),
        ("InformationFlow", "informationflow", { $0.template.informationFlow.rawValue }),
        ("InitiatedBy", "initiatedby", { $0.template.initiatedBy.rawValue }),
        ("UnitCost", "unitcost", { text($0.unitCost) }),
        ("UnitDuration", "unitduration", { text($0.unitDuration) }),
    ]

    /// `1.25`, `2`: plain digits with a dot, whatever the locale.
    /// Made once per value: a run's lines mostly share their template's cost and duration, and formatting through
    /// Foundation's locale per line showed in profiles.
    static func text(_ number: Decimal) -> String {
        if let known = numberTexts.withLock({ $0[number] }) { return known }
        let text = NSDecimalNumber(decimal: number).description(withLocale: Locale(identifier: "en_US_POSIX"))
        numberTexts.withLock { if $0.count < 64 { $0[number] = text } }
        return text
    }

    private static let numberTexts = Mutex<[Decimal: String]>([:])
}

/// The merge fields a template reads (`CompiledTemplate.recordKeys`: lowercased names), looked up once per template:
/// `ResolvedLine.foldedMergeFields(_:)` then makes only those for each line, without hashing the name of each of a
/// line's 56 fields to find them (which showed in log-segment's profiles).
public struct MergeFieldSelection: Sendable {
    /// The lowercased names wanted.
    let keys: Set<String>
    /// The positions in `Contact.standardMergeFields` and `ResolvedLine.lineMergeFields` of the fields wanted, in order.
    let contactFields: [Int]
    let lineFields: [Int]
    /// Per correspondence field name (`ResolvedLine.foldedCorrespondenceNames`): its lowercased name when wanted, else nil.
    let correspondenceFields: [String: String?]

    /// The fields whose lowercased names are in `keys`.
    public init(keys: Set<String>) {
        self.keys = keys
        correspondenceFields = ResolvedLine.foldedCorrespondenceNames.mapValues { keys.contains($0) ? $0 : nil }
        contactFields = Contact.standardMergeFields.indices.filter { keys.contains(Contact.standardMergeFields[$0].folded) }
        lineFields = ResolvedLine.lineMergeFields.indices.filter { keys.contains(ResolvedLine.lineMergeFields[$0].folded) }
    }

    /// Gives `body` the fields of `table` for `owner`: those at `positions` (a selection's `contactFields` or
    /// `lineFields`), in order; every one when `positions` is nil (no selection).
    static func forEach<Owner>(
        _ table: MergeFieldTable<Owner>, at positions: [Int]?, of owner: Owner,
        _ body: (_ name: String, _ folded: String, _ value: @autoclosure () -> String) -> Void
    ) {
        guard let positions else {
            for field in table { body(field.name, field.folded, field.value(owner)) }
            return
        }
        for position in positions {
            let field = table[position]
            body(field.name, field.folded, field.value(owner))
        }
    }
}

/// Fixed merge fields of an `Owner` (a contact, a line), in their merge order: documented name, lowercased name, value.
typealias MergeFieldTable<Owner> = [(name: String, folded: String, value: @Sendable (Owner) -> String)]
