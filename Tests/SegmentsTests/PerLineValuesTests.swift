import Foundation
import Testing

@testable import Segments

/// Values made for every line while resolving it, whose fast paths must answer as the plain code they stand for:
/// the user-spelled enumerations (a contact's CorrespondenceType), the salutation formulas filled from a contact, and
/// a line's merge fields as the merge engine gets them.
@Suite struct PerLineValuesTests {
    /// Spellings made to trip a byte-wise comparison: case, spaces and tabs around, Unicode spaces, inner spaces,
    /// non-ASCII letters that lowercase to ASCII or look like ASCII.
    static let spellings: [String] = [
        "", " ", "\t", "hard-copy", "HARD-COPY", "Hard-Copy", " hard-copy", "hard-copy ", "\thard-copy\t", " \t email \t ", "E-mail",
        "email", "EMAIL", "eMail", "fax", "FAX", "Fax ", "fax\n", "\nfax", "fa x", "faxes", "fa", "hard copy", "hardcopy", "hard-copy-",
        "\u{00A0}email\u{00A0}", "\u{3000}fax", "\u{2003}FAX\u{2003}", "\u{200B}fax", "ｆａｘ", "FAX\u{301}", "e\u{301}mail", "\u{212A}",
        "outbound", "INBOUND", " us ", "Them", "thEM\t", "letter", "LABELS", " labels", "docx", "PDF", "Html", "post-code+city",
        "CITY+POST-CODE", " city+county+post-code ", "postal", "Postal\u{00A0}",
    ]

    /// `parse` before its fast path: trimmed, lowercased, compared with each case's raw value.
    static func reference<Value: UserSpelledEnum>(_ text: String, as type: Value.Type) -> Value? {
        let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
        return Value.allCases.first { $0.rawValue == wanted }
    }

    @Test func parseIgnoresCaseAndSurroundingSpaces() {
        #expect(CorrespondenceType.parse("hard-copy") == .hardCopy)
        #expect(CorrespondenceType.parse("HARD-COPY") == .hardCopy)
        #expect(CorrespondenceType.parse(" Email\t") == .email)
        #expect(CorrespondenceType.parse("\u{00A0}FAX ") == .fax)
        #expect(InitiatedBy.parse(" Them ") == .them)
        #expect(CorrespondenceSetup.AddressLayout.parse("City+Post-Code") == .cityPostCode)
    }

    @Test func parseRefusesUnknownSpellings() {
        for text in ["", " ", "hard copy", "e-mail", "faxes", "fa x", "ｆａｘ", "FAX\u{301}", "\u{212A}"] {
            #expect(CorrespondenceType.parse(text) == nil, "\(text.debugDescription)")
        }
        #expect(CorrespondenceType.invalidMessage("post") == "'post' is not a correspondence type; use hard-copy, email or fax")
    }

    @Test func parseAnswersAsTrimmingAndLowercasing() {
        for text in Self.spellings {
            #expect(CorrespondenceType.parse(text) == Self.reference(text, as: CorrespondenceType.self), "\(text.debugDescription)")
            #expect(InformationFlow.parse(text) == Self.reference(text, as: InformationFlow.self), "\(text.debugDescription)")
            #expect(InitiatedBy.parse(text) == Self.reference(text, as: InitiatedBy.self), "\(text.debugDescription)")
            #expect(AttachmentDocumentType.parse(text) == Self.reference(text, as: AttachmentDocumentType.self), "\(text.debugDescription)")
            #expect(EmailFormat.parse(text) == Self.reference(text, as: EmailFormat.self), "\(text.debugDescription)")
            #expect(
                CorrespondenceSetup.AddressLayout.parse(text) == Self.reference(text, as: CorrespondenceSetup.AddressLayout.self),
                "\(text.debugDescription)")
        }
    }

    /// One salutation code, `M`, with `formulas` by language.
    static func setup(_ formulas: [String: (formal: String, informal: String)]) -> CorrespondenceSetup {
        var byLanguage: [String: CorrespondenceSetup.Formula] = [:]
        for (language, formula) in formulas { byLanguage[language] = CorrespondenceSetup.Formula(formal: formula.formal, informal: formula.informal) }
        return CorrespondenceSetup(salutations: ["M": byLanguage])
    }

    static let berg = Contact(
        no: "C1", companyName: "Berg & Co", salutation: "Mr.", firstName: "Jan", middleName: "van den", surname: "Berg")

    /// The formal salutation of `contact` made of `formula`.
    static func filled(_ formula: String, contact: Contact = berg) -> String? {
        setup(["DEFAULT": (formula, "")]).salutation(code: "M", for: contact, language: "EN")?.formal
    }

    @Test func salutationFillsEachPlaceholderFromTheContact() {
        #expect(Self.filled("Geachte heer %middleName %surname") == "Geachte heer van den Berg")
        #expect(Self.filled("%courtesyTitle %firstName %surname, %companyName") == "Mr. Jan Berg, Berg & Co")
        #expect(Self.filled("Dear Mr. %surname") == "Dear Mr. Berg")
        #expect(Self.filled("Madame") == "Madame")
        #expect(Self.filled("") == "")
    }

    @Test func salutationLeavesNoDoubleSpaceForAnEmptyValue() {
        var contact = Self.berg
        contact.middleName = ""
        #expect(Self.filled("Geachte heer %middleName %surname", contact: contact) == "Geachte heer Berg")
        #expect(Self.filled("  %middleName  Dear\t%surname  ", contact: contact) == "Dear Berg")
        contact.surname = " Berg\u{00A0} "
        #expect(Self.filled("Dear %surname !", contact: contact) == "Dear Berg !")
    }

    @Test func salutationReplacesThePlaceholderStartingAtEachPercent() {
        // A placeholder followed by letters: the placeholder is replaced, the letters stay.
        #expect(Self.filled("%surnames") == "Bergs")
        #expect(Self.filled("%firstName%surname") == "JanBerg")
        // Not a placeholder: kept as written, the next one still replaced.
        #expect(Self.filled("%%surname") == "%Berg")
        #expect(Self.filled("100% %unknown %surname %") == "100% %unknown Berg %")
        #expect(Self.filled("%Surname %SURNAME %sur name") == "%Surname %SURNAME %sur name")
    }

    @Test func aValueThatLooksLikeAPlaceholderStays() {
        var contact = Self.berg
        contact.firstName = "%surname"
        contact.surname = "%%firstName"
        #expect(Self.filled("Dear %firstName %surname", contact: contact) == "Dear %surname %%firstName")
    }

    @Test func salutationKeepsNonASCIIText() {
        var contact = Self.berg
        contact.firstName = "Zoë"
        #expect(Self.filled("Chère %firstName", contact: contact) == "Chère Zoë")
        #expect(Self.filled("Liebe\u{00A0}%firstName", contact: contact) == "Liebe Zoë")
        // A combining mark after the percent or the name makes another character: no placeholder there.
        #expect(Self.filled("%\u{301}surname %surname\u{301} é%surname") == "%\u{301}surname %surname\u{301} éBerg")
    }

    @Test func salutationPicksTheLanguageIgnoringCaseElseDefault() {
        let setup = Self.setup(["NL": ("Geachte heer %surname", "Beste %firstName"), "DEFAULT": ("Dear Mr. %surname", "Dear %firstName")])
        #expect(setup.salutation(code: "m", for: Self.berg, language: "nl")! == ("Geachte heer Berg", "Beste Jan"))
        #expect(setup.salutation(code: "M", for: Self.berg, language: "NL")! == ("Geachte heer Berg", "Beste Jan"))
        #expect(setup.salutation(code: "M", for: Self.berg, language: "de")! == ("Dear Mr. Berg", "Dear Jan"))
        #expect(setup.salutation(code: "M", for: Self.berg, language: "")! == ("Dear Mr. Berg", "Dear Jan"))
        #expect(setup.salutation(code: "MR", for: Self.berg, language: "NL") == nil)
        let withoutDefault = Self.setup(["NL": ("Geachte heer %surname", "Beste %firstName")])
        #expect(withoutDefault.salutation(code: "M", for: Self.berg, language: "EN")! == ("", ""))
    }

    @Test func changedFormulasAreUsed() {
        var setup = Self.setup(["DEFAULT": ("Dear Mr. %surname", "Dear %firstName")])
        setup.salutations["M"]?["DEFAULT"] = CorrespondenceSetup.Formula(formal: "Hello %firstName", informal: "Hi")
        setup.salutations["F"] = ["DEFAULT": CorrespondenceSetup.Formula(formal: "Dear Ms. %surname", informal: "")]
        #expect(setup.salutation(code: "M", for: Self.berg, language: "EN")! == ("Hello Jan", "Hi"))
        #expect(setup.salutation(code: "F", for: Self.berg, language: "EN")! == ("Dear Ms. Berg", ""))
    }

    /// A line whose contact's extra columns share names with standard and interaction fields, with correspondence fields
    /// of the usual names and one other.
    static func line() throws -> ResolvedLine {
        var contact = berg
        contact.extra = ["SalutationCode": "M", "city": "from extra", "Subject": "extra subject", "Custom": "x"]
        var line = ResolvedLine(
            segmentNo: "S1", segmentDescription: "Mailing", lineNo: 10000, contact: contact,
            template: InteractionTemplate(code: "T", description: "Letter", attachment: nil), attachmentPath: nil, description: "desc",
            subject: "subj", languageCode: "EN", correspondenceType: .hardCopy, comment: "", date: try #require(Day("2026-11-30")),
            salespersonCode: "JO", salespersonName: "Jo", campaignNo: "", campaignTarget: false, campaignResponse: true, unitCost: 1.25,
            unitDuration: 2)
        line.correspondenceFields = ["FormalSalutation": "Dear Mr. Berg", "AddressLine1": "Jan Berg", "CountryRegionName": "", "OtherField": "o"]
        return line
    }

    @Test func selectedMergeFieldsAreTheFullOnesFiltered() throws {
        let line = try Self.line()
        let full = line.foldedMergeFields
        #expect(full["city"] == "")  // the standard field (empty) wins over the extra column of the same name
        #expect(full["subject"] == "subj" && full["custom"] == "x" && full["otherfield"] == "o" && full["unitcost"] == "1.25")
        let selections: [Set<String>] = [
            [], ["city", "subject", "custom", "formalsalutation", "otherfield", "unitcost", "fullname", "salutationcode", "nothing"],
            ["addressline1", "addressline2", "countryregionname", "lineno", "date", "campaignresponse"], Set(full.keys),
        ]
        for keys in selections {
            #expect(line.foldedMergeFields(MergeFieldSelection(keys: keys)) == full.filter { keys.contains($0.key) }, "\(keys.sorted())")
        }
        #expect(line.foldedMergeFields(nil) == full)
    }
}
