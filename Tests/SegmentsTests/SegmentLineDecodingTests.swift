import Testing
import Yams

@testable import Segments

/// `SegmentLine.plain` (the fast path of `Segment.load`) gives what `YAMLDecoder` gives, and
/// leaves every line it is not sure about to `YAMLDecoder`.
@Suite struct SegmentLineDecodingTests {
    static let items = [
        "{lineNo: 10000, contactNo: CT000001}",
        "{lineNo: 20000, contactNo: '000123', description: 'null', subject: \"Dear: you\", comment: yes, languageCode: NL}",
        "{lineNo: 30000, contactNo: 42, templateCode: EVENT, correspondenceType: ' Email '}",
        "{lineNo: 40000, contactNo: CT1, correspondenceType: Hard-Copy, description: 1.50}",
    ]

    /// Left to the decoder: what it reads differently or reports with a located message.
    static let others = [
        "{lineNo: 010, contactNo: CT1}", "{lineNo: 0x10, contactNo: CT1}", "{lineNo: '10', contactNo: CT1}", "{lineNo: 1_000, contactNo: CT1}",
        "{lineNo: 10, contactNo: ~}", "{lineNo: 10, contactNo: CT1, comment: null}", "{lineNo: 10, contactNo: CT1, correspondenceType: pigeon}",
        "{lineNo: 10, contactNo: CT1, color: red}", "{lineNo: 10}", "{lineNo: 10, contactNo: [a]}", "lineNo: 10\ncontactNo: |\n  CT1\n",
    ]

    @Test func theFastPathMatchesTheDecoder() throws {
        for item in Self.items {
            let node = try #require(try Yams.compose(yaml: item))
            let fast = try #require(SegmentLine.plain(node), "\(item)")
            #expect(fast == (try YAMLDecoder().decode(SegmentLine.self, from: node)), "\(item)")
        }
    }

    @Test func unusualLinesGoToTheDecoder() throws {
        for item in Self.others {
            let node = try #require(try Yams.compose(yaml: item))
            #expect(SegmentLine.plain(node) == nil, "\(item)")
        }
    }
}
