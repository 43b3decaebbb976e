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

    /// `foldedMergeFields` with only the lowercased names in `keys` (all of them when nil): the fields a template may
    /// read (`CompiledTemplate.recordKeys`), the others' values not even made. A line's record held 56 fields where a
    /// letter reads about 20, and making them showed in log-segment's profiles.
    public func foldedMergeFields(keeping keys: Set<String>?) -> [String: String] {
        guard let keys else { return foldedMergeFields }
        var fields: [String: String] = [:]
        fields.reserveCapacity(keys.count)
        forEachMergeField { _, folded, value in if keys.contains(folded) { fields[folded] = value() } }
        return fields
    }

    /// Gives `body` each merge field (documented name, lowercased name, value), a later one replacing an earlier one of
    /// the same lowercased name: the contact's (`Contact.forEachMergeField`), the correspondence fields, then the
    /// interaction's, the salesperson's and the template's. A value is made only when `body` asks for it.
    func forEachMergeField(_ body: (_ name: String, _ folded: String, _ value: @autoclosure () -> String) -> Void) {
        contact.forEachMergeField(body)
        for (name, value) in correspondenceFields { body(name, name.lowercased(), value) }
        body("SegmentNo", "segmentno", segmentNo)
        body("SegmentDescription", "segmentdescription", segmentDescription)
        body("LineNo", "lineno", String(lineNo))
        body("Description", "description", description)
        body("Subject", "subject", subject)
        body("Date", "date", date.description)
        body("LanguageCode", "languagecode", languageCode)
        body("CorrespondenceType", "correspondencetype", correspondenceType.rawValue)
        body("Comment", "comment", comment)
        body("CampaignNo", "campaignno", campaignNo)
        body("CampaignTarget", "campaigntarget", campaignTarget ? "Yes" : "No")
        body("CampaignResponse", "campaignresponse", campaignResponse ? "Yes" : "No")
        body("SalespersonCode", "salespersoncode", salespersonCode)
        body("SalespersonName", "salespersonname", salespersonName)
        body("SalespersonEmail", "salespersonemail", salespersonEmail)
        body("SalespersonPhone", "salespersonphone", salespersonPhone)
        body("TemplateCode", "templatecode", template.code)
        body("TemplateDescription", "templatedescription", template.description)
        body("InformationFlow", "informationflow", template.informationFlow.rawValue)
        body("InitiatedBy", "initiatedby", template.initiatedBy.rawValue)
        body("UnitCost", "unitcost", Self.text(unitCost))
        body("UnitDuration", "unitduration", Self.text(unitDuration))
    }

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
