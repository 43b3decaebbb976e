import CLibZip
import DocxPackage
import Testing

/// Opening damaged, hostile or non-Word files fails with a clear `DocxError`.
@Suite struct DocxArchiveErrorTests {
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory() }

    private func package(_ entries: [(name: String, bytes: [UInt8])], _ name: String = "odd.docx") throws -> String {
        let path = scratch.path(name)
        try DocxWriter.write(entries: entries, to: path)
        return path
    }

    @Test func missingFile() {
        expectDocxError("nowhere.docx", "no such file") { _ = try DocxArchive(path: scratch.path("nowhere.docx")) }
    }

    @Test func notAZip() {
        let path = scratch.path("notes.docx")
        TemporaryDirectory.writeFile(path, Array("Dear customer, this is plain text.".utf8))
        expectDocxError("notes.docx", "not a zip archive") { _ = try DocxArchive(path: path) }
    }

    @Test func truncatedCopyOfFixture() {
        let bytes = TemporaryDirectory.readFile(Paths.sampleTemplate("DirectMail_EN.docx"))
        #expect(bytes.count > 1000)
        let path = scratch.path("cut.docx")
        TemporaryDirectory.writeFile(path, Array(bytes.prefix(bytes.count / 2)))
        expectDocxError("cut.docx", "truncated") { _ = try DocxArchive(path: path) }
    }

    @Test func missingContentTypes() throws {
        let path = try package(Packages.with(Packages.minimal(), "[Content_Types].xml", nil))
        expectDocxError("[Content_Types].xml", "missing") { _ = try DocxArchive(path: path) }
    }

    @Test func duplicateEntryNames() throws {
        // Two entries with equally long names, then the second renamed in place to the first.
        var entries = Packages.minimal()
        entries.append(("word/dupB.xml", Array("one".utf8)))
        entries.append(("word/dupA.xml", Array("two".utf8)))
        let path = try package(entries, "dup.docx")
        var bytes = TemporaryDirectory.readFile(path)
        let from = Array("word/dupB.xml".utf8)
        let to = Array("word/dupA.xml".utf8)
        var patched = 0
        for index in 0...(bytes.count - from.count) where bytes[index..<index + from.count].elementsEqual(from) {
            bytes.replaceSubrange(index..<index + from.count, with: to)
            patched += 1
        }
        #expect(patched == 2)  // local header and central directory
        TemporaryDirectory.writeFile(path, bytes)
        expectDocxError("dup.docx", "twice") { _ = try DocxArchive(path: path) }
    }

    @Test func entryNamesDifferingOnlyInCase() throws {
        let path = try package(Packages.minimal() + [("Word/Document.xml", Packages.body)], "case.docx")
        expectDocxError("case.docx", "Word/Document.xml", "letter case") { _ = try DocxArchive(path: path) }
    }

    @Test func emptyFile() {
        let path = scratch.path("empty.docx")
        TemporaryDirectory.writeFile(path, [])
        expectDocxError("empty.docx", "empty") { _ = try DocxArchive(path: path) }
    }

    @Test func encryptedEntry() throws {
        let path = try package(Packages.minimal(), "locked.docx")
        var code: Int32 = 0
        let archive = try #require(zip_open(path, 0, &code))
        let index = zip_name_locate(archive, "word/document.xml", 0)
        #expect(zip_file_set_encryption(archive, UInt64(index), UInt16(ZIP_EM_TRAD_PKWARE), "secret") == 0)
        #expect(zip_close(archive) == 0)
        expectDocxError("locked.docx", "word/document.xml", "encrypted") { _ = try DocxArchive(path: path) }
    }

    @Test func missingMainPart() throws {
        let path = try package(Packages.with(Packages.minimal(), "word/document.xml", nil))
        let archive = try DocxArchive(path: path)
        expectDocxError("_rels/.rels", "word/document.xml", "not in the package") { _ = try archive.storyParts() }
    }

    @Test func noOfficeDocumentRelationship() throws {
        let rels = Packages.rels([("extended-properties", "docProps/app.xml")])
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "_rels/.rels", rels)))
        expectDocxError("_rels/.rels", "no officeDocument relationship") { _ = try archive.storyParts() }
    }

    @Test func mainPartWithoutWordContentType() throws {
        let types = Packages.contentTypes(overrides: [])
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "[Content_Types].xml", types)))
        expectDocxError("[Content_Types].xml", "not declared as a Word main document") { _ = try archive.storyParts() }
    }

    @Test func danglingHeaderRelationship() throws {
        let rels = Packages.rels([("header", "header1.xml"), ("footer", "footer9.xml")])
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "word/_rels/document.xml.rels", rels)))
        expectDocxError("word/_rels/document.xml.rels", "footer", "word/footer9.xml", "not in the package") { _ = try archive.storyParts() }
    }

    @Test(arguments: [
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]><Relationships/>",
        "<?xml version=\"1.0\"?><!-- note --><!DOCTYPE Relationships SYSTEM \"http://example.com/x.dtd\"><Relationships/>",
    ])
    func doctypeInRelationshipsIsRefused(_ xml: String) throws {
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "_rels/.rels", Array(xml.utf8))))
        expectDocxError("_rels/.rels", "DOCTYPE declaration, which Word packages never") { _ = try archive.storyParts() }
    }

    @Test func doctypeInUTF16RelationshipsIsRefusedByTheParser() throws {
        // The byte sniffer reads UTF-8 only; libxml2's own DOCTYPE node check catches this one.
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]><Relationships/>"
        let utf16: [UInt8] = [0xFF, 0xFE] + xml.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "_rels/.rels", utf16)))
        expectDocxError("_rels/.rels", "DOCTYPE declaration, which Word packages never") { _ = try archive.storyParts() }
    }

    @Test func partLargerThanDeclaredIsRefusedWhileInflating() throws {
        var entries = Packages.minimal()
        entries.append(("word/media/big.bin", [UInt8](repeating: 0x41, count: 100_000)))
        let path = try package(entries, "liar.docx")
        // Declare 10 bytes uncompressed in the local header and the central directory.
        var bytes = TemporaryDirectory.readFile(path)
        let name = Array("word/media/big.bin".utf8)
        var patched = 0
        for index in 0...(bytes.count - name.count) where bytes[index..<index + name.count].elementsEqual(name) {
            let isLocal = bytes[index - 30..<index - 26].elementsEqual([0x50, 0x4B, 0x03, 0x04])
            let sizeField = isLocal ? index - 8 : index - 22
            bytes.replaceSubrange(sizeField..<sizeField + 4, with: [10, 0, 0, 0])
            patched += 1
        }
        #expect(patched == 2)
        TemporaryDirectory.writeFile(path, bytes)
        let archive = try DocxArchive(path: path, limits: .init(maxPartSize: 50_000))
        expectDocxError("liar.docx", "word/media/big.bin", "does not match") { _ = try archive.read("word/media/big.bin") }
    }

    @Test func malformedRelationships() throws {
        let broken = Array("<Relationships><Relationship Id=\"rId1\"".utf8)
        let archive = try DocxArchive(path: try package(Packages.with(Packages.minimal(), "word/_rels/document.xml.rels", broken)))
        expectDocxError("word/_rels/document.xml.rels", "malformed XML") { _ = try archive.storyParts() }
    }

    @Test func oversizedPartAgainstSmallLimit() throws {
        var entries = Packages.minimal()
        entries.append(("word/media/big.bin", [UInt8](repeating: 0x41, count: 100_000)))
        let path = try package(entries)
        let archive = try DocxArchive(path: path, limits: .init(maxPartSize: 50_000))
        expectDocxError("word/media/big.bin", "larger than the limit of 50000 bytes") { _ = try archive.read("word/media/big.bin") }
        // Parts under the limit still read.
        #expect(try archive.read("word/document.xml") == Packages.body)
    }

    @Test func absentPartIsNamed() throws {
        let archive = try DocxArchive(path: Paths.sampleTemplate("Event_EN.docx"))
        expectDocxError("Event_EN.docx", "word/footer9.xml", "no such part") { _ = try archive.read("word/footer9.xml") }
    }
}
