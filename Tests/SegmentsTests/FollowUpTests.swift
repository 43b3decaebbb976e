import Testing

@testable import Segments

@Suite struct FollowUpTests {
    @Test(arguments: [
        ("SM00001", "SM00002"), ("SM00009", "SM00010"), ("SM09", "SM10"), ("SM99", "SM100"),
        ("2026-007", "2026-008"), ("7", "8"),
    ])
    func nextNumberKeepsTheWidth(no: String, expected: String) {
        #expect(NumberSeries.next(after: no) == expected)
    }

    @Test func numberWithoutTrailingDigitsHasNoNext() {
        #expect(NumberSeries.next(after: "SEGMENT") == nil)
        #expect(NumberSeries.next(after: "") == nil)
    }

    @Test func followUpKeepsHeaderAndLinesWithTheNextNumber() throws {
        var header = makeHeader()
        header.no = "SM00001"
        let segment = Segment(header: header, lines: [SegmentLine(lineNo: 10000, contactNo: "C1", comment: "x")])
        let followUp = try segment.followUp()
        #expect(followUp.header.no == "SM00002")
        #expect(followUp.lines == segment.lines)
        var expectedHeader = header
        expectedHeader.no = "SM00002"
        #expect(followUp.header == expectedHeader)
    }

    @Test func followUpUsesTheGivenOrConfiguredNumber() throws {
        var header = makeHeader()
        header.nextFollowUpNo = "FU100"
        let segment = Segment(header: header, lines: [])
        #expect(try segment.followUp().header.no == "FU100")
        #expect(try segment.followUp().header.nextFollowUpNo == nil)
        #expect(try segment.followUp(no: "X1").header.no == "X1")
    }

    @Test func followUpOfANumberWithoutDigitsNeedsOne() {
        var header = makeHeader()
        header.no = "AUTUMN"
        #expect(throws: Diagnostic.self) {
            try Segment(header: header, lines: []).followUp()
        }
    }
}
