import Foundation
import InteractionLog
import MailMergeTestSupport
import Segments
import Testing

@testable import MailMergeKit

/// `log-segment` checks a segment's lines a batch at a time while it writes the batches checked before (`CheckedBatches`):
/// a problem found after letters were written still gets every problem reported at once, and the run then leaves
/// nothing: no letter, no e-mail, no fax copy, no manifest, no log.
@Suite struct OnePassLoggingTests {
    /// 1,200 generated lines, every fourth an e-mail line, every tenth (from line 5) a fax line; `replacing` maps a line's
    /// YAML lines (the contact's line) to what it becomes.
    static func segment(no: String, in directory: URL, replacing: [String: String] = [:]) throws -> URL {
        let generated = try GeneratedSegment(count: 1200, no: no, in: directory)
        var text = try String(contentsOf: generated.segment, encoding: .utf8)
        for line in 1...1200 {
            let contact = String(format: "    contactNo: CG%06d\n", line)
            if line % 4 == 0 {
                text = text.replacingOccurrences(of: contact, with: contact + "    correspondenceType: email\n")
            } else if line % 10 == 5 {
                text = text.replacingOccurrences(of: contact, with: contact + "    correspondenceType: fax\n")
            }
        }
        for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
        try text.write(to: generated.segment, atomically: true, encoding: .utf8)
        return generated.segment
    }

    /// A run of batches of `batchSize` lines, with a fax folder. The check is at most a few batches ahead of the letters
    /// (`CheckedBatches`), so a problem many batches in is found after letters were written.
    static func request(_ segment: URL, out: URL, fax: URL, templates: String = Paths.templates.path, batchSize: Int = 100) -> LogSegmentRequest {
        var request = LogSegmentRequest(segmentPath: segment.path)
        request.templatesDirectory = templates
        request.outputDirectory = out.path
        request.faxDirectory = fax.path
        request.jobs = 2
        request.batchSize = batchSize
        return request
    }

    /// Runs `request`, which must be refused; returns the problems and how many letters were written before the problem
    /// was known (the progress stops then; the batches already being written finish, uncounted).
    static func refused(_ request: LogSegmentRequest, log: InteractionLogLocation) throws -> (problems: [Diagnostic], written: Int) {
        var written = 0
        do {
            _ = try SegmentLogger.run(request, log: log) { done, _ in written = done }
            Issue.record("the run was not refused")
            return ([], written)
        } catch {
            guard case .validation(let problems) = error else { throw error }
            return (problems, written)
        }
    }

    /// Nothing the run wrote is left: no output folder (or an empty one), an empty fax folder, no database.
    static func expectNothingLeft(out: URL, fax: URL, database: URL) throws {
        let left = (try? FileManager.default.subpathsOfDirectory(atPath: out.path)) ?? []
        #expect(left.isEmpty, "no letter, no e-mail, no manifest: \(left.prefix(5))")
        let faxes = (try? FileManager.default.subpathsOfDirectory(atPath: fax.path)) ?? []
        #expect(faxes.isEmpty, "no fax copy: \(faxes.prefix(5))")
        let databases = try FileManager.default.contentsOfDirectory(atPath: database.deletingLastPathComponent().path).filter {
            $0.hasPrefix(database.lastPathComponent)
        }
        #expect(databases.isEmpty, "no log: \(databases)")
    }

    @Test func unknownContactsAfterLettersWereWrittenAreBothReportedAndNothingIsLeft() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-onepass")
        defer { try? FileManager.default.removeItem(at: dir) }
        let segment = try Self.segment(
            no: "SMONE1", in: dir,
            replacing: ["contactNo: CG000300\n": "contactNo: CG999300\n", "contactNo: CG001150\n": "contactNo: CG999150\n"])
        let out = dir.appendingPathComponent("letters")
        let fax = dir.appendingPathComponent("fax")
        let database = dir.appendingPathComponent("log.sqlite")
        let (problems, written) = try Self.refused(Self.request(segment, out: out, fax: fax, batchSize: 25), log: .sqlite(path: database.path))
        #expect(written >= 100, "the first batches' letters were written before line 300 was checked (\(written))")
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.message.contains("'CG999300'") == true && problems.last?.message.contains("'CG999150'") == true, "\(problems)")
        #expect(problems.allSatisfy { $0.source == segment.path && $0.line != nil })
        try Self.expectNothingLeft(out: out, fax: fax, database: database)
        #expect(!(try String(contentsOf: segment, encoding: .utf8)).contains("loggedSegment"), "the segment is not marked logged")

        // Fixed, the same command logs every line.
        let fixed = try String(contentsOf: segment, encoding: .utf8).replacingOccurrences(of: "CG999300", with: "CG000300")
            .replacingOccurrences(of: "CG999150", with: "CG001150")
        try fixed.write(to: segment, atomically: true, encoding: .utf8)
        let result = try SegmentLogger.run(Self.request(segment, out: out, fax: fax), log: .sqlite(path: database.path))
        #expect(result.loggedSegment.numberOfInteractions == 1200)
        #expect(result.emailCount == 300 && result.faxCount == 120)
    }

    @Test func anAttachmentThatDoesNotCompileFirstUsedLateIsReportedAndNothingIsLeft() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-onepass")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A copy of the templates whose EVENT attachment is not a Word document; only line 1,000 uses EVENT.
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        try Data("not a zip".utf8).write(to: templates.appendingPathComponent("Event_EN.docx"))
        let segment = try Self.segment(
            no: "SMONE2", in: dir,
            replacing: ["contactNo: CG001000\n": "contactNo: CG001000\n    templateCode: EVENT\n    languageCode: EN\n"])
        let out = dir.appendingPathComponent("letters")
        let fax = dir.appendingPathComponent("fax")
        let database = dir.appendingPathComponent("log.sqlite")
        let (problems, written) = try Self.refused(
            Self.request(segment, out: out, fax: fax, templates: templates.path), log: .sqlite(path: database.path))
        #expect(written >= 800, "the letters before line 1,000 were written (\(written))")
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.message.contains("attachment of template EVENT") == true, "\(problems)")
        #expect(problems.first?.source.hasSuffix("Event_EN.docx") == true)
        try Self.expectNothingLeft(out: out, fax: fax, database: database)
    }

    @Test func faxLinesWithoutAFaxFolderFoundLateAreReportedWithEveryOtherProblem() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-onepass")
        defer { try? FileManager.default.removeItem(at: dir) }
        // No fax line before line 1,105 (the others are hard copy), an unknown contact at line 1,190.
        var replacing: [String: String] = ["contactNo: CG001190\n": "contactNo: CG999190\n"]
        for line in stride(from: 5, to: 1100, by: 10) {
            let contact = String(format: "    contactNo: CG%06d\n", line)
            replacing[contact + "    correspondenceType: fax\n"] = contact
        }
        let segment = try Self.segment(no: "SMONE3", in: dir, replacing: replacing)
        let out = dir.appendingPathComponent("letters")
        let fax = dir.appendingPathComponent("fax")
        let database = dir.appendingPathComponent("log.sqlite")
        var request = Self.request(segment, out: out, fax: fax)
        request.faxDirectory = nil
        let (problems, written) = try Self.refused(request, log: .sqlite(path: database.path))
        #expect(written >= 500, "letters were written before line 1,190 was checked (\(written))")
        // The resolution's problem hides the others, as when every line is checked first.
        #expect(problems.count == 1 && problems.first?.message.contains("'CG999190'") == true, "\(problems)")
        try Self.expectNothingLeft(out: out, fax: fax, database: database)

        // Without the unknown contact: the fax lines are reported.
        let fixed = try String(contentsOf: segment, encoding: .utf8).replacingOccurrences(of: "CG999190", with: "CG001190")
        try fixed.write(to: segment, atomically: true, encoding: .utf8)
        let (faxProblems, _) = try Self.refused(request, log: .sqlite(path: database.path))
        #expect(faxProblems.count == 1, "\(faxProblems)")
        #expect(faxProblems.first?.message.contains("10 lines are fax") == true && faxProblems.first?.message.contains("--fax-out") == true, "\(faxProblems)")
        try Self.expectNothingLeft(out: out, fax: fax, database: database)
    }
}
