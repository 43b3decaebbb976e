import DocxPackage
import Foundation
import Testing

@testable import MergeEngine

/// ADDRESSBLOCK, GREETINGLINE and Match Fields, with the field codes Word's Insert Address Block and
/// Insert Greeting Line dialogs write (`\f` line ends as Word stores them: a carriage return).
@Suite struct AddressBlockTests {
    /// Insert Address Block (English, United States), "Format address according to the destination country/region".
    static let wordAddressBlock =
        #"ADDRESSBLOCK \f "<<_TITLE0_ >><<_FIRST0_>><< _LAST0_>><< _SUFFIX0_>>&#13;<<_COMPANY_&#13;>>"#
        + #"<<_STREET1_&#13;>><<_STREET2_&#13;>><<_CITY_>><<, _STATE_>><< _POSTAL_>><<&#13;_COUNTRY_>>" \l 1033 \c 2 \e "United States" \d"#
    static let wordGreeting = #"GREETINGLINE \f "<<_BEFORE_ Dear >><<_TITLE0_ >><<_LAST0_>><<,_AFTER_ >>" \l 1033 \e "Dear Sir or Madam,""#

    static let paragraphProperties = #"<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:left="4536"/></w:pPr>"#

    /// The code as Word stores it in `w:instrText` (`<<` escaped).
    static func escaped(_ code: String) -> String {
        code.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func addressParagraph(_ code: String = wordAddressBlock) -> String {
        "<w:p>\(paragraphProperties)\(WordXML.complexField(escaped(code), result: "«AddressBlock»", instructionProperties: "<w:rPr><w:b/></w:rPr>"))</w:p>"
    }

    static func contact(_ values: [String: String]) -> [String: String] {
        var record = [
            "Salutation": "", "FirstName": "", "MiddleName": "", "Surname": "", "CompanyName": "", "Address": "",
            "Address2": "", "City": "", "County": "", "PostCode": "", "CountryRegionCode": "",
        ]
        record.merge(values) { $1 }
        return record
    }

    /// The address lines: one paragraph each, all with the template paragraph's spacing and indent, bold kept.
    func addressLines(_ values: [String: String], code: String = wordAddressBlock) throws -> [String] {
        let rendered = try WordXML.render(Self.addressParagraph(code) + "<w:p><w:r><w:t>Body</w:t></w:r></w:p>", Self.contact(values))
        let lines = Array(rendered.paragraphs.dropLast())
        #expect(rendered.text.components(separatedBy: "<w:ind w:left=\"4536\"/>").count - 1 == lines.count, "each line keeps the pPr")
        #expect(!rendered.text.contains("<w:br/>"))
        for line in lines { #expect(rendered.properties(ofRunWith: line) == [["b"]], "\(line)") }
        return lines
    }

    @Test func germanContactIsLaidOutPostCodeBeforeCityWithCountryName() throws {
        let lines = try addressLines([
            "Salutation": "Herr", "FirstName": "Jonas", "Surname": "Weber", "CompanyName": "Weber GmbH",
            "Address": "Hauptstraße 5", "City": "Berlin", "PostCode": "10115", "CountryRegionCode": "DE",
        ])
        #expect(lines == ["Herr Jonas Weber", "Weber GmbH", "Hauptstraße 5", "10115 Berlin", "Germany"])
    }

    @Test func britishContactHasPostTownInCapitalsAndPostcodeOnItsOwnLine() throws {
        let lines = try addressLines([
            "Salutation": "Ms.", "FirstName": "Emily", "Surname": "Clarke", "Address": "10 Downing Street",
            "City": "London", "County": "Greater London", "PostCode": "SW1A 2AA", "CountryRegionCode": "GB",
        ])
        #expect(lines == ["Ms. Emily Clarke", "10 Downing Street", "LONDON", "SW1A 2AA", "United Kingdom"])
    }

    @Test func usContactHasCityStateZipAndNoCountryLineWhenExcluded() throws {
        let lines = try addressLines([
            "FirstName": "John", "Surname": "Smith", "Address": "1600 Amphitheatre Pkwy", "Address2": "Suite 4",
            "City": "Mountain View", "County": "CA", "PostCode": "94043", "CountryRegionCode": "US",
        ])
        #expect(lines == ["John Smith", "1600 Amphitheatre Pkwy", "Suite 4", "Mountain View, CA  94043"])
    }

    @Test func norwegianAndBelgianContacts() throws {
        let norwegian = try addressLines([
            "FirstName": "Ola", "Surname": "Nordmann", "Address": "Karl Johans gate 1",
            "City": "Oslo", "PostCode": "0154", "CountryRegionCode": "NO",
        ])
        #expect(norwegian == ["Ola Nordmann", "Karl Johans gate 1", "0154 OSLO", "Norway"])
        let belgian = try addressLines([
            "Salutation": "Mevr.", "FirstName": "An", "Surname": "Peeters", "Address": "Grote Markt 7",
            "City": "Brussel", "PostCode": "1000", "CountryRegionCode": "Belgium",
        ])
        #expect(belgian == ["Mevr. An Peeters", "Grote Markt 7", "1000 Brussel", "Belgium"])
    }

    @Test func withoutDestinationFormattingTheFormatIsKeptAndEmptyGroupsVanish() throws {
        let code =
            #"ADDRESSBLOCK \f "<<_FIRST0_>><< _LAST0_>>&#13;&#10;<<_COMPANY_&#10;>><<_STREET1_&#13;>>"#
            + #"<<_CITY_>><<, _STATE_>><< _POSTAL_>><<&#10;_COUNTRY_>>" \c 1"#
        let lines = try addressLines(
            [
                "FirstName": "Jonas", "Surname": "Weber", "Address": "Hauptstraße 5", "City": "Berlin",
                "PostCode": "10115", "CountryRegionCode": "Deutschland",
            ], code: code)
        #expect(lines == ["Jonas Weber", "Hauptstraße 5", "Berlin 10115", "Deutschland"])
        let noCountry = try addressLines(
            ["FirstName": "Jonas", "Address": "x", "CountryRegionCode": "DE"],
            code: code.replacingOccurrences(of: #"\c 1"#, with: #"\c 0"#))
        #expect(noCountry == ["Jonas", "x"])
    }

    @Test func anEmptyAddressBlockIsABlankLineAndGoes() throws {
        let rendered = try WordXML.render(Self.addressParagraph() + "<w:p><w:r><w:t>Body</w:t></w:r></w:p>", Self.contact([:]))
        #expect(rendered.paragraphs == ["Body"])
    }

    @Test func dialogCodesParseAndBadOnesSayWhatToWrite() throws {
        guard case .addressBlock(let block) = try FieldInstruction.parse(Self.wordAddressBlock.replacingOccurrences(of: "&#13;", with: "\r")) else {
            Issue.record("not an ADDRESSBLOCK")
            return
        }
        #expect(block.countryMode == 2 && block.excludedCountries == ["United States"] && block.formatsByCountry && block.languageID == 1033)
        #expect(
            block.tokens.map(\.written) == [
                "_TITLE0_", "_FIRST0_", "_LAST0_", "_SUFFIX0_", "_COMPANY_", "_STREET1_", "_STREET2_",
                "_CITY_", "_STATE_", "_POSTAL_", "_COUNTRY_",
            ])
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(#"ADDRESSBLOCK \f "<<_SURNAME_>>""#) }
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(#"ADDRESSBLOCK \c 3"#) }
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(#"GREETINGLINE \f "<<_LAST0_""#) }
        #expect(throws: FieldSyntaxError.self) { try FieldInstruction.parse(#"GREETINGLINE \x"#) }
        for country in AddressCountry.all { #expect(!country.format.items.isEmpty, "\(country.code)") }
    }

    @Test func greetingWithAndWithoutAName() throws {
        let body = "<w:p>\(WordXML.complexField(Self.escaped(Self.wordGreeting), result: "«GreetingLine»"))</w:p>"
        let named = try WordXML.render(body, Self.contact(["Salutation": "Mr.", "Surname": "Smith"]))
        #expect(named.paragraphs == ["Dear Mr. Smith,"])
        let surnameOnly = try WordXML.render(body, Self.contact(["Surname": "Smith"]))
        #expect(surnameOnly.paragraphs == ["Dear Smith,"])
        let company = try WordXML.render(body, Self.contact(["CompanyName": "Weber GmbH"]))
        #expect(company.paragraphs == ["Dear Sir or Madam,"])
        let informal = "<w:p>\(WordXML.complexField(Self.escaped(#"GREETINGLINE \f "<<_BEFORE_ Hello >><<_FIRST0_>><<!_AFTER_ >>" \e "Hello!""#)))</w:p>"
        #expect(try WordXML.render(informal, Self.contact(["FirstName": "Jonas"])).paragraphs == ["Hello Jonas!"])
        #expect(try WordXML.render(informal, Self.contact(["Salutation": "Mr."])).paragraphs == ["Hello!"])
    }

    @Test func tokensMatchCommonColumnNamesAutomatically() throws {
        let lines = try WordXML.render(
            Self.addressParagraph(),
            [
                "First Name": "Ann", "Last Name": "Lee", "Street": "1 Main St",
                "City": "Boston", "State": "MA", "ZIP": "02101", "Country": "USA",
            ])
        #expect(lines.paragraphs == ["Ann Lee", "1 Main St", "Boston, MA  02101"])
    }

    @Test func mapOptionsNameTokensByWordsMatchFieldsNames() throws {
        let map = try MatchFields.overrides(parsing: ["Last Name=Family", "_POSTAL_ = Zip5", "address 1=Line1"])
        #expect(map == [.last0: "Family", .postal: "Zip5", .street1: "Line1"])
        #expect(throws: FieldSyntaxError.self) { try MatchFields.overrides(parsing: ["Surname"]) }
        #expect(throws: FieldSyntaxError.self) { try MatchFields.overrides(parsing: ["Nachname=Surname"]) }
    }
}

/// Whole templates: `w:odso` Match Fields in settings.xml, `--map`, the document language in styles.xml.
@Suite struct MatchFieldsTemplateTests {
    static let settings = """
        <w:settings \(WordXML.namespaces) xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="textFile"/><w:odso><w:fieldMapData><w:lid w:val="nl-NL"/></w:fieldMapData>\
        <w:fieldMapData><w:type w:val="dbColumn"/><w:name w:val="Aanhef"/><w:mappedName w:val="Beleefdheidstitel"/>\
        <w:column w:val="0"/><w:lid w:val="nl-NL"/></w:fieldMapData>\
        <w:fieldMapData><w:lid w:val="nl-NL"/></w:fieldMapData><w:fieldMapData><w:lid w:val="nl-NL"/></w:fieldMapData>\
        <w:fieldMapData><w:type w:val="dbColumn"/><w:name w:val="Achternaam"/><w:mappedName w:val="Achternaam"/>\
        <w:column w:val="1"/><w:lid w:val="nl-NL"/></w:fieldMapData>\
        </w:odso></w:mailMerge></w:settings>
        """
    static func styles(language: String) -> String {
        "<w:styles \(WordXML.namespaces)><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"\(language)\"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"
    }

    static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        + #"<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" "#
        + #"ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    static let rootRelationships =
        #"<?xml version="1.0" encoding="UTF-8"?>"#
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" "#
        + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#

    static func template(body: String, settings: String? = settings, styles: String? = nil) throws -> (DocxArchive, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        var entries: [(name: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array(Self.contentTypes.utf8)), ("_rels/.rels", Array(Self.rootRelationships.utf8)),
            ("word/document.xml", WordXML.document(body)),
        ]
        if let settings { entries.append(("word/settings.xml", Array((WordXML.declaration + settings).utf8))) }
        if let styles { entries.append(("word/styles.xml", Array((WordXML.declaration + styles).utf8))) }
        let path = directory.path("template.docx")
        try DocxWriter.write(entries: entries, to: path)
        return (try DocxArchive(path: path), directory)
    }

    static let greeting = "<w:p>\(WordXML.complexField(AddressBlockTests.escaped(AddressBlockTests.wordGreeting)))</w:p>"

    @Test func odsoMappingIsUsedAndItsColumnsAreRequired() throws {
        let (archive, directory) = try Self.template(body: Self.greeting)
        _ = directory
        let template = try CompiledTemplate.compile(archive)
        #expect(template.fields.map(\.name) == ["Aanhef", "Achternaam"])
        #expect(template.matchedFields.first?.tokens.map(\.explicit) == [true, true])
        let rendered = try RenderedPart(
            try #require(
                template.render(
                    MergeRecord([
                        "Aanhef": "Mevr.", "Achternaam": "Jansen",
                        "Surname": "Other",
                    ]))["word/document.xml"]))
        #expect(rendered.paragraphs == ["Dear Mevr. Jansen,"])
        #expect(throws: MissingFieldError.self) { try template.render(MergeRecord(["Surname": "Other"])) }
        #expect(
            try RenderedPart(try #require(template.render(MergeRecord(["Surname": "x"]), missing: .blank)["word/document.xml"]))
                .paragraphs == ["Dear Sir or Madam,"])
    }

    @Test func mapOverridesTheTemplatesMatchFields() throws {
        let (archive, directory) = try Self.template(body: Self.greeting)
        _ = directory
        let template = try CompiledTemplate.compile(archive, fieldMap: try MatchFields.overrides(parsing: ["Last Name=Surname"]))
        #expect(template.fields.map(\.name) == ["Aanhef", "Surname"])
        let rendered = try RenderedPart(try #require(template.render(MergeRecord(["Aanhef": "Dr.", "Surname": "Berg"]))["word/document.xml"]))
        #expect(rendered.paragraphs == ["Dear Dr. Berg,"])
    }

    @Test func documentLanguageFromStylesAppliesToPicturesWithoutRunLanguage() throws {
        let body =
            "<w:p>\(WordXML.complexField(#"MERGEFIELD Date \@ "d MMMM yyyy""#))</w:p>"
            + "<w:p>\(WordXML.complexField(#"MERGEFIELD Date \@ "d MMMM yyyy""#, resultProperties: #"<w:rPr><w:lang w:val="en-GB"/></w:rPr>"#))</w:p>"
            + #"<w:p><w:pPr><w:rPr><w:lang w:val="ru-RU"/></w:rPr></w:pPr>"# + WordXML.complexField(#"MERGEFIELD Date \@ "d MMMM yyyy""#) + "</w:p>"
        let (archive, directory) = try Self.template(body: body, settings: nil, styles: Self.styles(language: "nb-NO"))
        _ = directory
        let template = try CompiledTemplate.compile(archive)
        let rendered = try RenderedPart(try #require(template.render(MergeRecord(["Date": "2026-11-23"]))["word/document.xml"]))
        #expect(rendered.paragraphs == ["23 november 2026", "23 November 2026", "23 ноября 2026"])
    }
}

/// `\@` and `\#` in the language of the field's run (`w:lang`), Foundation's locale data.
@Suite struct FieldLanguageTests {
    func render(_ code: String, language: String, value: String) throws -> String {
        let body = "<w:p>\(WordXML.complexField(code, resultProperties: "<w:rPr><w:lang w:val=\"\(language)\"/></w:rPr>"))</w:p>"
        return try WordXML.render(body, ["V": value]).paragraphs.joined()
    }

    @Test func monthNamesFollowTheRunLanguage() throws {
        let picture = #"MERGEFIELD V \@ "d MMMM yyyy""#
        #expect(try render(picture, language: "nl-NL", value: "2026-11-23") == "23 november 2026")
        #expect(try render(picture, language: "nb-NO", value: "2026-11-23") == "23 november 2026")
        #expect(try render(picture, language: "en-US", value: "2026-11-23") == "23 November 2026")
        #expect(try render(picture, language: "ru-RU", value: "2026-11-23") == "23 ноября 2026")
        #expect(try render(#"MERGEFIELD V \@ "MMMM yyyy""#, language: "ru-RU", value: "2026-11-23") == "ноябрь 2026")
        #expect(try render(picture, language: "pl-PL", value: "2026-11-23") == "23 listopada 2026")
        #expect(try render(picture, language: "de-DE", value: "2026-03-05") == "5 März 2026")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "fr-FR", value: "2026-03-05") == "jeudi 5 mars")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "es-ES", value: "2026-03-05") == "jueves 5 marzo")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "it-IT", value: "2026-03-05") == "giovedì 5 marzo")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "pt-PT", value: "2026-03-05") == "quinta-feira 5 março")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "da-DK", value: "2026-03-05") == "torsdag 5 marts")
        #expect(try render(#"MERGEFIELD V \@ "dddd d MMMM""#, language: "sv-SE", value: "2026-03-05") == "torsdag 5 mars")
        #expect(try render(#"MERGEFIELD V \@ "h:mm am/pm""#, language: "en-US", value: "2026-03-05 15:04") == "3:04 pm")
    }

    @Test func numberPicturesUseTheRunLanguagesSeparators() throws {
        #expect(try render(##"MERGEFIELD V \# "#.##0,00""##, language: "nl-NL", value: "1234567.5") == "1.234.567,50")
        let euro = try render(##"MERGEFIELD V \# "€ #.##0,00""##, language: "nl-NL", value: "-12.345")
        #expect(euro == "€   -12,35", "\(euro)")
        #expect(try render(##"MERGEFIELD V \# "#,##0.00""##, language: "en-US", value: "1234567.5") == "1,234,567.50")
        #expect(try render(##"MERGEFIELD V \# "# ##0,00""##, language: "nb-NO", value: "1234.5") == "1\u{A0}234,50")
        #expect(try render(##"MERGEFIELD V \# "#.##0,00""##, language: "de-DE", value: "1234.5") == "1.234,50")
    }

    @Test func lcidsAndTagsGiveTheLanguage() {
        #expect(FieldLanguage(lcid: 1043) == .dutch)
        #expect(FieldLanguage(lcid: 0) == nil)
        #expect(FieldLanguage(tag: "nl_NL") == .dutch)
        #expect(FieldLanguage.dutch.countryName("DE") == "Duitsland")
        #expect(FieldLanguage(tag: "x-none").monthNames[10] == "November")
        #expect(FieldLanguage(tag: "").dayAbbreviations[3] == "Wed")
    }
}
