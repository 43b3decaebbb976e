import DocxPackage
import Testing

/// The story parts of every Word-made fixture, as read from their `word/_rels/document.xml.rels`.
@Suite(.needsWordCorpus) struct FixtureStoryPartsTests {
    static let expected: [String: [StoryPart]] = {
        let document = StoryPart(name: "word/document.xml", kind: .document)
        let header = StoryPart(name: "word/header1.xml", kind: .header)
        let footer = StoryPart(name: "word/footer1.xml", kind: .footer)
        let footnotes = StoryPart(name: "word/footnotes.xml", kind: .footnotes)
        let endnotes = StoryPart(name: "word/endnotes.xml", kind: .endnotes)
        let all = [document, header, footer, footnotes, endnotes]
        return [
            "test_issue8.docx": [document],
            "test_macword2011.docx": [document],
            "test_merge_pages.docx": all,
            "test_merge_pages_paged.docx": all,
            "test_merge_table_multipart.docx": [document, header, footnotes, endnotes],
            "test_merge_table_rows.docx": [document],
            "test_merge_templates_simple.docx": all,
            "test_multiple_elements.docx": [document],
            "test_spaces.docx": [document],
            "test_winword2010.docx": [document],
        ]
    }()

    @Test func everyFixtureHasAnExpectation() {
        #expect(WordCorpus.docxNames() == Self.expected.keys.sorted(), "\(WordCorpus.directory?.path ?? "")")
    }

    @Test(arguments: expected.keys.sorted())
    func storyPartsOfFixture(_ name: String) throws {
        let archive = try DocxArchive(path: WordCorpus.path(name))
        #expect(try archive.storyParts() == Self.expected[name])
    }

    @Test(arguments: expected.keys.sorted())
    func storyPartsAreReadableXML(_ name: String) throws {
        let archive = try DocxArchive(path: WordCorpus.path(name))
        for part in try archive.storyParts() {
            let text = String(decoding: try archive.read(part.name), as: UTF8.self)
            // test_merge_pages.docx's document.xml starts with a UTF-8 byte order mark.
            let withoutBOM = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
            #expect(withoutBOM.hasPrefix("<?xml"), "\(name) \(part.name)")
            #expect(text.contains("xmlns:w="), "\(name) \(part.name)")
        }
    }

    @Test func entryNamesFollowArchiveOrder() throws {
        let archive = try DocxArchive(path: WordCorpus.path("test_merge_pages.docx"))
        // This Mac Word package stores [Content_Types].xml near the end, not first.
        #expect(archive.entryNames.first == "docProps/app.xml")
        #expect(archive.entryNames.suffix(2) == ["[Content_Types].xml", "_rels/.rels"])
        #expect(archive.entryNames.count == 16)
    }
}
