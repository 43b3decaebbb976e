import Foundation
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

    /// The index keeps the numbers' bytes in sorted arrays and finds them by binary search: numbers that are prefixes of
    /// each other, differ only in case or are not ASCII are each found, in any order, and unknown ones are not.
    @Test func compactIndexFindsEachNumberAndNoUnknownOne() throws {
        let directory = try TemporaryDirectory()
        var numbers = ["CT1", "CT10", "ct100", "CT2", "A", "Zoë-7", "Ørsted", "b", "CT1X", "9", "CT01"]
        numbers += (0..<500).map { "G\(($0 * 7919) % 1000)" }
        var csv = "ContactNo,ContactType,Surname\n"
        for (position, no) in numbers.enumerated() { csv += "\(no),Person,Name \(position)\n" }
        let path = try directory.write("contacts.csv", csv)
        let contacts = try ContactDirectory.load(csv: path)
        let index = try ContactIndex(csv: path)
        #expect(index.count == numbers.count)
        for no in numbers.reversed() + numbers.map({ $0.lowercased() }) + numbers.map({ $0.uppercased() }) {
            let found = try index.contact(no)
            #expect(found != nil && found == contacts[no], "\(no)")
        }
        #expect(try index.contact("ct100")?.surname == "Name 2")
        #expect(try index.contact("zoË-7")?.surname == "Name 5")
        for unknown in ["", "C", "CT", "CT3", "CT1000", "CT1 ", " CT1", "G1000", "ZZZ", "Zoe-7", "Ø", "0"] {
            #expect(try index.contact(unknown) == nil, "\(unknown)")
            #expect(!index.contains(unknown), "\(unknown)")
        }
    }

    /// Repeated numbers (in another case too) are found after the file is read, and reported where
    /// `ContactDirectory.load` reports them, among the other problems, in the order of the file; the first record wins.
    @Test func duplicatesAmongOtherProblemsAreReportedAsTheDirectoryDoes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "contacts.csv",
            """
            ContactNo,ContactType,Surname
            CT1,Person,First
            ct1,Person,Second
            CT2,Robot,Third
            CT3,Company,Fourth
            CT1,Person,Fifth
            Ct3,,Sixth
            CT4,Person,Seventh

            """)
        let expected = #expect(throws: ValidationFailure.self) { try ContactDirectory.load(csv: path) }
        let found = #expect(throws: ValidationFailure.self) { try ContactIndex(csv: path) }
        #expect(found?.diagnostics == expected?.diagnostics)
        #expect(found?.diagnostics.map(\.line) == [3, 4, 6, 7])
        #expect(found?.diagnostics.first?.message == "contact 'ct1' is already defined on line 2; contact numbers must be unique")
        #expect(found?.diagnostics.last?.message == "contact 'Ct3' is already defined on line 5; contact numbers must be unique")
    }

    /// A contacts file changed in place after it was indexed: the lookup throws a diagnostic naming the file and the
    /// contact's line and saying what to do; it never reads another contact instead.
    @Test func aContactsFileChangedInPlaceIsReportedNotMisread() throws {
        let directory = try TemporaryDirectory()
        let rows = (1...6_000).map { "CT\($0),Person,Surname \($0)" }
        let path = try directory.write("contacts.csv", (["ContactNo,ContactType,Surname"] + rows).joined(separator: "\n") + "\n")
        let index = try ContactIndex(csv: path)
        #expect(try index.contact("CT5999")?.surname == "Surname 5999")
        // In place (same file, not replaced): a contact inserted at the top moves every record.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data((["ContactNo,ContactType,Surname", "NEW1,Person,Inserted"] + rows).joined(separator: "\n").utf8))
        try handle.close()
        let error = #expect(throws: Diagnostic.self) { try index.contact("CT2") }
        #expect(error?.source == path && error?.line == 3)
        #expect(error?.message.contains("the contacts file changed during the run") == true)
        #expect(error?.message.contains("run it again") == true)
    }

    /// Numbers all of one width are kept without where each ends (`keyWidth`): every one is found, in any case, and
    /// numbers of another width, prefixes and neighbours are not.
    @Test func numbersOfOneWidthAreFoundWithoutTheirEnds() throws {
        let directory = try TemporaryDirectory()
        let numbers = (0..<3_000).map { String(format: "CB%07d", ($0 * 7_919) % 10_000) }
        var csv = "ContactNo,ContactType,Surname\n"
        for (position, no) in numbers.enumerated() { csv += "\(no),Person,Name \(position)\n" }
        let path = try directory.write("contacts.csv", csv)
        let index = try ContactIndex(csv: path)
        #expect(index.count == numbers.count)
        for (position, no) in numbers.enumerated().reversed() {
            #expect(try index.contact(no.lowercased())?.surname == "Name \(position)", "\(no)")
        }
        for unknown in ["", "CB000000", "CB00000000", "CB0000001", "CB9999999", "CB00079190", "cb", "AB0000000", "CC0000000"] {
            #expect(!index.contains(unknown), "\(unknown)")
        }
        #expect(try index.contact("CB0007919")?.surname == "Name 1")
    }

    /// Offsets are kept in 5 bytes: every offset up to 1 TB comes back as it was (past 4 GB too); a larger one marks
    /// the list overflowed (the index then refuses the file).
    @Test func fileOffsetsKeepFortyBits() {
        let values = [0, 1, 255, 65_535, 1 << 31, (1 << 32) - 1, 1 << 32, (1 << 32) + 1, 5_000_000_123, (1 << 39) + 77, FileOffsets.limit]
        var offsets = FileOffsets()
        for value in values { offsets.append(value) }
        #expect(offsets.count == values.count)
        #expect(values.indices.map { offsets[$0] } == values)
        #expect(!offsets.overflowed)
        let copied = FileOffsets(values.reversed(), count: values.count)
        #expect(values.indices.map { copied[$0] } == values.reversed())
        offsets.append(FileOffsets.limit + 1)
        #expect(offsets.overflowed)
        var negative = FileOffsets()
        negative.append(-1)
        #expect(negative.overflowed)
    }
}
