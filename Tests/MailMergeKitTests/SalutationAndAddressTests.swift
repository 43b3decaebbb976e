import Foundation
import Testing

/// Salutation formulas and country address formats (Templates/salutations.yaml, countries.yaml,
/// setup.yaml) merged as FormalSalutation, InformalSalutation, AddressLine1…8 and CountryRegionName.
@Suite struct SalutationAndAddressTests {
    /// A templates folder with the sample salutations, countries and setup and one template whose
    /// letter shows every correspondence field, a paragraph each.
    static func templates(in root: URL, countries: String? = nil) throws -> URL {
        let folder = root.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["salutations.yaml", "countries.yaml", "setup.yaml"] {
            try FileManager.default.copyItem(at: Paths.templates.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        if let countries {
            try countries.write(to: folder.appendingPathComponent("countries.yaml"), atomically: true, encoding: .utf8)
        }
        try """
        templates:
          - code: ADDR
            description: Address test
            attachment: Address.docx
        """.write(to: folder.appendingPathComponent("templates.yaml"), atomically: true, encoding: .utf8)
        let fields = ["FormalSalutation", "InformalSalutation", "CountryRegionName"] + (1...8).map { "AddressLine\($0)" }
        let body = fields.map { "<w:p><w:r><w:t xml:space=\"preserve\">\($0)=</w:t></w:r>" + WordTemplateBuilder.mergeField($0) + "</w:p>" }.joined()
        try WordTemplateBuilder.write(to: folder.appendingPathComponent("Address.docx"), body: body)
        return folder
    }

    /// Logs one line per (contact, language) and returns each letter's `Field=value` lines by contact.
    static func letters(_ cases: [(contact: String, language: String)], countries: String? = nil) throws -> [String: [String: String]] {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let templates = try templates(in: workspace.root, countries: countries)
        var yaml = """
            header:
              no: SMADDR
              description: Addresses
              templateCode: ADDR
              date: 2026-11-23
              contacts: contacts.csv
            lines:

            """
        for (index, item) in cases.enumerated() {
            yaml += "  - lineNo: \((index + 1) * 10000)\n    contactNo: \(item.contact)\n    languageCode: \(item.language)\n"
        }
        let segment = try workspace.writeSegment("SMADDR.yaml", yaml)
        let result = try CLI.run([
            "log-segment", segment.path, "--templates", templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        guard result.status == 0 else { throw ExternalCheck.CheckError("log-segment failed: \(result.stderr)") }
        var byContact: [String: [String: String]] = [:]
        for file in workspace.letterFiles() {
            let letter = try DocxInspector(path: workspace.letters.appendingPathComponent(file).path)
            var values: [String: String] = [:]
            for paragraph in letter.paragraphs["word/document.xml"] ?? [] {
                let parts = paragraph.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
            }
            let contact = try #require(file.split(separator: "-").dropFirst().first.map(String.init))
            byContact[contact] = values
        }
        return byContact
    }

    static func address(_ values: [String: String]?) -> [String] {
        (1...8).compactMap { values?["AddressLine\($0)"] }.filter { !$0.isEmpty }
    }

    @Test func salutationsAndAddressesPerLanguageAndCountry() throws {
        let letters = try Self.letters([
            ("CT000017", "NL"),  // Jean-Luc D'Arcy, Paris: foreign, Dutch
            ("CT000002", "NL"),  // Pieter van den Berg, Amsterdam: our own country
            ("CT000010", "EN"),  // Seán O'Brien, London
            ("CT000005", "FR"),  // François Ça, Bruxelles, in French
            ("CT000007", "DE"),  // Dr., Germany, in German
            ("CT000006", "EN"),  // a company contact
        ])
        let darcy = try #require(letters["CT000017"], "\(letters.keys)")
        #expect(darcy["FormalSalutation"] == "Geachte heer D'Arcy")
        #expect(darcy["InformalSalutation"] == "Beste Jean-Luc")
        #expect(darcy["CountryRegionName"] == "Frankrijk")
        #expect(
            Self.address(darcy) == ["Jean-Luc D'Arcy", "Château Lumière SA", "12 Avenue des Champs-Élysées", "75008 PARIS", "FRANKRIJK"],
            "\(darcy)")

        let pieter = try #require(letters["CT000002"])
        #expect(pieter["FormalSalutation"] == "Geachte heer van den Berg")
        #expect(
            Self.address(pieter) == ["Pieter van den Berg", "Van den Berg & Zonen B.V.", "Keizersgracht 123", "1015 CJ  AMSTERDAM"], "no country line at home")
        #expect(pieter["AddressLine5"] == "" && pieter["AddressLine8"] == "")

        let sean = try #require(letters["CT000010"])
        #expect(sean["FormalSalutation"] == "Dear Mr. O'Brien" && sean["InformalSalutation"] == "Dear Seán")
        #expect(Self.address(sean).suffix(3) == ["LONDON", "NW1 6XE", "UNITED KINGDOM"], "GB: post town, then post code: \(Self.address(sean))")

        let francois = try #require(letters["CT000005"])
        #expect(francois["FormalSalutation"] == "Monsieur" && francois["CountryRegionName"] == "Belgique")
        #expect(Self.address(francois).suffix(2) == ["1000 Bruxelles", "BELGIQUE"], "\(Self.address(francois))")

        let doctor = try #require(letters["CT000007"])
        #expect(doctor["FormalSalutation"]?.hasPrefix("Sehr geehrte(r) Dr. ") == true, "\(doctor)")
        #expect(Self.address(doctor).last == "DEUTSCHLAND")

        let company = try #require(letters["CT000006"])
        #expect(company["FormalSalutation"] == "Dear Sir or Madam")
        #expect(Self.address(company).first == "Müller Maschinenbau GmbH")
        #expect(Self.address(company).last == "GERMANY")
    }

    @Test func countryTableDecidesLayoutCountyAndName() throws {
        let countries = """
            countries:
              - code: GB
                names: { EN: Britain }
                addressFormat: city+county+post-code
              - code: FR
                names: { NL: La France }
                addressFormat: city+post-code
                printCounty: true
            """
        let letters = try Self.letters([("CT000010", "EN"), ("CT000017", "NL")], countries: countries)
        let sean = try #require(letters["CT000010"])
        #expect(Self.address(sean).suffix(2) == ["London, Greater London NW1 6XE", "BRITAIN"], "\(Self.address(sean))")
        let darcy = try #require(letters["CT000017"])
        #expect(Self.address(darcy).suffix(3) == ["Paris 75008", "Île-de-France", "LA FRANCE"], "\(Self.address(darcy))")
    }

    @Test func unknownSalutationCodeIsRefusedWithTheContact() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let csv = workspace.segments.appendingPathComponent("contacts.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        try text.replacingOccurrences(of: "jl.darcy@lumiere.example,EN,,OF,,M", with: "jl.darcy@lumiere.example,EN,,OF,,SIR")
            .write(to: csv, atomically: true, encoding: .utf8)
        let result = try workspace.logSegment()
        #expect(result.status == 1)
        #expect(result.stderr.contains("contact CT000017: salutation code 'SIR' is not in") && result.stderr.contains("salutations.yaml"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
    }

    @Test func theSampleDutchLetterGreetsAndAddressesLikeBusinessCentral() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment()
        #expect(result.status == 0, "\(result.stderr)")
        // Line 160000: Jean-Luc D'Arcy (Paris) reads Dutch.
        let file = try #require(workspace.letterFiles().first { $0.contains("-CT000017-") })
        let letter = try DocxInspector(path: workspace.letters.appendingPathComponent(file).path)
        let body = letter.paragraphs["word/document.xml"] ?? []
        #expect(body.contains("Geachte heer D'Arcy,"), "\(body.prefix(12))")
        #expect(!letter.allText.contains("Mr. D'Arcy"))
        let country = try #require(body.firstIndex(of: "FRANKRIJK"), "\(body.prefix(12))")
        #expect(Array(body[..<country].suffix(2)) == ["12 Avenue des Champs-Élysées", "75008 PARIS"])
        // A Dutch letter to an Amsterdam address has no country line.
        let home = try #require(workspace.letterFiles().first { $0.contains("-CT000002-") })
        let homeBody = try DocxInspector(path: workspace.letters.appendingPathComponent(home).path).paragraphs["word/document.xml"] ?? []
        #expect(homeBody.contains("1015 CJ  AMSTERDAM") && !homeBody.contains("NEDERLAND") && !homeBody.contains("NL"), "\(homeBody.prefix(8))")
        #expect(homeBody.contains("Geachte heer van den Berg,"))
    }

    @Test func theSampleEnglishLetterNamesTheCountryAndGreetsInEnglish() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // The sample segment with Jean-Luc D'Arcy (Paris) and Pieter van den Berg (Amsterdam) reading English.
        let sample = try String(contentsOf: workspace.segment, encoding: .utf8)
        let english =
            sample
            .replacingOccurrences(of: "    contactNo: CT000002\n", with: "    contactNo: CT000002\n    languageCode: EN\n")
            .replacingOccurrences(
                of: "    contactNo: CT000017\n    # An English-speaking contact who reads Dutch: gets the NL attachment.\n    languageCode: NL\n",
                with: "    contactNo: CT000017\n    languageCode: EN\n")
        try #require(english.components(separatedBy: "languageCode: EN").count == sample.components(separatedBy: "languageCode: EN").count + 2)
        try english.write(to: workspace.segment, atomically: true, encoding: .utf8)
        let result = try workspace.logSegment()
        #expect(result.status == 0, "\(result.stderr)")

        let file = try #require(workspace.letterFiles().first { $0.contains("-CT000017-") })
        let letter = try DocxInspector(path: workspace.letters.appendingPathComponent(file).path)
        let body = letter.paragraphs["word/document.xml"] ?? []
        #expect(letter.allText.contains(LogSegmentTests.wording["DirectMail_EN.docx"]!), "the English attachment")
        #expect(
            Array(body.prefix(5)) == ["Jean-Luc D'Arcy", "Château Lumière SA", "12 Avenue des Champs-Élysées", "75008 PARIS", "FRANCE"],
            "\(body.prefix(8))")
        #expect(body.contains("Dear Mr. D'Arcy,"), "\(body.prefix(12))")
        #expect(!body.contains("FR") && !body.contains("FRANKRIJK"))

        // An English letter to an address in our own country (setup.yaml: NL) has no country line.
        let home = try #require(workspace.letterFiles().first { $0.contains("-CT000002-") })
        let homeLetter = try DocxInspector(path: workspace.letters.appendingPathComponent(home).path)
        let homeBody = homeLetter.paragraphs["word/document.xml"] ?? []
        #expect(homeLetter.allText.contains(LogSegmentTests.wording["DirectMail_EN.docx"]!), "the English attachment")
        #expect(
            Array(homeBody.prefix(4)) == ["Pieter van den Berg", "Van den Berg & Zonen B.V.", "Keizersgracht 123", "1015 CJ  AMSTERDAM"],
            "\(homeBody.prefix(8))")
        #expect(!homeBody.contains("NL") && !homeBody.contains("NETHERLANDS") && !homeBody.contains("NEDERLAND"), "\(homeBody.prefix(8))")
        #expect(homeBody.contains { $0.hasPrefix("Dear Mr. ") && $0.hasSuffix(",") }, "\(homeBody.prefix(12))")
    }
}
