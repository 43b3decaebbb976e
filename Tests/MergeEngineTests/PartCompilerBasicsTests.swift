import Testing

@testable import MergeEngine

@Suite struct PartCompilerBasicsTests {
    @Test func complexFieldIsReplacedByItsValue() throws {
        let body =
            "<w:p><w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>"
            + WordXML.complexField(" MERGEFIELD FirstName ") + "<w:r><w:t>,</w:t></w:r></w:p>"
        let rendered = try WordXML.render(body, ["firstname": "Ada"])
        #expect(rendered.paragraphs == ["Dear Ada,"])
        #expect(!rendered.text.contains("fldChar"))
        #expect(!rendered.text.contains("MERGEFIELD"))
    }

    @Test func declarationAndNamespacesAreKeptExactly() throws {
        let body = "<w:p>" + WordXML.complexField(" MERGEFIELD A ") + "</w:p>"
        let rendered = try WordXML.render(body, ["A": "1"])
        #expect(rendered.text.hasPrefix(WordXML.declaration + "<w:document " + WordXML.namespaces + ">"))
    }

    @Test func partWithoutFieldsIsLeftByteForByte() throws {
        let bytes = WordXML.document("<w:p>" + WordXML.complexField(" PAGE ", result: "1") + "</w:p>")
        let part = try WordXML.compile(bytes)
        #expect(!part.hasHoles)
        #expect(try part.render(MergeRecord([:]), missing: .error) == bytes)
    }
}

@Suite struct PartEncodingTests {
    @Test func utf16PartIsCompiledToUTF8() throws {
        let text =
            "<?xml version=\"1.0\" encoding=\"UTF-16\" standalone=\"yes\"?>\r\n<w:document \(WordXML.namespaces)><w:body>"
            + "<w:p><w:r><w:t>Grüße {{Name}}</w:t></w:r></w:p></w:body></w:document>"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let part = try WordXML.compile(bytes)
        let rendered = try RenderedPart(part.render(MergeRecord(["Name": "Zoë"]), missing: .error))
        #expect(rendered.paragraphs == ["Grüße Zoë"])
        #expect(rendered.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
    }
}
