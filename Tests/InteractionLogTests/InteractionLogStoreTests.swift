import Foundation
import InteractionLog
import MailMergeTestSupport
import PostgresInteractionLog
import Segments
import Testing

/// The two interaction log stores; every behaviour test runs against both, so they cannot drift apart.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A store in a fresh temporary directory (SQLite) or a fresh database on the test server (PostgreSQL).
/// Without a PostgreSQL the PostgreSQL case is skipped with `TestPostgres.unavailableReason`.
final class TemporaryStore {
    let kind: StoreKind
    let folder: TemporaryDirectory
    var directory: String { folder.path }
    /// The SQLite file, or the PostgreSQL URL.
    let path: String
    let store: any InteractionLogStore & Sendable

    init(_ kind: StoreKind = .sqlite) throws {
        self.kind = kind
        folder = try TemporaryDirectory("InteractionLogTests")
        switch kind {
        case .sqlite:
            path = folder.path("log.sqlite")
            store = try SQLiteInteractionLogStore(path: path)
        case .postgres:
            guard TestPostgres.isAvailable else { try Test.cancel(Comment(rawValue: TestPostgres.unavailableReason)) }
            path = try TestPostgres.freshDatabase("log")
            store = try PostgresInteractionLogStore(url: path)
        }
    }

    /// Another connection to the same log (another process, as far as the store can tell).
    func reopened() throws -> any InteractionLogStore & Sendable {
        switch kind {
        case .sqlite: try SQLiteInteractionLogStore(path: path)
        case .postgres: try PostgresInteractionLogStore(url: path)
        }
    }
}

func makeEntries(_ count: Int, contactPrefix: String = "CT") -> [NewInteractionLogEntry] {
    (1...count).map { index in
        NewInteractionLogEntry(
            contactNo: "\(contactPrefix)\(index)", contactCompanyNo: "CO1", date: Day("2026-11-23")!, templateCode: "DIRECTMAIL",
            description: "Letter \(index)", subject: "Offer", informationFlow: .outbound, initiatedBy: .us,
            correspondenceType: index.isMultiple(of: 2) ? .email : .hardCopy, salespersonCode: "JO",
            cost: Decimal(string: "1.25") ?? 0, duration: 2, languageCode: "NL", campaignNo: "CP1",
            campaignTarget: true, documentPath: "/out/\(index).docx", documentSHA256: String(repeating: "a", count: 64))
    }
}

@Suite struct InteractionLogStoreTests {
    @Test(arguments: StoreKind.allCases) func logsASegmentAndReadsItBack(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let createdAt = Date(timeIntervalSince1970: 1_790_000_000)
        let logged = try temporary.store.log(
            NewLoggedSegment(segmentNo: "SM00001", description: "Autumn mailing", createdAt: createdAt, userID: "tester"),
            entries: makeEntries(3))
        #expect(logged.segmentNo == "SM00001")
        #expect(logged.numberOfInteractions == 3)
        #expect(logged.userID == "tester")
        #expect(!logged.canceled)
        #expect(abs(logged.createdAt.timeIntervalSince(createdAt)) < 0.001)

        #expect(try temporary.store.loggedSegment(no: "sm00001") == logged)
        #expect(try temporary.store.loggedSegments() == [logged])
        let entries = try temporary.store.entries(LogFilter(segmentNo: "SM00001"))
        #expect(entries.map(\.contactNo) == ["CT1", "CT2", "CT3"])
        #expect(entries.allSatisfy { $0.loggedSegmentEntryNo == logged.entryNo && $0.segmentNo == "SM00001" })
        let second = entries[1]
        #expect(second.correspondenceType == .email)
        #expect(second.informationFlow == .outbound)
        #expect(second.initiatedBy == .us)
        #expect(second.cost == Decimal(string: "1.25"))
        #expect(second.duration == 2)
        #expect(second.date == Day("2026-11-23"))
        #expect(second.documentPath == "/out/2.docx")
        #expect(second.campaignTarget && !second.campaignResponse)
        #expect(!second.attemptFailed && !second.canceled && !second.postponed)
        #expect(try temporary.store.entries(LogFilter(contactNo: "CT3")).map(\.description) == ["Letter 3"])
        #expect(try temporary.store.entries(LogFilter()).count == 3)
    }

    @Test(arguments: StoreKind.allCases) func entriesSurviveReopeningTheFile(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        _ = try temporary.store.log(NewLoggedSegment(segmentNo: "SM1", description: "x"), entries: makeEntries(2))
        let reopened = try temporary.reopened()
        #expect(try reopened.entries(LogFilter(segmentNo: "SM1")).count == 2)
        #expect(try reopened.loggedSegment(no: "SM1")?.numberOfInteractions == 2)
    }

    @Test(arguments: StoreKind.allCases) func loggingTheSameSegmentTwiceIsRefused(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        _ = try temporary.store.log(NewLoggedSegment(segmentNo: "SM00001", description: "first"), entries: makeEntries(2))
        #expect(throws: InteractionLogError.alreadyLogged(segmentNo: "sm00001")) {
            try temporary.store.log(NewLoggedSegment(segmentNo: "sm00001", description: "second"), entries: makeEntries(2))
        }
        #expect(try temporary.store.loggedSegments().count == 1)
        #expect(try temporary.store.entries(LogFilter()).count == 2)
    }

    @Test(arguments: StoreKind.allCases) func twoProcessesLoggingTheSameSegmentAtOnceStoreItOnce(kind: StoreKind) async throws {
        let temporary = try TemporaryStore(kind)
        let other = try temporary.reopened()
        let stores: [any InteractionLogStore & Sendable] = [temporary.store, other, temporary.store, other]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    do {
                        _ = try store.log(NewLoggedSegment(segmentNo: "SM7", description: "race \(index)"), entries: makeEntries(500))
                        return true
                    } catch InteractionLogError.alreadyLogged {
                        return false
                    } catch {
                        Issue.record("unexpected error \(error)")
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try temporary.store.loggedSegments().count == 1)
        #expect(try temporary.store.entries(LogFilter(segmentNo: "SM7")).count == 500)
    }

    @Test(arguments: StoreKind.allCases) func aFailingEntryRollsBackTheWholeSegment(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        var entries = makeEntries(5)
        entries[3].contactNo = ""
        #expect(throws: (any Error).self) {
            try temporary.store.log(NewLoggedSegment(segmentNo: "SM2", description: "broken"), entries: entries)
        }
        #expect(try temporary.store.loggedSegments().isEmpty)
        #expect(try temporary.store.entries(LogFilter()).isEmpty)
        #expect(try temporary.store.loggedSegment(no: "SM2") == nil)
        let logged = try temporary.store.log(NewLoggedSegment(segmentNo: "SM2", description: "fixed"), entries: makeEntries(5))
        #expect(logged.numberOfInteractions == 5)
    }

    @Test func entryFromAResolvedLineCarriesItsValues() {
        let template = InteractionTemplate(
            code: "EVENT", description: "Event invitation", attachment: "Event_EN.docx",
            informationFlow: .inbound, initiatedBy: .them, unitCost: 2.1, unitDuration: 5)
        let line = ResolvedLine(
            segmentNo: "SM1", segmentDescription: "S", lineNo: 10000,
            contact: Contact(no: "CT2", companyNo: "CT1", firstName: "Anna"), template: template,
            attachmentPath: "/t/Event_EN.docx", description: "Invitation", subject: "Fair", languageCode: "NL",
            correspondenceType: .email, comment: "", date: Day("2026-11-23")!, salespersonCode: "JO", salespersonName: "Jo",
            campaignNo: "CP1", campaignTarget: false, campaignResponse: true, unitCost: 3, unitDuration: 4)
        let entry = NewInteractionLogEntry(line: line, documentPath: "/out/a.docx", documentSHA256: "abc")
        #expect(entry.contactNo == "CT2")
        #expect(entry.contactCompanyNo == "CT1")
        #expect(entry.templateCode == "EVENT")
        #expect(entry.informationFlow == .inbound && entry.initiatedBy == .them)
        #expect(entry.correspondenceType == .email)
        #expect(entry.cost == 3 && entry.duration == 4)
        #expect(entry.description == "Invitation" && entry.subject == "Fair")
        #expect(entry.campaignResponse && !entry.campaignTarget)
        #expect(entry.documentPath == "/out/a.docx")
    }

    @Test func unopenableDatabaseIsReported() {
        #expect {
            _ = try SQLiteInteractionLogStore(path: "/nonexistent-directory/log.sqlite")
        } throws: { error in
            guard case InteractionLogError.cannotOpen(let path, _) = error else { return false }
            return path == "/nonexistent-directory/log.sqlite"
        }
    }

    @Test func unreachablePostgresIsReportedWithoutThePassword() {
        #expect {
            _ = try PostgresInteractionLogStore(url: "postgres://clerk:s3cret@127.0.0.1:1/log?sslmode=disable", reconnectFor: 0)
        } throws: { error in
            guard case InteractionLogError.cannotOpen(let path, let reason) = error else { return false }
            return path == "postgres://clerk@127.0.0.1:1/log?sslmode=disable" && !"\(error)".contains("s3cret") && !reason.isEmpty
        }
    }

    @Test func postgresURLsFindTheirPasswordInTheURLThenPGPASSWORDThenPgpass() throws {
        let folder = try TemporaryDirectory("pgpass")
        let passFile = try folder.write(".pgpass", "# comment\ndb.example:5432:log:clerk:from\\:pgpass\n*:*:*:other:x\n")
        let fromFile = try PostgresLocation(url: "postgres://clerk@db.example/log", environment: ["PGPASSFILE": passFile])
        #expect(fromFile.password == "from:pgpass")
        #expect(fromFile.port == 5432 && fromFile.database == "log" && fromFile.sslMode == .prefer)
        let fromEnvironment = try PostgresLocation(url: "postgres://clerk@db.example/log", environment: ["PGPASSWORD": "env", "PGPASSFILE": passFile])
        #expect(fromEnvironment.password == "env")
        let fromURL = try PostgresLocation(url: "postgresql://clerk:url@db.example:6543/log?sslmode=require", environment: ["PGPASSWORD": "env"])
        #expect(fromURL.password == "url" && fromURL.port == 6543 && fromURL.sslMode == .require)
        #expect(fromURL.description == "postgres://clerk@db.example:6543/log?sslmode=require")
        let socket = try PostgresLocation(url: "postgres://clerk@/log?host=/run/postgresql", environment: [:])
        #expect(socket.socketDirectory == "/run/postgresql")
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: "postgres://clerk:pw@h/log?sslmode=maybe") }
        do {
            _ = try PostgresLocation(url: "postgres://clerk:pw@h/log?sslmode=maybe")
        } catch {
            #expect(error.url == "postgres://clerk:***@h/log?sslmode=maybe")
        }
    }

    @Test(arguments: StoreKind.allCases) func logsTenThousandEntriesInOneTransaction(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let entries = makeEntries(10_000)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            _ = try temporary.store.log(NewLoggedSegment(segmentNo: "SM10K", description: "big"), entries: entries)
        }
        print("logging 10,000 interaction log entries (\(kind)) took \(elapsed)")
        #expect(try temporary.store.entries(LogFilter(segmentNo: "SM10K")).count == 10_000)
    }
}
