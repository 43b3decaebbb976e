import Testing

@testable import MergeEngine

@Suite struct TemplateErrorTests {
    private func compileError(_ body: String) -> TemplateError? {
        #expect(throws: TemplateError.self) { try WordXML.compile(WordXML.document(body)) }
    }

    private let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    private let separate = "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
    private let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    private func instruction(_ text: String) -> String { "<w:r><w:instrText xml:space=\"preserve\">\(text)</w:instrText></w:r>" }

    @Test func endWithoutBegin() {
        let error = compileError("<w:p><w:r><w:t>a</w:t></w:r></w:p><w:p>\(end)</w:p>")
        #expect(error?.paragraph == 2)
        #expect(error?.part == "word/document.xml")
        #expect(error?.file == "test.docx")
        #expect(error?.message.contains("no matching field begin") == true)
    }

    @Test func beginNeverClosed() {
        let error = compileError("<w:p>\(begin)\(instruction(" MERGEFIELD Name "))</w:p><w:p><w:r><w:t>b</w:t></w:r></w:p>")
        #expect(error?.paragraph == 1)
        #expect(error?.fieldCode == "MERGEFIELD Name")
        #expect(
            error?.description
                == "test.docx: word/document.xml, paragraph 1: a field begins here but never ends (its end mark is missing) (field code: MERGEFIELD Name)")
    }

    @Test func separateOutsideAField() {
        #expect(compileError("<w:p>\(separate)</w:p>")?.message.contains("separator") == true)
        #expect(compileError("<w:p>\(begin)\(instruction(" PAGE "))\(separate)\(separate)\(end)</w:p>") != nil)
    }

    @Test func instructionThatDoesNotParse() {
        let error = compileError("<w:p>\(begin)\(instruction(" IF \"a\" "))\(end)</w:p>")
        #expect(error?.fieldCode == "IF \"a\"")
        #expect(error?.message.isEmpty == false)
    }

    @Test func mergeFieldWithoutName() {
        let error = compileError("<w:p>\(begin)\(instruction(" MERGEFIELD "))\(end)</w:p>")
        #expect(error?.fieldCode == "MERGEFIELD")
        let simple = compileError("<w:p><w:fldSimple w:instr=\" MERGEFIELD  \\* MERGEFORMAT \"/></w:p>")
        #expect(simple?.paragraph == 1)
    }

    @Test func ifFieldSpanningParagraphs() {
        let error = compileError("<w:p>\(begin)\(instruction(" IF 1 = 1 \"one"))</w:p><w:p>\(instruction("two\" \"\" "))\(end)</w:p>")
        #expect(error?.message.contains("several paragraphs") == true)
        #expect(error?.paragraph == 1)
    }

    @Test func mergeFieldSpanningTableCells() {
        let cell = { (content: String) in "<w:tc><w:p>\(content)</w:p></w:tc>" }
        let error = compileError("<w:tbl><w:tr>" + cell("\(begin)\(instruction(" MERGEFIELD A "))\(separate)") + cell(end) + "</w:tr></w:tbl>")
        #expect(error?.message.contains("different cells") == true)
    }

    @Test func thousandNestedFieldsDoNotCrash() {
        let depth = 1_000
        var body = "<w:p>"
        for _ in 0..<depth { body += begin + instruction(" IF 1 = 1 \"") }
        for _ in 0..<depth { body += instruction("\" \"no\" ") + end }
        body += "</w:p>"
        let error = compileError(body)
        #expect(error?.message.contains("nested more than") == true)
    }

    @Test func doctypeIsRefusedAndBrokenXMLReported() {
        let doctype = Array("<?xml version=\"1.0\"?><!DOCTYPE w:document [<!ENTITY e \"x\">]><w:document/>".utf8)
        #expect(throws: TemplateError.self) { try WordXML.compile(doctype) }
        let broken = Array("<?xml version=\"1.0\"?><w:document><w:body></w:document>".utf8)
        let error = #expect(throws: TemplateError.self) { try WordXML.compile(broken) }
        #expect(error?.message.contains("not well-formed") == true)
    }
}
