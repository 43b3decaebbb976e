import DocxPackage
import Foundation

/// Builds .docx templates as Word writes them: the package parts Word saves, `w:mailMerge`
/// settings as Word's Mailings tab leaves them, fields as Word writes them.
enum WordTemplateBuilder {
    static let namespaces =
        #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#
        + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    /// A complex field as Word writes it: begin, instruction, separate, `«result»`, end.
    static func field(_ instruction: String, result: String) -> String {
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> \(instruction) </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:noProof/></w:rPr><w:t>\(result)</w:t></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    static func mergeField(_ name: String) -> String { field("MERGEFIELD \(name)", result: "«\(name)»") }

    /// Word's «Next Record».
    static let next = "<w:fldSimple w:instr=\" NEXT \"><w:r><w:rPr><w:noProof/></w:rPr><w:t>«Next Record»</w:t></w:r></w:fldSimple>"

    /// `w:mailMerge` as Word saves it after Start Mail Merge with a CSV data source.
    static func mailMerge(_ type: String, extra: String = "") -> String {
        "<w:mailMerge><w:mainDocumentType w:val=\"\(type)\"/><w:linkToQuery/><w:dataType w:val=\"textFile\"/>"
            + "<w:connectString w:val=\"\"/><w:query w:val=\"SELECT * FROM C:\\data.csv\"/>\(extra)"
            + "<w:odso><w:udl w:val=\"\"/><w:type w:val=\"textFile\"/></w:odso></w:mailMerge>"
    }

    /// Writes a template with `body` (inside `w:body`, before `sectPr`) and `mailMerge` settings.
    static func write(to url: URL, body: String, sectPr: String = letterSection, mailMerge: String = "") throws {
        let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
        let entries: [(name: String, bytes: [UInt8])] = [
            (
                "[Content_Types].xml",
                Array(
                    (declaration + """
                        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                        <Default Extension="xml" ContentType="application/xml"/>\
                        <Override PartName="/word/document.xml"\
                         ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
                        <Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>\
                        </Types>
                        """).utf8)
            ),
            (
                "_rels/.rels",
                Array(
                    (declaration + """
                        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                        <Relationship Id="rId1"\
                         Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
                        </Relationships>
                        """).utf8)
            ),
            (
                "word/_rels/document.xml.rels",
                Array(
                    (declaration + """
                        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>\
                        </Relationships>
                        """).utf8)
            ),
            ("word/document.xml", Array((declaration + "<w:document \(namespaces)><w:body>\(body)\(sectPr)</w:body></w:document>").utf8)),
            (
                "word/settings.xml",
                Array(
                    (declaration + "<w:settings \(namespaces)><w:zoom w:percent=\"100\"/>\(mailMerge)"
                        + "<w:defaultTabStop w:val=\"720\"/></w:settings>").utf8)
            ),
        ]
        try DocxWriter.write(entries: entries, to: url.path)
    }

    static let letterSection =
        "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" "
        + "w:bottom=\"1440\" w:left=\"1440\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr>"

    /// A 3×7 label sheet on A4 (63.5 × 38.1 mm labels), as Word's Labels dialog lays it out:
    /// `{ NEXT }` at the start of every label but the first.
    static func labelSheet(fields: String) -> String {
        var rows = ""
        for row in 0..<7 {
            rows += "<w:tr><w:trPr><w:trHeight w:hRule=\"exact\" w:val=\"2160\"/></w:trPr>"
            for column in 0..<3 {
                let first = row == 0 && column == 0
                rows +=
                    "<w:tc><w:tcPr><w:tcW w:w=\"3600\" w:type=\"dxa\"/></w:tcPr>"
                    + "<w:p><w:pPr><w:spacing w:before=\"111\"/><w:ind w:left=\"95\" w:right=\"95\"/></w:pPr>"
                    + (first ? "" : next) + fields + "</w:p></w:tc>"
            }
            rows += "</w:tr>"
        }
        return "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr>"
            + "<w:tblGrid><w:gridCol w:w=\"3600\"/><w:gridCol w:w=\"3600\"/><w:gridCol w:w=\"3600\"/></w:tblGrid>\(rows)</w:tbl>"
            + "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>"
    }

    static let labelSection =
        "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"669\" w:right=\"561\" w:bottom=\"0\" "
        + "w:left=\"561\" w:header=\"0\" w:footer=\"0\" w:gutter=\"0\"/><w:cols w:space=\"720\"/></w:sectPr>"
    /// A DL envelope (220 × 110 mm), landscape, as Word's Envelopes dialog sets it.
    static let envelopeSection =
        "<w:sectPr><w:pgSz w:w=\"12474\" w:h=\"6237\" w:orient=\"landscape\"/><w:pgMar w:top=\"720\" "
        + "w:right=\"864\" w:bottom=\"720\" w:left=\"576\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr>"
}
