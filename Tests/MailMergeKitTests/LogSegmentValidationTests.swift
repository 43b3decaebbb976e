import Foundation
import Testing

/// A segment with problems is refused with every problem at once, and nothing is written.
@Suite(.serialized)
struct LogSegmentValidationTests {
    static let header = """
        header:
          no: SMBAD01
          description: Broken segment
          templateCode: DIRECTMAIL
          date: 2026-11-23
          contacts: contacts.csv

        """

    func expectRefusedWithNothingWritten(_ workspace: SampleWorkspace, _ result: CLI.Result) {
        #expect(result.status == 1)
        #expect(!result.stderr.contains("Fatal error"))
        #expect(workspace.letterFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.letters.path))
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let segment = try workspace.writeSegment(
            "bad.yaml",
            Self.header + """
                lines:
                  - lineNo: 10000
                    contactNo: CT999999
                  - lineNo: 20000
                    contactNo: CT000002
                    templateCode: NOSUCHTEMPLATE
                  - lineNo: 30000
                    contactNo: CT000003
                  - lineNo: 40000
                    contactNo: CT000003
                  - lineNo: 50000
                    contactNo: CT000014
                    correspondenceType: email

                """)
        let result = try workspace.logSegment(segment)
        expectRefusedWithNothingWritten(workspace, result)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error: ") }
        #expect(errors.count >= 4, "\(result.stderr)")
        #expect(result.stderr.contains("CT999999"))
        #expect(result.stderr.contains("NOSUCHTEMPLATE"))
        #expect(result.stderr.contains("CT000003"))  // duplicate contact
        #expect(result.stderr.contains("CT000014"))  // email without an address
        #expect(errors.allSatisfy { $0.contains("bad.yaml:") }, "every problem names the file and line")
    }

    @Test func anEmptySegmentIsRefused() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let segment = try workspace.writeSegment("empty.yaml", Self.header + "lines: []\n")
        let result = try workspace.logSegment(segment)
        expectRefusedWithNothingWritten(workspace, result)
        #expect(result.stderr.lowercased().contains("no lines") || result.stderr.lowercased().contains("empty"), "\(result.stderr)")
    }

    @Test func aFieldNoDataProvidesIsRefused() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // A catalogue whose attachment (a Word fixture) uses fields no contact column provides.
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try TestPackage.letter(fields: ["first_name", "last_name", "address_line"], to: templates.appendingPathComponent("Letter.docx"))
        try
            ("templates:\n"
            + ["DIRECTMAIL", "EVENT"].map { code in
                """
                  - code: \(code)
                    description: Letter
                    attachment: Letter.docx
                    correspondenceType: hard-copy
                    informationFlow: outbound
                    initiatedBy: us
                    unitCost: 1
                    unitDuration: 1

                """
            }.joined()).write(to: templates.appendingPathComponent("templates.yaml"), atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", templates.path,
            "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        expectRefusedWithNothingWritten(workspace, result)
        #expect(result.stderr.contains("\"first_name\"") && result.stderr.contains("word/document.xml"), "\(result.stderr)")
        #expect(result.stderr.contains("Letter.docx"))
    }

    @Test func aMissingAttachmentIsRefused() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        try FileManager.default.removeItem(at: templates.appendingPathComponent("Event_EN.docx"))
        let result = try CLI.run([
            "log-segment", workspace.segment.path, "--templates", templates.path,
            "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        expectRefusedWithNothingWritten(workspace, result)
        #expect(result.stderr.contains("Event_EN.docx"), "\(result.stderr)")
    }

    /// An attachment that does not compile is reported as such, and the field check of the next
    /// attachment is reported under that attachment's name, not the failing one's.
    @Test func aBrokenAttachmentDoesNotTakeAnotherAttachmentsFields() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        for name in ["DirectMail_EN.docx", "DirectMail_NL.docx"] {
            try Data("not a zip".utf8).write(to: templates.appendingPathComponent(name))
        }
        let w = HostileInputTests.w
        for name in ["Event_EN.docx", "Event_NL.docx"] {
            let url = templates.appendingPathComponent(name)
            try FileManager.default.removeItem(at: url)
            try HostileInputTests.package(
                documentXML: """
                    <w:document xmlns:w="\(w)"><w:body><w:p><w:fldSimple w:instr=" MERGEFIELD NoSuchField "/></w:p></w:body></w:document>
                    """, at: url)
        }
        let segment = try workspace.writeSegment(
            "two.yaml",
            Self.header + """
                lines:
                  - lineNo: 10000
                    contactNo: CT000001
                  - lineNo: 20000
                    contactNo: CT000005
                    templateCode: EVENT

                """)
        let result = try CLI.run([
            "log-segment", segment.path, "--templates", templates.path,
            "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        expectRefusedWithNothingWritten(workspace, result)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let broken = lines.filter { $0.contains("DirectMail_") }
        let field = lines.filter { $0.contains("NoSuchField") }
        #expect(broken.count == 1 && broken.allSatisfy { !$0.contains("NoSuchField") }, "\(result.stderr)")
        #expect(field.count == 1 && field.allSatisfy { $0.contains("Event_") && !$0.contains("DirectMail_") }, "\(result.stderr)")
    }
}
