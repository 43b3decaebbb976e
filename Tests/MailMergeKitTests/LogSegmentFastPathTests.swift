import Foundation
import MergeEngine
import Segments
import Testing

@testable import MailMergeKit

/// The per-line shortcuts `log-segment` takes for speed must give exactly what the general code gives: the merge
/// fields folded in one pass, the full name of plain names, the interaction log's absolute paths, the salutation code.
@Suite struct LogSegmentFastPathTests {
    static func line(_ contact: Contact) -> ResolvedLine {
        var line = ResolvedLine(
            segmentNo: "SM1", segmentDescription: "Winter", lineNo: 7, contact: contact,
            template: InteractionTemplate(code: "DIRECTMAIL", description: "Direct mail letter", attachment: "a.docx"), attachmentPath: "/t/a.docx",
            description: "Mailing", subject: "New products", languageCode: "EN", correspondenceType: .hardCopy, comment: "",
            date: Day("2026-11-23")!, salespersonCode: "JO", salespersonName: "Jo Olsen", campaignNo: "CP1",
            campaignTarget: true, campaignResponse: false, unitCost: Decimal(string: "1.25")!, unitDuration: 2)
        line.correspondenceFields = ["AddressLine1": "Anna Berg", "FormalSalutation": "Dear Ms Berg", "CountryRegionName": "Germany"]
        return line
    }

    @Test func foldedMergeFieldsAreTheMergeFieldsByLowercasedName() {
        // Extra columns clashing (in another case) with a standard field, an interaction field and a correspondence field.
        let contact = Contact(
            no: "CT1", companyName: "Berg & Co", firstName: "Anna", surname: "Berg", email: "anna@berg.example",
            extra: ["EMAIL": "old@berg.example", "lineno": "99", "addressline1": "from the CSV", "Segment": "A", "SalutationCode": "MS"])
        let line = Self.line(contact)
        let named = line.mergeFields
        let folded = line.foldedMergeFields
        #expect(folded == Dictionary(uniqueKeysWithValues: named.map { ($0.key.lowercased(), $0.value) }))
        #expect(named["Email"] == "anna@berg.example" && named["EMAIL"] == nil)
        #expect(named["LineNo"] == "7" && named["lineno"] == nil)
        #expect(named["AddressLine1"] == "Anna Berg" && named["addressline1"] == nil)
        #expect(named["Segment"] == "A" && named["SalutationCode"] == "MS")
        #expect(named["UnitCost"] == "1.25" && named["UnitDuration"] == "2" && named["Date"] == "2026-11-23")
        #expect(named["CampaignTarget"] == "Yes" && named["CampaignResponse"] == "No" && named["FullName"] == "Anna Berg")
        // 21 contact fields, 3 correspondence fields, 22 interaction fields, 2 extra columns of their own.
        #expect(named.count == 21 + 3 + 22 + 2)
        // The merge engine finds every field in either record alike.
        let record = MergeRecord(folded: folded, children: [:])
        for (name, value) in named { #expect(record[name] == value, "\(name)") }
    }

    @Test func fullNameOfPlainAndSpacedNames() {
        #expect(Contact(no: "1", firstName: "Anna", middleName: "", surname: "Berg").fullName == "Anna Berg")
        #expect(Contact(no: "1", firstName: "Anna", middleName: "J.", surname: "Berg").fullName == "Anna J. Berg")
        #expect(Contact(no: "1", firstName: "", middleName: "", surname: "Berg").fullName == "Berg")
        #expect(Contact(no: "1").fullName == "")
        // Whitespace inside or around a part, non-ASCII names: the general path.
        #expect(Contact(no: "1", firstName: " Anna  Maria ", surname: "van  den\tBerg").fullName == "Anna Maria van den Berg")
        #expect(Contact(no: "1", firstName: "Zoë", middleName: "\u{00A0}", surname: "Müller").fullName == "Zoë Müller")
    }

    @Test func absolutePathsAreWhatAbsoluteGives() throws {
        let folders = ["letters/SM1", "letters//SM1", "letters/SM1/", "./letters/../letters/SM1", "/tmp/x/../letters/SM1", "SM1"]
        let names = ["0001-CT1-Berg.docx", "0001-CT1-Berg.eml", "Zoë Müller.docx", "..", ".", "sub/name.docx", "../up.docx"]
        for folder in folders {
            let paths = AbsolutePaths(folder: folder)
            for name in names {
                let path = folder + (folder.hasSuffix("/") ? "" : "/") + name
                #expect(paths(path) == absolute(path), "\(path)")
            }
            #expect(paths("elsewhere/a.docx") == absolute("elsewhere/a.docx"))
            #expect(paths(folder) == absolute(folder))
        }
    }

    @Test func salutationCodeColumnInAnyCaseTrimmed() {
        #expect(CorrespondenceFields.salutationCode(of: Contact(no: "1", extra: ["SalutationCode": "MS"])) == "MS")
        #expect(CorrespondenceFields.salutationCode(of: Contact(no: "1", extra: ["SALUTATIONCODE": " m\u{2003}\t"])) == "m")
        #expect(CorrespondenceFields.salutationCode(of: Contact(no: "1", extra: ["salutationcode": "\u{00A0}Mr S \t"])) == "Mr S")
        #expect(CorrespondenceFields.salutationCode(of: Contact(no: "1", extra: ["SalutationCodes": "MS"])) == "")
        #expect(CorrespondenceFields.salutationCode(of: Contact(no: "1", extra: ["Other": "MS"])) == "")
    }

    @Test func safeFileNamesKeptOrCleanedAsBefore() {
        // Plain names are kept as they are.
        for name in ["0001-CT000001-Berg.docx", "00001-CT1-O'Brien & Co.docx", "letter_000001.docx", "Müller.docx"] {
            #expect(SafeFileName.make(name) == name, "\(name)")
        }
        // Names the shortcut must leave to the general rules.
        #expect(SafeFileName.make("CON.docx") == "_CON.docx")
        #expect(SafeFileName.make("com1.report.docx") == "_com1.report.docx")
        #expect(SafeFileName.make("COM10.docx") == "COM10.docx")
        #expect(SafeFileName.make("name .docx") == "name.docx")
        #expect(SafeFileName.make("name..docx") == "name.docx")
        #expect(SafeFileName.make(".hidden.docx") == "hidden.docx")
        #expect(SafeFileName.make(" x") == "x")
        #expect(SafeFileName.make("a/b:c?.docx") == "a_b_c_.docx")
        #expect(SafeFileName.make("tab\there.docx") == "tab_here.docx")
        #expect(SafeFileName.make(".") == "_.")
        let long = String(repeating: "x", count: 300) + ".docx"
        #expect(SafeFileName.make(long) == String(repeating: "x", count: 250) + ".docx")
    }

    @Test func mailboxesOfPlainQuotedAndEncodedNames() {
        #expect(EmailMessage.mailbox(EmailAddress(name: " Jo Olsen\t", address: "jo@example.com")) == "Jo Olsen <jo@example.com>")
        #expect(EmailMessage.mailbox(EmailAddress(name: "O'Brien & Co", address: "a@b.example")) == "O'Brien & Co <a@b.example>")
        #expect(EmailMessage.mailbox(EmailAddress(name: "Berg, Anna", address: "a@b.example")) == "\"Berg, Anna\" <a@b.example>")
        #expect(EmailMessage.mailbox(EmailAddress(name: "A \"B\" C", address: "a@b.example")) == "\"A \\\"B\\\" C\" <a@b.example>")
        #expect(EmailMessage.mailbox(EmailAddress(name: "\u{00A0}", address: "a@b.example")) == "a@b.example")
        #expect(EmailMessage.mailbox(EmailAddress(name: "Zoë", address: "z@b.example")).hasPrefix("=?UTF-8?B?"))
    }

    @Test func dateHeaderTextPerSecond() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let base = Date(timeIntervalSince1970: 1_800_000_000.25)
        for offset in [0, 0.5, 0.74, 0.75, 1, 1.9, 3600, -0.3] {
            let date = base.addingTimeInterval(offset)
            #expect(EmailMessage.dateText(date) == formatter.string(from: date), "\(offset)")
        }
    }
}
