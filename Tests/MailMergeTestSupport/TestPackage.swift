import DocxPackage
import Foundation

/// Small .docx packages built by the tests themselves (always there, unlike the Word corpus).
public enum TestPackage {
    public static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// A package holding only `[Content_Types].xml`, `_rels/.rels` and `word/document.xml` = `documentXML`, plus
    /// `parts` (path, bytes) with `defaults` (extension → content type) added to the content types.
    public static func write(
        documentXML: String, parts: [(String, [UInt8])] = [], defaults: [(String, String)] = [], to url: URL
    ) throws {
        let extra = defaults.map { "<Default Extension=\"\($0.0)\" ContentType=\"\($0.1)\"/>" }.joined()
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\(extra)\
            <Override PartName="/word/document.xml" \
            ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """
        let rels = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/></Relationships>
            """
        try DocxWriter.write(
            entries: [
                ("[Content_Types].xml", Array(contentTypes.utf8)), ("_rels/.rels", Array(rels.utf8)),
                ("word/document.xml", Array(documentXML.utf8)),
            ] + parts, to: url.path)
    }

    /// A letter with one paragraph per field in `fields`, each a complex MERGEFIELD as Word writes
    /// it (instruction split over two runs, «name» result), preceded by its name and a colon.
    public static func letter(fields: [String], to url: URL) throws {
        let paragraphs = fields.map { name in
            "<w:p><w:r><w:t xml:space=\"preserve\">\(name): </w:t></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                + "<w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD </w:instrText></w:r>"
                + "<w:r><w:instrText xml:space=\"preserve\">\(name) </w:instrText></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>«\(name)»</w:t></w:r>"
                + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        }.joined()
        try write(
            documentXML: "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<w:document xmlns:w=\"\(w)\"><w:body>\(paragraphs)</w:body></w:document>", to: url)
    }
}
