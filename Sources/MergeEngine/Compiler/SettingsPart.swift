import WordXML

/// `word/settings.xml` made for merged documents: without `w:mailMerge`, so Word does not
/// ask for the data source when the document is opened.
enum SettingsPart {
    static let name = "word/settings.xml"

    /// The settings without `w:mailMerge`, or nil when there is none to remove.
    static func withoutMailMerge(_ bytes: [UInt8], file: String) throws(TemplateError) -> [UInt8]? {
        let xml = try parse(bytes, file: file)
        guard let mailMerge = xml.root.firstWordChild("mailMerge") else { return nil }
        DOMEdit.remove(mailMerge)
        return xml.serialized()
    }

    /// Whether blank lines are to be suppressed: true unless `w:mailMerge` holds a
    /// `w:doNotSuppressBlankLines` that is on (no `w:val`, or `true`, `1`, `on`).
    static func suppressesBlankLines(_ bytes: [UInt8], file: String) throws(TemplateError) -> Bool {
        let xml = try parse(bytes, file: file)
        guard let setting = xml.root.firstWordChild("mailMerge")?.firstWordChild("doNotSuppressBlankLines") else { return true }
        let value = setting.wordAttribute("val")?.lowercased() ?? "true"
        return !["true", "1", "on"].contains(value)
    }

    private static func parse(_ bytes: [UInt8], file: String) throws(TemplateError) -> XMLPart {
        do {
            return try XMLPart(bytes: bytes)
        } catch {
            throw TemplateError(file: file, part: name, message: "cannot read the part: \(error.message)")
        }
    }
}
