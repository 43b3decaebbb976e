import DocxPackage
import Foundation
import Testing
import WordXML

@testable import MergeEngine

/// Always-on coverage (no external corpus needed) of every construct the Word-made corpus tests
/// exercise, on the project's own templates (scripts/build-sample-templates.py): instructions split
/// over runs, switches, nested IF, headers, footers, tables, text boxes and footnotes.
@Suite struct SampleTemplateConstructsTests {
    static func values(_ overrides: [String: String] = [:]) -> MergeRecord {
        var values = [
            "SegmentNo": "SEG77", "LineNo": "4242", "SalespersonName": "Sal Quist", "SalespersonCode": "SQX", "CampaignNo": "CP999",
            "ContactNo": "CT777", "ContactType": "Person", "CompanyName": "", "FullName": "Ann Lee", "FirstName": "Ann",
            "Surname": "Lee", "Salutation": "", "JobTitle": "Buyer", "Address": "Main St 1", "Address2": "Floor 2",
            "PostCode": "1011AB", "City": "Amsterdam", "CountryRegionCode": "nl", "Date": "2026-11-23", "Subject": "Spring fair",
            "Comment": "See you there", "UnitCost": "1.5", "Description": "Invitation",
            // The direct-mail letters' address lines and salutation (Templates/salutations.yaml, countries.yaml).
            "AddressLine1": "Ann Lee", "AddressLine2": "Main St 1", "AddressLine3": "Floor 2", "AddressLine4": "1011AB  AMSTERDAM",
            "AddressLine5": "", "AddressLine6": "", "AddressLine7": "", "AddressLine8": "", "FormalSalutation": "Geachte mevrouw Lee",
        ]
        values.merge(overrides) { $1 }
        return MergeRecord(values)
    }

    /// The rendered story parts of `template` (every part, changed or not), parsed back with libxml2.
    static func render(_ template: String, _ record: MergeRecord) throws -> [String: RenderedPart] {
        let source = try DocxArchive(path: Paths.sampleTemplate(template))
        let compiled = try CompiledTemplate.compile(source)
        let changed = try compiled.render(record)
        var parts: [String: RenderedPart] = [:]
        for part in try source.storyParts() {
            parts[part.name] = try RenderedPart(changed[part.name] ?? source.read(part.name))
        }
        return parts
    }

    /// The text of the paragraphs inside the first `<element>…</element>` of `part`'s XML.
    static func text(inside element: String, of part: RenderedPart) throws -> String {
        let xml = part.text
        let start = try #require(xml.range(of: "<\(element)>") ?? xml.range(of: "<\(element) "))
        let end = try #require(xml.range(of: "</\(element)>", range: start.upperBound..<xml.endIndex))
        return try RenderedPart(Array(("<w:root xmlns:w=\"\(TestPackage.w)\">" + xml[start.lowerBound..<end.upperBound] + "</w:root>").utf8))
            .paragraphs.joined(separator: "\n")
    }

    @Test(arguments: ["DirectMail_EN.docx", "DirectMail_NL.docx", "Event_EN.docx", "Event_NL.docx"])
    func everyPartIsMergedAndWellFormed(_ template: String) throws {
        let parts = try Self.render(template, Self.values())
        #expect(parts.keys.contains("word/header1.xml") && parts.keys.contains("word/footer1.xml"), "\(parts.keys.sorted())")
        for (name, part) in parts {
            #expect(!part.text.contains("MERGEFIELD") && !part.text.contains("«"), "\(template) \(name)")
        }
        let body = parts["word/document.xml"]?.paragraphs.joined(separator: "\n") ?? ""
        #expect(body.contains("Ann Lee") && body.contains("Main St 1"), "\(body)")
    }

    @Test func instructionsSplitOverRunsAreMerged() throws {
        let source = try DocxArchive(path: Paths.sampleTemplate("Event_EN.docx"))
        let xml = String(decoding: try source.read("word/document.xml"), as: UTF8.self)
        // The template really splits instructions: a run holds only the keyword, the next the name.
        #expect(xml.contains(">SalespersonName</w:instrText>") || xml.contains(">SalespersonName </w:instrText>"))
        let table = try Self.text(inside: "w:tbl", of: #require(Self.render("Event_EN.docx", Self.values())["word/document.xml"]))
        #expect(table.contains("Sal Quist") && table.contains("CP999"), "\(table)")
    }

    @Test func switchesApply() throws {
        let body = try #require(Self.render("Event_EN.docx", Self.values())["word/document.xml"]).paragraphs.joined(separator: "\n")
        #expect(body.contains("23 November 2026"), "\\@ date picture: \(body)")
        #expect(body.contains("1.50"), "\\# number picture: \(body)")
        #expect(body.contains("AMSTERDAM"), "\\* Upper: \(body)")
        #expect(body.contains(", Floor 2"), "\\b text before: \(body)")
        #expect(body.contains("Ann Lee, Buyer"), "\\b on JobTitle: \(body)")
    }

    @Test func nestedIfFieldsPickTheirBranch() throws {
        let person = try #require(Self.render("Event_EN.docx", Self.values())["word/document.xml"]).paragraphs.joined(separator: "\n")
        #expect(person.contains("Dear Ann") && !person.contains("Sir or Madam"), "\(person)")
        #expect(person.contains("P.S. See you there"))
        let company = try #require(
            Self.render(
                "Event_EN.docx",
                Self.values([
                    "ContactType": "Company", "Comment": "",
                    "CompanyName": "Acme",
                ]))["word/document.xml"]
        )
        .paragraphs.joined(separator: "\n")
        #expect(company.contains("Sir or Madam") && !company.contains("P.S."), "\(company)")
    }

    @Test func headersFootersTextBoxesAndFootnotesAreMerged() throws {
        let event = try Self.render("Event_EN.docx", Self.values())
        let box = try Self.text(inside: "w:txbxContent", of: #require(event["word/document.xml"]))
        #expect(box.contains("SEG77") && box.contains("4242") && box.contains("Sal Quist"), "text box: \(box)")
        #expect(event["word/header1.xml"]?.paragraphs.joined().contains("Sal Quist") == true)
        let footer = event["word/footer1.xml"]?.paragraphs.joined(separator: "\n") ?? ""
        #expect(footer.contains("CT777") && footer.contains("SEG77"), "footer: \(footer)")

        let letter = try Self.render("DirectMail_EN.docx", Self.values())
        #expect(letter["word/footnotes.xml"]?.paragraphs.joined().contains("CP999") == true, "footnote")
        #expect(letter["word/header1.xml"]?.paragraphs.joined().contains("SEG77") == true, "first-page header")
        #expect(letter["word/header2.xml"]?.paragraphs.joined().contains("Sal Quist") == true, "default header")
        #expect(letter["word/footer2.xml"]?.paragraphs.joined().contains("CT777") == true, "default footer")
    }
}
