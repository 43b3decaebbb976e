import Testing

@testable import MergeEngine

@Suite struct MissingFieldPolicyTests {
    private let body =
        "<w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t xml:space=\"preserve\">Hi </w:t></w:r>"
        + WordXML.complexField(" MERGEFIELD Nick \\* Upper ", result: "«Nick»") + "<w:r><w:t xml:space=\"preserve\"> {{Team}}</w:t></w:r></w:p>"

    @Test func errorNamesFieldPartParagraphAndCode() throws {
        let part = try WordXML.compile(WordXML.document(body))
        let error = #expect(throws: MissingFieldError.self) {
            try part.render(MergeRecord(["Team": "t"]), missing: .error)
        }
        #expect(error?.field == FieldUse(name: "Nick", part: "word/document.xml", paragraph: 2, code: "MERGEFIELD Nick \\* Upper"))
        #expect(error?.description.contains("Nick") == true)
    }

    @Test func blankRendersNothing() throws {
        let rendered = try WordXML.render(body, [:], missing: .blank)
        #expect(rendered.paragraphs == ["x", "Hi  "])
        #expect(!rendered.text.contains("MERGEFIELD"))
    }

    @Test func keepReemitsTheOriginalField() throws {
        let rendered = try WordXML.render(body, [:], missing: .keep)
        #expect(rendered.paragraphs == ["x", "Hi «Nick» {{Team}}"])
        #expect(rendered.text.contains("<w:instrText xml:space=\"preserve\"> MERGEFIELD Nick \\* Upper </w:instrText>"))
        #expect(rendered.text.contains("<w:fldChar w:fldCharType=\"begin\"/>"))
    }

    @Test func keepLeavesAnIfWithAMissingNestedFieldWhole() throws {
        let nested = WordXML.complexField(" MERGEFIELD Gender ")
        let ifField =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>"
            + nested + "<w:r><w:instrText xml:space=\"preserve\"> = \"F\" \"Ms\" \"Mr\" </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Mr</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let rendered = try WordXML.render("<w:p>\(ifField)</w:p>", [:], missing: .keep)
        #expect(rendered.paragraphs == ["«x»Mr"])
        #expect(rendered.text.contains(" IF "))
    }
}
