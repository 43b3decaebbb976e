import DocxPackage
import Foundation
import PrintRun
import Testing

/// The combined document of three hand-made letters, read back with Foundation's parser.
@Suite struct PrintRunCombinerTests {
    static let contacts = ["CT-A", "CT-B", "CT-C"]

    /// Combines the three test letters (the second ends with a table) with page counts 1, 2, 1.
    static func combined() throws -> (PackageXML, URL) {
        let folder = try TestLetters.temporaryFolder()
        let letters = try contacts.enumerated().map { try TestLetters.write(contact: $1, in: folder, endsWithTable: $0 == 1) }
        let output = folder.appendingPathComponent("print-run.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output, for: .libreOffice(pageCounts: [1, 2, 1]))
        return (try PackageXML(path: output), folder)
    }

    @Test func everyLetterIsASectionStartingOnANewPageWithItsOwnHeaderAndFooter() throws {
        let (package, folder) = try Self.combined()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(package.malformed.isEmpty, "\(package.malformed)")
        let document = try #require(package.parts["word/document.xml"])
        #expect(document.filter { $0.name == "w:body" }.count == 1)
        let bodyChildren = document.filter { $0.ancestors == ["w:document", "w:body"] }
        #expect(bodyChildren.last?.name == "w:sectPr", "the last section's properties close the body")

        let sections = package.elements("w:sectPr", in: "word/document.xml")
        try #require(sections.count == Self.contacts.count)
        for (index, section) in sections.enumerated() {
            #expect(section.ancestors.last == (index < sections.count - 1 ? "w:pPr" : "w:body"))
        }
        // Each section's own children, in order: walk the flat list section by section.
        var sectionChildren: [[PackageXML.Element]] = []
        var current: [PackageXML.Element]?
        for element in document {
            if element.name == "w:sectPr" {
                if let done = current { sectionChildren.append(done) }
                current = []
                continue
            }
            if current != nil, element.ancestors.last == "w:sectPr" { current?.append(element) }
        }
        if let done = current { sectionChildren.append(done) }
        try #require(sectionChildren.count == Self.contacts.count)
        for (contact, children) in zip(Self.contacts, sectionChildren) {
            #expect(children.first { $0.name == "w:type" }?.attributes["w:val"] == "nextPage")
            #expect(children.first { $0.name == "w:pgNumType" }?.attributes["w:start"] == "1")
            #expect(children.contains { $0.name == "w:titlePg" }, "titlePg kept for \(contact)")
            // Schema order: the type after the references, the page numbering before titlePg.
            let names = children.map(\.name)
            #expect(try #require(names.firstIndex(of: "w:type")) > names.lastIndex(of: "w:footerReference") ?? -1)
            #expect(try #require(names.firstIndex(of: "w:pgNumType")) < names.firstIndex(of: "w:titlePg") ?? Int.max)
            for reference in children where reference.name == "w:headerReference" || reference.name == "w:footerReference" {
                let part = try #require(package.target(of: reference.attributes["r:id"] ?? ""))
                #expect(package.parts[part] != nil, "\(part) is in the package")
                #expect(package.text(part).contains(contact), "\(part) of \(contact): \(package.text(part))")
            }
        }
        let letterTexts = package.elements("w:p", in: "word/document.xml").map(\.text).filter { $0.hasPrefix("Letter for") }
        #expect(letterTexts == Self.contacts.map { "Letter for " + $0 })
        // The second letter ends with a table: its section break needs a paragraph of its own.
        let tableIndex = try #require(bodyChildren.firstIndex { $0.name == "w:tbl" })
        #expect(bodyChildren[tableIndex + 1].name == "w:p")
    }

    @Test func idsThatMustBeUniqueAreRenumbered() throws {
        let (package, folder) = try Self.combined()
        defer { try? FileManager.default.removeItem(at: folder) }
        let count = Self.contacts.count
        let bookmarks = package.elements("w:bookmarkStart", in: "word/document.xml")
        let bookmarkIds = bookmarks.compactMap { $0.attributes["w:id"] }
        let names = bookmarks.compactMap { $0.attributes["w:name"] }
        #expect(bookmarks.count == 2 * count, "each letter's bookmark and its start mark")
        #expect(Set(bookmarkIds).count == bookmarkIds.count)
        #expect(Set(names).count == names.count)
        #expect(Set(package.elements("w:bookmarkEnd", in: "word/document.xml").compactMap { $0.attributes["w:id"] }) == Set(bookmarkIds))
        // REF fields and hyperlinks follow their letter's renamed bookmark.
        let references = package.elements("w:instrText", in: "word/document.xml").compactMap {
            $0.text.split(separator: " ").dropFirst().first.map(String.init)
        }
        let anchors = package.elements("w:hyperlink", in: "word/document.xml").compactMap { $0.attributes["w:anchor"] }
        #expect(references.count == count && Set(references).count == count && Set(references).isSubset(of: names))
        #expect(anchors == references)

        let storyParts = package.parts.keys.filter { $0.hasPrefix("word/") && $0.hasSuffix(".xml") }
        let drawingIds = storyParts.flatMap { package.elements("wp:docPr", in: $0) }.compactMap { $0.attributes["id"] }
        #expect(drawingIds.count == 2 * count)
        #expect(Set(drawingIds).count == drawingIds.count)
        let paragraphIds = storyParts.flatMap { package.parts[$0] ?? [] }.compactMap { $0.attributes["w14:paraId"] }
        #expect(Set(paragraphIds).count == paragraphIds.count)

        let commentRanges = package.elements("w:commentRangeStart", in: "word/document.xml").compactMap { $0.attributes["w:id"] }
        let comments = package.elements("w:comment", in: "word/comments.xml")
        #expect(Set(commentRanges).count == count)
        #expect(Set(comments.compactMap { $0.attributes["w:id"] }) == Set(commentRanges))
        for (id, contact) in zip(commentRanges, Self.contacts) {
            #expect(comments.first { $0.attributes["w:id"] == id }?.text == "Comment \(contact)")
        }

        let noteReferences = package.elements("w:footnoteReference", in: "word/document.xml").compactMap { $0.attributes["w:id"] }
        let notes = package.elements("w:footnote", in: "word/footnotes.xml")
        #expect(Set(noteReferences).count == count)
        #expect(notes.filter { $0.attributes["w:type"] == "separator" }.count == 1)
        #expect(notes.filter { $0.attributes["w:type"] == "continuationSeparator" }.count == 1)
        for (id, contact) in zip(noteReferences, Self.contacts) {
            #expect(notes.first { $0.attributes["w:id"] == id }?.text == "Note \(contact)")
        }
    }

    @Test func newPartsAreDeclaredAndPageTotalsCountEachLetter() throws {
        let (package, folder) = try Self.combined()
        defer { try? FileManager.default.removeItem(at: folder) }
        let relationships = package.elements("Relationship", in: "word/_rels/document.xml.rels")
        let ids = relationships.compactMap { $0.attributes["Id"] }
        #expect(Set(ids).count == ids.count)
        let overrides = Set(package.elements("Override", in: "[Content_Types].xml").compactMap { $0.attributes["PartName"] })
        for relationship in relationships {
            let part = "word/" + (relationship.attributes["Target"] ?? "")
            #expect(package.entryNames.contains(part), "\(part) exists")
            #expect(overrides.contains("/" + part), "\(part) has a content type")
        }
        #expect(relationships.filter { $0.attributes["Type"]?.hasSuffix("/footer") == true }.count == Self.contacts.count)
        #expect(relationships.filter { $0.attributes["Type"]?.hasSuffix("/header") == true }.count == 2 * Self.contacts.count)

        // NUMPAGES became SECTIONPAGES, showing each letter's own page total (1, 2, 1).
        let footers = relationships.filter { $0.attributes["Type"]?.hasSuffix("/footer") == true }.compactMap { $0.attributes["Target"] }
        var shown: [String: String] = [:]
        for footer in footers {
            let part = "word/" + footer
            #expect(package.elements("w:instrText", in: part).map(\.text) == [" SECTIONPAGES "])
            let text = package.text(part)
            if let contact = Self.contacts.first(where: { text.contains($0) }) { shown[contact] = text }
        }
        #expect(shown == ["CT-A": "Footer CT-A of 1", "CT-B": "Footer CT-B of 2", "CT-C": "Footer CT-C of 1"])
    }

    @Test func wordLayoutRestartsFootnotesPerLetterLibreOfficeLayoutPerPage() throws {
        let (libreOffice, folder) = try Self.combined()
        defer { try? FileManager.default.removeItem(at: folder) }
        let letters = Self.contacts.map { folder.appendingPathComponent("\($0).docx").path }
        let output = folder.appendingPathComponent("word.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output)
        let word = try PackageXML(path: output)
        for (package, restart) in [(word, "eachSect"), (libreOffice, "eachPage")] {
            let restarts = package.elements("w:numRestart", in: "word/document.xml")
            #expect(restarts.count == Self.contacts.count)
            #expect(restarts.allSatisfy { $0.attributes["w:val"] == restart && $0.ancestors.suffix(2) == ["w:sectPr", "w:footnotePr"] })
        }
        // Word computes SECTIONPAGES itself; the shown result is left at 1.
        let footers = word.elements("Relationship", in: "word/_rels/document.xml.rels")
            .filter { $0.attributes["Type"]?.hasSuffix("/footer") == true }.compactMap { $0.attributes["Target"] }
        #expect(footers.map { word.text("word/" + $0).hasSuffix(" of 1") } == Array(repeating: true, count: Self.contacts.count))
    }

    @Test func aLetterStartingWithoutHeaderDoesNotInheritThePreviousLettersHeader() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let letters = try ["CT-A", "CT-B"].map { try TestLetters.write(contact: $0, in: folder, coverSection: true) }
        let output = folder.appendingPathComponent("print-run.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output)
        let package = try PackageXML(path: output)
        let document = try #require(package.parts["word/document.xml"])
        var sections: [[PackageXML.Element]] = []
        for element in document {
            if element.name == "w:sectPr" { sections.append([]) } else if element.ancestors.last == "w:sectPr" { sections[sections.count - 1].append(element) }
        }
        try #require(sections.count == 4)
        func references(_ section: [PackageXML.Element]) -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: section.filter { $0.name.hasSuffix("Reference") }.map {
                    ($0.name + " " + ($0.attributes["w:type"] ?? ""), package.text(package.target(of: $0.attributes["r:id"] ?? "") ?? ""))
                })
        }
        #expect(references(sections[0]).isEmpty, "the first letter's cover has no header, as on its own")
        #expect(
            references(sections[2]) == ["w:headerReference default": "", "w:headerReference first": "", "w:footerReference default": ""],
            "the second letter's cover names empty parts instead of inheriting CT-A's")
        #expect(references(sections[3])["w:footerReference default"]?.contains("CT-B") == true)
        for index in [0, 2] {
            #expect(sections[index].first { $0.name == "w:pgNumType" }?.attributes["w:start"] == "1")
        }
    }

    @Test func problemsNameTheLetter() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.docx").path
        #expect(throws: PrintRunError.self) { try PrintRunCombiner.combine(letters: [], to: output) }
        let good = try TestLetters.write(contact: "CT-A", in: folder)
        let broken = folder.appendingPathComponent("broken.docx").path
        try Data("not a zip".utf8).write(to: URL(fileURLWithPath: broken))
        do {
            try PrintRunCombiner.combine(letters: [good, broken], to: output)
            Issue.record("a damaged letter was combined")
        } catch {
            #expect(error.file == broken)
        }
        #expect(!FileManager.default.fileExists(atPath: output), "nothing written")
    }
}
