import Foundation
import MailMergeTestSupport
import Segments
import Testing

@testable import MailMergeKit

/// A distributed worker does not check a run's lines again (its coordinator did): it resolves a chunk's lines when it
/// takes the chunk (`ResolvedLines.prefetch`) and compiles the attachments from the lines the coordinator named. Those
/// lines must be exactly the checked ones, whatever the chunks' bounds against the 512-line batches.
@Suite struct PlannedLinesTests {
    @Test func chunksResolvedOnTheirOwnAreTheCheckedLines() throws {
        let folder = try TemporaryDirectory("mailmerge-planned-lines")
        let count = 2 * Defaults.batchSize + 300
        var overrides: [Int: [String]] = [:]
        for index in [0, 249, 250, 511, 512, count - 1] {
            overrides[index] = ["description: \"Own description \(index)\"", "comment: Note for line \(index)"]
        }
        overrides[260] = ["languageCode: NL"]
        overrides[700] = ["comment: Note for line 700", "templateCode: EVENT", "languageCode: EN"]
        let path = try BatchResolutionTests.writeSegment(in: folder, count: count, overrides: overrides)
        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = Paths.templates.path
        let checked = try SegmentLogger.prepare(request, log: nil)
        let whole = Array(checked.lines)

        // One line per template and attachment, as the coordinator names them.
        var represented = Set<String>()
        let representatives = whole.indices.filter { represented.insert(whole[$0].template.code + "\n" + (whole[$0].attachmentPath ?? "")).inserted }
        #expect(representatives.count >= 3, "DIRECTMAIL in English and Dutch, EVENT")
        let planned = try SegmentLogger.Plan(planned: request, representatives: representatives)
        #expect(planned.lines.count == count)
        #expect(Set(planned.attachments.templates.map(\.templatePath)) == Set(checked.attachments.templates.map(\.templatePath)))
        // Chunks of 250 lines straddle the batches; taken out of order, as workers take them.
        for first in [500, 0, 1250, 250, 750, 1000] {
            let range = first..<min(first + 250, count)
            planned.lines.prefetch(range)
            for index in range { #expect(planned.lines[index] == whole[index], "line \(index)") }
            #expect(range.allSatisfy { planned.lines.hasAttachment($0) == checked.lines.hasAttachment($0) })
        }
        // A representative line outside the segment is refused with what to do.
        #expect(throws: MailMergeError.self) { try SegmentLogger.Plan(planned: request, representatives: [count]) }
    }

    /// The coordinator stores the segment file's own bytes with only its `contacts:` line changed; a header it cannot
    /// change that way (flow style, a comment on the line) is encoded again instead (nil).
    @Test func theSegmentForWorkersChangesOnlyTheContactsLine() throws {
        let folder = try TemporaryDirectory("mailmerge-worker-segment")
        let path = try BatchResolutionTests.writeSegment(in: folder, count: 3)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let segment = try Segment.load(path: path)
        let changed = try #require(DistributedRun.workerSegment(segment, file: original))
        #expect(changed == original, "its contacts are contacts.csv already")

        let moved = String(decoding: original, as: UTF8.self).replacingOccurrences(of: "contacts: contacts.csv", with: "contacts: 'data/people.csv'")
        let movedPath = try folder.write("moved.yaml", moved)
        let movedSegment = try Segment.load(path: movedPath)
        let movedChanged = try #require(DistributedRun.workerSegment(movedSegment, file: Data(moved.utf8)))
        #expect(String(decoding: movedChanged, as: UTF8.self) == String(decoding: original, as: UTF8.self))

        let commented = moved.replacingOccurrences(of: "contacts: 'data/people.csv'", with: "contacts: data/people.csv  # the mailing list")
        let commentedPath = try folder.write("commented.yaml", commented)
        #expect(DistributedRun.workerSegment(try Segment.load(path: commentedPath), file: Data(commented.utf8)) == nil)
    }
}
