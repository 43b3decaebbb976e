import Foundation
import Testing
import Yams

@testable import Segments

/// The segment file is read as libyaml events (`YAMLEventReader`), line by line, not as one Yams node tree:
/// the result must be exactly what decoding the whole tree gives, with the same YAML lines in diagnostics.
@Suite struct SegmentStreamingTests {
    /// Every construct a hand-edited segment may hold: comments, quoting styles, flow mappings, anchors and
    /// aliases, a block scalar, criteria and go-back steps, keys in any order.
    static let tricky = """
        # A segment written by hand.
        lines:
          - {lineNo: 10000, contactNo: C1}
          - lineNo: 20000
            contactNo: 'C2'
            comment: &note "Hello: \\"again\\""
          - lineNo: 30000
            contactNo: C3
            comment: *note
            subject: |
              Two
              lines
          - lineNo: 40000
            contactNo: "C4"
            correspondenceType: Email
            languageCode: NL
        header:
          no: SM7
          description: "Winter mailing: part 1"
          templateCode: DIRECTMAIL
          date: 2026-02-28
          contacts: contacts.csv
          unitCost: 3.5
          campaignTarget: true
        criteria:
          - {action: add-contacts, where: "Country=NL"}
        """

    @Test func readsWhatTheWholeNodeTreeDecodes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("SM7.yaml", Self.tricky)
        let streamed = try Segment.load(path: path)
        let decoded = try YAMLDecoder().decode(Segment.self, from: Self.tricky)
        #expect(streamed.header == decoded.header)
        #expect(streamed.lines == decoded.lines)
        #expect(streamed.criteria == decoded.criteria)
        #expect(streamed.lines.count == 4)
        #expect(streamed.lines[1].comment == "Hello: \"again\"")
        #expect(streamed.lines[2].comment == streamed.lines[1].comment)
        #expect(streamed.lines[2].subject == "Two\nlines\n")
        #expect(streamed.source?.lineLines == [3, 4, 7, 13])
        #expect(streamed.source?.headerKeyLines["templateCode"] == 20)
        #expect(streamed.source?.linesKeyLine == 2)
    }

    @Test func aProblemDeepInALongFileNamesItsLine() throws {
        let directory = try TemporaryDirectory()
        var yaml = "header:\n  no: SM8\n  description: Long\n  templateCode: DIRECTMAIL\n  date: 2026-02-28\n  contacts: c.csv\nlines:\n"
        for number in 1...20_000 {
            yaml += number == 15_000 ? "  - lineNo: ten\n    contactNo: C\(number)\n" : "  - lineNo: \(number * 10)\n    contactNo: C\(number)\n"
        }
        let path = try directory.write("SM8.yaml", yaml)
        #expect {
            _ = try Segment.load(path: path)
        } throws: { error in
            guard let diagnostics = (error as? ValidationFailure)?.diagnostics, diagnostics.count == 1 else { return false }
            // Line 8 is the first item; item 15,000 starts two YAML lines per item later.
            return diagnostics[0].line == 8 + 2 * 14_999 && diagnostics[0].message.contains("lines[14999]")
        }
        let fixed = try directory.write("SM9.yaml", yaml.replacingOccurrences(of: "lineNo: ten", with: "lineNo: 150000"))
        let segment = try Segment.load(path: fixed)
        #expect(segment.lines.count == 20_000)
        #expect(segment.lines.last?.contactNo == "C20000")
        #expect(segment.source?.lineLines.last == 8 + 2 * 19_999)
    }

    @Test func aFileThatIsNotAMappingOrNotUTF8IsRefused() throws {
        let directory = try TemporaryDirectory()
        let list = try directory.write("list.yaml", "\n- a\n- b\n")
        let empty = try directory.write("empty.yaml", "# nothing\n")
        let latin1 = directory.path + "/latin1.yaml"
        try (Data("header:\n  description: caf".utf8) + [0xE9] + Data("\n".utf8)).write(to: URL(fileURLWithPath: latin1))
        for (path, expected, line) in [
            (list, "must be a mapping", 2 as Int?), (empty, "is empty", nil), (latin1, "not valid UTF-8", nil),
        ] {
            #expect {
                _ = try Segment.load(path: path)
            } throws: { error in
                guard let diagnostics = (error as? ValidationFailure)?.diagnostics, diagnostics.count == 1 else { return false }
                return diagnostics[0].message.contains(expected) && diagnostics[0].line == line
            }
        }
    }

    @Test func markingALongFileLoggedKeepsEveryLine() throws {
        let directory = try TemporaryDirectory()
        var yaml = "# my comment\nheader:\n  no: SM9\n  description: Long\n  templateCode: DIRECTMAIL\n  date: 2026-02-28\n  contacts: c.csv\nlines:\n"
        for number in 1...20_000 { yaml += "  - lineNo: \(number * 10)\n    contactNo: C\(number)\n" }
        let path = try directory.write("SM9.yaml", yaml + "\n\n")
        let mark = LoggedMark(loggedSegment: 12, at: Date(timeIntervalSince1970: 1_800_000_000))
        try Segment.markLogged(path: path, as: mark)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(yaml))
        #expect(text.hasSuffix("\nlogged: {loggedSegment: 12, at: '\(mark.at)'}\n"))
        #expect(try Segment.load(path: path).logged == mark)
        // A rerun replaces the mark instead of adding a second one.
        let again = LoggedMark(loggedSegment: 13, at: Date(timeIntervalSince1970: 1_800_000_100))
        try Segment.markLogged(path: path, as: again)
        let twice = try String(contentsOfFile: path, encoding: .utf8)
        #expect(twice.components(separatedBy: "logged: {").count == 2)
        #expect(try Segment.loggedMark(path: path) == again)
    }

    /// `PreparedLoggedMark` (made while a run writes its letters) writes the bytes `markLogged` writes, for a block
    /// layout, a file marked before, a flow mapping (written anew), and a file changed after it was prepared.
    @Test func aPreparedMarkWritesWhatMarkLoggedWrites() throws {
        let directory = try TemporaryDirectory()
        let block =
            "# my comment\nheader:\n  no: SM9\n  description: Long\n  templateCode: DIRECTMAIL\n  date: 2026-02-28\n  contacts: c.csv\nlines:\n"
            + "  - lineNo: 10\n    contactNo: C1\n\n\n"
        let marked =
            block + "# Logged: this file is retired; no command changes it. A new mailing is a follow-up segment.\n"
            + "logged: {loggedSegment: 3, at: '2026-01-01T00:00:00Z'}\n"
        let flow = "{header: {no: SM9, description: Flow, templateCode: DIRECTMAIL, date: 2026-02-28, contacts: c.csv}, lines: [{lineNo: 10, contactNo: C1}]}\n"
        let mark = LoggedMark(loggedSegment: 1234, at: Date(timeIntervalSince1970: 1_800_000_000))
        for (name, text) in [("block", block), ("marked", marked), ("flow", flow)] {
            let reference = try directory.write("\(name)-reference.yaml", text)
            let prepared = try directory.write("\(name)-prepared.yaml", text)
            let preparation = try PreparedLoggedMark(path: prepared)
            try Segment.markLogged(path: reference, as: mark)
            try preparation.write(mark)
            #expect(try Data(contentsOf: URL(fileURLWithPath: prepared)) == Data(contentsOf: URL(fileURLWithPath: reference)), "\(name)")
            #expect(try Segment.loggedMark(path: prepared) == mark, "\(name)")
        }
        // Changed after it was prepared: the mark goes onto what the file holds now.
        let changed = try directory.write("changed.yaml", block)
        let preparation = try PreparedLoggedMark(path: changed)
        try (block.replacingOccurrences(of: "Long", with: "Changed meanwhile")).write(toFile: changed, atomically: true, encoding: .utf8)
        try preparation.write(mark)
        let text = try String(contentsOfFile: changed, encoding: .utf8)
        #expect(text.contains("Changed meanwhile") && text.hasSuffix("logged: {loggedSegment: 1234, at: '\(mark.at)'}\n"))
    }

    /// `writeMarked` finds and copies the lines as bytes: it must write what taking the file line by line does (an
    /// earlier mark's lines dropped, empty lines kept only before a line kept, a last line without its newline ended,
    /// CR and letters beyond ASCII kept as they are), also for lines that straddle its megabyte reads.
    @Test func markedTextIsTheFileLineByLineWithoutAnEarlierMark() throws {
        let directory = try TemporaryDirectory()
        let comment = "# Logged: this file is retired; no command changes it. A new mailing is a follow-up segment."
        var long = "header:\r\n  no: SM9\n\n  description: Ørsted – “Zürich”\nlines:\n"
        while long.utf8.count < 3 << 20 { long += "  - lineNo: \(long.utf8.count)\n    contactNo: C\(long.utf8.count % 997)\n\n" }
        let texts = [
            "", "\n\n", "header:\n  no: SM9", "header:\n  no: SM9\n\n\n", "a\n\n\nb\n",
            "header:\n" + comment + "\nlogged: {loggedSegment: 3, at: '2026-01-01T00:00:00Z'}\n\nlines:\n  - x\n",
            "logged:\n  loggedSegment: 2\nlogged: 1", long, long + "tail without newline",
        ]
        let mark = LoggedMark(loggedSegment: 77, at: Date(timeIntervalSince1970: 1_800_000_000))
        let markLines = comment + "\nlogged: {loggedSegment: 77, at: '\(mark.at)'}\n"
        for (number, text) in texts.enumerated() {
            let source = try directory.write("source-\(number).yaml", text)
            let target = directory.path("target-\(number).yaml")
            try PreparedLoggedMark.writeMarked(from: source, mark: mark, to: target)
            var expected: [UInt8] = []
            var lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            var emptyLines = 0
            for line in lines {
                if line.isEmpty {
                    emptyLines += 1
                } else if !line.starts(with: "logged:".utf8) && !line.starts(with: comment.utf8) {
                    expected += repeatElement(UInt8(ascii: "\n"), count: emptyLines)
                    expected += line
                    expected.append(UInt8(ascii: "\n"))
                    emptyLines = 0
                }
            }
            expected += markLines.utf8
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(expected), "text \(number)")
        }
    }
}
