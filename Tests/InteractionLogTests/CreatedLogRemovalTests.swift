import Foundation
import InteractionLog
import MailMergeTestSupport
import Testing

/// A run that created the SQLite log and failed removes the file again (`closeRemovingIfUnused`), but never a log
/// another store or process uses or logged into: two runs that both found no file may create it at the same moment.
struct CreatedLogRemovalTests {
    private func logSegment(_ store: any InteractionLogStore, _ no: String = "SM00001", count: Int = 3) throws -> LoggedSegment {
        try store.log(NewLoggedSegment(segmentNo: no, description: "Mailing"), entries: makeEntries(count))
    }

    private func files(in folder: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("log.sqlite") }.sorted()
    }

    @Test func aStoreAloneWithNothingLoggedRemovesItsFile() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        let store = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        #expect(try store.loggedSegments().isEmpty)
        #expect(store.closeRemovingIfUnused())
        #expect(try files(in: folder) == [], "the file, its -wal and -shm are gone")
    }

    @Test func aFileAnotherStoreOfTheProcessHasOpenIsKept() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        let created = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        let other = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        #expect(!created.closeRemovingIfUnused())
        #expect(try files(in: folder).contains("log.sqlite"))
        // The other store works on: closing the first one's use did not take the file from under it.
        _ = try logSegment(other)
        #expect(try other.entries(LogFilter(segmentNo: "SM00001")).count == 3)
    }

    @Test func theLastStoreOfTheProcessMayRemoveIt() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        var first: SQLiteInteractionLogStore? = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        let last = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        #expect(try first?.loggedSegments().isEmpty == true)
        first = nil
        #expect(last.closeRemovingIfUnused())
        #expect(try files(in: folder) == [])
    }

    @Test func aFileAnotherStoreLoggedIntoIsKept() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        let created = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
        do {
            let other = try SQLiteInteractionLogStore(path: folder.path("log.sqlite"))
            _ = try logSegment(other, count: 4)
        }
        #expect(!created.closeRemovingIfUnused(), "it holds another run's log")
        #expect(try SQLiteInteractionLogStore(path: folder.path("log.sqlite")).entries(LogFilter(segmentNo: "SM00001")).count == 4)
    }

    @Test(.enabled(if: Program.find("flock") != nil, "needs util-linux flock"))
    func aFileAnotherProcessHasOpenIsKept() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        let path = folder.path("log.sqlite")
        let store = try SQLiteInteractionLogStore(path: path)
        // Another process holds the shared lock every store holds while the file is open.
        let holder = HeldLock(path: path, shared: true, seconds: 3, in: folder)
        try holder.waitUntilHeld()
        #expect(!store.closeRemovingIfUnused())
        holder.wait()
        #expect(try files(in: folder).contains("log.sqlite"))
        // The failed attempt took the shared lock again: while this process has the file open, no other takes it alone.
        let alone = try Program.run("flock", ["-n", "-x", path, "true"], timeout: 60)
        #expect(alone.status != 0, "another process took the lock alone while the store was still open")
    }

    @Test(.enabled(if: Program.find("flock") != nil, "needs util-linux flock"))
    func aStoreWaitsWhileAnotherProcessRemovesTheFile() throws {
        let folder = try TemporaryDirectory("CreatedLogRemoval")
        let path = folder.path("log.sqlite")
        do { _ = try SQLiteInteractionLogStore(path: path) }
        // Another process holds the lock a removal holds, for 1 s.
        let holder = HeldLock(path: path, shared: false, seconds: 1, in: folder)
        try holder.waitUntilHeld()
        let started = Date()
        let store = try SQLiteInteractionLogStore(path: path)
        #expect(Date().timeIntervalSince(started) > 0.5, "it waited for the lock")
        _ = try logSegment(store)
        holder.wait()
        #expect(try store.entries(LogFilter(segmentNo: "SM00001")).count == 3)
    }
}

/// `flock` (util-linux) holding a lock on a file in another process for some seconds, on a thread of its own.
private final class HeldLock: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let marker: String

    init(path: String, shared: Bool, seconds: Int, in folder: TemporaryDirectory) {
        let marker = folder.path("held-\(UUID().uuidString)")
        self.marker = marker
        let done = done
        DispatchQueue.global().async {
            _ = try? Program.run(
                "flock", [shared ? "-s" : "-x", path, "sh", "-c", "touch '\(marker)'; sleep \(seconds)"], timeout: 60)
            done.signal()
        }
    }

    /// Waits until the other process holds the lock (at most 30 s, however slowly it started).
    func waitUntilHeld() throws {
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(10_000) }
        try #require(FileManager.default.fileExists(atPath: marker), "flock did not take the lock within 30 s")
    }

    /// Waits until the other process has ended.
    func wait() { done.wait() }
}
