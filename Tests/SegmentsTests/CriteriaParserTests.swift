import Testing

@testable import Segments

/// The criteria language: what matches, and where a bad expression is reported.
@Suite struct CriteriaParserTests {
    static let amsterdam = Contact(
        no: "C1", companyName: "Van den Berg", postCode: "1015 CJ", city: "Amsterdam",
        countryRegionCode: "NL", languageCode: "NL", extra: ["Interests": "Golf; wine"])
    static let rotterdam = Contact(no: "C2", postCode: "3011", city: "Rotterdam", countryRegionCode: "NL", languageCode: "EN")
    static let brussels = Contact(no: "C3", type: .company, postCode: "1000", city: "Bruxelles", countryRegionCode: "BE")
    static let newYork = Contact(no: "C4", postCode: "200", city: "New York", countryRegionCode: "US", email: "x@example.com")
    static let all = [amsterdam, rotterdam, brussels, newYork]

    /// The contact numbers `text` selects from `all`.
    func selected(_ text: String) throws -> [String] {
        let criteria = try Criteria(text)
        return Self.all.filter(criteria.matches).map(\.no)
    }

    @Test func equalityIgnoresCaseAndFieldNameCase() throws {
        #expect(try selected("city=amsterdam") == ["C1"])
        #expect(try selected("CITY=AMSTERDAM") == ["C1"])
        #expect(try selected("CountryRegionCode=NL") == ["C1", "C2"])
        #expect(try selected("country=be") == ["C3"])
        #expect(try selected("Language=EN") == ["C2"])
    }

    @Test func wildcardsMatchRunsAndSingleCharacters() throws {
        #expect(try selected("city=Amst*") == ["C1"])
        #expect(try selected("city=*dam") == ["C1", "C2"])
        #expect(try selected("city=R?tterdam") == ["C2"])
        #expect(try selected("city=*x*") == ["C3"])
        #expect(try selected("city=*o*") == ["C2", "C4"])
        #expect(try selected("city=Amst") == [])
        #expect(try selected("Interests=*golf*") == ["C1"])
    }

    @Test func notEqualAndEmptyValues() throws {
        #expect(try selected("country<>NL") == ["C3", "C4"])
        #expect(try selected("email=''") == ["C1", "C2", "C3"])
        #expect(try selected("email<>''") == ["C4"])
        #expect(try selected("city<>*dam") == ["C3", "C4"])
    }

    @Test func rangesCompareNumbersAsNumbersAndTextAsText() throws {
        // "200" is text-wise between "1000" and "1999" but not as a number.
        #expect(try selected("PostCode=1000..1999") == ["C1", "C3"])
        #expect(try selected("PostCode=3000..") == ["C2"])
        #expect(try selected("PostCode=..1000") == ["C3", "C4"])
        #expect(try selected("city=A..C") == ["C1", "C3"])
        #expect(try selected("PostCode<>1000..1999") == ["C2", "C4"])
    }

    @Test func orderedComparisons() throws {
        #expect(try selected("PostCode<1000") == ["C4"])
        #expect(try selected("PostCode<=1000") == ["C3", "C4"])
        #expect(try selected("PostCode>1000") == ["C1", "C2"])
        #expect(try selected("PostCode>=3011") == ["C2"])
    }

    @Test func andBindsTighterThanOrAndParenthesesGroup() throws {
        #expect(try selected("country=BE OR country=NL AND city=Rot*") == ["C2", "C3"])
        #expect(try selected("(country=BE OR country=NL) AND city=Rot*") == ["C2"])
        #expect(try selected("NOT country=NL") == ["C3", "C4"])
        #expect(try selected("not (country=NL or country=BE)") == ["C4"])
        #expect(try selected("NOT NOT city=Bruxelles") == ["C3"])
    }

    @Test func quotedValuesKeepSpacesAndOperators() throws {
        #expect(try selected("city='New York'") == ["C4"])
        #expect(try selected("city=\"New York\"") == ["C4"])
        #expect(try selected("PostCode='1015 CJ'") == ["C1"])
        let quote = Contact(no: "C5", companyName: "O'Brien")
        #expect(try Criteria("CompanyName='O''Brien'").matches(quote))
    }

    /// The column each bad expression is reported at, and a word from the message.
    @Test(arguments: [
        ("country=NL AND city=", 21, "expected a value"),
        ("country=NL AND", 15, "expected a field name"),
        ("=NL", 1, "expected a field name"),
        ("country NL", 9, "expected a comparison"),
        ("(country=NL", 12, "expected ')'"),
        ("country=NL)", 11, "expected AND, OR"),
        ("city='Amsterdam", 6, "never closed"),
        ("PostCode=1000..", 0, ""),
        ("PostCode=..", 12, "end of the range"),
        ("city=A*..B", 6, "wildcards"),
        ("PostCode<", 10, "expected a value"),
        ("", 1, "empty"),
        ("country=NL country=BE", 12, "expected AND, OR"),
    ])
    func errorsPointAtTheColumn(text: String, column: Int, phrase: String) {
        do {
            _ = try Criteria(text)
            #expect(column == 0, "'\(text)' parsed but should fail at column \(column)")
        } catch {
            #expect(error.column == column, "'\(text)': \(error.message)")
            #expect(error.message.contains(phrase), "'\(text)': \(error.message)")
            let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("criteria, column \(column): "))
            #expect(lines[1] == "  " + text)
            // The caret stands under the column.
            #expect(lines[2] == String(repeating: " ", count: 2 + column - 1) + "^")
        }
    }

    @Test func unknownFieldsAreReportedAtTheirColumn() throws {
        let columns = ["ContactNo", "City", "CountryRegionCode", "Interests"]
        let criteria = try Criteria("city=A* AND Town=X")
        #expect(throws: CriteriaSyntaxError.self) { try criteria.check(columns: columns) }
        do {
            try criteria.check(columns: columns)
        } catch {
            #expect(error.column == 13)
            #expect(error.message.contains("'Town' is not a column"))
            #expect(error.message.contains("CountryRegionCode"))
        }
        try Criteria("COUNTRY=NL AND interests=*golf*").check(columns: columns)
        #expect(throws: CriteriaSyntaxError.self) { try Criteria("Language=NL").check(columns: columns) }
    }
}
