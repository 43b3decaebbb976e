import DocxPackage
import Testing

/// Finding story parts in packages whose main part is not `word/document.xml`.
@Suite struct StoryPartsResolutionTests {
    @Test func unusualMainPartAndTargets() throws {
        let scratch = try TemporaryDirectory()
        let macroType = "application/vnd.ms-word.document.macroEnabled.main+xml"
        let entries: [(name: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Packages.contentTypes(overrides: [("/Content/Main.xml", macroType)])),
            ("_rels/.rels", Packages.rels([("officeDocument", "/Content/Main.xml")])),
            ("Content/Main.xml", Packages.body),
            (
                "Content/_rels/Main.xml.rels",
                Packages.rels([
                    ("footer", "../Parts/foot%20er.xml"),
                    ("header", "/Content/head.xml"),
                    ("styles", "styles.xml"),
                    ("header", "head.xml"),
                    ("endnotes", "./notes.xml"),
                ])
            ),
            ("Content/head.xml", Packages.body),
            ("Parts/foot er.xml", Packages.body),
            ("Content/notes.xml", Packages.body),
        ]
        let path = scratch.path("custom.docm")
        try DocxWriter.write(entries: entries, to: path)
        let parts = try DocxArchive(path: path).storyParts()
        #expect(
            parts == [
                StoryPart(name: "Content/Main.xml", kind: .document),
                StoryPart(name: "Content/head.xml", kind: .header),
                StoryPart(name: "Parts/foot er.xml", kind: .footer),
                StoryPart(name: "Content/notes.xml", kind: .endnotes),
            ])
    }

    @Test func mainPartWithoutRelationshipsIsAlone() throws {
        let scratch = try TemporaryDirectory()
        let path = scratch.path("bare.docx")
        try DocxWriter.write(entries: Packages.with(Packages.minimal(), "word/_rels/document.xml.rels", nil), to: path)
        #expect(try DocxArchive(path: path).storyParts() == [StoryPart(name: "word/document.xml", kind: .document)])
    }
}
