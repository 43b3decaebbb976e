import Testing

@testable import Segments

/// `ContactIndex` keeps only where each contact's record starts and reads it again when asked: the same contacts,
/// the same problems as `ContactDirectory.load`.
@Suite struct ContactIndexTests {
    static let csv = [
        "\u{FEFF}ContactNo,ContactType,FirstName,Surname,CompanyName,Address,Email,Interests",
        "CT1,Person,Seán,O'Brien,\"Smith, Jones & Co.\",\"Line one\nline two\",sean@example.com,\"Golf, \"\"rugby\"\"\"",
        "CT2,Company,,,Acme Widgets Inc.,Main Street 1,,",
        "",
        "ct3,,Zoë,Ørsted,,,,",
        "",
    ].joined(separator: "\n")

    @Test func looksUpTheSameContactsAsTheDirectoryInAnyOrder() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("contacts.csv", Self.csv)
        let contacts = try ContactDirectory.load(csv: path)
        let index = try ContactIndex(csv: path)
        #expect(index.count == 3)
        for no in ["CT3", "ct1", "CT2", "Ct1", "CT3"] {
            #expect(try index.contact(no) == contacts[no], "\(no)")
        }
        #expect(try index.contact("CT1")?.address == "Line one\nline two")
        #expect(try index.contact("CT1")?.extra == ["Interests": "Golf, \"rugby\""])
        #expect(try index.contact("CT4") == nil)
        #expect(index.contains("ct2") && !index.contains("CT4"))
    }

    @Test func reportsEveryProblemAsTheDirectoryDoes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "contacts.csv",
            """
            ContactNo,ContactType
            CT1,Person
            CT1,Company
            CT2,Robot

            """)
        let expected = #expect(throws: ValidationFailure.self) { try ContactDirectory.load(csv: path) }
        let found = #expect(throws: ValidationFailure.self) { try ContactIndex(csv: path) }
        #expect(found?.diagnostics == expected?.diagnostics)
        #expect(found?.diagnostics.count == 2)
        #expect(found?.diagnostics.first?.message.contains("already defined on line 2") == true)
    }
}
