import Foundation
import Testing

@testable import MergeEngine

@Suite struct IfFieldRenderingTests {
    private func nested(_ instruction: String) -> String {
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\">\(instruction)</w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>«x»</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    private func ifField(_ parts: [String], properties: String = "<w:rPr><w:u w:val=\"single\"/></w:rPr>") -> String {
        var xml = "<w:r>\(properties)<w:fldChar w:fldCharType=\"begin\"/></w:r>"
        for part in parts {
            if part.hasPrefix("<") {
                xml += part
            } else {
                xml += "<w:r>\(properties)<w:instrText xml:space=\"preserve\">\(part)</w:instrText></w:r>"
            }
        }
        return xml + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>old</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    @Test func nestedMergeFieldsInOperandAndBranches() throws {
        let field = ifField([
            " IF ", nested(" MERGEFIELD Gender "), " = \"F\" \"Dear Ms ", nested(" MERGEFIELD Name "),
            "\" \"Dear Mr ", nested(" MERGEFIELD Name "), "\" ",
        ])
        let body = "<w:p>\(field)</w:p>"
        #expect(try WordXML.render(body, ["Gender": "F", "Name": "Curie"]).paragraphs == ["Dear Ms Curie"])
        let rendered = try WordXML.render(body, ["Gender": "M", "Name": "Bohr"])
        #expect(rendered.paragraphs == ["Dear Mr Bohr"])
        #expect(rendered.properties(ofRunWith: "Dear Mr Bohr") == [["u"]])
        #expect(!rendered.text.contains("instrText"))
    }

    @Test func nestedIfInsideIf() throws {
        let inner = ifField([" IF ", nested(" MERGEFIELD Country "), " = \"BE\" \"Belgian\" \"foreign\" "], properties: "")
        let outer = ifField([" IF ", nested(" MERGEFIELD Vip "), " = \"yes\" \"VIP\" \"", inner, "\" "])
        let body = "<w:p>\(outer)</w:p>"
        #expect(try WordXML.render(body, ["Vip": "yes", "Country": "BE"]).paragraphs == ["VIP"])
        #expect(try WordXML.render(body, ["Vip": "no", "Country": "BE"]).paragraphs == ["Belgian"])
        #expect(try WordXML.render(body, ["Vip": "no", "Country": "NL"]).paragraphs == ["foreign"])
        let part = try WordXML.compile(WordXML.document(body))
        #expect(part.uses.map(\.name) == ["Vip", "Country"])
        #expect(part.uses.map(\.code) == ["MERGEFIELD Vip", "MERGEFIELD Country"])
    }

    @Test func mergeFormatOnIfKeepsResultFormatting() throws {
        let field = ifField([" IF 1 = 1 \"yes\" \"no\" \\* MERGEFORMAT "])
            .replacingOccurrences(of: "<w:t>old</w:t>", with: "<w:rPr><w:i/></w:rPr><w:t>old</w:t>")
        let rendered = try WordXML.render("<w:p>\(field)</w:p>", [:])
        #expect(rendered.paragraphs == ["yes"])
        #expect(rendered.properties(ofRunWith: "yes") == [["i"]])
    }

    @Test func nestedOtherFieldUsesItsCurrentResult() throws {
        let field = ifField([" IF ", nested(" PAGE "), " = \"«x»\" \"same\" \"different\" "])
        #expect(try WordXML.render("<w:p>\(field)</w:p>", [:]).paragraphs == ["same"])
    }
}
