import WordXML

/// Word's main document types (`w:mailMerge/w:mainDocumentType`, ECMA-376 Part 1 §17.14.22,
/// ST_MailMergeDocType).
public enum MainDocumentType: String, Sendable, CaseIterable {
    /// Form letters: one document per record.
    case formLetters
    /// Mailing labels: a sheet of labels with NEXT between them, filled record after record.
    case mailingLabels
    /// Envelopes: one per record, the envelope's page size kept.
    case envelopes
    /// Catalog (Word's "Directory"): every record one after another in one document.
    case catalog
    /// E-mail messages: one message per record.
    case email
    /// Faxes: merged as form letters.
    case fax
}

/// What a template's `w:mailMerge` settings say about the merge.
public struct MailMergeSettings: Sendable, Equatable {
    /// `w:mainDocumentType`, when Word saved one.
    public var mainDocumentType: MainDocumentType?
    /// `w:addressFieldName`: the data column holding the e-mail address (e-mail merges).
    public var addressFieldName: String?
    /// `w:mailSubject`: the e-mail subject.
    public var mailSubject: String?

    public init(mainDocumentType: MainDocumentType? = nil, addressFieldName: String? = nil, mailSubject: String? = nil) {
        self.mainDocumentType = mainDocumentType
        self.addressFieldName = addressFieldName
        self.mailSubject = mailSubject
    }

    /// Reads `w:mailMerge` of `word/settings.xml`; an unknown document type is refused.
    static func read(_ bytes: [UInt8], file: String) throws(TemplateError) -> MailMergeSettings {
        let xml: XMLPart
        do { xml = try XMLPart(bytes: bytes) } catch {
            throw TemplateError(file: file, part: SettingsPart.name, message: "cannot read the part: \(error.message)")
        }
        guard let mailMerge = xml.root.firstWordChild("mailMerge") else { return MailMergeSettings() }
        var settings = MailMergeSettings()
        if let value = mailMerge.firstWordChild("mainDocumentType")?.wordAttribute("val") {
            guard let type = MainDocumentType(rawValue: value) else {
                let known = MainDocumentType.allCases.map(\.rawValue).joined(separator: ", ")
                throw TemplateError(
                    file: file, part: SettingsPart.name,
                    message: "w:mainDocumentType \"\(value)\" is not a Word "
                        + "main document type (\(known)); set it again in Word's Mailings tab or pass --type")
            }
            settings.mainDocumentType = type
        }
        settings.addressFieldName = mailMerge.firstWordChild("addressFieldName")?.wordAttribute("val")
        settings.mailSubject = mailMerge.firstWordChild("mailSubject")?.wordAttribute("val")
        return settings
    }
}
