import WordXML

/// `word/settings.xml` made for merged documents: without `w:mailMerge`, so Word does not
/// ask for the data source when the document is opened.
enum SettingsPart {
    static let name = "word/settings.xml"

    /// The settings without `w:mailMerge`, or nil when there is none to remove.
    static func withoutMailMerge(_ bytes: [UInt8], file: String) throws(TemplateError) -> [UInt8]? {
        let xml: XMLPart
        do {
            xml = try XMLPart(bytes: bytes)
        } catch {
            throw TemplateError(file: file, part: name, message: "cannot read the part: \(error.message)")
        }
        guard let mailMerge = xml.root.firstWordChild("mailMerge") else { return nil }
        DOMEdit.remove(mailMerge)
        return xml.serialized()
    }
}
