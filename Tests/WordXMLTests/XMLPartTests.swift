import CLibXML2
import Testing
import WordXML

/// The shared parser: what it refuses, the messages it gives, and the prolog it writes back.
@Suite struct XMLPartTests {
    static let w = WordNamespace.main
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"

    func failure(_ xml: String) -> XMLPart.ParseFailure? { failure(bytes: Array(xml.utf8)) }

    func failure(bytes: [UInt8]) -> XMLPart.ParseFailure? {
        do {
            _ = try XMLPart(bytes: bytes)
            return nil
        } catch { return error }
    }

    @Test func doctypeEntitiesAndBrokenXMLAreRefused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY e \"x\">]><w:document/>"
        #expect(failure(bomb)?.message == "a DOCTYPE is not allowed in a Word part")
        #expect(failure(bomb)?.kind == .doctypeOrEmpty)
        // Not UTF-8, so the byte scan misses the DOCTYPE; the parsed document's own check catches it.
        let utf16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>".utf16
        let bytes: [UInt8] = [0xFF, 0xFE] + utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(failure(bytes: bytes)?.message == "a DOCTYPE or an empty document is not allowed in a Word part")
        let broken = failure("<?xml version=\"1.0\"?>\n<a><b></a>")
        #expect(broken?.kind == .notWellFormed)
        #expect(broken?.message.hasPrefix("not well-formed XML (line 2: ") == true, "\(broken?.message ?? "")")
    }

    @Test func asWrittenKeepsEveryByteBeforeTheRoot() throws {
        let xml = "\(Self.declaration)\n<!-- made by hand -->\n<w:document xmlns:w=\"\(Self.w)\"><w:body/></w:document>"
        #expect(try XMLPart(bytes: Array(xml.utf8)).serialized() == Array(xml.utf8))
    }

    @Test func declarationLineKeepsOnlyTheDeclaration() throws {
        let root = "<w:document xmlns:w=\"\(Self.w)\"><w:body/></w:document>"
        let commented = "\(Self.declaration)\n<!-- made by hand -->\n\(root)"
        let part = try XMLPart(bytes: Array(commented.utf8), prolog: .declarationLine)
        #expect(part.serialized() == Array("\(Self.declaration)\r\n\(root)".utf8))
        let bare = try XMLPart(bytes: Array(root.utf8), prolog: .declarationLine)
        #expect(bare.serialized() == Array("\(Self.declaration)\r\n\(root)".utf8))
    }

    @Test func nodeHelpersReadWordElements() throws {
        let xml =
            "<w:document xmlns:w=\"\(Self.w)\" xmlns:x=\"urn:x\"><w:body><w:p><w:r><w:t>Dear </w:t></w:r>"
            + "<x:r/><w:r><w:t><![CDATA[Ann]]></w:t></w:r></w:p><w:sectPr w:val=\"a\" x:val=\"b\" val=\"c\"/></w:body></w:document>"
        let part = try XMLPart(bytes: Array(xml.utf8))
        let body = try #require(part.root.firstWordChild("body"))
        #expect(part.root.isWord("document") && !body.isWord("document"))
        let paragraph = try #require(body.firstWordChild("p"))
        #expect(paragraph.descendantText("t") == "Dear Ann")
        #expect(paragraph.elementChildren.map(\.localName) == ["r", "r", "r"])
        #expect(paragraph.elementChildren.map(\.namespaceURI) == [Self.w, "urn:x", Self.w])
        #expect(body.descendants.filter { $0.isWord("t") }.map(\.textContent) == ["Dear ", "Ann"])
        let text = try #require(body.descendants.first { $0.isWord("t") })
        #expect(text.wordAncestor("p") == paragraph && text.wordAncestor("tbl") == nil)
        let section = try #require(body.firstWordChild("sectPr"))
        #expect(section.wordAttribute("val") == "a")
        #expect(section.attribute("val", namespace: "urn:x") == "b")
        #expect(section.attribute("val", namespace: nil) == "c")
        #expect(String(decoding: XMLPart.serialize([section]), as: UTF8.self) == "<w:sectPr w:val=\"a\" x:val=\"b\" val=\"c\"/>")
    }
}
