import Comparison
import Foundation
import Testing

@testable import Segments

/// The per-line white space and case fast paths (ASCII answered byte by byte) against the Foundation and standard
/// library calls they stand for, on input made to trip them: Unicode white space at either end, non-ASCII letters and
/// marks next to spaces, quotes, controls, empty values.
@Suite struct WhitespaceFastPathTests {
    static let tricky: [String] = [
        "", " ", "  ", "\t", "\t\t ", "a", " a", "a ", "\ta\t", " a b ", "a b", "a  b", "a\tb", "a\nb", "\n", "\na", "a\n", "\r\n",
        "a\r\n", "\u{0B}a", "a\u{0C}", "\u{1F}a\u{1C}", "a\u{0}b", "\u{00A0}", "\u{00A0}a", "a\u{00A0}", "\u{3000}", "\u{2003}x\u{2003}",
        "\u{200B}a", "a\u{200B}", "\u{85}a", "a\u{85}", "a\u{2028}b", "a\u{2029}", "\u{1680}a", "a\u{202F}b", "a\u{205F}",
        "Zoë", "Zoë van den Berg", "van den Berg", "é b", "b é", "a \u{301}b", "a\u{301} b", " \u{301}", "\u{301}", "e\u{301}",
        "O’Brien", "O'Brien", "x\u{0600} y", "\u{0600} ", "Ørsted  A/S", "\"quoted\"", " \"quoted\" ", "日本 語", "日本\u{3000}語",
        "Kraków Software Sp. z o.o.", "\u{FEFF}a", "a\u{FEFF}", "Mr.", " Mr. ", "Dear Mr. ", "Dear  Mr.  Berg", "CB0000001", "🙂 a", "a 🙂",
    ]

    @Test func trimmingWhitespaceIsFoundationsTrimming() {
        for text in Self.tricky {
            #expect(text.trimmingWhitespace == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
        }
    }

    @Test func isBlankWhitespaceIsAnEmptyTrimming() {
        for text in Self.tricky {
            #expect(text.isBlankWhitespace == text.trimmingCharacters(in: .whitespaces).isEmpty, "\(text.debugDescription)")
            let reference: String? = text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
            #expect(text.nonEmpty == reference, "\(text.debugDescription)")
        }
    }

    @Test func isAllWhitespaceCharactersIsCharacterWise() {
        for text in Self.tricky {
            #expect(text.isAllWhitespaceCharacters == text.allSatisfy(\.isWhitespace), "\(text.debugDescription)")
        }
    }

    @Test func collapsingWhitespaceIsSplitAndJoin() {
        for text in Self.tricky {
            #expect(text.collapsingWhitespace == text.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(text.debugDescription)")
        }
    }

    /// `ContactColumns.trimmed` against what `contact(from:)` did per field before its fast path.
    @Test func contactFieldsAreTrimmedAsBefore() {
        func reference(_ value: String) -> String {
            guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
                first.properties.isWhitespace || last.properties.isWhitespace
            else { return value }
            return value.trimmingCharacters(in: .whitespaces)
        }
        for text in Self.tricky {
            #expect(ContactColumns.trimmed(text) == reference(text), "\(text.debugDescription)")
        }
    }

    @Test func contactTypesAreReadIgnoringCase() {
        for text in ["Company", "company", "COMPANY", "Person", "pErSoN", "Persons", "Compan", "", "Cómpany", "Person ", "\u{0130}person", "CoMPANY"] {
            let reference = Contact.Kind.allCases.first { $0.rawValue.lowercased() == text.lowercased() }
            #expect(ContactColumns.kind(text) == reference, "\(text.debugDescription)")
        }
    }

    @Test func countryNamesAreFoundByLanguageIgnoringCase() {
        let pairs = [
            ("EN", "en"), ("en", "EN"), ("en", "EN "), ("@", "`"), ("[", "{"), ("fr-BE", "FR-be"), ("a", "ab"), ("", ""), ("É", "é"),
            ("de", "DE"), ("nl_NL", "NL_nl"), ("z", "Z"), ("^", "~"),
        ]
        for (left, right) in pairs {
            #expect(
                CorrespondenceSetup.Country.sameIgnoringCase(left, right) == (left.caseInsensitiveCompare(right) == .orderedSame),
                "\(left.debugDescription) \(right.debugDescription)")
        }
    }

    /// A contacts file whose values carry white space of every kind reads as Foundation trims them.
    @Test func contactsWithWhiteSpaceAreReadAsTrimmed() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("contacts.csv")
        let rows = [
            "ContactNo,ContactType,FirstName,Surname,City,Email",
            "CT1, company ,\" Zoë \",\u{00A0}Berg\u{00A0},\"\tAmsterdam \",a@example.com",
            "CT2,PERSON,Anna,\"\nvan den Berg\",\u{3000}Kraków,",
            "CT3,,,,\u{200B}Zürich,\" \"",
        ]
        try (rows.joined(separator: "\r\n") + "\r\n").write(to: csv, atomically: true, encoding: .utf8)
        let index = try ContactIndex(csv: csv.path)
        let first = try #require(try index.contact("ct1"))
        #expect(first.type == .company && first.firstName == "Zoë" && first.surname == "Berg" && first.city == "Amsterdam")
        let second = try #require(try index.contact("CT2"))
        #expect(second.type == .person && second.surname == "\nvan den Berg" && second.city == "Kraków")
        let third = try #require(try index.contact("CT3"))
        #expect(third.type == .company && third.city == "\u{200B}Zürich" && third.email == "")
    }
}
