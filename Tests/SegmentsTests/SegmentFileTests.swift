import Foundation
import Testing
import Yams

@testable import Segments

@Suite struct SegmentFileTests {
    @Test func loadsHeaderAndLinesWithTheirYAMLLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "segments/SM1.yaml",
            """
            header:
              no: SM1
              description: Test
              templateCode: DIRECTMAIL
              date: 2026-02-28
              contacts: ../data/contacts.csv
              unitCost: 3.5
              campaignTarget: true
            lines:
              - lineNo: 10000
                contactNo: C1
              - lineNo: 20000
                contactNo: C2
                correspondenceType: Email
                comment: "Hello: again"
            """)
        let segment = try Segment.load(path: path)
        #expect(segment.header.no == "SM1")
        #expect(segment.header.date == Day("2026-02-28"))
        #expect(segment.header.unitCost == 3.5)
        #expect(segment.header.campaignTarget)
        #expect(!segment.header.campaignResponse)
        #expect(segment.lines.map(\.contactNo) == ["C1", "C2"])
        #expect(segment.lines[1].correspondenceType == .email)
        #expect(segment.lines[1].comment == "Hello: again")
        #expect(segment.source?.lineLines == [10, 12])
        #expect(segment.source?.headerKeyLines["templateCode"] == 4)
        #expect(segment.contactsPath == directory.path + "/segments/../data/contacts.csv")
    }

    @Test func reportsEveryProblemWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "SM1.yaml",
            """
            header:
              no: SM1
              description: Test
              templateCode: DIRECTMAIL
              date: 2026-02-30
              contacts: contacts.csv
              campaignTraget: true
            lines:
              - lineNo: 10000
                contactNo: C1
              - lineNo: 10000
                contactNo: C2
              - contactNo: C3
              - lineNo: 40000
                contactNo: C4
                correspondenceType: pigeon
              - lineNo: ten
                contactNo: C5
            """)
        #expect {
            _ = try Segment.load(path: path)
        } throws: { error in
            guard let failure = error as? ValidationFailure else { return false }
            let located = failure.diagnostics.map { "\($0.line ?? 0) \($0.message)" }
            return located.count == 6
                && located[0].hasPrefix("5 header.date: '2026-02-30' is not a date in the form yyyy-MM-dd")
                && located[1].hasPrefix("7 unknown key 'campaignTraget' in the header; allowed keys:")
                && located[2].hasPrefix("11 lineNo 10000 is already used on line 9")
                && located[3].hasPrefix("13 lines[2]: missing required key 'lineNo'")
                && located[4].hasPrefix("16 lines[3].correspondenceType: 'pigeon' is not a correspondence type")
                && located[5].hasPrefix("17 lines[4].lineNo: 'ten' is not a whole number")
        }
    }

    @Test func missingHeaderIsReported() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("SM1.yaml", "lines: []\n")
        #expect {
            _ = try Segment.load(path: path)
        } throws: { error in
            (error as? ValidationFailure)?.diagnostics.first?.message.contains("'header'") == true
        }
    }

    @Test func writtenSegmentLoadsBackEqual() throws {
        let directory = try TemporaryDirectory()
        var header = makeHeader(subject: "Re: offer", correspondenceType: .hardCopy)
        header.unitDuration = 2.5
        let segment = Segment(
            header: header,
            lines: [
                SegmentLine(lineNo: 10000, contactNo: "C1", description: "It's \"quoted\"", languageCode: "NL"),
                SegmentLine(lineNo: 20000, contactNo: "C2", correspondenceType: .email, comment: "two\nlines"),
            ])
        let path = directory.path + "/out.yaml"
        try segment.write(to: path)
        let loaded = try Segment.load(path: path)
        #expect(loaded.header == segment.header)
        #expect(loaded.lines == segment.lines)
    }

    /// `Segment.yamlText` joins long lists a slice at a time: its text must be exactly what Yams's encoder makes of the
    /// whole segment (lists longer than a slice, empty ones, go-back steps with and without each key, quotes, line
    /// breaks, non-ASCII, the logged mark).
    @Test(arguments: [0, 1, 255, 256, 257, 700])
    func writtenTextIsYAMLEncodersText(lineCount: Int) throws {
        var header = makeHeader(subject: "Re: 'offer' #1", correspondenceType: .hardCopy)
        header.description = "Café Zürich: \"Sommer\" – 2026"
        let lines = (0..<lineCount).map { index in
            SegmentLine(
                lineNo: (index + 1) * 10000, contactNo: "C\(index)", description: index % 3 == 0 ? "Größe \(index)\nzwei" : nil,
                languageCode: index % 5 == 0 ? "NL" : nil, correspondenceType: index % 7 == 0 ? .email : nil)
        }
        var segment = Segment(
            header: header, lines: lines,
            criteria: [CriteriaStep(action: .add, expression: "City='New York'"), CriteriaStep(action: .reduce, expression: "Country=NL")],
            goBack: [
                GoBackStep(added: lines.map(\.lineNo)), GoBackStep(removed: Array(lines.prefix(300))), GoBackStep(),
                GoBackStep(added: [], removed: []),
            ])
        let encoded = try YAMLEncoder().encode(segment)
        #expect(try segment.yamlText() == encoded)
        segment.logged = LoggedMark(loggedSegment: 7, at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try segment.yamlText() == YAMLEncoder().encode(segment))
        let directory = try TemporaryDirectory()
        #expect(try Segment.load(path: directory.write("written.yaml", segment.yamlText())).lines == segment.lines)
    }

    @Test func duplicateKeysAndInvalidYAMLAreReportedWithTheirLine() throws {
        let directory = try TemporaryDirectory()
        let duplicate = try directory.write("dup.yaml", "header:\n  no: SM1\n  no: SM2\nlines: []\n")
        let unclosed = try directory.write("bad.yaml", "header:\n  no: SM1\n  description: \"unclosed\nlines: []\n")
        for (path, expected) in [(duplicate, "appears twice"), (unclosed, "invalid YAML")] {
            #expect {
                _ = try Segment.load(path: path)
            } throws: { error in
                guard let diagnostics = (error as? ValidationFailure)?.diagnostics else { return false }
                return diagnostics.count == 1 && diagnostics[0].message.contains(expected) && diagnostics[0].line != nil
            }
        }
    }
}
