import Foundation
import Testing

@testable import Segments

@Suite struct CSVRowReaderTests {
    private func readAll(_ path: String) throws -> (header: [String], rows: [(line: Int, values: [String])]) {
        var reader = try CSVRowReader(path: path)
        var rows: [(line: Int, values: [String])] = []
        while let row = try reader.next() {
            rows.append(row)
        }
        return (reader.header, rows)
    }

    private func diagnostic(reading path: String) -> Diagnostic? {
        do {
            _ = try readAll(path)
            return nil
        } catch let error as Diagnostic {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlinesKeepTheirContentAndLineNumbers() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "No,Name,Note\n1,\"Smith, Jones & Co\",\"said \"\"hi\"\"\"\n2,\"two\nlines\",x\n3,plain,\"\"\n")
        let (header, rows) = try readAll(path)
        #expect(header == ["No", "Name", "Note"])
        #expect(rows.map(\.values) == [["1", "Smith, Jones & Co", "said \"hi\""], ["2", "two\nlines", "x"], ["3", "plain", ""]])
        #expect(rows.map(\.line) == [2, 3, 5])
    }

    @Test func byteOrderMarkAndHeaderSpacesAreRemoved() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", Data([0xEF, 0xBB, 0xBF]) + Data(" ContactNo , Surname\nC1,Müller\n".utf8))
        let (header, rows) = try readAll(path)
        #expect(header == ["ContactNo", "Surname"])
        #expect(rows.map(\.values) == [["C1", "Müller"]])
    }

    @Test func crlfLineEndingsAreNotPartOfValues() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "A,B\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r\n")
        let (header, rows) = try readAll(path)
        #expect(header == ["A", "B"])
        #expect(rows.map(\.values) == [["1", "2"], ["x\r\ny", "3"], ["4", "5"]])
        #expect(rows.map(\.line) == [2, 3, 5])
    }

    @Test func blankLinesAreSkipped() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "A,B\n1,2\n\n3,4\n")
        let (_, rows) = try readAll(path)
        #expect(rows.map(\.values) == [["1", "2"], ["3", "4"]])
        #expect(rows.map(\.line) == [2, 4])
    }

    @Test func raggedRowIsReportedWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "A,B,C\n1,2,3\n4,5\n")
        let error = try #require(diagnostic(reading: path))
        #expect(error.line == 3)
        #expect(error.source == path)
        #expect(error.message.contains("2 fields"))
        #expect(error.message.contains("3 columns"))
    }

    @Test func duplicateColumnNamesIgnoringCaseAreRejected() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "Email,Name,EMAIL\nx,y,z\n")
        let error = try #require(diagnostic(reading: path))
        #expect(error.line == 1)
        #expect(error.message.contains("appears twice"))
    }

    @Test func emptyFileIsRejected() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "")
        let error = try #require(diagnostic(reading: path))
        #expect(error.message.contains("empty"))
    }

    @Test func headerOnlyFileHasNoRows() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", "A,B\n")
        let (header, rows) = try readAll(path)
        #expect(header == ["A", "B"])
        #expect(rows.isEmpty)
    }

    /// `nextKey(column:)` (a child file's index) gives each record's key, line and offset as
    /// `nextWithOffset()` does, and still reports what is wrong in the other fields.
    @Test func keysOnlyReadTheSameRecordsAndTheSameProblems() throws {
        let directory = try TemporaryDirectory()
        let text = "Key,Name,Note\nK1,\"Smith, Jones\",\"two\nlines\"\n\nK2,Zoë,x\r\nK1,plain,\"\"\"quoted\"\"\"\n"
        let path = try directory.write("c.csv", text)
        var full = try CSVRowReader(path: path)
        var keys = try CSVRowReader(path: path)
        var expected: [(line: Int, offset: Int, key: String)] = []
        while let row = try full.nextWithOffset() { expected.append((row.line, row.offset, row.values[0])) }
        var found: [(line: Int, offset: Int, key: String)] = []
        while let row = try keys.nextKey(column: 0) { found.append(row) }
        #expect(found.map(\.key) == ["K1", "K2", "K1"])
        #expect(found.map(\.line) == expected.map(\.line) && found.map(\.offset) == expected.map(\.offset))
        #expect(found.map(\.key) == expected.map(\.key))
        // Read back at an offset the keys gave: the whole record.
        try full.seek(toOffset: found[1].offset, line: found[1].line)
        #expect(try full.next()?.values == ["K2", "Zoë", "x"])

        let bad = try directory.write("bad.csv", Data("A,B\n1,2\n3,".utf8) + Data([0xC3, 0x28]) + Data("x\n".utf8))
        do throws(Diagnostic) {
            var again = try CSVRowReader(path: bad)
            while try again.nextKey(column: 0) != nil {}
            Issue.record("invalid UTF-8 in a field that is not the key was not reported")
        } catch {
            #expect(error.line == 3 && error.message.contains("UTF-8"))
        }
        let ragged = try directory.write("ragged.csv", "A,B\n1,2\n3\n")
        do throws(Diagnostic) {
            var again = try CSVRowReader(path: ragged)
            while try again.nextKey(column: 1) != nil {}
            Issue.record("a record with too few fields was read")
        } catch {
            #expect(error.line == 3 && error.message.contains("1 field"))
        }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", Data("A,B\n1,2\n3,".utf8) + Data([0xC3, 0x28]) + Data("x\n".utf8))
        let error = try #require(diagnostic(reading: path))
        #expect(error.line == 3)
        #expect(error.message.contains("UTF-8"))
    }

    @Test func missingFileIsReported() {
        let error = diagnostic(reading: "/nonexistent/contacts.csv")
        #expect(error?.message.contains("cannot open") == true)
    }

    @Test func manyRowsKeepCorrectLineNumbers() throws {
        let directory = try TemporaryDirectory()
        var text = "No,Name\n"
        for index in 1...20_000 {
            text += "\(index),name \(index)\n"
        }
        let path = try directory.write("big.csv", text)
        var reader = try CSVRowReader(path: path)
        var count = 0
        var last: (line: Int, values: [String])?
        while let row = try reader.next() {
            count += 1
            last = row
        }
        #expect(count == 20_000)
        #expect(last?.line == 20_001)
        #expect(last?.values == ["20000", "name 20000"])
    }

    /// Records as Python's `csv` module reads them: label, file text, header, values, start lines.
    @Test(
        arguments: [
            ("a quoted empty line is a record, a truly empty line is not", "name\n\"\"\n\nB\n\"\"", ["name"], [[""], ["B"], [""]], [2, 4, 5]),
            (
                "line breaks of every kind end records and count as lines", "A,B\r1,\"x\ry\"\r\n\r\n2,\"p\r\nq\"\n3,4", ["A", "B"],
                [["1", "x\ry"], ["2", "p\r\nq"], ["3", "4"]], [2, 5, 7]
            ),
            (
                "text after a closing quote is kept, a quote inside an unquoted field is text", "A,B\n\"ab\"c,x\"y\n", ["A", "B"],
                [["abc", "x\"y"]], [2]
            ),
            ("a byte-order mark before a quoted header is removed", "\u{FEFF}\"Name\",\"Note\"\n\"\",\"\"\n", ["Name", "Note"], [["", ""]], [2]),
        ] as [(String, String, [String], [[String]], [Int])])
    func recordsAsPythonsCSVReadsThem(_ label: String, _ text: String, _ header: [String], _ values: [[String]], _ lines: [Int]) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("c.csv", text)
        let read = try readAll(path)
        #expect(read.header == header, "\(label)")
        #expect(read.rows.map(\.values) == values, "\(label)")
        #expect(read.rows.map(\.line) == lines, "\(label)")
    }

    @Test func aQuoteLeftOpenIsReportedRatherThanSwallowingTheRest() throws {
        // Python's csv would read "open\n2,3\n" as one value and the file as one record.
        let directory = try TemporaryDirectory()
        let error = try #require(diagnostic(reading: try directory.write("c.csv", "A,B\n1,\"open\n2,3\n")))
        #expect(error.line == 2 && error.message.contains("never closed"), "\(error)")
    }
}
