import Testing

@testable import Segments

@Suite struct ContactDirectoryTests {
    @Test func loadsStandardAndExtraColumnsCaseInsensitively() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "contacts.csv",
            """
            contactno,ContactType,FirstName,MiddleName,Surname,Email,LanguageCode,CorrespondenceType,Interests
            CT1,Person,Seán,Patrick,O'Brien,sean@example.com,EN,Email,"Golf, rugby"
            CT2,,,,,,NL,,
            CT3,,Zoë,,Ørsted,,,,

            """)
        let contacts = try ContactDirectory.load(csv: path)
        #expect(contacts.contacts.map(\.no) == ["CT1", "CT2", "CT3"])
        let sean = try #require(contacts["ct1"])
        #expect(sean.fullName == "Seán Patrick O'Brien")
        #expect(sean.correspondenceType == .email)
        #expect(sean.extra == ["Interests": "Golf, rugby"])
        #expect(contacts["CT2"]?.type == .company)
        #expect(contacts["CT3"]?.type == .person)
        #expect(contacts["CT2"]?.correspondenceType == nil)
        #expect(contacts["CT4"] == nil)
    }

    @Test func mergeFieldsExposeContactOwnValuesUnderContactNames() {
        let contact = Contact(
            no: "C1", firstName: " Mary ", middleName: "", surname: "Smith", languageCode: "EN",
            correspondenceType: .fax, salespersonCode: "JO", extra: ["Interests": "Opera", "fullname": "ignored"])
        let fields = contact.mergeFields
        #expect(fields["FullName"] == "Mary Smith")
        #expect(fields["ContactLanguageCode"] == "EN")
        #expect(fields["ContactCorrespondenceType"] == "fax")
        #expect(fields["ContactSalespersonCode"] == "JO")
        #expect(fields["LanguageCode"] == nil)
        #expect(fields["Interests"] == "Opera")
        #expect(fields["fullname"] == nil)
        #expect(fields["ContactType"] == "Person")
    }

    @Test func reportsEveryProblemWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "contacts.csv",
            """
            ContactNo,ContactType,CorrespondenceType
            C1,Person,
            ,Person,
            C1,Person,
            C4,Robot,pigeon

            """)
        #expect {
            _ = try ContactDirectory.load(csv: path)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            let located = failure.diagnostics.map { "\($0.line ?? 0) \($0.message)" }
            return failure.diagnostics.count == 4
                && located[0].hasPrefix("3 the contact has no ContactNo")
                && located[1].hasPrefix("4 contact 'C1' is already defined on line 2")
                && located.contains { $0.hasPrefix("5 ContactType 'Robot'") }
                && located.contains { $0.hasPrefix("5 CorrespondenceType 'pigeon' is not a correspondence type") }
        }
    }

    @Test func requiresAContactNoColumn() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("contacts.csv", "Name,Email\nx,y\n")
        #expect {
            _ = try ContactDirectory.load(csv: path)
        } throws: { error in
            (error as? ValidationFailure)?.diagnostics.first?.message.contains("no 'ContactNo' column") == true
        }
    }
}
