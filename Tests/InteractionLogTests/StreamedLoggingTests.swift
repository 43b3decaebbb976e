import Foundation
import GRDB
import MailMergeTestSupport
import Segments
import Testing

@testable import InteractionLog

/// Logging a segment of many lines without holding them all: entries made while they are stored, the segment's
/// JSON encoded a thousand lines at a time.
@Suite struct StreamedLoggingTests {
    @Test(arguments: StoreKind.allCases) func entriesMadeOneAtATimeAreLoggedInOrder(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let entries = makeEntries(2_500)
        var asked: [Int] = []
        let logged = try temporary.store.log(NewLoggedSegment(segmentNo: "SM00042", description: "Streamed"), count: entries.count) { index in
            asked.append(index)
            return entries[index]
        }
        #expect(asked == Array(0..<2_500))
        #expect(logged.numberOfInteractions == 2_500)
        let stored = try temporary.store.entries(LogFilter())
        #expect(stored.map(\.contactNo) == entries.map(\.contactNo))
        #expect(stored.allSatisfy { $0.loggedSegmentEntryNo == logged.entryNo })
    }

    @Test func anEntryThatCannotBeMadeLogsNothing() throws {
        struct Refused: Error {}
        let temporary = try TemporaryStore(.sqlite)
        let entries = makeEntries(10)
        #expect(throws: Refused.self) {
            _ = try temporary.store.log(NewLoggedSegment(segmentNo: "SM00043", description: "Broken"), count: 10) { index in
                if index == 7 { throw Refused() }
                return entries[index]
            }
        }
        #expect(try temporary.store.entries(LogFilter()).isEmpty)
        #expect(try temporary.store.loggedSegments().isEmpty)
    }

    @Test func theSegmentJSONIsWhatOneEncoderGives() throws {
        let header = SegmentHeader(no: "SM00044", description: "Big", templateCode: "DIRECTMAIL", date: Day("2026-11-23")!, contacts: "c.csv")
        let lines = (1...2_345).map { SegmentLine(lineNo: $0 * 10_000, contactNo: "CT\($0)", comment: $0.isMultiple(of: 3) ? "note \"\($0)\"" : nil) }
        let goBack = [GoBackStep(added: [5], removed: [SegmentLine(lineNo: 10_000, contactNo: "OLD")])]
        let segment = Segment(
            header: header, lines: lines, criteria: [CriteriaStep(action: .add, expression: "City=A*")], goBack: goBack,
            logged: LoggedMark(loggedSegment: 3, at: Date(timeIntervalSince1970: 0)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let whole = String(decoding: try encoder.encode(segment), as: UTF8.self)
        #expect(try SQLiteInteractionLogStore.json(segment) == whole)
        var small = segment
        small.lines = SegmentLines(lines.prefix(3))
        #expect(try SQLiteInteractionLogStore.json(small) == String(decoding: try encoder.encode(small), as: UTF8.self))
    }

    /// The segment's JSON goes into the log through a scratch file and SQLite's incremental I/O, never whole in
    /// memory: what is stored reads back as the segment, and is the text one encoder gives.
    @Test(arguments: StoreKind.allCases) func aLongSegmentIsStoredAndReadBack(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let header = SegmentHeader(no: "SM00045", description: "Long", templateCode: "DIRECTMAIL", date: Day("2026-11-23")!, contacts: "c.csv")
        let lines = (1...2_345).map { SegmentLine(lineNo: $0 * 10_000, contactNo: "CT\($0)", comment: $0.isMultiple(of: 5) ? "note é \"\($0)\"" : nil) }
        let segment = Segment(header: header, lines: lines, criteria: [CriteriaStep(action: .add, expression: "City=A*")])
        let entries = makeEntries(3)
        let logged = try temporary.store.log(NewLoggedSegment(segmentNo: "SM00045", description: "Long", segment: segment), count: 3) { entries[$0] }
        #expect(try temporary.store.loggedSegmentFile(logged.entryNo) == segment)
        guard kind == .sqlite else { return }
        let stored = try DatabaseQueue(path: temporary.path).read { db in
            try String.fetchOne(db, sql: "SELECT segmentJSON FROM loggedSegment WHERE entryNo = ?", arguments: [logged.entryNo])
        }
        #expect(stored == (try SQLiteInteractionLogStore.json(segment)))
        // A run that fails after the segment's JSON was stored leaves none of it.
        #expect(throws: InteractionLogError.self) {
            _ = try temporary.store.log(NewLoggedSegment(segmentNo: "SM00046", description: "Broken", segment: segment), count: 3) { index in
                if index == 2 { throw InteractionLogError.failed(reason: "refused") }
                return entries[index]
            }
        }
        #expect(try temporary.store.loggedSegments().map(\.segmentNo) == ["SM00045"])
    }

}
