import DocxPackage
import Foundation
import Testing
import WordXML

@testable import MergeEngine

/// A Word-made template from the shared fixtures and the merge fields it holds (read off its XML).
struct WordFixture: CustomStringConvertible, Sendable {
    let file: String
    let names: [String]
    var description: String { file }

    var path: String { WordCorpus.path(file) }

    static let all: [WordFixture] = [
        WordFixture(file: "test_issue8.docx", names: ["testfield"]),
        WordFixture(file: "test_macword2011.docx", names: ["first_name", "last_name", "address_line", "postal_code", "city", "state", "country", "date"]),
        WordFixture(file: "test_merge_pages.docx", names: ["fieldname"]),
        WordFixture(file: "test_merge_pages_paged.docx", names: ["fieldname"]),
        WordFixture(file: "test_merge_table_multipart.docx", names: ["student_name", "study_name", "class_code", "class_name", "class_grade", "thesis_grade"]),
        WordFixture(file: "test_merge_table_rows.docx", names: ["student_name", "study_name", "class_code", "class_name", "class_grade", "thesis_grade"]),
        WordFixture(file: "test_merge_templates_simple.docx", names: ["fieldname"]),
        WordFixture(file: "test_multiple_elements.docx", names: ["foo", "bar", "gak"]),
        WordFixture(file: "test_spaces.docx", names: ["Singleword", "Hello world", "More than one space"]),
        WordFixture(
            file: "test_winword2010.docx", names: ["Titel", "Voornaam", "Achternaam", "Adresregel_1", "Postcode", "Plaats", "Provincie", "Land_of_regio"]),
    ]

    /// A distinctive value for field `name`: markup characters, emoji, right-to-left text, a tab and a line break.
    static func value(for name: String) -> String {
        "⟦\(name)⟧ & < > \" ' ]]> 😀 مرحبا עברית\tnext\nline"
    }
}

@Suite(.needsWordCorpus) struct FixtureMergeTests {
    @Test func everyFixtureIsCovered() throws {
        #expect(Set(WordCorpus.docxNames()) == Set(WordFixture.all.map(\.file)))
    }

    @Test(arguments: WordFixture.all)
    func mergesFixture(_ fixture: WordFixture) throws {
        let source = try DocxArchive(path: fixture.path)
        let template = try CompiledTemplate.compile(source)
        #expect(template.fieldNames == fixture.names)
        #expect(template.templatePath == fixture.path)

        let record = MergeRecord(Dictionary(uniqueKeysWithValues: fixture.names.map { ($0, WordFixture.value(for: $0)) }))
        let changed = try template.render(record)
        let directory = try TemporaryDirectory()
        let output = directory.path("merged.docx")
        try DocxWriter.write(source: source, replacing: changed, to: output)

        let merged = try DocxArchive(path: output)
        #expect(merged.entryNames == source.entryNames)
        var partsSeen = Set<String>()
        for part in try merged.storyParts() {
            let rendered = try RenderedPart(try merged.read(part.name))
            let original = try RenderedPart(try source.read(part.name))
            partsSeen.insert(part.name)
            #expect(!rendered.text.contains("MERGEFIELD"), "\(part.name)")
            #expect(!rendered.text.contains("w:fldChar"), "\(part.name)")
            #expect(!rendered.text.contains("«"), "\(part.name)")
            #expect(rendered.paragraphs.count == original.paragraphs.count)
            for use in template.fields where use.part == part.name {
                let paragraph = rendered.paragraphs[use.paragraph - 1]
                #expect(paragraph.contains(WordFixture.value(for: use.name)), "\(use.name) in \(part.name) paragraph \(use.paragraph)")
                let expected = Self.expectedProperties(of: use, in: original)
                let actual = rendered.runs.filter { $0.text.hasPrefix("⟦\(use.name)⟧") }.map(\.properties)
                #expect(!actual.isEmpty && actual.allSatisfy { $0 == expected }, "formatting of \(use.name)")
            }
        }
        #expect(Set(template.fields.map(\.part)).isSubset(of: partsSeen))

        let settings = String(decoding: try merged.read("word/settings.xml"), as: UTF8.self)
        #expect(!settings.contains("mailMerge"))
        #expect(settings.contains("<w:settings"))
        let sourceSettings = String(decoding: try source.read("word/settings.xml"), as: UTF8.self)
        #expect((changed["word/settings.xml"] != nil) == sourceSettings.contains("<w:mailMerge"))
    }

    /// The run properties Word gives the result: the «Name» result run's with `\* MERGEFORMAT`,
    /// the first instruction run's otherwise (found in the template itself).
    private static func expectedProperties(of use: FieldUse, in original: RenderedPart) -> [String] {
        if use.code.contains("MERGEFORMAT") {
            let results = original.runs.filter { $0.text.hasPrefix("«") }
            return results.first { $0.text == "«\(use.name)»" }?.properties ?? results.first?.properties ?? []
        }
        return original.runs.first { $0.instruction.contains("MERGEFIELD") && $0.instruction.contains(use.name) }?.properties
            ?? original.runs.first { $0.instruction.contains("MERGEFIELD") }?.properties ?? []
    }

    @Test(arguments: WordFixture.all)
    func unchangedPartsSerializeToTheirOwnBytes(_ fixture: WordFixture) throws {
        let source = try DocxArchive(path: fixture.path)
        for part in try source.storyParts().map(\.name) + ["word/settings.xml", "word/styles.xml"] {
            let bytes = try source.read(part)
            #expect(try XMLPart(bytes: bytes).serialized() == bytes, "\(part)")
        }
    }

    @Test func boldItalicFieldResultStaysBoldItalic() throws {
        let directory = try TemporaryDirectory()
        let source = try DocxArchive(path: WordFixture(file: "test_issue8.docx", names: []).path)
        let document = String(decoding: try source.read("word/document.xml"), as: UTF8.self)
        let bolder = document.replacingOccurrences(
            of: "<w:rPr><w:noProof/></w:rPr><w:t>«testfield»",
            with: "<w:rPr><w:b/><w:i/><w:noProof/></w:rPr><w:t>«testfield»")
        try #require(bolder != document)
        let templatePath = directory.path("bold.docx")
        try DocxWriter.write(source: source, replacing: ["word/document.xml": Array(bolder.utf8)], to: templatePath)

        let boldSource = try DocxArchive(path: templatePath)
        let template = try CompiledTemplate.compile(boldSource)
        let output = directory.path("out.docx")
        try DocxWriter.write(source: boldSource, replacing: try template.render(MergeRecord(["TESTFIELD": "Strong"])), to: output)
        let merged = try RenderedPart(try DocxArchive(path: output).read("word/document.xml"))
        #expect(merged.properties(ofRunWith: "Strong") == [["b", "i", "noProof"]])
    }
}

@Suite struct TemplatePackageTests {
    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        </Types>
        """
    private static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
        </Relationships>
        """

    private func package(_ body: String, in directory: TemporaryDirectory) throws -> DocxArchive {
        let path = directory.path("template.docx")
        try DocxWriter.write(
            entries: [
                ("[Content_Types].xml", Array(Self.contentTypes.utf8)),
                ("_rels/.rels", Array(Self.packageRelationships.utf8)),
                ("word/document.xml", WordXML.document(body)),
            ], to: path)
        return try DocxArchive(path: path)
    }

    @Test func templateErrorNamesFileAndPart() throws {
        let directory = try TemporaryDirectory()
        let archive = try package("<w:p><w:r><w:t>Hi</w:t></w:r></w:p><w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>", in: directory)
        let error = #expect(throws: TemplateError.self) { try CompiledTemplate.compile(archive) }
        #expect(error?.file == archive.path)
        #expect(error?.part == "word/document.xml")
        #expect(error?.paragraph == 2)
    }

    @Test func templateWithoutSettingsRendersOnlyItsDocument() throws {
        let directory = try TemporaryDirectory()
        let archive = try package("<w:p><w:r><w:t>Hi {{Name}}</w:t></w:r></w:p>", in: directory)
        let template = try CompiledTemplate.compile(archive)
        let rendered = try template.render(MergeRecord(["name": "Ada"]))
        #expect(Array(rendered.keys) == ["word/document.xml"])
        #expect(try RenderedPart(rendered["word/document.xml"] ?? []).paragraphs == ["Hi Ada"])
    }
}
