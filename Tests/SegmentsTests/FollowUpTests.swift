import Foundation
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

    @Test func followUpHasANewHeaderAndDropsOneOffLineValues() {
        var header = makeHeader()
        header.no = "SM00001"
        header.campaignNo = "CP1"
        header.salespersonCode = "JO"
        header.subject = "Winter"
        header.languageCode = "NL"
        header.nextFollowUpNo = "SM00100"
        let line = SegmentLine(
            lineNo: 10000, contactNo: "C1", description: "Own", templateCode: "EVENT", languageCode: "EN", subject: "Hi",
            correspondenceType: .email, comment: "Thanks for your visit", attachment: "Thanks.docx")
        let segment = Segment(
            header: header, lines: [line], criteria: [CriteriaStep(action: .add, expression: "City=X")], goBack: [GoBackStep(added: [10000])],
            logged: LoggedMark(loggedSegment: 4, at: Date(timeIntervalSince1970: 0)))
        let follows = FollowedSegment(segmentNo: "SM00001", loggedSegment: 4)
        let followUp = segment.followUp(no: "SM00002", date: Day("2026-12-24")!, follows: follows)
        #expect(followUp.header.no == "SM00002" && followUp.header.date == Day("2026-12-24"))
        #expect(followUp.header.follows == follows && followUp.logged == nil && followUp.header.nextFollowUpNo == nil)
        #expect(followUp.header.campaignNo == "CP1" && followUp.header.salespersonCode == "JO")
        #expect(followUp.header.subject == "Winter" && followUp.header.languageCode == "NL")
        #expect(followUp.header.templateCode == header.templateCode)
        #expect(followUp.criteria.isEmpty && followUp.goBack.isEmpty)
        #expect(
            followUp.lines == [SegmentLine(lineNo: 10000, contactNo: "C1", templateCode: "EVENT", languageCode: "EN", correspondenceType: .email)])

        let kept = segment.followUp(no: "SM00002", date: Day("2026-12-24")!, templateCode: "LETTER", keepLineOverrides: true, follows: follows)
        #expect(kept.lines == [line] && kept.header.templateCode == "LETTER")
    }

    @Test func numberSeriesSkipsUsedNumbersAndFilesAndStopsAtItsEnd() throws {
        let series = NumberSeriesSetup(startingNo: "SM00001", endingNo: "SM00005", incrementBy: 1, lastNoUsed: "SM00001")
        #expect(try series.next(used: []) { _ in false } == "SM00002")
        #expect(try series.next(used: ["SM00002"]) { _ in false } == "SM00003")
        #expect(try series.next(used: []) { $0 == "SM00002" } == "SM00003")
        // Other series' numbers do not count.
        #expect(try series.next(used: ["X99999", "SM0000009"]) { _ in false } == "SM00002")
        #expect(throws: Diagnostic.self) { try series.next(used: ["SM00005"]) { _ in false } }
        let byTen = NumberSeriesSetup(startingNo: "FU10", incrementBy: 10)
        #expect(try byTen.next(used: []) { _ in false } == "FU10")
        #expect(try byTen.next(used: ["FU10"]) { _ in false } == "FU20")
        #expect(throws: Diagnostic.self) { try byTen.next(used: ["FU90"]) { _ in false } }
    }
}
