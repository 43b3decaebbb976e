import Foundation
import Testing

@testable import Segments

@Suite struct SegmentResolverTests {
    @Test func headerValuesApplyWhenTheLineDoesNotOverride() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        var header = makeHeader(subject: "Header subject", languageCode: "NL", correspondenceType: .hardCopy)
        header.salespersonCode = "HDR"
        header.salespersonName = "Header Person"
        header.campaignNo = "CP1"
        header.campaignResponse = true
        let segment = Segment(header: header, lines: [SegmentLine(lineNo: 10000, contactNo: "C2")])
        let line = try #require(try resolvedLines(segment, catalogue: catalogue).first)
        #expect(line.description == "Header description")
        #expect(line.subject == "Header subject")
        #expect(line.languageCode == "NL")
        #expect(line.attachmentPath?.hasSuffix("/DirectMail_NL.docx") == true)
        #expect(line.correspondenceType == .hardCopy)
        #expect(line.template.code == "DIRECTMAIL")
        #expect(line.comment == "")
        #expect(line.salespersonCode == "HDR")
        #expect(line.salespersonName == "Header Person")
        #expect(line.campaignNo == "CP1")
        #expect(line.campaignResponse && !line.campaignTarget)
        #expect(line.unitCost == 1.25)
        #expect(line.unitDuration == 2)
    }

    @Test func lineOverridesApplyToThatLineOnly() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        let header = makeHeader(subject: "Header subject", languageCode: "EN", correspondenceType: .hardCopy)
        let segment = Segment(
            header: header,
            lines: [
                SegmentLine(
                    lineNo: 10000, contactNo: "C1", description: "Line description", templateCode: "event",
                    languageCode: "NL", subject: "Line subject", correspondenceType: .email, comment: "Hi Anna"),
                SegmentLine(lineNo: 20000, contactNo: "C2"),
            ])
        let lines = try resolvedLines(segment, catalogue: catalogue)
        #expect(lines.count == 2)
        #expect(lines[0].description == "Line description")
        #expect(lines[0].template.code == "EVENT")
        #expect(lines[0].languageCode == "NL")
        #expect(lines[0].attachmentPath?.hasSuffix("/Event_EN.docx") == true)
        #expect(lines[0].subject == "Line subject")
        #expect(lines[0].correspondenceType == .email)
        #expect(lines[0].comment == "Hi Anna")
        #expect(lines[0].unitCost == 2.10)
        #expect(lines[1].description == "Header description")
        #expect(lines[1].template.code == "DIRECTMAIL")
        #expect(lines[1].languageCode == "EN")
        #expect(lines[1].attachmentPath?.hasSuffix("/DirectMail_EN.docx") == true)
        #expect(lines[1].subject == "Header subject")
        #expect(lines[1].correspondenceType == .hardCopy)
        #expect(lines[1].comment == "")
    }

    @Test func contactAndTemplateDecideWhenNeitherLineNorHeaderDoes() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        var header = makeHeader()
        header.description = ""
        header.unitCost = 9.99
        let segment = Segment(
            header: header,
            lines: [
                SegmentLine(lineNo: 1, contactNo: "C1"),
                SegmentLine(lineNo: 2, contactNo: "C2"),
                SegmentLine(lineNo: 3, contactNo: "C3"),
            ])
        let lines = try resolvedLines(segment, catalogue: catalogue)
        #expect(lines.map(\.description) == ["Direct mail letter", "Direct mail letter", "Direct mail letter"])
        #expect(lines.map(\.languageCode) == ["NL", "EN", "FR"])
        #expect(lines.map { $0.attachmentPath?.split(separator: "/").last } == ["DirectMail_NL.docx", "DirectMail_EN.docx", "DirectMail_EN.docx"])
        #expect(lines.map(\.correspondenceType) == [.email, .hardCopy, .fax])
        #expect(lines.map(\.salespersonCode) == ["SP1", "", ""])
        #expect(lines.map(\.subject) == ["", "", ""])
        #expect(lines.allSatisfy { $0.unitCost == 9.99 && $0.unitDuration == 2 })
    }

    @Test func templateThatIgnoresContactCorrespondenceTypeUsesItsOwn() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        var header = makeHeader()
        header.templateCode = "EVENT"
        let segment = Segment(
            header: header,
            lines: [
                SegmentLine(lineNo: 1, contactNo: "C1"),
                SegmentLine(lineNo: 2, contactNo: "C3", correspondenceType: .email),
            ])
        let lines = try resolvedLines(segment, catalogue: catalogue)
        #expect(lines[0].correspondenceType == .fax)
        #expect(lines[1].correspondenceType == .email)
    }

    @Test func mergeFieldsContainEveryDocumentedName() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        var header = makeHeader()
        header.campaignTarget = true
        let contacts = ContactDirectory(contacts: [
            Contact(
                no: "C9", firstName: "Zoë", surname: "Ørsted", languageCode: "NL", correspondenceType: .fax,
                salespersonCode: "OWN", extra: ["Interests": "Art", "Description": "from CSV"])
        ])
        let segment = Segment(header: header, lines: [SegmentLine(lineNo: 30000, contactNo: "C9", comment: "P.S.")])
        let line = try #require(try resolvedLines(segment, catalogue: catalogue, contacts: contacts).first)
        let fields = line.mergeFields
        let documented = [
            "ContactNo", "ContactType", "CompanyNo", "CompanyName", "Salutation", "FirstName", "MiddleName", "Surname",
            "JobTitle", "Address", "Address2", "PostCode", "City", "County", "CountryRegionCode", "Phone", "Email",
            "ContactLanguageCode", "ContactCorrespondenceType", "ContactSalespersonCode", "FullName",
            "SegmentNo", "SegmentDescription", "LineNo", "Description", "Subject", "Date", "LanguageCode",
            "CorrespondenceType", "Comment", "CampaignNo", "CampaignTarget", "CampaignResponse",
            "SalespersonCode", "SalespersonName", "TemplateCode", "TemplateDescription", "InformationFlow",
            "InitiatedBy", "UnitCost", "UnitDuration",
        ]
        #expect(documented.filter { fields[$0] == nil } == [])
        #expect(fields["FullName"] == "Zoë Ørsted")
        #expect(fields["LineNo"] == "30000")
        #expect(fields["Description"] == "Header description")
        #expect(fields["Date"] == "2026-11-23")
        #expect(fields["CorrespondenceType"] == "fax")
        #expect(fields["ContactCorrespondenceType"] == "fax")
        #expect(fields["SalespersonCode"] == "OWN")
        #expect(fields["Comment"] == "P.S.")
        #expect(fields["CampaignTarget"] == "Yes")
        #expect(fields["CampaignResponse"] == "No")
        #expect(fields["UnitCost"] == "1.25")
        #expect(fields["UnitDuration"] == "2")
        #expect(fields["Interests"] == "Art")
        #expect(fields["TemplateDescription"] == "Direct mail letter")
    }

    @Test func everyProblemIsReportedAtOnceWithItsYAMLLine() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        try FileManager.default.removeItem(atPath: directory.path + "/templates/DirectMail_NL.docx")
        let path = try directory.write(
            "SM1.yaml",
            """
            \(segmentHeaderYAML)
            lines:
              - lineNo: 1
                contactNo: C1
              - lineNo: 2
                contactNo: NOBODY
              - lineNo: 3
                contactNo: C4
                templateCode: NOPE
              - lineNo: 4
                contactNo: c1
              - lineNo: 5
                contactNo: C2
                correspondenceType: email
              - lineNo: 6
                contactNo: C3
                languageCode: NL
            """)
        let segment = try Segment.load(path: path)
        let contacts = ContactDirectory(contacts: makeContacts().contacts + [Contact(no: "C4", email: "c4@example.com")])
        let diagnostics = resolutionDiagnostics(segment, catalogue: catalogue, contacts: contacts)
        let located = diagnostics.map { "\($0.line ?? 0) \($0.message)" }
        #expect(diagnostics.allSatisfy { $0.source == path })
        #expect(located.count == 5)
        #expect(located[0].hasPrefix("8 attachment \(directory.path)/templates/DirectMail_NL.docx is missing or unreadable (needed by 2 lines"))
        #expect(located[1].hasPrefix("10 contact 'NOBODY' (lineNo 2) is not in the contacts file \(directory.path)/contacts.csv"))
        #expect(located[2].hasPrefix("12 lineNo 3: template code 'NOPE' is not in the catalogue"))
        #expect(located[3].hasPrefix("15 contact 'c1' is already in this segment (lineNo 1)"))
        #expect(located[4].hasPrefix("17 lineNo 5: contact 'C2' has no e-mail address"))
    }

    @Test func unknownHeaderTemplateAndEmptySegmentAreReported() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        var header = makeHeader()
        header.templateCode = "MISSING"
        let diagnostics = resolutionDiagnostics(Segment(header: header, lines: []), catalogue: catalogue)
        #expect(diagnostics.count == 2)
        #expect(diagnostics.contains { $0.message.contains("no lines") })
        #expect(diagnostics.contains { $0.message.contains("template code 'MISSING' is not in the catalogue") && $0.message.contains("DIRECTMAIL, EVENT") })
    }

    @Test func emptySegmentFileIsReportedAtItsLinesKey() throws {
        let directory = try TemporaryDirectory()
        let catalogue = try makeCatalogue(in: directory)
        let path = try directory.write(
            "SM1.yaml",
            """
            # nobody yet
            \(segmentHeaderYAML)
            lines: []
            """)
        let diagnostics = resolutionDiagnostics(try Segment.load(path: path), catalogue: catalogue)
        #expect(diagnostics.map(\.description) == ["\(path):8: the segment has no lines; add at least one contact under 'lines'"])
    }
}
