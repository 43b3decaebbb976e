import Foundation
import Testing

@testable import Segments

/// The sample catalogue, contacts and segment shipped in the repository.
@Suite struct SampleFilesTests {
    /// A copy of `Templates/templates.yaml` with placeholder attachments, so the test does not
    /// depend on the real Word documents being present.
    private func sampleCatalogue(in directory: TemporaryDirectory) throws -> TemplateCatalogue {
        let text = try String(contentsOfFile: repositoryRoot + "/Templates/templates.yaml", encoding: .utf8)
        try directory.write("Templates/templates.yaml", text)
        for name in ["DirectMail_EN.docx", "DirectMail_NL.docx", "Event_EN.docx", "Event_NL.docx"] {
            try directory.write("Templates/\(name)", "placeholder")
        }
        return try TemplateCatalogue.load(directory: directory.path + "/Templates")
    }

    @Test func sampleCatalogueHasTheDocumentedTemplates() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try sampleCatalogue(in: directory)
        let mail = try #require(catalogue["DIRECTMAIL"])
        #expect(mail.description == "Direct mail letter")
        #expect(mail.attachment(forLanguage: "NL") == "DirectMail_NL.docx")
        #expect(mail.attachment(forLanguage: "EN") == "DirectMail_EN.docx")
        #expect(mail.unitCost == 1.25 && mail.unitDuration == 2)
        let event = try #require(catalogue["EVENT"])
        #expect(event.attachment(forLanguage: "nl") == "Event_NL.docx")
        #expect(event.unitCost == Decimal(string: "2.10") && event.unitDuration == 5)
    }

    @Test func sampleSegmentResolvesAgainstTheSampleContactsAndCatalogue() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try sampleCatalogue(in: directory)
        let segment = try Segment.load(path: repositoryRoot + "/SampleSegments/SM00001.yaml")
        let contacts = try ContactDirectory.load(csv: segment.contactsPath)
        #expect(contacts.contacts.count >= 25)
        let lines = try SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue).get()
        #expect(lines.count == segment.lines.count)
        #expect(lines.count >= 20)
        #expect(Set(lines.map(\.template.code)) == ["DIRECTMAIL", "EVENT"])
        #expect(lines.contains { $0.comment != "" })
        #expect(lines.contains { $0.attachmentPath?.hasSuffix("_NL.docx") == true })
        #expect(lines.contains { $0.correspondenceType == .email })
        #expect(Set(lines.map(\.contact.countryRegionCode)).isSuperset(of: ["NL", "BE", "DE", "GB", "US", "FR"]))
    }

    @Test func sampleSegmentWithoutAttachmentsReportsThemMissing() throws {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOfFile: repositoryRoot + "/Templates/templates.yaml", encoding: .utf8)
        try directory.write("templates.yaml", text)
        let catalogue = try TemplateCatalogue.load(directory: directory.path)
        let segment = try Segment.load(path: repositoryRoot + "/SampleSegments/SM00001.yaml")
        let contacts = try ContactDirectory.load(csv: segment.contactsPath)
        let diagnostics = resolutionDiagnostics(segment, catalogue: catalogue, contacts: contacts)
        #expect(diagnostics.count == 4)
        #expect(diagnostics.allSatisfy { $0.message.contains("is missing or unreadable") && $0.line != nil })
    }
}
