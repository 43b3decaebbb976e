import Foundation
import Testing
import Yams

@testable import Segments

/// `SegmentLines` holds a segment's lines as bytes: every line must come back exactly as it went in, wherever it is
/// read from, and the list must behave as the `[SegmentLine]` it replaced.
@Suite struct SegmentLinesTests {
    /// Lines with every override, none, empty and non-ASCII values, and line numbers of every size.
    static let variety: [SegmentLine] = (0..<100).map { number in
        var line = SegmentLine(lineNo: [10000 * (number + 1), 0, -7, Int.max, Int.min][number % 5], contactNo: number % 7 == 0 ? "" : "C\(number)")
        if number % 2 == 0 { line.description = "Déjà vu \(number)" }
        if number % 3 == 0 { line.templateCode = "EVENT" }
        if number % 4 == 0 { line.languageCode = "" }
        if number % 5 == 0 { line.subject = String(repeating: "long subject ", count: number) }
        if number % 6 == 0 { line.correspondenceType = CorrespondenceType.allCases[number % 3] }
        if number % 7 == 0 { line.comment = "Hello: \"again\"\n🙂" }
        if number % 11 == 0 { line.attachment = "own/letter \(number).docx" }
        return line
    }

    @Test func everyLineComesBackAsItWentIn() {
        let lines = SegmentLines(Self.variety)
        #expect(lines.count == Self.variety.count)
        #expect(Array(lines) == Self.variety)
        // Read alone, in any order (across the positions kept every 32 lines).
        for index in Self.variety.indices.reversed() { #expect(lines[index] == Self.variety[index], "line \(index)") }
        #expect(lines[33...40].elementsEqual(Self.variety[33...40]))
        #expect(lines.last == Self.variety.last)
    }

    @Test func changesAsAnArrayChanges() {
        var lines = SegmentLines(Self.variety)
        var array = Self.variety
        lines.removeAll { $0.lineNo <= 0 }
        array.removeAll { $0.lineNo <= 0 }
        #expect(Array(lines) == array)
        lines.replaceSubrange(3..<5, with: [SegmentLine(lineNo: 5, contactNo: "X")])
        array.replaceSubrange(3..<5, with: [SegmentLine(lineNo: 5, contactNo: "X")])
        #expect(Array(lines) == array)
        lines.insert(SegmentLine(lineNo: 1, contactNo: "first"), at: 0)
        array.insert(SegmentLine(lineNo: 1, contactNo: "first"), at: 0)
        lines.append(contentsOf: Self.variety.prefix(3))
        array.append(contentsOf: Self.variety.prefix(3))
        #expect(Array(lines) == array)
        #expect(lines == SegmentLines(array))
        #expect(lines != SegmentLines(array.dropLast()))
        #expect(SegmentLines() == [])
        #expect(Set([lines, SegmentLines(array)]).count == 1)
    }

    /// The log stores a segment as JSON: the lines must encode exactly as the array did.
    @Test func codesAsTheArrayOfLines() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = SegmentLines(Self.variety)
        #expect(try encoder.encode(lines) == encoder.encode(Self.variety))
        #expect(try JSONDecoder().decode(SegmentLines.self, from: encoder.encode(Self.variety)) == lines)
        #expect(try YAMLEncoder().encode(lines) == YAMLEncoder().encode(Self.variety))
    }

    /// A generated line (line number and contact only) takes about 15 bytes, where a `SegmentLine` takes 144.
    /// (Counted with the room kept for more lines, which `shrink` frees once the last line is added.)
    @Test func aPlainLineTakesFewBytes() {
        var lines = SegmentLines()
        for number in 1...100_000 { lines.append(SegmentLine(lineNo: number * 10000, contactNo: String(format: "CT%06d", number))) }
        let grown = lines.storageBytes
        lines.shrink()
        #expect(lines.storageBytes < 100_000 * 17)
        #expect(lines.storageBytes < grown, "shrink kept the room: \(grown) → \(lines.storageBytes) bytes")
        #expect(lines[99_999].contactNo == "CT100000" && lines.count == 100_000)
    }

    /// `Array(array)` shares the buffer with its room; `removeSpareCapacity` copies into one of the exact size.
    @Test func spareCapacityIsFreed() {
        var bytes: [UInt8] = []
        for value in 0..<1_000_000 { bytes.append(UInt8(truncatingIfNeeded: value)) }
        let copy = bytes
        #expect(bytes.capacity > bytes.count + 4096)
        bytes.removeSpareCapacity()
        #expect(bytes.capacity < bytes.count + 4096 && bytes == copy)
        var empty: [Int] = []
        empty.removeSpareCapacity()
        #expect(empty.isEmpty)
    }
}

/// The file's lines are read from libyaml's events without composing nodes when they are the plain kind; any other
/// line goes through the node path, so its problems are reported as before, on its own YAML line.
@Suite struct SegmentLineEventTests {
    static let header = "header:\n  no: SM1\n  description: Test\n  templateCode: DIRECTMAIL\n  date: 2026-02-28\n  contacts: c.csv\nlines:\n"

    @Test func linesThatAreNotPlainAreReadAsNodes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "SM1.yaml",
            Self.header + """
                  - lineNo: 10000
                    contactNo: &who C1
                  - lineNo: 20000
                    contactNo: *who
                  - lineNo: !!int 30000
                    contactNo: C3
                    comment: ~
                  - {lineNo: 40000, contactNo: "C4", correspondenceType: fax}
                """)
        let segment = try Segment.load(path: path)
        let decoded = try YAMLDecoder().decode(Segment.self, from: String(contentsOfFile: path, encoding: .utf8))
        #expect(segment.lines == decoded.lines)
        #expect(segment.lines[2].comment == nil && segment.lines[3].correspondenceType == .fax)
        #expect(segment.source?.lineLines == [8, 10, 12, 15])
    }

    @Test func problemsOfLinesReadAsEventsKeepTheirLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "SM2.yaml",
            Self.header + """
                  - lineNo: 30000
                    contactNo: C1
                  - lineNo: 10000
                    contactNo: C2
                    colour: red
                  - lineNo: 30000
                    contactNo: C3
                  - lineNo: 0
                    contactNo: C4
                  - lineNo: 10000
                    contactNo: C5
                """)
        #expect {
            _ = try Segment.load(path: path)
        } throws: { error in
            let located = (error as? ValidationFailure)?.diagnostics.map { "\($0.line ?? 0) \($0.message)" } ?? []
            return located.count == 4
                && located[0].hasPrefix("12 unknown key 'colour' in a line")
                && located[1].hasPrefix("13 lineNo 30000 is already used on line 8")
                && located[2].hasPrefix("15 lineNo must be a positive whole number")
                && located[3].hasPrefix("17 lineNo 10000 is already used on line 10")
        }
        let twice = try directory.write("SM3.yaml", Self.header + "  - lineNo: 10000\n    contactNo: C1\n    contactNo: C2\n")
        #expect {
            _ = try Segment.load(path: twice)
        } throws: { error in
            let located = (error as? ValidationFailure)?.diagnostics.map { "\($0.line ?? 0) \($0.message)" } ?? []
            return located.count == 1 && located[0].hasPrefix("9 key 'contactNo' appears twice")
        }
    }

    @Test func lineNumbersOutOfOrderAreCheckedForRepeats() throws {
        let directory = try TemporaryDirectory()
        var yaml = Self.header
        for number in [50, 20, 40, 10, 30] { yaml += "  - lineNo: \(number)\n    contactNo: C\(number)\n" }
        let segment = try Segment.load(path: try directory.write("SM4.yaml", yaml))
        #expect(segment.lines.map(\.lineNo) == [50, 20, 40, 10, 30])
        yaml += "  - lineNo: 20\n    contactNo: C99\n  - lineNo: 50\n    contactNo: C98\n"
        #expect {
            _ = try Segment.load(path: try directory.write("SM5.yaml", yaml))
        } throws: { error in
            let located = (error as? ValidationFailure)?.diagnostics.map { "\($0.line ?? 0) \($0.message)" } ?? []
            return located == [
                "18 lineNo 20 is already used on line 10; line numbers must be unique",
                "20 lineNo 50 is already used on line 8; line numbers must be unique",
            ]
        }
    }
}
