import Foundation

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
        var fields = contact.mergeFields
        if !correspondenceFields.isEmpty { fields.overwrite(with: correspondenceFields) }
        fields.overwrite(with: [
            "SegmentNo": segmentNo,
            "SegmentDescription": segmentDescription,
            "LineNo": String(lineNo),
            "Description": description,
            "Subject": subject,
            "Date": date.description,
            "LanguageCode": languageCode,
            "CorrespondenceType": correspondenceType.rawValue,
            "Comment": comment,
            "CampaignNo": campaignNo,
            "CampaignTarget": campaignTarget ? "Yes" : "No",
            "CampaignResponse": campaignResponse ? "Yes" : "No",
            "SalespersonCode": salespersonCode,
            "SalespersonName": salespersonName,
            "SalespersonEmail": salespersonEmail,
            "SalespersonPhone": salespersonPhone,
            "TemplateCode": template.code,
            "TemplateDescription": template.description,
            "InformationFlow": template.informationFlow.rawValue,
            "InitiatedBy": template.initiatedBy.rawValue,
            "UnitCost": Self.text(unitCost),
            "UnitDuration": Self.text(unitDuration),
        ])
        return fields
    }

    /// `1.25`, `2`: plain digits with a dot, whatever the locale.
    private static func text(_ number: Decimal) -> String {
        NSDecimalNumber(decimal: number).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }
}
