import DocxPackage
import Foundation
import MailMergeTestSupport
import MergeEngine
import PrintRun
import Testing
import WordXML

/// `LetterText.plainText(ofMainPart:)` (one walk over the tree, names compared as libxml2 holds them) gives exactly the
/// text of the walk it replaced (`ReferenceText`: every paragraph's descendants, each node's nearest paragraph looked up),
/// on every sample template and Word-made template, as written and merged with Unicode, markup and empty values.
@Suite struct LetterTextTests {
    static let templates = Paths.sampleTemplates + WordCorpus.docxNames().map(WordCorpus.path)

    @Test(arguments: templates)
    func templateAsWritten(_ path: String) throws {
        let archive = try DocxArchive(path: path)
        let main = try archive.mainDocument()
        let bytes = try archive.read(main)
        let text = try LetterText.plainText(ofMainPart: bytes, file: path, part: main)
        #expect(text == (try ReferenceText.plainText(bytes)), "\(path)")
        #expect(try LetterText.plainText(ofLetter: path) == text)
    }

    @Test(arguments: templates)
    func mergedLetters(_ path: String) throws {
        let archive = try DocxArchive(path: path)
        let template = try CompiledTemplate.compile(archive)
        let main = try archive.mainDocument()
        let values = [
            "Zoë Ærøskøbing-Ñúñez 日本語 😀", "Zoë Ærøskøbing", "", "  spaces  around  ", "a & b < c > d \"quoted\" 'apostrophe'", "tab\there",
            "line\nbreak", "]]> <![CDATA[ x ]]>", "&amp; &#x41;",
        ]
        for value in values {
            let record = MergeRecord(folded: Dictionary(template.fieldNames.map { ($0.lowercased(), value) }) { first, _ in first }, children: [:])
            let parts = try template.render(record, missing: .blank)
            let bytes = try parts[main] ?? archive.read(main)
            let text = try LetterText.plainText(ofMainPart: bytes, file: path, part: main)
            #expect(text == (try ReferenceText.plainText(bytes)), "\(path) with \(value.debugDescription)")
            if !value.isEmpty && !template.fieldNames.isEmpty && parts[main] != nil && value.allSatisfy({ $0.isLetter || $0 == " " }) {
                #expect(text.contains(value.trimmingCharacters(in: .whitespaces)), "\(path): the merged value is in the text")
            }
        }
    }

    /// Parts written by hand: a text box's paragraph inside a paragraph, another prefix for the WordprocessingML
    /// namespace, an element of another namespace named `t`, CDATA, character references, text outside paragraphs,
    /// deleted text and field codes, empty paragraphs, a body without paragraphs and a part without a body.
    @Test(arguments: [
        """
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:x="urn:other"><w:body>\
        <w:p><w:r><w:t>Before</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>In the box</w:t><w:tab/><w:t>ü</w:t></w:r></w:p>\
        <w:p/></w:txbxContent></w:pict></w:r><w:r><w:t xml:space="preserve"> after </w:t><w:br/><w:cr/><x:t>not Word</x:t></w:r></w:p>\
        <w:p><w:r><w:instrText> MERGEFIELD Name </w:instrText><w:delText>gone</w:delText><w:t><![CDATA[<kept> & ]]>&#x263A;&amp;&lt;</w:t></w:r></w:p>\
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:r><w:t>outside a paragraph</w:t></w:r>\
        <w:p></w:p><w:sectPr/></w:body></w:document>
        """,
        """
        <doc:document xmlns:doc="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><doc:body><doc:p><doc:r>\
        <doc:t>Other prefix</doc:t></doc:r></doc:p><p xmlns="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><r><t>default\r\nnamespace</t></r></p>\
        </doc:body></doc:document>
        """,
        #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:sectPr/></w:body></w:document>"#,
        #"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:background/></w:document>"#,
    ])
    func handWritten(_ xml: String) throws {
        let bytes = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + xml).utf8)
        let text = try LetterText.plainText(ofMainPart: bytes, file: "hand.docx", part: "word/document.xml")
        #expect(text == (try ReferenceText.plainText(bytes)))
    }

    @Test func handWrittenLines() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\
            <w:p><w:r><w:t>Before</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>box</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>\
            <w:r><w:t> after</w:t><w:tab/><w:t>Zoë</w:t></w:r></w:p><w:p/><w:p><w:r><w:t>&amp;</w:t><w:br/></w:r></w:p></w:body></w:document>
            """
        let text = try LetterText.plainText(ofMainPart: Array(xml.utf8), file: "hand.docx", part: "word/document.xml")
        #expect(text == "Before after\tZoë\nbox\n\n&\n")
    }
}

/// The walk `LetterText.plainText(ofMainPart:)` made before it walked the tree once: kept here as the reference its
/// text must equal.
private enum ReferenceText {
    static func plainText(_ bytes: [UInt8]) throws -> String {
        let tree = try XMLPart(bytes: bytes, prolog: .declarationLine)
        guard let body = tree.root.firstWordChild("body") else { return "" }
        var lines: [String] = []
        for paragraph in body.descendants where paragraph.isWord("p") {
            var line = ""
            for node in paragraph.descendants where node.namespaceURI == WordNamespace.main {
                guard nearestParagraph(of: node) == paragraph else { continue }
                switch node.localName {
                case "t": line += node.textContent
                case "tab": line += "\t"
                case "br", "cr": line += "\n"
                default: break
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func nearestParagraph(of node: XMLNodePointer) -> XMLNodePointer? {
        var current = node.pointee.parent
        while let parent = current {
            if parent.isWord("p") { return parent }
            current = parent.pointee.parent
        }
        return nil
    }
}
