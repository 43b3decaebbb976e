import DocxPackage
import Foundation
import MailMergeTestSupport
import MergeEngine
import PrintRun
import Testing
import WordXML

/// `LetterText.plainText(ofMainPart:)` (the part read as SAX events, no tree) gives exactly the text of the tree walk it
/// replaced (`ReferenceText`: every paragraph's descendants, each node's nearest paragraph looked up), on every sample
/// template and Word-made template, as written and merged with Unicode, markup and empty values, and on parts written by
/// hand that pin the rules; it refuses a part as `XMLPart` does.
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
    /// The rules the walk keeps, written out (the reference above could share a mistake): a paragraph nested in a
    /// text run is a line of its own and the text after it stays on its paragraph's line; a `w:t`'s own text comes
    /// before what elements inside it add; only the root's first `w:body` is read; character data in pieces (entity
    /// and character references, CDATA, text longer than libxml2 passes at once) is joined.
    @Test(arguments: [
        (
            "<w:p><w:r><w:t>x<w:p><w:r><w:t>in</w:t><w:br/></w:r></w:p>y</w:t><w:tab/><w:t>z</w:t></w:r></w:p><w:p><w:r><w:t>last</w:t></w:r></w:p>",
            "xy\tz\nin\n\nlast"
        ),
        ("<w:p><w:r><w:t>a<w:t>b<w:tab/></w:t>c<w:br/></w:t><w:t>d</w:t></w:r></w:p>", "acb\t\nd"),
        (
            "<w:p><w:r><w:t>&amp;&lt;&gt;&quot;&apos;&#9;&#x41;<![CDATA[&amp;]]>Zoë 日本 😀</w:t><w:delText>no</w:delText>"
                + "<w:instrText>no</w:instrText><w:cr/><w:t xml:space=\"preserve\">   </w:t></w:r></w:p>",
            "&<>\"'\tA&amp;Zoë 日本 😀\n   "
        ),
        ("<w:p><w:r><w:t>" + String(repeating: "long &amp; text ", count: 400) + "</w:t></w:r></w:p>", String(repeating: "long & text ", count: 400)),
        ("<w:p/>\n  <w:p>\n  <w:r>\n <w:t>spaced</w:t>\n </w:r>\n</w:p>\n", "\nspaced"),
    ])
    func nestingRules(_ body: String, _ expected: String) throws {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<w:document xmlns:w=\"\(WordNamespace.main)\"><w:p><w:r><w:t>before the body</w:t></w:r></w:p>"
            + "<w:body>\(body)</w:body><w:body><w:p><w:r><w:t>a second body</w:t></w:r></w:p></w:body></w:document>"
        let bytes = Array(xml.utf8)
        let text = try LetterText.plainText(ofMainPart: bytes, file: "hand.docx", part: "word/document.xml")
        #expect(text == expected)
        #expect(text == (try ReferenceText.plainText(bytes)))
    }

    /// A part in UTF-16 is read as libxml2 converts it, as the tree had it.
    @Test func utf16Part() throws {
        let xml =
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><w:document xmlns:w=\"\(WordNamespace.main)\"><w:body><w:p><w:r><w:t>Zoë 😀</w:t>"
            + "</w:r></w:p></w:body></w:document>"
        let bytes: [UInt8] = [0xFF, 0xFE] + xml.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let text = try LetterText.plainText(ofMainPart: bytes, file: "hand.docx", part: "word/document.xml")
        #expect(text == "Zoë 😀")
        #expect(text == (try ReferenceText.plainText(bytes)))
    }

    /// A damaged part or one with a DOCTYPE is refused naming the letter and the part, with the parser's message as
    /// `XMLPart` gives it (and the advice for a damaged letter); the next part is read as if nothing failed.
    @Test(arguments: [
        "<w:document xmlns:w=\"\(WordNamespace.main)\"><w:body><w:p><w:r><w:t>cut</w:t></w:r></w:body></w:document>",
        "<w:document xmlns:w=\"\(WordNamespace.main)\"><w:body><w:p><w:r><w:t>&undefined;</w:t></w:r></w:p></w:body></w:document>",
        "<!DOCTYPE w:document [<!ENTITY e \"x\">]><w:document xmlns:w=\"\(WordNamespace.main)\"/>",
        "",
    ])
    func refusedPart(_ xml: String) throws {
        let bytes = Array(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml).utf8)
        var refused: XMLPart.ParseFailure?
        do throws(XMLPart.ParseFailure) { _ = try XMLPart(bytes: bytes) } catch { refused = error }
        let failure = try #require(refused)
        let error = #expect(throws: DocxError.self) {
            try LetterText.plainText(ofMainPart: bytes, file: "letters/hand.docx", part: "word/document.xml")
        }
        #expect(error?.file == "letters/hand.docx")
        #expect(error?.part == "word/document.xml")
        #expect(error?.message == failure.message + (failure.kind == .notWellFormed ? "; the letter is damaged, write it again" : ""))
        let next = "<?xml version=\"1.0\"?><w:document xmlns:w=\"\(WordNamespace.main)\"><w:body><w:p><w:r><w:t>next</w:t></w:r></w:p></w:body></w:document>"
        #expect(try LetterText.plainText(ofMainPart: Array(next.utf8), file: "next.docx", part: "word/document.xml") == "next")
    }
}

/// The tree walk `LetterText.plainText(ofMainPart:)` made before it walked the tree once (and before it read events):
/// kept here as the reference its text must equal.
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
