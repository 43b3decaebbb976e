import Foundation
import InteractionLog
import MailMergeTestSupport
import MergeEngine
import Segments
import Testing

@testable import MailMergeKit

/// `log-segment` resolves a segment's lines a batch at a time (`ResolvedLines`, contacts read through `ContactIndex`)
/// instead of all at once: the letters, the manifest and the log must be exactly what resolving the whole segment
/// gives, and every problem is still reported at once before anything is written.
@Suite(.serialized)
struct BatchResolutionTests {
    /// More lines than three batches, with line overrides on and around the batch boundaries.
    static let lineCount = 3 * Defaults.batchSize + 100

    /// The segment of `GeneratedSegment`'s contacts with `overrides` (line index → YAML lines) and `contactOf` (line
    /// index → the contact it names instead of its own).
    static func writeSegment(
        in folder: TemporaryDirectory, count: Int, overrides: [Int: [String]] = [:], contactOf: [Int: String] = [:]
    ) throws -> String {
        _ = try GeneratedSegment(count: count, no: "SMBATCH", in: folder.url)
        var yaml = """
            header:
              no: SMBATCH
              description: Batched segment
              templateCode: DIRECTMAIL
              date: 2026-11-23
              contacts: contacts.csv
              subject: Batched letters
              salespersonCode: JO
              salespersonName: Jo Olsen
              campaignNo: CPBATCH
            lines:

            """
        for index in 0..<count {
            yaml += "  - lineNo: \((index + 1) * 10000)\n    contactNo: \(contactOf[index] ?? String(format: "CG%06d", index + 1))\n"
            for extra in overrides[index] ?? [] { yaml += "    \(extra)\n" }
        }
        return try folder.write("SMBATCH.yaml", yaml)
    }

    /// `batchSize`: the run's lines checked and written in batches of the default size, and of a size that does not
    /// divide `Defaults.batchSize` (batches straddle the lines `prepare` resolves again together).
    @Test(arguments: [Defaults.batchSize, 100])
    func batchesGiveTheWholeSegmentsLettersManifestAndLog(batchSize: Int) throws {
        let folder = try TemporaryDirectory("mailmerge-batches")
        var overrides: [Int: [String]] = [:]
        for index in [0, 1, 510, 511, 512, 513, 1023, 1024, 1600] {
            overrides[index] = ["description: \"Own description \(index)\"", "subject: 'Own subject \(index)'", "comment: Note for line \(index)"]
        }
        overrides[2] = ["languageCode: NL"]
        overrides[700] = ["templateCode: EVENT", "languageCode: EN"]
        overrides[1535] = ["correspondenceType: hard-copy", "comment: \"Quotes \\\" & ampersand\""]
        let path = try Self.writeSegment(in: folder, count: Self.lineCount, overrides: overrides)

        // The whole segment resolved at once, as log-segment did before it resolved batches.
        let segment = try Segment.load(path: path)
        let contacts = try ContactDirectory.load(csv: segment.contactsPath)
        let catalogue = try TemplateCatalogue.load(directory: Paths.templates.path)
        var whole = try SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue).get()
        try Inputs.addSalespeople(to: &whole, templatesDirectory: Paths.templates.path)
        try CorrespondenceFields.apply(to: &whole, templatesDirectory: Paths.templates.path, source: path)
        #expect(whole.count == Self.lineCount)
        #expect(whole[700].template.code == "EVENT" && whole[2].languageCode == "NL" && whole[512].comment == "Note for line 512")

        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = folder.path("letters")
        request.jobs = 2
        request.batchSize = batchSize
        // The batched lines, read in order and out of order, are the whole segment's.
        let plan = try SegmentLogger.prepare(request, log: nil)
        #expect(plan.lines.count == whole.count)
        #expect(Array(plan.lines) == whole)
        for index in [1600, 3, 1024, 511, 0, Self.lineCount - 1, 512] { #expect(plan.lines[index] == whole[index]) }

        let store = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        let result = try SegmentLogger.run(request, log: .store(store))
        #expect(result.loggedSegment.numberOfInteractions == Self.lineCount)

        // The letters: byte for byte what the whole segment's merge records give.
        let reference = folder.path("reference")
        try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
        let names = try SegmentLogger.letterNames(lineCount: whole.count)
        let pool = DocumentWriterPool(templates: plan.attachments.templates, jobs: 2, compressionLevel: request.compressionLevel, missing: .error)
        let letterNames = whole.indices.map { index in
            names.fileName(number: index + 1) { column in
                switch column.lowercased() {
                case "contactno": whole[index].contact.no
                case "sortname": whole[index].contact.sortName
                default: nil
                }
            }
        }
        let tasks = whole.indices.map { index in
            DocumentTask(
                template: whole[index].attachmentPath.flatMap { plan.attachments.position(of: $0) } ?? -1,
                record: MergeRecord(whole[index].mergeFields), path: reference + "/" + letterNames[index], label: "line \(index)")
        }
        let digests = try pool.write(tasks, hashing: true)
        for index in whole.indices {
            let written = try Data(contentsOf: URL(fileURLWithPath: result.documentsDirectory + "/" + letterNames[index]))
            let expected = try Data(contentsOf: URL(fileURLWithPath: reference + "/" + letterNames[index]))
            #expect(written == expected, "letter \(index + 1) differs")
        }
        #expect(try DocxInspector(path: result.documentsDirectory + "/" + letterNames[512]).allText.contains("Note for line 512"))

        // The manifest: what the whole segment's lines give with these letters.
        var documents = LineDocuments(count: whole.count) { result.documentsDirectory + "/" + letterNames[$0] }
        for (index, digest) in digests.enumerated() { documents.setLetter(index, sha256: digest) }
        let expectedManifest = folder.path("expected-manifest.csv")
        try Manifest.write(lines: whole, documents: documents, to: expectedManifest)
        #expect(try Data(contentsOf: URL(fileURLWithPath: result.manifestPath)) == Data(contentsOf: URL(fileURLWithPath: expectedManifest)))

        // The log: one entry per line, in order, as the whole segment's lines make them.
        let entries = try store.entries(LogFilter(segmentNo: "SMBATCH"))
        #expect(entries.count == whole.count)
        for (index, entry) in entries.sorted(by: { $0.entryNo < $1.entryNo }).enumerated() {
            let expected = NewInteractionLogEntry(
                line: whole[index], documentPath: absolute(result.documentsDirectory + "/" + letterNames[index]),
                documentSHA256: digests[index])
            #expect(entry.provided == expected, "entry \(index + 1)")
        }
    }

    @Test func problemsFarApartAreReportedTogetherAndNothingIsWritten() throws {
        let folder = try TemporaryDirectory("mailmerge-batch-errors")
        // Line 3: an unknown contact; line 2,000: an unknown template; line 2,100: line 5's contact again.
        let path = try Self.writeSegment(
            in: folder, count: 2_200, overrides: [1_999: ["templateCode: NOSUCH"]], contactOf: [2: "CGMISSING", 2_099: "CG000005"])
        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = folder.path("letters")
        let database = folder.path("log.sqlite")
        #expect {
            _ = try SegmentLogger.run(request, log: .named(database))
        } throws: { error in
            guard case MailMergeError.validation(let diagnostics) = error else { return false }
            let messages = diagnostics.map(\.message)
            return diagnostics.count == 3
                && messages[0].contains("'CGMISSING' (lineNo 30000) is not in the contacts file")
                && messages[1].contains("lineNo 20000000") && messages[1].contains("NOSUCH")
                && messages[2].contains("contact 'CG000005' is already in this segment (lineNo 50000)")
                && diagnostics.allSatisfy { $0.source == path && $0.line != nil }
        }
        #expect(!TemporaryDirectory.exists(folder.path("letters")))
        #expect(!TemporaryDirectory.exists(database))
    }

    /// The contacts file changed in place while the letters are written (the lines after them still being checked, a
    /// batch at a time): the run stops with a typed error naming the file and saying what to do, writes no more letters,
    /// removes those it wrote and logs nothing (no database, no manifest); it never crashes (`mailmerge serve` runs this
    /// in its process).
    @Test func contactsChangedDuringTheRunStopTheRunWithATypedErrorAndNothingLogged() throws {
        let folder = try TemporaryDirectory("mailmerge-batch-changed")
        // 24 batches of 64 lines: the check is a few batches ahead of the letters when the file changes.
        let path = try Self.writeSegment(in: folder, count: 3 * Defaults.batchSize)
        let contactsPath = folder.path("contacts.csv")
        let original = try String(contentsOfFile: contactsPath, encoding: .utf8)
        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = folder.path("letters")
        request.jobs = 2
        request.batchSize = 64
        let database = folder.path("log.sqlite")
        var batches = 0
        let error = #expect(throws: MailMergeError.self) {
            _ = try SegmentLogger.run(request, log: .named(database)) { _, _ in
                batches += 1
                guard batches == 1 else { return }
                // In place, as an editor saving over it would: a contact inserted after the header moves every record.
                var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines.insert("CGNEW01,Person,,Inserted,Ms.,New,,Contact,,Street,,1000,Amsterdam,,NL,,n@example.com,EN,,JO", at: 1)
                let handle = FileHandle(forWritingAtPath: contactsPath)
                try? handle?.truncate(atOffset: 0)
                try? handle?.write(contentsOf: Data(lines.joined(separator: "\n").utf8))
                try? handle?.close()
            }
        }
        #expect(batches < 12, "the run stopped within a few batches of the change (\(batches) of 24)")
        let written = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path("letters")))?.filter { $0.hasSuffix(".docx") } ?? []
        #expect(written.isEmpty, "the letters written before the change was found are removed: \(written.prefix(3))")
        guard case .inputChanged(let diagnostic) = error else {
            Issue.record("expected inputChanged, got \(String(describing: error))")
            return
        }
        #expect(diagnostic.source == contactsPath && diagnostic.line != nil)
        #expect(diagnostic.message.contains("the contacts file changed during the run") && diagnostic.message.contains("run it again"))
        #expect(error?.description.contains("nothing was logged") == true)
        #expect(!TemporaryDirectory.exists(database))
        #expect(!TemporaryDirectory.exists(folder.path("letters/SMBATCH/manifest.csv")))
    }

    /// A fax copy reaches the gateway only once its line is logged: a print run (whose lines are logged after its print
    /// documents) that finds its segment logged by another process meanwhile logs nothing and sends no fax.
    @Test func aPrintRunThatCannotLogSendsNoFax() throws {
        let folder = try TemporaryDirectory("mailmerge-batch-fax")
        let count = 2 * Defaults.batchSize
        let faxLines = Dictionary(uniqueKeysWithValues: stride(from: 0, to: count, by: 3).map { ($0, ["correspondenceType: fax"]) })
        let path = try Self.writeSegment(in: folder, count: count, overrides: faxLines)
        var request = LogSegmentRequest(segmentPath: path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = folder.path("letters")
        request.faxDirectory = folder.path("gateway")
        request.printRun = true
        let database = folder.path("log.sqlite")
        var other: LoggedSegment?
        let error = #expect(throws: MailMergeError.self) {
            _ = try SegmentLogger.run(request, log: .named(database)) { done, _ in
                // After the last letter, another process logs the segment.
                guard done == count, other == nil else { return }
                other = try? SQLiteInteractionLogStore(path: database).log(
                    NewLoggedSegment(segmentNo: "SMBATCH", description: "Logged by another run"), entries: [])
            }
        }
        #expect(other != nil, "the other run logged the segment")
        guard case .log(.alreadyLogged) = error else {
            Issue.record("expected alreadyLogged, got \(String(describing: error))")
            return
        }
        let sent = (try? FileManager.default.contentsOfDirectory(atPath: folder.path("gateway"))) ?? []
        #expect(sent.count == 0, "no fax copy, no staging folder: \(sent.prefix(3))")
        #expect(try SQLiteInteractionLogStore(path: database).loggedSegments().map(\.description) == ["Logged by another run"])
    }
}
