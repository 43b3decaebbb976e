import DocxPackage
import Foundation
import PrintRun
import Testing

/// Relationships are read with DocxPackage's rules: percent-escapes are decoded, a damaged
/// relationship is refused rather than skipped, external targets keep their ids.
@Suite struct RelationshipRulesTests {
    @Test func aHeaderReachedThroughAPercentEncodedTargetIsCopiedForEveryLetter() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let contacts = ["CT-A", "CT-B"]
        let letters = try contacts.map {
            try TestLetters.write(contact: $0, in: folder, header: (entry: "page header ü.xml", target: "page%20header%20%C3%BC.xml"))
        }
        let output = folder.appendingPathComponent("print-run.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output)
        let package = try PackageXML(path: output)
        #expect(package.malformed.isEmpty, "\(package.malformed)")

        let references = package.elements("w:headerReference", in: "word/document.xml").filter { $0.attributes["w:type"] == "default" }
        try #require(references.count == contacts.count)
        var parts: [String] = []
        for (contact, reference) in zip(contacts, references) {
            let target = try #require(package.target(of: reference.attributes["r:id"] ?? ""))
            let part = try #require(target.removingPercentEncoding)
            #expect(package.parts[part] != nil, "\(target) resolves to an entry of the package")
            #expect(package.text(part) == "Header \(contact)")
            parts.append(part)
        }
        #expect(parts.first == "word/page header ü.xml", "the first letter keeps its header part")
        #expect(Set(parts).count == contacts.count, "the second letter has a copy of its own")
        let overrides = package.elements("Override", in: "[Content_Types].xml").compactMap { $0.attributes["PartName"] }
        #expect(overrides.contains("/" + parts[1]), "the copy has a content type")
    }

    @Test func aRelationshipWithoutTargetIsRefusedNotSkipped() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"/>"#
        let letters = [try TestLetters.write(contact: "CT-A", in: folder), try TestLetters.write(contact: "CT-B", in: folder, moreRelationships: broken)]
        let output = folder.appendingPathComponent("print-run.docx").path
        do {
            try PrintRunCombiner.combine(letters: letters, to: output)
            Issue.record("a letter with a damaged relationship was combined")
        } catch {
            #expect(error.file.hasSuffix("CT-B.docx") && error.part == "word/_rels/document.xml.rels", "\(error)")
            #expect(error.message.contains("lacks its Id, Type or Target"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: output), "nothing half-written")
    }

    @Test func externalRelationshipIdsAreNotReused() throws {
        let folder = try TestLetters.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let link =
            #"<Relationship Id="rIdPrintRun1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" "#
            + #"Target="https://example.com/a%20b" TargetMode="External"/>"#
        let letters = try ["CT-A", "CT-B"].map { try TestLetters.write(contact: $0, in: folder, moreRelationships: link) }
        let output = folder.appendingPathComponent("print-run.docx").path
        try PrintRunCombiner.combine(letters: letters, to: output)
        let ids = try PackageXML(path: output).elements("Relationship", in: "word/_rels/document.xml.rels").compactMap { $0.attributes["Id"] }
        #expect(Set(ids).count == ids.count, "\(ids)")
        #expect(ids.contains("rIdPrintRun1"))
    }
}
