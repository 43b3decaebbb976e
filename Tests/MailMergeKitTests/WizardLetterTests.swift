import Foundation
import Testing

/// The Mail Merge wizard's letter (Templates/Wizard_EN.docx, Wizard_NL.docx: ADDRESSBLOCK with `\d`,
/// GREETINGLINE) through the real CLI, checked in the XML, with python-docx, and in LibreOffice's PDF.
@Suite(.serialized)
struct WizardLetterTests {
    static let header =
        "ContactNo,ContactType,CompanyName,Salutation,FirstName,MiddleName,Surname,Address,Address2,PostCode,City,County,"
        + "CountryRegionCode,Date,SalespersonName,SegmentNo,LineNo"
    static let contacts = [
        "C1,Person,Weber GmbH,Herr,Jonas,,Weber,Hauptstraße 5,,10115,Berlin,,DE,2026-11-23,Anna,SM1,1",
        "C2,Person,,Ms.,Emily,,Clarke,10 Downing Street,,SW1A 2AA,London,Greater London,GB,2026-11-23,Anna,SM1,2",
        "C3,Person,,,John,,Smith,1600 Amphitheatre Pkwy,Suite 4,94043,Mountain View,CA,US,2026-11-23,Anna,SM1,3",
        "C4,Person,,,Ola,,Nordmann,Karl Johans gate 1,,0154,Oslo,,NO,2026-11-23,Anna,SM1,4",
        "C5,Company,Brasserie Le Coq,,,,,Rue de la Loi 16,,1000,Bruxelles,,BE,2026-11-23,Anna,SM1,5",
    ]
    /// The address block and greeting each contact must get (Wizard_EN: `\e "United Kingdom"`).
    static let expected: [[String]] = [
        ["Herr Jonas Weber", "Weber GmbH", "Hauptstraße 5", "10115 Berlin", "Germany", "Dear Herr Weber,"],
        ["Ms. Emily Clarke", "10 Downing Street", "LONDON", "SW1A 2AA", "Dear Ms. Clarke,"],
        ["John Smith", "1600 Amphitheatre Pkwy", "Suite 4", "Mountain View, CA  94043", "United States", "Dear Smith,"],
        ["Ola Nordmann", "Karl Johans gate 1", "0154 OSLO", "Norway", "Dear Nordmann,"],
        ["Brasserie Le Coq", "Rue de la Loi 16", "1000 Bruxelles", "Belgium", "Dear Sir or Madam,"],
    ]

    func merge(_ template: String, csv: String, _ extra: [String] = []) throws -> (URL, [URL]) {
        let dir = try Paths.temporaryDirectory("wizard")
        let data = dir.appendingPathComponent("contacts.csv")
        try csv.write(to: data, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", Paths.templates.appendingPathComponent(template).path, data.path, "--out", out.path] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let documents = try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "docx" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return (dir, documents)
    }

    @Test func addressBlocksPerCountryAndGreetingsInXMLPythonDocxAndPDF() throws {
        let (dir, documents) = try merge("Wizard_EN.docx", csv: ([Self.header] + Self.contacts).joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(documents.count == Self.contacts.count)
        for (document, lines) in zip(documents, Self.expected) {
            let paragraphs = try DocxInspector(path: document.path).paragraphs["word/document.xml"] ?? []
            // The block's lines are paragraphs of their own, then the date line, then the greeting.
            let block = Array(paragraphs.prefix(lines.count - 1))
            #expect(block == Array(lines.dropLast()), "\(document.lastPathComponent)")
            #expect(paragraphs.contains(lines.last!), "\(document.lastPathComponent): \(paragraphs)")
            #expect(paragraphs.contains("London, 23 November 2026"))
            #expect(!paragraphs.joined().contains("«"))
        }
        let pythonTexts = try ExternalCheck.pythonDocxText(documents)
        let pdfTexts = try ExternalCheck.pdfText(documents)
        for (index, lines) in Self.expected.enumerated() {
            let pythonLines = pythonTexts[index].components(separatedBy: "\n")
            #expect(Array(pythonLines.prefix(lines.count - 1)) == Array(lines.dropLast()), "python-docx: \(pythonTexts[index])")
            // pdftotext writes runs of spaces as one.
            let squeeze = { (text: String) in text.replacingOccurrences(of: " +", with: " ", options: .regularExpression) }
            for line in lines { #expect(squeeze(pdfTexts[index]).contains(squeeze(line)), "PDF of letter \(index + 1) lacks \(line)") }
        }
    }

    @Test func dutchLetterHasDutchMonthAndGreeting() throws {
        let (dir, documents) = try merge(
            "Wizard_NL.docx",
            csv: [
                Self.header, Self.contacts[0],
                "C6,Person,Van den Berg B.V.,Dhr.,Pieter,van den,Berg,Keizersgracht 123,,1015 CJ,Amsterdam,Noord-Holland,NL,2026-11-23,Anna,SM1,6",
            ].joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #require(documents.count == 2)
        let german = try DocxInspector(path: documents[0].path).paragraphs["word/document.xml"] ?? []
        #expect(Array(german.prefix(5)) == ["Herr Jonas Weber", "Weber GmbH", "Hauptstraße 5", "10115 Berlin", "Duitsland"])
        let dutch = try DocxInspector(path: documents[1].path).paragraphs["word/document.xml"] ?? []
        #expect(Array(dutch.prefix(4)) == ["Dhr. Pieter van den Berg", "Van den Berg B.V.", "Keizersgracht 123", "1015 CJ  AMSTERDAM"])
        #expect(dutch.contains("Amsterdam, 23 november 2026"), "\(dutch)")
        #expect(dutch.contains("Geachte Dhr. van den Berg,"), "\(dutch)")
    }

    @Test func mapOptionAndFieldsListing() throws {
        let csv =
            "First Name,Family,Street,Town,ZIP,Country,Date,SalespersonName,SegmentNo,LineNo,ContactNo\n"
            + "Ann,Lee,1 Main St,Boston,02101,USA,2026-11-23,Anna,SM1,1,C1\n"
        let (dir, documents) = try merge("Wizard_EN.docx", csv: csv, ["--map", "Last Name=Family", "--map", "Postal Code=ZIP"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let paragraphs = try DocxInspector(path: try #require(documents.first).path).paragraphs["word/document.xml"] ?? []
        #expect(Array(paragraphs.prefix(4)) == ["Ann Lee", "1 Main St", "Boston  02101", "USA"], "\(paragraphs)")
        #expect(paragraphs.contains("Dear Lee,"))

        let missing = try CLI.run([
            "merge", Paths.templates.appendingPathComponent("Wizard_EN.docx").path,
            dir.appendingPathComponent("contacts.csv").path, "--out", dir.appendingPathComponent("x").path,
            "--map", "Last Name=Nachname",
        ])
        #expect(missing.status != 0 && missing.stderr.contains("Nachname"), "\(missing.stderr)")

        let listing = try CLI.run(["fields", Paths.templates.appendingPathComponent("Wizard_EN.docx").path, "--map", "Last Name=Family"])
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("ADDRESSBLOCK") && listing.stdout.contains("GREETINGLINE"))
        #expect(listing.stdout.contains("_LAST0_") && listing.stdout.contains("Family (mapped)"))
        #expect(listing.stdout.contains("CountryRegionCode (automatic)"))
        #expect(listing.stderr.contains("_SUFFIX0_") && listing.stderr.hasPrefix("warning: "), "\(listing.stderr)")
    }

    @Test func logSegmentWithTheWizardTemplate() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let text = try String(contentsOf: workspace.segment, encoding: .utf8)
            .replacingOccurrences(of: "templateCode: DIRECTMAIL", with: "templateCode: WIZARD")
            .replacingOccurrences(of: "templateCode: EVENT", with: "templateCode: WIZARD")
        try text.write(to: workspace.segment, atomically: true, encoding: .utf8)
        let result = try workspace.logSegment()
        #expect(result.status == 0, "\(result.stderr)")
        let files = workspace.letterFiles()
        #expect(files.count == 25)
        // CT000013: a US person at a company; CT000001: a Dutch company (Dutch letter, no name: the \e greeting).
        let smith = try #require(files.first { $0.contains("CT000013") })
        let smithText = try DocxInspector(path: workspace.letters.appendingPathComponent(smith).path).paragraphs["word/document.xml"] ?? []
        #expect(
            Array(smithText.prefix(6)) == [
                "Ms. Mary Ann Smith", "Smith, Jones & Partners LLC", "500 Fifth Avenue", "Floor 12",
                "New York, NY  10110", "United States",
            ], "\(smithText)")
        #expect(smithText.contains("Dear Ms. Smith,"))
        let company = try #require(files.first { $0.contains("CT000001") })
        let companyText = try DocxInspector(path: workspace.letters.appendingPathComponent(company).path).paragraphs["word/document.xml"] ?? []
        #expect(
            Array(companyText.prefix(5)) == [
                "Van den Berg & Zonen B.V.", "Keizersgracht 123", "1015 CJ  AMSTERDAM",
                "Amsterdam, 23 november 2026", "Geachte heer, mevrouw,",
            ], "\(companyText)")
    }
}
