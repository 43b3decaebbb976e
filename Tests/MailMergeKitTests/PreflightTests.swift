import Foundation
import Testing

/// `mailmerge check` and `log-segment --preflight`: a segment seeded with one of each problem gets
/// exactly those findings, and none on its clean lines.
@Suite(.serialized)
struct PreflightTests {
    static let columns =
        "ContactNo,ContactType,CompanyNo,CompanyName,Salutation,FirstName,MiddleName,Surname,JobTitle,Address,Address2,PostCode,City,County,"
        + "CountryRegionCode,Phone,Email,LanguageCode,CorrespondenceType,SalespersonCode,SalutationCode"

    /// Contacts: two clean ones (C01, C02), then one per problem.
    static let contacts =
        [
            columns,
            "C01,Person,K01,Alpha GmbH,Ms.,Anna,,Schmidt,Buyer,Hauptstraße 1,,10115,Berlin,,DE,,anna@alpha.example,EN,,JO,F",
            "C02,Person,K02,Beta BV,Mr.,Bram,,Visser,,Damrak 5,,1012 LG,Amsterdam,,NL,,bram@beta.example,EN,,JO,M",
            // P01: no street.
            "P01,Person,K03,Gamma Ltd,Mr.,Carl,,Jones,,,,SW1A 1AA,London,,GB,,carl@gamma.example,EN,,JO,M",
            // P02: an Irish address laid out by ADDRESSBLOCK \\d: 8 lines for a 6-line window.
            "P02,Person,K04,Byrne Ltd,Ms.,Aoife,,Byrne,,1 Main St,Unit 4,T12 AB34,Cork,Co. Cork,IE,,aoife@byrne.example,EN,,JO,F",
            // P03: a street line wider than the window.
            "P03,Person,K05,Delta AG,Mr.,Dirk,,Weber,,Sankt-Johannes-von-Nepomuk-Kirchplatzstraße 1234,,80331,München,,DE,,dirk@delta.example,EN,,JO,M",
            // P04: a company without a person's name: GREETINGLINE falls back to "Dear Sir or Madam,".
            "P04,Company,P04,Epsilon SA,,,,,,Rue Neuve 9,,1000,Bruxelles,,BE,,info@epsilon.example,EN,,JO,COMPANY",
            // P05: a placeholder value.
            "P05,Person,K06,Zeta Oy,Ms.,Eva,,Virtanen,,Mannerheimintie 3,xxx,00100,Helsinki,,FI,,eva@zeta.example,EN,,JO,F",
            // P06: no company, which DirectMail prints in running text.
            "P06,Person,,,Mr.,Frank,,Moreau,,8 Rue du Lac,,1003,Lausanne,,CH,,frank@mail.example,EN,,JO,M",
            // P07: the same postal address as C01 (a household), written differently.
            "P07,Person,K01,Alpha GmbH,Mr.,Georg,,Schmidt,,hauptstr. 1,,10115,BERLIN,,DE,,georg@alpha.example,EN,,JO,M",
            // P08: C02 again under another number.
            "P08,Person,K02,Beta BV,Mr.,Bram,,Visser,,Damrak 5,,1012LG,Amsterdam,,NL,,b.visser@beta.example,EN,,JO,M",
            // P09: an e-mail line with an invalid address.
            "P09,Person,K07,Eta Inc,Ms.,Hana,,Sato,,1 Market St,,94105,San Francisco,CA,US,,hana@@eta,EN,email,JO,F",
        ].joined(separator: "\n") + "\n"

    static func segment(_ lines: [(no: String, template: String?)]) -> String {
        """
        header:
          no: SMCHECK
          description: Preflight test
          templateCode: DIRECTMAIL
          date: 2026-11-23
          contacts: contacts.csv
          subject: Our new range
          salespersonCode: JO
          salespersonName: Jo Olsen
          campaignNo: CP1001
        lines:

        """
            + lines.enumerated().map { index, line in
                "  - lineNo: \((index + 1) * 10000)\n    contactNo: \(line.no)\n" + (line.template.map { "    templateCode: \($0)\n" } ?? "")
            }.joined()
    }

    static let seeded: [(no: String, template: String?)] = [
        ("C01", nil), ("C02", "WIZARD"), ("P01", nil), ("P02", "WIZARD"), ("P03", nil), ("P04", "WIZARD"), ("P05", nil), ("P06", nil),
        ("P07", nil), ("P08", "WIZARD"), ("P09", nil),
    ]

    struct Finding: Decodable, Equatable, CustomStringConvertible {
        var severity: String
        var contactNo: String
        var area: String
        var field: String?
        var message: String
        var fileLine: Int?
        var description: String { "\(severity) \(contactNo) \(area) \(field ?? "-"): \(message)" }
    }

    struct Report: Decodable {
        var lines: Int
        var findings: [Finding]
        var notes: [String]
    }

    func check(_ directory: TemporaryDirectory, _ extra: [String] = []) throws -> (CLI.Result, Report?) {
        let result = try CLI.run(["check", directory.path("segment.yaml"), "--templates", Paths.templates.path, "--format", "json"] + extra)
        let report = try? JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        return (result, report)
    }

    @Test func aSeededSegmentGetsExactlyItsFindings() throws {
        let directory = try TemporaryDirectory()
        try directory.write("contacts.csv", Self.contacts)
        try directory.write("segment.yaml", Self.segment(Self.seeded))
        let (result, decoded) = try check(directory)
        #expect(result.status == 1, "errors fail the check: \(result.stderr)")
        let report = try #require(decoded, "\(result.stdout)\n\(result.stderr)")
        #expect(report.lines == Self.seeded.count)
        let found = report.findings.map { "\($0.severity) \($0.contactNo) \($0.area) \($0.field ?? "-")" }.sorted()
        let expected = [
            "error P01 address block Address",
            "error P02 window -",
            "warning P03 window -",
            "warning P04 greeting -",
            "error P05 value Address2",
            "warning P06 running text CompanyName",
            "info P07 household -",
            "warning P08 duplicate -",
            "error P09 e-mail Email",
        ].sorted()
        #expect(found == expected, "\(report.findings)")
        // Each finding names its segment line in the file and says what to do.
        for finding in report.findings {
            #expect(finding.fileLine != nil, "\(finding)")
            #expect(finding.message.contains(finding.contactNo) || ["household", "duplicate"].contains(finding.area), "\(finding)")
        }
        let byContact = Dictionary(grouping: report.findings, by: \.contactNo)
        #expect(byContact["P02"]?.first?.message.contains("8 lines") == true, "\(byContact["P02"] ?? [])")
        #expect(byContact["P03"]?.first?.message.contains("Sankt-Johannes") == true)
        #expect(byContact["P05"]?.first?.message.contains("\"xxx\"") == true)
        #expect(byContact["P07"]?.first?.message.contains("line 10000 (contact C01)") == true)
        #expect(byContact["P08"]?.first?.message.contains("line 20000 (contact C02)") == true)
        #expect(byContact["P09"]?.first?.message.contains("hana@@eta") == true)
        #expect(report.notes.contains { $0.contains("estimated") && $0.contains("DIN 5008 A") }, "\(report.notes)")
    }

    @Test func warningsFailOnlyWithFailOnWarning() throws {
        let directory = try TemporaryDirectory()
        try directory.write("contacts.csv", Self.contacts)
        try directory.write("segment.yaml", Self.segment([("C01", nil), ("P04", "WIZARD"), ("P07", nil)]))
        let (passed, report) = try check(directory)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(report?.findings.map(\.severity).sorted() == ["info", "warning"])
        let (failed, _) = try check(directory, ["--fail-on", "warning"])
        #expect(failed.status == 1)
        // The table and CSV forms carry the same findings.
        let csv = try CLI.run(["check", directory.path("segment.yaml"), "--templates", Paths.templates.path, "--format", "csv"])
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first?.hasPrefix("SEVERITY,LINE,FILE LINE,CONTACT,AREA,FIELD,FINDING") == true, "\(csv.stdout)")
        #expect(rows.count == 3)
        let table = try CLI.run(["check", directory.path("segment.yaml"), "--templates", Paths.templates.path])
        #expect(table.stdout.contains("GREETINGLINE uses its fallback greeting"))
        #expect(table.stderr.contains("0 error(s), 1 warning(s), 1 info on 3 lines"), "\(table.stderr)")
    }

    @Test func theSampleSegmentHasOnlyItsRealFindings() throws {
        let (result, decoded) = try {
            let result = try CLI.run(
                ["check", Paths.sampleSegments.appendingPathComponent("SM00001.yaml").path, "--templates", Paths.templates.path, "--format", "json"])
            return (result, try? JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)))
        }()
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(decoded)
        // README "Preflight": the sample's contacts share their companies' addresses (households),
        // and the private customer CT000028 has no company, which DirectMail prints in running text.
        #expect(report.findings.allSatisfy { $0.severity == "info" && $0.area == "household" || $0.contactNo == "CT000028" }, "\(report.findings)")
        #expect(report.findings.contains { $0.contactNo == "CT000028" && $0.area == "running text" && $0.field == "CompanyName" })
        #expect(!report.findings.contains { $0.severity == "error" })
    }

    @Test func logSegmentPreflightRefusesOnErrorsAndLogsOtherwise() throws {
        let directory = try TemporaryDirectory()
        try directory.write("contacts.csv", Self.contacts)
        try directory.write("segment.yaml", Self.segment([("C01", nil), ("P01", nil)]))
        let arguments = [
            "log-segment", directory.path("segment.yaml"), "--templates", Paths.templates.path, "--out", directory.path("letters"),
            "--db", directory.path("log.sqlite"), "--preflight",
        ]
        let refused = try CLI.run(arguments)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("preflight found 1 error(s)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("the address block has no street"))
        #expect(!TemporaryDirectory.exists(directory.path("letters")))
        #expect(!TemporaryDirectory.exists(directory.path("log.sqlite")))

        try directory.write("segment.yaml", Self.segment([("C01", nil), ("P07", nil)]))
        let logged = try CLI.run(arguments)
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(logged.stderr.contains("same postal address as line 10000"))
        #expect(TemporaryDirectory.list(directory.path("letters/SMCHECK")).filter { $0.hasSuffix(".docx") }.count == 2)
    }
}
