import DocxPackage
import Foundation

/// Small hand-made letters with everything the combiner must renumber: a bookmark used by a
/// REF field and a hyperlink, a comment, a footnote, drawings in the body and the footer, a
/// first-page header (`w:titlePg`) and a `NUMPAGES` field in the footer.
enum TestLetters {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let namespaces = """
        xmlns:w="\(w)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
        xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"
        """
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#

    /// Writes letter `contact` into `folder`; `endsWithTable` puts a table last in the body,
    /// `coverSection` starts it with a section of its own that has no header or footer;
    /// `header` names the default header's entry (in `word/`) and the relationship target to it;
    /// `moreRelationships` is appended to the main document's relationships as it is.
    static func write(
        contact: String, in folder: URL, endsWithTable: Bool = false, coverSection: Bool = false,
        header headerPart: (entry: String, target: String) = ("header1.xml", "header1.xml"),
        moreRelationships: String = ""
    ) throws -> String {
        let path = folder.appendingPathComponent("\(contact).docx").path
        let cover =
            coverSection
            ? "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:pPr><w:r><w:t>Cover \(contact)</w:t></w:r></w:p>" : ""
        let table = endsWithTable ? "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell \(contact)</w:t></w:r></w:p></w:tc></w:tr></w:tbl>" : ""
        let document = """
            \(declaration)<w:document \(namespaces)><w:body>\(cover)\
            <w:p w14:paraId="1000000A"><w:pPr><w:jc w:val="left"/></w:pPr><w:bookmarkStart w:id="0" w:name="Intro"/>\
            <w:r><w:t>Letter for \(contact)</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>\
            <w:p w14:paraId="1000000B"><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> REF Intro \\h </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>ref</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
            <w:hyperlink w:anchor="Intro"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>\
            <w:p><w:commentRangeStart w:id="0"/><w:r><w:t>commented</w:t></w:r><w:commentRangeEnd w:id="0"/>\
            <w:r><w:commentReference w:id="0"/></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>\
            <w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Picture 1"/><a:graphic/></wp:inline></w:drawing></w:r></w:p>\
            \(table)<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:headerReference w:type="first" r:id="rId5"/>\
            <w:footerReference w:type="default" r:id="rId2"/><w:pgSz w:w="11906" w:h="16838"/><w:titlePg/></w:sectPr>\
            </w:body></w:document>
            """
        let header = "\(declaration)<w:hdr \(namespaces)><w:p w14:paraId=\"2000000A\"><w:r><w:t>Header \(contact)</w:t></w:r></w:p></w:hdr>"
        let firstHeader = "\(declaration)<w:hdr \(namespaces)><w:p><w:r><w:t>First page header \(contact)</w:t></w:r></w:p></w:hdr>"
        let footer = """
            \(declaration)<w:ftr \(namespaces)><w:p><w:r><w:t xml:space="preserve">Footer \(contact) of </w:t></w:r>\
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>9</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
            <w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="2" name="Logo"/><a:graphic/></wp:inline></w:drawing></w:r></w:p></w:ftr>
            """
        let footnotes = """
            \(declaration)<w:footnotes \(namespaces)><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
            <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>\
            <w:footnote w:id="1"><w:p><w:r><w:t>Note \(contact)</w:t></w:r></w:p></w:footnote></w:footnotes>
            """
        let comments =
            "\(declaration)<w:comments \(namespaces)><w:comment w:id=\"0\" w:author=\"Test\">"
            + "<w:p><w:r><w:t>Comment \(contact)</w:t></w:r></w:p></w:comment></w:comments>"
        let relationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        let documentRels = """
            \(declaration)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationshipType)header" Target="\(headerPart.target)"/>\
            <Relationship Id="rId2" Type="\(relationshipType)footer" Target="footer1.xml"/>\
            <Relationship Id="rId3" Type="\(relationshipType)footnotes" Target="footnotes.xml"/>\
            <Relationship Id="rId4" Type="\(relationshipType)comments" Target="comments.xml"/>\
            <Relationship Id="rId5" Type="\(relationshipType)header" Target="header2.xml"/>\(moreRelationships)</Relationships>
            """
        let main = "application/vnd.openxmlformats-officedocument.wordprocessingml."
        let contentTypes = """
            \(declaration)<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/word/document.xml" ContentType="\(main)document.main+xml"/>\
            <Override PartName="/word/\(headerPart.entry)" ContentType="\(main)header+xml"/>\
            <Override PartName="/word/header2.xml" ContentType="\(main)header+xml"/>\
            <Override PartName="/word/footer1.xml" ContentType="\(main)footer+xml"/>\
            <Override PartName="/word/footnotes.xml" ContentType="\(main)footnotes+xml"/>\
            <Override PartName="/word/comments.xml" ContentType="\(main)comments+xml"/></Types>
            """
        let packageRels = """
            \(declaration)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationshipType)officeDocument" Target="word/document.xml"/></Relationships>
            """
        let entries: [(name: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", contentTypes), ("_rels/.rels", packageRels), ("word/document.xml", document),
            ("word/_rels/document.xml.rels", documentRels), ("word/" + headerPart.entry, header), ("word/header2.xml", firstHeader),
            ("word/footer1.xml", footer), ("word/footnotes.xml", footnotes), ("word/comments.xml", comments),
        ].map { ($0.0, Array($0.1.utf8)) }
        try DocxWriter.write(entries: entries, to: path)
        return path
    }

    /// A new empty temporary folder.
    static func temporaryFolder() throws -> URL { try Paths.temporaryDirectory("printrun-test") }
}
