import Testing

@testable import MergeEngine

@Suite struct PlaceholderTests {
    @Test func placeholderInOneRun() throws {
        let body = "<w:p><w:r><w:t xml:space=\"preserve\">Dear {{FirstName}}, hi {{ LastName }}!</w:t></w:r></w:p>"
        let rendered = try WordXML.render(body, ["FirstName": "Ada", "LastName": "Lovelace"])
        #expect(rendered.paragraphs == ["Dear Ada, hi Lovelace!"])
    }

    @Test func placeholderSplitAcrossRunsTakesTheFormattingWhereItStarts() throws {
        let body = """
            <w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Hello {</w:t></w:r>\
            <w:proofErr w:type="spellStart"/><w:r><w:rPr><w:i/></w:rPr><w:t>{Na</w:t></w:r><w:proofErr w:type="spellEnd"/>\
            <w:r><w:t>me}</w:t></w:r><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">} and more</w:t></w:r></w:p>
            """
        let rendered = try WordXML.render(body, ["name": "Grace"])
        #expect(rendered.paragraphs == ["Hello Grace and more"])
        #expect(rendered.properties(ofRunWith: "Hello ") == [["b"]])
        #expect(rendered.properties(ofRunWith: "Grace") == [["b"]])
        #expect(rendered.properties(ofRunWith: " and more") == [["u"]])
        #expect(!rendered.text.contains("{"))
    }

    @Test func placeholdersAreListedWithParagraphAndCode() throws {
        let body = "<w:p><w:r><w:t>Title</w:t></w:r></w:p><w:p><w:r><w:t>{{ City }} and {{Zip}}</w:t></w:r></w:p>"
        let part = try WordXML.compile(WordXML.document(body))
        #expect(
            part.uses == [
                FieldUse(name: "City", part: "word/document.xml", paragraph: 2, code: "{{ City }}"),
                FieldUse(name: "Zip", part: "word/document.xml", paragraph: 2, code: "{{Zip}}"),
            ])
    }

    @Test func bracesThatAreNotPlaceholdersStay() throws {
        let body = "<w:p><w:r><w:t>{{}} { {x} } {{a{b}} {{ok}}</w:t></w:r></w:p>"
        let rendered = try WordXML.render(body, ["ok": "yes"])
        #expect(rendered.paragraphs == ["{{}} { {x} } {{a{b}} yes"])
    }

    @Test func placeholderNextToAFieldDoesNotSpanIt() throws {
        let body = "<w:p><w:r><w:t>{{A</w:t></w:r>" + WordXML.complexField(" MERGEFIELD B ") + "<w:r><w:t>}} {{C}}</w:t></w:r></w:p>"
        let rendered = try WordXML.render(body, ["B": "b", "C": "c"])
        #expect(rendered.paragraphs == ["{{Ab}} c"])
    }
}

@Suite struct PlaceholderAndFieldInOneRunTests {
    @Test func placeholdersSharingRunsWithFieldMarks() throws {
        let body = """
            <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{{A}}</w:t><w:fldChar w:fldCharType="begin"/>\
            <w:instrText> MERGEFIELD F </w:instrText><w:fldChar w:fldCharType="separate"/><w:t>«F»</w:t>\
            <w:fldChar w:fldCharType="end"/><w:t xml:space="preserve"> {{B}}.</w:t></w:r></w:p>
            """
        let rendered = try WordXML.render(body, ["A": "a", "F": "f", "B": "b"])
        #expect(rendered.paragraphs == ["af b."])
        #expect(rendered.runs.allSatisfy { $0.properties == ["b"] })
        #expect(!rendered.text.contains("fldChar"))
    }
}
