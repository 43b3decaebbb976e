import DocxPackage
import Foundation
import Testing

@testable import MergeEngine

/// Word's "suppress blank lines": a paragraph of nothing but merge fields that all come out
/// empty is left out of the merged document.
@Suite struct BlankLineSuppressionTests {
    private func paragraph(_ content: String) -> String { "<w:p><w:pPr><w:pStyle w:val=\"NoSpacing\"/></w:pPr>\(content)</w:p>" }
    private func field(_ instruction: String) -> String { WordXML.complexField(" \(instruction) ") }
    private func text(_ value: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(value)</w:t></w:r>" }
    private let closing = "<w:p><w:r><w:t>Regards</w:t></w:r></w:p>"

    private var addressBlock: String {
        paragraph(field("MERGEFIELD CompanyName"))
            + paragraph(field("MERGEFIELD FullName") + field("MERGEFIELD JobTitle \\b \", \""))
            + paragraph(field("MERGEFIELD Address"))
            + closing
    }

    @Test func addressBlockDropsTheEmptyNameLineAndKeepsFilledLines() throws {
        let company = try WordXML.render(addressBlock, ["CompanyName": "Cronus", "FullName": "", "JobTitle": "", "Address": "Fairway 3"])
        #expect(company.paragraphs == ["Cronus", "Fairway 3", "Regards"])
        #expect(!company.text.contains("NoSpacing\"/></w:pPr></w:p>"))

        let person = try WordXML.render(addressBlock, ["CompanyName": "Cronus", "FullName": "Ada Lovelace", "JobTitle": "Analyst", "Address": "Fairway 3"])
        #expect(person.paragraphs == ["Cronus", "Ada Lovelace, Analyst", "Fairway 3", "Regards"])

        let titleOnly = try WordXML.render(addressBlock, ["CompanyName": "", "FullName": "", "JobTitle": "Analyst", "Address": ""])
        #expect(titleOnly.paragraphs == [", Analyst", "Regards"])
    }

    @Test func consecutiveEmptyLinesAreAllDropped() throws {
        let body = paragraph(field("MERGEFIELD A")) + paragraph(field("MERGEFIELD B")) + paragraph(field("MERGEFIELD C")) + closing
        #expect(try WordXML.render(body, ["A": "", "B": "", "C": ""]).paragraphs == ["Regards"])
        #expect(try WordXML.render(body, ["A": "", "B": "b", "C": ""]).paragraphs == ["b", "Regards"])
        #expect(try WordXML.render(body, ["A": "a", "B": "", "C": "c"]).paragraphs == ["a", "c", "Regards"])
    }

    @Test func literalTextBesideAnEmptyFieldKeepsTheParagraph() throws {
        let body = paragraph(text("Name: ") + field("MERGEFIELD FullName")) + paragraph(text(".") + field("MERGEFIELD FullName")) + closing
        #expect(try WordXML.render(body, ["FullName": ""]).paragraphs == ["Name: ", ".", "Regards"])
    }

    @Test func proofingMarksEmptyRunsAndBookmarksDoNotKeepTheParagraph() throws {
        let line =
            "<w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/><w:proofErr w:type=\"spellStart\"/>"
            + "<w:r><w:t></w:t></w:r>" + field("MERGEFIELD FullName") + "<w:r><w:rPr><w:b/></w:rPr></w:r>"
            + "<w:proofErr w:type=\"spellEnd\"/><w:bookmarkEnd w:id=\"0\"/>"
        let rendered = try WordXML.render(paragraph(line) + closing, ["FullName": ""])
        #expect(rendered.paragraphs == ["Regards"])
        #expect(!rendered.text.contains("_GoBack"))
        #expect(try WordXML.render(paragraph(line) + closing, ["FullName": "Ada"]).paragraphs == ["Ada", "Regards"])
    }

    /// ECMA-376 §17.14.12 suppresses "lines whose sole contents are merge fields"; a literal space
    /// between two fields is content, so Word keeps the line (the usual fix: `\f " "`).
    @Test func aLiteralSpaceBetweenFieldsKeepsTheParagraphASpaceInAnFSwitchDoesNot() throws {
        let spaced = paragraph(field("MERGEFIELD first_name") + text(" ") + field("MERGEFIELD last_name")) + closing
        #expect(try WordXML.render(spaced, ["first_name": "", "last_name": ""]).paragraphs == [" ", "Regards"])
        let switched = paragraph(field("MERGEFIELD first_name \\f \" \"") + field("MERGEFIELD last_name")) + closing
        #expect(try WordXML.render(switched, ["first_name": "", "last_name": ""]).paragraphs == ["Regards"])
        #expect(try WordXML.render(switched, ["first_name": "Ada", "last_name": "King"]).paragraphs == ["Ada King", "Regards"])
    }

    @Test func tabsBreaksDrawingsAndSectionBreaksKeepTheParagraph() throws {
        let empty = ["A": ""]
        for content in [
            "<w:r><w:tab/></w:r>", "<w:r><w:br/></w:r>", "<w:r><w:footnoteReference w:id=\"1\"/></w:r>",
            "<w:r><w:drawing/></w:r>", "<w:hyperlink w:anchor=\"x\"><w:r><w:t>link</w:t></w:r></w:hyperlink>",
        ] {
            let rendered = try WordXML.render(paragraph(content + field("MERGEFIELD A")) + closing, empty)
            #expect(rendered.paragraphs.count == 2, "\(content)")
        }
        let sectionEnd = "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:pPr>\(field("MERGEFIELD A"))</w:p>"
        #expect(try WordXML.render(sectionEnd + closing, empty).paragraphs == ["", "Regards"])
    }

    @Test func aBookmarkSomethingRefersToKeepsTheParagraph() throws {
        let line = "<w:p><w:bookmarkStart w:id=\"3\" w:name=\"NameLine\"/>\(field("MERGEFIELD FullName"))<w:bookmarkEnd w:id=\"3\"/></w:p>"
        let reference = "<w:p><w:fldSimple w:instr=\" REF NameLine \\h \"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
        #expect(try WordXML.render(line + reference, ["FullName": ""]).paragraphs == ["", "x"])
        let link = "<w:p><w:hyperlink w:anchor=\"nameline\"><w:r><w:t>see</w:t></w:r></w:hyperlink></w:p>"
        #expect(try WordXML.render(line + link, ["FullName": ""]).paragraphs == ["", "see"])
        let unreferenced = "<w:p><w:fldSimple w:instr=\" REF Other \"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>"
        #expect(try WordXML.render(line + unreferenced, ["FullName": ""]).paragraphs == ["x"])
    }

    @Test func theLastParagraphOfACellOrTheBodyIsKeptEvenWhenEmpty() throws {
        let cell =
            "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>"
            + paragraph(field("MERGEFIELD A")) + paragraph(field("MERGEFIELD B")) + "</w:tc>"
        let body =
            "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"2000\"/></w:tblGrid><w:tr>\(cell)</w:tr></w:tbl>"
            + closing + paragraph(field("MERGEFIELD C")) + "<w:sectPr/>"
        let rendered = try WordXML.render(body, ["A": "", "B": "", "C": ""])
        #expect(rendered.paragraphs == ["", "Regards", ""])
        let cellXML = try #require(
            rendered.text.range(of: "<w:tc>").flatMap { start in
                rendered.text.range(of: "</w:tc>").map { String(rendered.text[start.lowerBound..<$0.upperBound]) }
            })
        #expect(cellXML.components(separatedBy: "<w:p>").count == 2)
        #expect(try WordXML.render(body, ["A": "a", "B": "", "C": ""]).paragraphs == ["a", "", "Regards", ""])
    }

    @Test func aParagraphBetweenTwoTablesIsKept() throws {
        let table = "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w=\"2000\"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
        let rendered = try WordXML.render(table + paragraph(field("MERGEFIELD A")) + table + closing, ["A": ""])
        #expect(rendered.paragraphs == ["", "", "", "Regards"])
    }

    @Test func anIfYieldingEmptyTextCountsAsEmpty() throws {
        let condition =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>" + field("MERGEFIELD Kind")
            + "<w:r><w:instrText xml:space=\"preserve\"> = \"Company\" \"\" \"Dear friend\" </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Dear friend</w:t></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let body = paragraph(condition) + closing
        #expect(try WordXML.render(body, ["Kind": "Company"]).paragraphs == ["Regards"])
        #expect(try WordXML.render(body, ["Kind": "Person"]).paragraphs == ["Dear friend", "Regards"])
    }

    @Test func aPlaceholderLineIsDroppedWhenEmpty() throws {
        let body = paragraph(text("{{FullName}}")) + closing
        #expect(try WordXML.render(body, ["FullName": ""]).paragraphs == ["Regards"])
        #expect(try WordXML.render(body, ["FullName": "Ada"]).paragraphs == ["Ada", "Regards"])
    }

    @Test func aFieldKeptForMissingDataIsNotEmpty() throws {
        let body = paragraph(field("MERGEFIELD FullName")) + closing
        let kept = try WordXML.render(body, [:], missing: .keep)
        #expect(kept.paragraphs == ["«x»", "Regards"])
        #expect(kept.text.contains("MERGEFIELD FullName"))
        #expect(try WordXML.render(body, [:], missing: .blank).paragraphs == ["Regards"])
    }

    @Test func theSampleLetterHasNoEmptyLineBetweenCompanyAndAddress() throws {
        let template = try CompiledTemplate.compile(try DocxArchive(path: Self.sampleTemplate))
        // The letter's address is «AddressLine1» … «AddressLine8», a paragraph each.
        var company = [
            "AddressLine1": "Cronus Cardoxy Procurement", "AddressLine2": "", "AddressLine3": "Fairway Sound 3",
            "AddressLine4": "GUILDFORD", "AddressLine5": "GU3 2SE", "AddressLine6": "UNITED KINGDOM",
            "AddressLine7": "", "AddressLine8": "",
        ]
        let letter = try RenderedPart(template.render(MergeRecord(company), missing: .blank)["word/document.xml"] ?? [])
        #expect(
            Array(letter.paragraphs.prefix(5)) == ["Cronus Cardoxy Procurement", "Fairway Sound 3", "GUILDFORD", "GU3 2SE", "UNITED KINGDOM"])

        company["AddressLine2"] = "Ada Lovelace"
        let person = try RenderedPart(template.render(MergeRecord(company), missing: .blank)["word/document.xml"] ?? [])
        #expect(Array(person.paragraphs.prefix(3)) == ["Cronus Cardoxy Procurement", "Ada Lovelace", "Fairway Sound 3"])
        #expect(person.paragraphs.count == letter.paragraphs.count + 1)
    }

    @Test func doNotSuppressBlankLinesInTheTemplateKeepsTheEmptyLine() throws {
        let directory = try TemporaryDirectory()
        let source = try DocxArchive(path: Self.sampleTemplate)
        let settings = String(decoding: try source.read("word/settings.xml"), as: UTF8.self)
        let keeping = settings.replacingOccurrences(of: "<w:viewMergedData/>", with: "<w:doNotSuppressBlankLines/><w:viewMergedData/>")
        try #require(keeping != settings)
        let path = directory.path("keeping.docx")
        try DocxWriter.write(source: source, replacing: ["word/settings.xml": Array(keeping.utf8)], to: path)

        let template = try CompiledTemplate.compile(try DocxArchive(path: path))
        let rendered = try template.render(
            MergeRecord(["AddressLine1": "Cronus", "AddressLine2": "", "AddressLine3": "Fairway Sound 3"]),
            missing: .blank)
        #expect(Array(try RenderedPart(rendered["word/document.xml"] ?? []).paragraphs.prefix(3)) == ["Cronus", "", "Fairway Sound 3"])
        #expect(!String(decoding: rendered["word/settings.xml"] ?? [], as: UTF8.self).contains("mailMerge"))
    }

    @Test func doNotSuppressBlankLinesSwitchedOffStillSuppresses() throws {
        func settings(_ mailMerge: String) -> [UInt8] {
            Array("\(WordXML.declaration)<w:settings \(WordXML.namespaces)>\(mailMerge)</w:settings>".utf8)
        }
        #expect(try SettingsPart.suppressesBlankLines(settings(""), file: "t.docx"))
        #expect(try !SettingsPart.suppressesBlankLines(settings("<w:mailMerge><w:doNotSuppressBlankLines/></w:mailMerge>"), file: "t.docx"))
        #expect(try !SettingsPart.suppressesBlankLines(settings("<w:mailMerge><w:doNotSuppressBlankLines w:val=\"1\"/></w:mailMerge>"), file: "t.docx"))
        #expect(try SettingsPart.suppressesBlankLines(settings("<w:mailMerge><w:doNotSuppressBlankLines w:val=\"false\"/></w:mailMerge>"), file: "t.docx"))
    }

    @Test func aBookmarkReferredToFromAnotherPartKeepsTheParagraph() throws {
        let directory = try TemporaryDirectory()
        let source = try DocxArchive(path: Self.sampleTemplate)
        let document = String(decoding: try source.read("word/document.xml"), as: UTF8.self)
        let nameField = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD AddressLine3 "
        let bookmarked = document.replacingOccurrences(
            of: nameField, with: "<w:bookmarkStart w:id=\"90\" w:name=\"NameLine\"/><w:bookmarkEnd w:id=\"90\"/>" + nameField)
        try #require(bookmarked != document)
        let header = String(decoding: try source.read("word/header1.xml"), as: UTF8.self)
        let firstParagraph = try #require(header.range(of: "<w:p "))
        let referring = header.replacingCharacters(
            in: firstParagraph.lowerBound..<firstParagraph.lowerBound,
            with: "<w:p><w:fldSimple w:instr=\" REF NameLine \"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>")
        let record = MergeRecord(["AddressLine1": "Cronus", "AddressLine2": "Fairway Sound 3", "AddressLine3": "", "AddressLine4": "GUILDFORD"])
        func firstLines(_ count: Int, _ replacements: [String: [UInt8]]) throws -> [String] {
            let path = directory.path("\(replacements.count).docx")
            try DocxWriter.write(source: source, replacing: replacements, to: path)
            let rendered = try CompiledTemplate.compile(try DocxArchive(path: path)).render(record, missing: .blank)
            return Array(try RenderedPart(rendered["word/document.xml"] ?? []).paragraphs.prefix(count))
        }
        #expect(try firstLines(3, ["word/document.xml": Array(bookmarked.utf8)]) == ["Cronus", "Fairway Sound 3", "GUILDFORD"])
        #expect(
            try firstLines(4, ["word/document.xml": Array(bookmarked.utf8), "word/header1.xml": Array(referring.utf8)])
                == ["Cronus", "Fairway Sound 3", "", "GUILDFORD"])
    }

    private static let sampleTemplate: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("Templates/DirectMail_EN.docx").path
    }()
}
