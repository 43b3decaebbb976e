import Foundation
import Testing

/// `mailmerge check --pdf`: the letters laid out by the real LibreOffice and measured with
/// pdftotext's word boxes. A segment seeded with one of each layout problem gets exactly those
/// findings, and none on its clean lines; the sample segment has no layout findings.
@Suite(.serialized)
struct PreflightPDFTests {
    static let tools = ExternalCheck.soffice != nil && ExternalCheck.pdftotext != nil && Program.find("qpdf") != nil

    /// Contacts: two clean ones (C01, C02), then one per layout problem.
    static let contacts =
        [
            PreflightTests.columns,
            "C01,Person,K01,Alpha GmbH,Ms.,Anna,,Schmidt,Buyer,Hauptstraße 1,,10115,Berlin,,DE,,anna@alpha.example,EN,,JO,F",
            "C02,Person,K02,Beta BV,Mr.,Bram,,Visser,,Damrak 5,,1012 LG,Amsterdam,,NL,,bram@beta.example,EN,,JO,M",
            // L01: a street line wider than the window (the page's text area is wider, so it does not wrap).
            "L01,Person,K05,Delta AG,Mr.,Dirk,,Weber,,Sankt-Johannes-von-Nepomuk-Kirchplatzstraße 1234 Hinterhaus,,80331,München,,DE,,"
                + "dirk@delta.example,EN,,JO,M",
            // L02: an Irish address laid out by ADDRESSBLOCK \\d: 8 lines on the page for a 6-line window.
            "L02,Person,K04,Byrne Ltd,Ms.,Aoife,,Byrne,,1 Main St,Unit 4,T12 AB34,Cork,Co. Cork,IE,,aoife@byrne.example,EN,,JO,F",
            // L03: a clean contact whose segment line has a long comment: two pages where one is expected.
            "L03,Person,K08,Theta SARL,Mme,Claire,,Dubois,,12 Rue Royale,,75008,Paris,,FR,,claire@theta.example,EN,,JO,F",
            // L04: a salesperson whose name overflows the letter's "Your contact" table cell.
            "L04,Person,K09,Iota SpA,Sig.,Luca,,Rossi,,Via Roma 7,,00184,Roma,,IT,,luca@iota.example,EN,,LONG,M",
            // L05: a clean contact whose template's window is where the letter has no address.
            "L05,Person,K10,Kappa AB,Mr.,Sven,,Berg,,Drottninggatan 3,,11151,Stockholm,,SE,,sven@kappa.example,EN,,JO,M",
        ].joined(separator: "\n") + "\n"

    static let longComment = Array(repeating: "This postscript is deliberately long so that the letter needs a second page.", count: 60)
        .joined(separator: " ")

    static func segment(_ lines: [(no: String, template: String?, comment: String?)]) -> String {
        """
        header:
          no: SMLAYOUT
          description: Layout preflight test
          templateCode: DIRECTMAIL
          date: 2026-11-23
          contacts: contacts.csv
          subject: Our new range
          campaignNo: CP1001
        lines:

        """
            + lines.enumerated().map { index, line in
                "  - lineNo: \((index + 1) * 10000)\n    contactNo: \(line.no)\n" + (line.template.map { "    templateCode: \($0)\n" } ?? "")
                    + (line.comment.map { "    comment: \"\($0)\"\n" } ?? "")
            }.joined()
    }

    /// The sample templates with a salesperson named at length and a template OFFSET: the
    /// direct-mail letter with its window moved 70 mm to the right, where the letter has no address.
    static func templates() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("preflight-pdf-templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: Paths.templates.path) {
            try FileManager.default.copyItem(atPath: Paths.templates.appendingPathComponent(name).path, toPath: directory.path(name))
        }
        var catalogue = try String(contentsOfFile: directory.path("templates.yaml"), encoding: .utf8)
        catalogue += """

              - code: OFFSET
                description: Direct mail letter, window misplaced
                attachment: DirectMail_EN.docx
                correspondenceType: hard-copy
                window: { name: Misplaced, left: 90, top: 45, width: 85, height: 45, lines: 6 }
                pages: 1

            """
        try directory.write("templates.yaml", catalogue)
        var salespeople = try String(contentsOfFile: directory.path("salespeople.yaml"), encoding: .utf8)
        salespeople += """

              - code: LONG
                name: Maximiliane Wilhelmina Konstantinopoulou-Vanderbiltshausen
                email: max@cronus.example

            """
        try directory.write("salespeople.yaml", salespeople)
        return directory
    }

    func check(_ segment: String, templates: String, _ extra: [String] = []) throws -> (CLI.Result, PreflightTests.Report?) {
        let result = try CLI.run(["check", segment, "--templates", templates, "--format", "json", "--pdf", "--pdf-jobs", "2"] + extra, timeout: 1200)
        return (result, try? JSONDecoder().decode(PreflightTests.Report.self, from: Data(result.stdout.utf8)))
    }

    @Test(.enabled(if: tools, "needs LibreOffice, qpdf and pdftotext (scripts/setup-debian.sh)"))
    func aSegmentSeededWithLayoutProblemsGetsExactlyThoseFindings() throws {
        let templates = try Self.templates()
        let directory = try TemporaryDirectory()
        try directory.write("contacts.csv", Self.contacts)
        try directory.write(
            "segment.yaml",
            Self.segment([
                ("C01", nil, nil), ("C02", "WIZARD", nil), ("L01", nil, nil), ("L02", "WIZARD", nil), ("L03", nil, Self.longComment),
                ("L04", nil, nil), ("L05", "OFFSET", nil),
            ]))
        let (result, decoded) = try check(directory.path("segment.yaml"), templates: templates.path)
        #expect(result.status == 1, "layout errors fail the check: \(result.stderr)")
        let report = try #require(decoded, "\(result.stdout)\n\(result.stderr)")
        let found = report.findings.map { "\($0.severity) \($0.contactNo) \($0.area) \($0.field ?? "-")" }.sorted()
        let expected = [
            "error L01 window -",
            "error L02 window -",
            "error L03 pages Comment",
            "warning L04 table cell SalespersonName",
            "error L05 window -",
        ].sorted()
        #expect(found == expected, "\(report.findings)")
        let byContact = Dictionary(grouping: report.findings, by: \.contactNo)
        // What was measured is in the message: the width in mm, the lines on the page, the pages, the cell.
        #expect(byContact["L01"]?.first?.message.contains("mm wide on the page") == true, "\(byContact["L01"] ?? [])")
        #expect(byContact["L01"]?.first?.message.contains("Sankt-Johannes") == true)
        #expect(byContact["L02"]?.first?.message.contains("takes 8 lines on the page") == true, "\(byContact["L02"] ?? [])")
        #expect(byContact["L03"]?.first?.message.contains("has 2 pages") == true, "\(byContact["L03"] ?? [])")
        #expect(byContact["L04"]?.first?.message.contains("Konstantinopoulou") == true, "\(byContact["L04"] ?? [])")
        #expect(byContact["L05"]?.first?.message.contains("outside the Misplaced window") == true, "\(byContact["L05"] ?? [])")
        for finding in report.findings {
            #expect(finding.fileLine != nil, "\(finding)")
            #expect(finding.message.contains(finding.contactNo) || finding.contactNo == "L05", "\(finding)")
        }
        #expect(report.notes.contains { $0.contains("measured") && $0.contains("pdftotext") }, "\(report.notes)")
        #expect(!report.notes.contains { $0.contains("estimated") }, "\(report.notes)")
    }

    @Test(.enabled(if: tools, "needs LibreOffice, qpdf and pdftotext (scripts/setup-debian.sh)"))
    func theSampleSegmentHasNoLayoutFindings() throws {
        let (result, decoded) = try check(Paths.sampleSegments.appendingPathComponent("SM00001.yaml").path, templates: Paths.templates.path)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(decoded, "\(result.stdout)\n\(result.stderr)")
        // Only the findings `check` without --pdf has (README "Preflight"): no window, page or cell finding.
        #expect(report.findings.allSatisfy { $0.severity == "info" && $0.area == "household" || $0.contactNo == "CT000028" }, "\(report.findings)")
        #expect(!report.findings.contains { ["window", "pages", "table cell"].contains($0.area) }, "\(report.findings)")
    }

    @Test(.enabled(if: tools, "needs LibreOffice, qpdf and pdftotext (scripts/setup-debian.sh)"))
    func logSegmentPreflightWithPDFRefusesALetterTooLong() throws {
        let directory = try TemporaryDirectory()
        try directory.write("contacts.csv", Self.contacts)
        try directory.write("segment.yaml", Self.segment([("C01", nil, nil), ("L03", nil, Self.longComment)]))
        let arguments = [
            "log-segment", directory.path("segment.yaml"), "--templates", Paths.templates.path, "--out", directory.path("letters"),
            "--db", directory.path("log.sqlite"), "--preflight", "--pdf", "--pdf-jobs", "2",
        ]
        let refused = try CLI.run(arguments, timeout: 1200)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("preflight found 1 error(s)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("the letter has 2 pages laid out"), "\(refused.stderr)")
        #expect(!TemporaryDirectory.exists(directory.path("letters")))
        #expect(!TemporaryDirectory.exists(directory.path("log.sqlite")))
    }
}
