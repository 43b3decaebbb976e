import Foundation
import GRDB
import MailMergeTestSupport
import PostgresInteractionLog
import Segments
import Testing

@testable import InteractionLog

/// Cancel, restore, delete-canceled, postponed interactions and filters, on the SQLite and the PostgreSQL store alike.
@Suite struct LogLifecycleStoreTests {
    func logSegment(_ store: any InteractionLogStore, _ no: String = "SM00001", count: Int = 3) throws -> LoggedSegment {
        try store.log(NewLoggedSegment(segmentNo: no, description: "Mailing"), entries: makeEntries(count))
    }

    func request(_ contactNo: String = "CT9") -> PostponedRequest {
        PostponedRequest(
            contactNo: contactNo, templateCode: "EVENT", description: "Call back", subject: "Visit",
            languageCode: "NL", correspondenceType: .email, comment: "Bring coffee", date: Day("2026-11-24")!,
            contactsPath: "/data/contacts.csv", templatesDirectory: "/data/Templates", outputDirectory: "/data/out")
    }

    @Test(arguments: StoreKind.allCases) func cancelAndRestoreEntriesAllOrNothing(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        _ = try logSegment(store)
        let canceled = try store.cancel(entries: [1, 3])
        #expect(canceled.map(\.entryNo) == [1, 3] && canceled.allSatisfy(\.canceled))
        #expect(try store.entries(LogFilter(status: .canceled)).map(\.entryNo) == [1, 3])

        // One bad number and nothing changes.
        #expect(throws: InteractionLogError.unknownEntry(99)) { try store.cancel(entries: [2, 99]) }
        #expect(throws: InteractionLogError.alreadyCanceled(what: "interaction log entry 1")) { try store.cancel(entries: [2, 1]) }
        #expect(try store.entries(LogFilter(status: .logged)).map(\.entryNo) == [2])

        #expect(throws: InteractionLogError.notCanceled(what: "interaction log entry 2")) { try store.restore(entries: [1, 2]) }
        #expect(try store.entries(LogFilter(status: .canceled)).map(\.entryNo) == [1, 3])
        _ = try store.restore(entries: [1])
        #expect(try store.entries(LogFilter(status: .canceled)).map(\.entryNo) == [3])
    }

    @Test(arguments: StoreKind.allCases) func cancelingALoggedSegmentCancelsItsEntriesButNeverFreesItsNumber(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        let first = try logSegment(store)
        let canceled = try store.cancel(loggedSegment: first.entryNo)
        #expect(canceled.canceled && canceled.numberOfInteractions == 3)
        #expect(try store.entries(LogFilter()).allSatisfy(\.canceled))
        #expect(try store.loggedSegment(no: "SM00001") == nil)
        #expect(throws: InteractionLogError.alreadyCanceled(what: "logged segment 1")) { try store.cancel(loggedSegment: 1) }
        #expect(throws: InteractionLogError.unknownLoggedSegment(7)) { try store.cancel(loggedSegment: 7) }
        // An entry of a canceled logged segment is restored with the whole logged segment.
        #expect(throws: InteractionLogError.loggedSegmentCanceled(entryNo: 2, loggedSegmentEntryNo: 1)) { try store.restore(entries: [2]) }

        // A logged segment number is never logged again, canceled or not (any case)…
        #expect(throws: InteractionLogError.alreadyLogged(segmentNo: "sm00001")) { try logSegment(store, "sm00001") }
        #expect(try store.loggedSegments().count == 1)
        #expect(try store.segmentNumberUse("SM00001")?.loggedAt != nil)

        // …not even after its entries and the logged segment were deleted.
        #expect(try store.deleteCanceled(before: nil) == DeletedCanceled(entries: 3, loggedSegments: 1))
        #expect(try store.loggedSegments().isEmpty)
        #expect(throws: InteractionLogError.alreadyLogged(segmentNo: "SM00001")) { try logSegment(store) }
        #expect(try store.entries(LogFilter()).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func restoringACanceledLoggedSegmentBringsBackItsEntries(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        let first = try logSegment(store)
        _ = try store.cancel(loggedSegment: first.entryNo)
        let restored = try store.restore(loggedSegment: first.entryNo)
        #expect(!restored.canceled)
        #expect(try store.entries(LogFilter(status: .logged)).compactMap(\.loggedSegmentEntryNo) == [1, 1, 1])
    }

    @Test(arguments: StoreKind.allCases) func deletingSomeEntriesUpdatesTheLoggedSegmentsCount(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        _ = try logSegment(store, count: 5)
        _ = try store.cancel(entries: [2, 4])
        #expect(try store.deleteCanceled(entries: [2]) == DeletedCanceled(entries: 1, loggedSegments: 0))
        #expect(try store.loggedSegments().map(\.numberOfInteractions) == [4])
        #expect(try store.deleteCanceled(before: nil) == DeletedCanceled(entries: 1, loggedSegments: 0))
        #expect(try store.loggedSegments().map(\.numberOfInteractions) == [3])
    }

    @Test(arguments: StoreKind.allCases) func twoStoresReservingAtOnceGetDifferentNumbers(kind: StoreKind) async throws {
        let temporary = try TemporaryStore(kind)
        let path = temporary.path
        let numbers = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store: any InteractionLogStore =
                        switch kind {
                        case .sqlite: try SQLiteInteractionLogStore(path: path, busyTimeout: 30)
                        case .postgres: try PostgresInteractionLogStore(url: path)
                        }
                    return try (0..<10).map { _ in
                        try store.reserveSegmentNo { used in
                            let series = NumberSeriesSetup(startingNo: "SM00001")
                            return try series.next(used: used) { _ in false }
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(numbers.count == 40 && Set(numbers).count == 40)
        #expect(Set(numbers) == Set((1...40).map { String(format: "SM%05d", $0) }))
        #expect(try temporary.store.segmentNumberUse("sm00007").map { $0.reservedAt != nil && $0.loggedAt == nil } == true)
        // A reserved number is logged once; the chooser's refusal comes back as it was thrown.
        _ = try logSegment(temporary.store, "SM00007")
        #expect(try temporary.store.segmentNumberUse("SM00007")?.loggedAt != nil)
        struct Exhausted: Error {}
        #expect(throws: Exhausted.self) { try temporary.store.reserveSegmentNo { _ in throw Exhausted() } }
    }

    @Test(arguments: StoreKind.allCases) func attemptFailedEvaluationSalespersonAndTheLoggedSegmentFile(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        let segment = Segment(
            header: SegmentHeader(no: "SM00001", description: "Mailing", templateCode: "DIRECTMAIL", date: Day("2026-11-23")!, contacts: "contacts.csv"),
            lines: [SegmentLine(lineNo: 10000, contactNo: "CT1")])
        var entries = makeEntries(3)
        entries[2].salespersonCode = "ann"
        let logged = try store.log(NewLoggedSegment(segmentNo: "SM00001", description: "Mailing", segment: segment), entries: entries)
        let file = try store.loggedSegmentFile(logged.entryNo)
        #expect(file?.header == segment.header && file?.lines == segment.lines)
        let other = try logSegment(store, "SM00002", count: 1)
        #expect(try store.loggedSegmentFile(other.entryNo) == nil)

        var bySalesperson = LogFilter()
        bySalesperson.salespersonCode = "ANN"
        #expect(try store.entries(bySalesperson).map(\.entryNo) == [3])

        let failed = try store.setAttemptFailed(entries: [1, 2])
        #expect(failed.map(\.entryNo) == [1, 2] && failed.allSatisfy(\.attemptFailed))
        #expect(try store.entries(LogFilter(status: .attemptFailed)).map(\.entryNo) == [1, 2])
        _ = try store.cancel(entries: [3])
        #expect(throws: InteractionLogError.alreadyCanceled(what: "interaction log entry 3")) { try store.setAttemptFailed(entries: [4, 3]) }
        #expect(throws: InteractionLogError.unknownEntry(99)) { try store.setAttemptFailed(entries: [99]) }
        #expect(try store.entries(LogFilter(status: .attemptFailed)).map(\.entryNo) == [1, 2])

        let evaluated = try store.evaluate(entry: 2, as: .veryPositive)
        #expect(evaluated.evaluation == .veryPositive)
        #expect(try store.entries(LogFilter()).map(\.evaluation) == [nil, .veryPositive, nil, nil])
        #expect(throws: InteractionLogError.unknownEntry(99)) { try store.evaluate(entry: 99, as: .neutral) }

        var withSalesperson = request()
        withSalesperson.salespersonCode = "BOB"
        let postponed = try store.postpone(makeEntries(1)[0], request: withSalesperson)
        #expect(try store.postponedInteraction(id: postponed.id).request.salespersonCode == "BOB")
        #expect(throws: InteractionLogError.entryPostponed(postponed.id)) { try store.setAttemptFailed(entries: [postponed.id]) }
    }

    @Test(arguments: StoreKind.allCases) func deleteCanceledHonoursBeforeAndDeletesEmptiedLoggedSegments(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        var early = makeEntries(2)
        for index in early.indices { early[index].date = Day("2026-01-15")! }
        _ = try store.log(NewLoggedSegment(segmentNo: "SM1", description: "Early"), entries: early)
        _ = try logSegment(store, "SM2", count: 2)
        _ = try store.cancel(loggedSegment: 1)
        _ = try store.cancel(entries: [3])

        let none = try store.deleteCanceled(before: Day("2026-01-15"))
        #expect(none == DeletedCanceled(entries: 0, loggedSegments: 0))
        let early2 = try store.deleteCanceled(before: Day("2026-02-01"))
        #expect(early2 == DeletedCanceled(entries: 2, loggedSegments: 1))
        #expect(try store.loggedSegments().map(\.segmentNo) == ["SM2"])

        let rest = try store.deleteCanceled(before: nil)
        #expect(rest == DeletedCanceled(entries: 1, loggedSegments: 0))
        // Entry 4 was never canceled: still there, with its logged segment.
        #expect(try store.entries(LogFilter()).map(\.entryNo) == [4])
        #expect(try store.loggedSegments().count == 1)
    }

    @Test(arguments: StoreKind.allCases) func deletingNamedEntriesRefusesOneThatIsNotCanceled(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        _ = try logSegment(store, count: 2)
        _ = try store.cancel(entries: [1])
        #expect(throws: InteractionLogError.notCanceled(what: "interaction log entry 2")) { try store.deleteCanceled(entries: [1, 2]) }
        #expect(throws: InteractionLogError.unknownEntry(5)) { try store.deleteCanceled(entries: [5]) }
        #expect(try store.entries(LogFilter()).count == 2)
        #expect(try store.deleteCanceled(entries: [1]) == DeletedCanceled(entries: 1, loggedSegments: 0))
        _ = try store.cancel(entries: [2])
        #expect(try store.deleteCanceled(entries: [2]) == DeletedCanceled(entries: 1, loggedSegments: 1))
        #expect(try store.loggedSegments().isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func postponedInteractionsResumeOnceAndCanBeDiscarded(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        let entry = makeEntries(1, contactPrefix: "CT9")[0]
        let postponed = try store.postpone(entry, request: request())
        #expect(postponed.entry.postponed && postponed.entry.documentPath == nil && postponed.entry.segmentNo == nil)
        #expect(postponed.entry.status == .postponed)
        #expect(try store.postponedInteractions() == [postponed])
        #expect(try store.postponedInteraction(id: postponed.id).request == request())
        #expect(try store.entries(LogFilter(status: .postponed)).map(\.entryNo) == [postponed.id])
        #expect(try store.entries(LogFilter(status: .logged)).isEmpty)
        // Postponed entries are not canceled; they are discarded.
        #expect(throws: InteractionLogError.entryPostponed(postponed.id)) { try store.cancel(entries: [postponed.id]) }

        var finished = entry
        finished.documentPath = "/data/out/letter.docx"
        finished.documentSHA256 = String(repeating: "b", count: 64)
        let resumed = try store.resume(id: postponed.id, as: finished)
        #expect(resumed.entryNo == postponed.id && !resumed.postponed && resumed.status == .logged)
        #expect(resumed.documentPath == "/data/out/letter.docx")
        #expect(try store.postponedInteractions().isEmpty)
        #expect(throws: InteractionLogError.self) { try store.resume(id: postponed.id, as: finished) }
        #expect(throws: InteractionLogError.self) { try store.discard(id: postponed.id) }

        let second = try store.postpone(entry, request: request("CT8"))
        let discarded = try store.discard(id: second.id)
        #expect(discarded.request.contactNo == "CT8")
        #expect(try store.entries(LogFilter()).map(\.entryNo) == [postponed.id])
        do {
            _ = try store.postponedInteraction(id: second.id)
            Issue.record("a discarded interaction is still postponed")
        } catch let error as InteractionLogError {
            #expect(error.description.contains("no such interaction"))
        }
    }

    @Test(arguments: StoreKind.allCases) func filtersByContactTemplateDateRangeAndStatus(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        var entries = makeEntries(4)
        entries[0].date = Day("2026-10-01")!
        entries[0].templateCode = "EVENT"
        entries[1].date = Day("2026-10-15")!
        entries[2].date = Day("2026-11-01")!
        entries[2].attemptFailed = true
        entries[3].date = Day("2026-12-01")!
        entries[3].templateCode = "event"
        _ = try store.log(NewLoggedSegment(segmentNo: "SM1", description: "D"), entries: entries)
        _ = try store.cancel(entries: [2])
        let numbers = { (filter: LogFilter) in try store.entries(filter).map(\.entryNo) }
        #expect(try numbers(LogFilter(contactNo: "ct3")) == [3])
        #expect(try numbers(LogFilter(templateCode: "Event")) == [1, 4])
        #expect(try numbers(LogFilter(fromDate: Day("2026-10-15"), toDate: Day("2026-11-01"))) == [2, 3])
        #expect(try numbers(LogFilter(fromDate: Day("2026-11-02"))) == [4])
        #expect(try numbers(LogFilter(status: .attemptFailed)) == [3])
        #expect(try numbers(LogFilter(status: .canceled)) == [2])
        #expect(try numbers(LogFilter(status: .logged)) == [1, 4])
        #expect(try numbers(LogFilter(segmentNo: "SM1", templateCode: "EVENT", status: .logged)) == [1, 4])
        #expect(try store.entries(LogFilter()).map(\.status) == [.logged, .canceled, .attemptFailed, .logged])
    }

    @Test func aVersion1DatabaseIsUpgradedInPlace() throws {
        let folder = try TemporaryDirectory("LifecycleV1")
        let path = folder.path("v1.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try InteractionLogSchema.migrator.migrate(queue, upTo: "v1: logged segments and interaction log entries")
            #expect(try queue.read { db in try !db.tableExists("postponedInteraction") })
        }
        let store = try SQLiteInteractionLogStore(path: path)
        _ = try logSegment(store)
        let postponed = try store.postpone(makeEntries(1)[0], request: request())
        #expect(try store.postponedInteractions().map(\.id) == [postponed.id])
        let queue = try DatabaseQueue(path: path)
        let migrations = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        // Every later migration ran too, in order.
        #expect(migrations == InteractionLogSchema.migrator.migrations.sorted())
        #expect(
            migrations == [
                "v1: logged segments and interaction log entries", "v2: postponed interactions",
                "v3: segment numbers used once, evaluations, salesperson of postponed interactions", "v4: e-mail delivery",
            ])
    }

    @Test func aVersion2DatabaseWhereANumberWasLoggedAgainIsUpgradedAndTheNumberStaysUsed() throws {
        let folder = try TemporaryDirectory("LifecycleV2")
        let path = folder.path("v2.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try InteractionLogSchema.migrator.migrate(queue, upTo: "v2: postponed interactions")
            try queue.write { db in
                // What v2 allowed: SM00001 logged, canceled, and logged again.
                for canceled in [true, false] {
                    try db.execute(
                        sql: "INSERT INTO loggedSegment (segmentNo, description, numberOfInteractions, createdAt, userID, canceled) VALUES (?, ?, 0, ?, ?, ?)",
                        arguments: ["SM00001", "Mailing", Date(), "test", canceled])
                }
            }
        }
        let store = try SQLiteInteractionLogStore(path: path)
        #expect(try store.loggedSegments().count == 2)
        #expect(try store.segmentNumberUse("sm00001")?.loggedAt != nil)
        #expect(throws: InteractionLogError.alreadyLogged(segmentNo: "SM00001")) { try logSegment(store) }
        _ = try logSegment(store, "SM00002")
        #expect(try store.segmentNumberUse("SM00002")?.loggedAt != nil)
    }
}
