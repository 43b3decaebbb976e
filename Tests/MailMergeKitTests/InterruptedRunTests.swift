import Foundation
import InteractionLog
import MailMergeTestSupport
import Testing

/// `log-segment` killed with SIGKILL at random moments: the log holds either no entry of the
/// segment or all of them, and running the command again completes the job, never logging a
/// contact twice. `MAILMERGE_KILL_ROUNDS=20 swift test --filter InterruptedRunTests` kills it
/// more often (4 rounds by default, to keep CI short).
@Suite(.serialized)
struct InterruptedRunTests {
    static let rounds = ProcessInfo.processInfo.environment["MAILMERGE_KILL_ROUNDS"].flatMap(Int.init) ?? 4

    @Test func killAndRerunLogsEveryLineExactlyOnce() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try GeneratedSegment(count: 1500, in: dir)
        let database = dir.appendingPathComponent("log.sqlite")
        let arguments = [
            "log-segment", generated.segment.path, "--templates", Paths.templates.path,
            "--out", dir.appendingPathComponent("letters").path, "--db", database.path, "--quiet",
        ]

        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<Self.rounds {
            let process = Process()
            process.executableURL = CLI.executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // From "still validating" to "writing letters" to (maybe) "logging".
            usleep(UInt32.random(in: 50_000...(400_000 + UInt32(attempt % 5) * 300_000), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            if FileManager.default.fileExists(atPath: database.path) {
                let entries = try SQLiteInteractionLogStore(path: database.path).entries(LogFilter(segmentNo: "SMGEN01"))
                #expect(entries.isEmpty || entries.count == generated.count, "attempt \(attempt): \(entries.count) entries")
            }
        }

        let rerun = try CLI.run(arguments)
        let store = try SQLiteInteractionLogStore(path: database.path)
        let entries = try store.entries(LogFilter(segmentNo: "SMGEN01"))
        if rerun.status != 0 {
            // Only acceptable if a killed run had already committed everything.
            #expect(rerun.stderr.contains("already logged"), "\(rerun.stderr)")
        }
        #expect(entries.count == generated.count)
        #expect(Set(entries.map(\.contactNo)).count == generated.count)
        #expect(try store.loggedSegments().filter { $0.segmentNo == "SMGEN01" }.count == 1)
        // Every logged document exists and is complete (its digest matches).
        for entry in entries.prefix(50) {
            let path = try #require(entry.documentPath)
            #expect(try DocxInspector(path: path).malformed.isEmpty)
        }
    }

    @Test(.enabled(if: Program.find("sqlite3") != nil, "needs the sqlite3 command"))
    func aLockedDatabaseIsWaitedFor() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-busy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try GeneratedSegment(count: 20, in: dir)
        let database = dir.appendingPathComponent("log.sqlite")
        _ = try SQLiteInteractionLogStore(path: database.path)  // create the schema (WAL)
        // Another process holds the write lock for 2 s (run on another thread, bounded by a timeout).
        // It touches `locked` once it holds the lock: the run starts only then, however slowly
        // the holder was started on a busy machine.
        let locked = dir.appendingPathComponent("locked")
        let holderDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? Program.run(
                "sqlite3", [database.path, "BEGIN IMMEDIATE;", ".shell touch '\(locked.path)'", ".shell sleep 2", "COMMIT;"], timeout: 60)
            holderDone.signal()
        }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: locked.path) && Date() < deadline { usleep(20_000) }
        try #require(FileManager.default.fileExists(atPath: locked.path), "the sqlite3 lock holder did not start within 30 s")
        let started = Date()
        let result = try CLI.run([
            "log-segment", generated.segment.path, "--templates", Paths.templates.path,
            "--out", dir.appendingPathComponent("letters").path, "--db", database.path, "--quiet",
        ])
        holderDone.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) > 1, "it waited for the lock instead of failing")
        #expect(try SQLiteInteractionLogStore(path: database.path).entries(LogFilter(segmentNo: "SMGEN01")).count == 20)
    }

    @Test func twoProcessesLoggingTheSameSegmentLogItOnce() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-race")
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try GeneratedSegment(count: 300, in: dir)
        let database = dir.appendingPathComponent("log.sqlite")
        // Both at once, each on its own thread, each bounded by the CLI timeout.
        let results = RaceResults()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let out = dir.appendingPathComponent(index == 0 ? "a" : "b").path
            results.set(
                index,
                try? CLI.run([
                    "log-segment", generated.segment.path, "--templates", Paths.templates.path,
                    "--out", out, "--db", database.path, "--quiet",
                ]))
        }
        let (a, b) = (try #require(results.get(0)), try #require(results.get(1)))
        let messages = [a.stderr, b.stderr]
        let statuses = [a.status, b.status]
        #expect(statuses.filter { $0 == 0 }.count == 1, "\(statuses) \(messages)")
        let loser = statuses[0] == 0 ? messages[1] : messages[0]
        #expect(loser.contains("already") && loser.contains("logged"), "\(loser)")
        #expect(try SQLiteInteractionLogStore(path: database.path).entries(LogFilter(segmentNo: "SMGEN01")).count == generated.count)
    }

    /// What lost the log in the race above (CI, session 10): both runs found no file and created it; the winner
    /// committed, and the loser, failing, removed "its" new file with the winner's log in it. A run's failure removes
    /// the file it created only when no other process uses it and nothing was logged into it.
    @Test func aFailedRunKeepsTheLogAnotherProcessCommittedToTheFileItCreated() throws {
        let dir = try Paths.temporaryDirectory("mailmerge-created")
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try GeneratedSegment(count: 30, in: dir)
        let database = dir.appendingPathComponent("log.sqlite")
        // The run that created the file, still open.
        let created = try SQLiteInteractionLogStore(path: database.path)
        // Another process logs into it meanwhile and ends.
        let result = try CLI.run([
            "log-segment", generated.segment.path, "--templates", Paths.templates.path,
            "--out", dir.appendingPathComponent("letters").path, "--db", database.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The first run fails now: the other's log stays.
        #expect(!created.closeRemovingIfUnused())
        #expect(try SQLiteInteractionLogStore(path: database.path).entries(LogFilter(segmentNo: "SMGEN01")).count == generated.count)
    }
}

/// The two racing runs' results, written from two threads.
private final class RaceResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: RunResult] = [:]
    func set(_ index: Int, _ result: RunResult?) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }
    func get(_ index: Int) -> RunResult? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}
