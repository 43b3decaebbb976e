import Crypto
import Foundation
import InteractionLog
import MailMergeTestSupport
import PostgresInteractionLog
import Segments
import Testing

@testable import MailMergeKit

/// `log-segment` stores a batch's interaction log entries while the next letters are written (`ConcurrentLog`), in
/// one transaction committed at the end: a run that fails after some batches were handed to the log logs nothing,
/// leaves no e-mail and no database it created; a run that succeeds logs every line once, in line order, with its
/// letter's digest and its e-mail.
@Suite struct PipelinedLoggingTests {
    /// 1,200 generated lines (three batches of letters), every fourth an e-mail line.
    static func segment(no: String, in directory: URL) throws -> (segment: URL, emailLines: Int) {
        let generated = try GeneratedSegment(count: 1200, no: no, in: directory)
        var text = try String(contentsOf: generated.segment, encoding: .utf8)
        var emailLines = 0
        for line in stride(from: 4, through: 1200, by: 4) {
            let contact = String(format: "    contactNo: CG%06d\n", line)
            text = text.replacingOccurrences(of: contact, with: contact + "    correspondenceType: email\n")
            emailLines += 1
        }
        try text.write(to: generated.segment, atomically: true, encoding: .utf8)
        return (generated.segment, emailLines)
    }

    /// Line `line`'s letter name in the generated segment (`SegmentLogger.letterNames`).
    static func letterName(line: Int) throws -> String {
        try SegmentLogger.letterNames(lineCount: 1200).fileName(number: line) { column in
            switch column.lowercased() {
            case "contactno": String(format: "CG%06d", line)
            case "sortname": "Ørsted-\(line)"
            default: nil
            }
        }
    }

    func request(_ segment: URL, out: URL) -> LogSegmentRequest {
        var request = LogSegmentRequest(segmentPath: segment.path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = out.path
        request.jobs = 2
        return request
    }

    @Test func aWriteFailingAfterTheFirstBatchesWereLoggedLogsNothingAndLeavesNoDatabase() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-pipelined")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (segment, _) = try Self.segment(no: "SMPIPE1", in: dir)
        let original = try Data(contentsOf: segment)
        let out = dir.appendingPathComponent("letters")
        // Line 900's letter cannot be written (a folder has its name): batches 1 (lines 1-512) was handed to the log.
        let blocked = out.appendingPathComponent("SMPIPE1/" + (try Self.letterName(line: 900)))
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        try "keeps the folder from being replaced".write(to: blocked.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let database = dir.appendingPathComponent("log.sqlite")

        #expect(throws: MailMergeError.self) { try SegmentLogger.run(request(segment, out: out), log: .sqlite(path: database.path)) }
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("SMPIPE1").path)
        #expect(files.contains { $0.hasPrefix("0004-") && $0.hasSuffix(".docx") }, "the first letters were written")
        #expect(!files.contains { $0.hasSuffix(".eml") }, "no e-mail is left: \(files.filter { $0.hasSuffix(".eml") }.prefix(3))")
        #expect(!files.contains("manifest.csv"))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("log.sqlite") }
        #expect(left.isEmpty, "the database the run created is removed: \(left)")
        #expect(try Data(contentsOf: segment) == original, "the segment file is not marked logged")
    }

    @Test func unknownContactsFarIntoTheSegmentAreAllReportedAndNothingIsWrittenOrLogged() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-pipelined")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (segment, _) = try Self.segment(no: "SMPIPE4", in: dir)
        let text = try String(contentsOf: segment, encoding: .utf8)
            .replacingOccurrences(of: "contactNo: CG000900\n", with: "contactNo: CG999900\n")
            .replacingOccurrences(of: "contactNo: CG001150\n", with: "contactNo: CG999150\n")
        try text.write(to: segment, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("letters")
        let fax = dir.appendingPathComponent("fax")
        let database = dir.appendingPathComponent("log.sqlite")
        var request = request(segment, out: out)
        request.faxDirectory = fax.path
        do {
            _ = try SegmentLogger.run(request, log: .sqlite(path: database.path))
            Issue.record("the run was not refused")
        } catch {
            guard case .validation(let problems) = error else { throw error }
            #expect(problems.count == 2, "\(problems)")
            #expect(problems.contains { $0.message.contains("CG999900") } && problems.contains { $0.message.contains("CG999150") }, "\(problems)")
        }
        let written = (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("SMPIPE4").path)) ?? []
        #expect(written.isEmpty, "no letter, no e-mail, no manifest: \(written.prefix(3))")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: fax.path)) ?? []).isEmpty, "no fax copy")
        #expect(!FileManager.default.fileExists(atPath: database.path), "no log")
    }

    @Test func aFailedRunRollsBackInAnExistingLogAndTheRerunLogsEveryLineOnce() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-pipelined")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (segment, emailLines) = try Self.segment(no: "SMPIPE2", in: dir)
        let out = dir.appendingPathComponent("letters")
        let database = dir.appendingPathComponent("log.sqlite")
        let earlier = try SQLiteInteractionLogStore(path: database.path).record(
            NewInteractionLogEntry(contactNo: "CG000001", date: Day("2026-11-01")!, templateCode: "DIRECTMAIL", description: "a call"))

        let blocked = out.appendingPathComponent("SMPIPE2/" + (try Self.letterName(line: 1100)))
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        #expect(throws: MailMergeError.self) { try SegmentLogger.run(request(segment, out: out), log: .sqlite(path: database.path)) }
        let store = try SQLiteInteractionLogStore(path: database.path)
        #expect(try store.entries(LogFilter(segmentNo: "SMPIPE2")).isEmpty)
        #expect(try store.loggedSegment(no: "SMPIPE2") == nil)
        #expect(try store.entries(LogFilter()).map(\.entryNo) == [earlier.entryNo], "the log holds what it held before")

        try FileManager.default.removeItem(at: blocked)
        let result = try SegmentLogger.run(request(segment, out: out), log: .sqlite(path: database.path))
        #expect(result.emailCount == emailLines)
        try Self.expectLogged(try store.entries(LogFilter(segmentNo: "SMPIPE2")), folder: out.appendingPathComponent("SMPIPE2"), emailLines: emailLines)
    }

    @Test(.enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason)"))
    func aPostgreSQLLogGetsEveryLineOnceAndNothingWhenTheRunFails() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-pipelined")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (segment, emailLines) = try Self.segment(no: "SMPIPE3", in: dir)
        let out = dir.appendingPathComponent("letters")
        let url = try TestPostgres.freshDatabase("pipelined")
        let blocked = out.appendingPathComponent("SMPIPE3/" + (try Self.letterName(line: 700)))
        try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: true)
        #expect(throws: MailMergeError.self) { try SegmentLogger.run(request(segment, out: out), log: .postgres(url: url)) }
        let store = try PostgresInteractionLogStore(url: url)
        #expect(try store.entries(LogFilter(segmentNo: "SMPIPE3")).isEmpty)
        #expect(try store.loggedSegment(no: "SMPIPE3") == nil)

        try FileManager.default.removeItem(at: blocked)
        _ = try SegmentLogger.run(request(segment, out: out), log: .postgres(url: url))
        try Self.expectLogged(try store.entries(LogFilter(segmentNo: "SMPIPE3")), folder: out.appendingPathComponent("SMPIPE3"), emailLines: emailLines)
    }

    /// One entry per line in line order, each letter's digest that of the file, the manifest's rows alike, every
    /// e-mail line's message queued and on disk.
    static func expectLogged(_ entries: [InteractionLogEntry], folder: URL, emailLines: Int) throws {
        #expect(entries.count == 1200)
        #expect(entries.map(\.contactNo) == (1...1200).map { String(format: "CG%06d", $0) })
        let manifest = try String(contentsOf: folder.appendingPathComponent("manifest.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(manifest.count == 1200)
        for position in [0, 3, 511, 512, 899, 1199] {
            let entry = entries[position]
            let path = try #require(entry.documentPath)
            let digest = SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
            #expect(entry.documentSHA256 == digest, "line \(position + 1)")
            #expect(manifest[manifest.startIndex + position].hasSuffix("," + digest), "line \(position + 1)")
            #expect(path == folder.appendingPathComponent(try letterName(line: position + 1)).path)
        }
        let emails = entries.filter { $0.emailMessagePath != nil }
        #expect(emails.count == emailLines)
        #expect(emails.allSatisfy { $0.correspondenceType == .email && $0.deliveryStatus == .queued })
        for entry in emails.prefix(3) + emails.suffix(3) {
            let message = try String(contentsOfFile: try #require(entry.emailMessagePath), encoding: .utf8)
            #expect(message.contains("To: ") && message.contains("@example.com"))
        }
    }
}
