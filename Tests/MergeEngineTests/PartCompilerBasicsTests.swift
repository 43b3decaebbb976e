import Testing
@testable import MergeEngine

@Suite struct PartCompilerBasicsTests {
    @Test func complexFieldIsReplacedByItsValue() throws {
        let body = "<w:p><w:r><w:t xml:space=\"preserve\">Dear </w:t></w:r>"
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
