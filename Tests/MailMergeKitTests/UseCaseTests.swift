import Foundation
import InteractionLog
import MailMergeKit
import Segments
import Testing

/// The use cases run in-process against a store the test creates (no CLI, no `--db`).
@Suite(.serialized)
struct UseCaseTests {
    @Test func logSegmentRecordsIntoTheGivenStore() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let store = try SQLiteInteractionLogStore(path: workspace.root.appendingPathComponent("own.sqlite").path)
        var request = LogSegmentRequest(segmentPath: workspace.segment.path)
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = workspace.letters.path
        request.jobs = 2
        let result = try SegmentLogger.run(request, log: .store(store))
        #expect(result.loggedSegment.numberOfInteractions == 25)
        let entries = try store.entries(LogFilter(segmentNo: "SM00001"))
        #expect(entries.count == 25)
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path), "no default database beside it")

        // Names from the line position, contact no and sort name; each letter holds its contact.
        let files = workspace.letterFiles()
        #expect(files.count == 25)
        #expect(files.first == "SM00001/0001-CT000001-Van den Berg & Zonen B.V.docx", "a trailing dot is dropped")
        for entry in entries {
            let path = try #require(entry.documentPath)
            #expect(path.hasPrefix("/") && FileManager.default.fileExists(atPath: path))
            #expect(path.contains("-\(entry.contactNo)-"))
        }
        let first = try DocxInspector(path: try #require(entries.first?.documentPath))
        #expect(first.text("word/document.xml").contains("Keizersgracht 123"))

        // Logged once: a second run is refused with the typed store answer in the diagnostics.
        #expect {
            _ = try SegmentLogger.run(request, log: .store(store))
        } throws: { error in
            guard case MailMergeError.validation(let diagnostics) = error else { return false }
            return diagnostics.count == 1 && diagnostics[0].message.contains("already logged")
        }
    }

    @Test func interactionsAndLifecycleUseTheGivenStore() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let store = try SQLiteInteractionLogStore(path: workspace.root.appendingPathComponent("own.sqlite").path)
        var request = InteractionRequest(contactNo: "CT000002", templateCode: "DIRECTMAIL")
        request.date = Day("2026-11-20")
        request.contactsPath = workspace.segments.appendingPathComponent("contacts.csv").path
        request.templatesDirectory = Paths.templates.path
        request.outputDirectory = workspace.letters.path
        let created = try InteractionRecorder.create(request, log: .store(store))
        #expect(created.entry.date == Day("2026-11-20"))
        #expect(created.documentPath?.hasSuffix("interactions/2026-11-20-CT000002-DIRECTMAIL.docx") == true)

        request.postpone = true
        let postponed = try InteractionRecorder.create(request, log: .store(store))
        #expect(try InteractionRecorder.postponed(log: .store(store)).map(\.id) == [postponed.entry.entryNo])
        let resumed = try InteractionRecorder.resume(id: postponed.entry.entryNo, log: .store(store))
        #expect(resumed.documentPath?.hasSuffix("2026-11-20-CT000002-DIRECTMAIL-2.docx") == true)

        let canceled = try LogLifecycle.cancel(entries: [created.entry.entryNo], log: .store(store))
        #expect(canceled.map(\.status) == [.canceled])
        let deleted = try LogLifecycle.deleteCanceled(before: Day("2026-11-21"), log: .store(store))
        #expect(deleted.entries == 1)
        #expect(try LogReader.entries(LogFilter(fromDate: Day("2026-11-20"), toDate: Day("2026-11-20")), log: .store(store)).count == 1)

        // The store's own error comes back typed, not as text.
        #expect(throws: MailMergeError.self) { _ = try LogLifecycle.cancel(entries: [999], log: .store(store)) }
        do {
            _ = try LogLifecycle.cancel(entries: [999], log: .store(store))
        } catch {
            guard case .log(let logError) = error else {
                Issue.record("not a log error: \(error)")
                return
            }
            #expect(logError == .unknownEntry(999))
        }
    }

    @Test func readingAMissingSQLiteLogCreatesNothing() throws {
        let folder = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("none.sqlite").path
        do {
            _ = try LogReader.loggedSegments(log: .sqlite(path: path))
            Issue.record("read a log that does not exist")
        } catch {
            #expect(error.description.contains("no interaction log here"))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
