import Foundation
import InteractionLog
import Testing

/// SIGTERM to `mailmerge serve` (the built binary) while `POST /v1/segments/{no}/log` runs: the process
/// exits within a bound, the interaction log holds every entry of the segment exactly once and the segment
/// logged, or nothing of it; a restarted server then logs it (or answers 409, logged already).
@Suite(.serialized) struct ServeShutdownTests {
    static let lines = 1500

    /// Runs the live driver's `check` (`shutdown` or `relog`) for segment SMGEN01 over `root`; its `RESULT` line.
    static func drive(_ check: String, root: URL) throws -> (result: RunResult, json: [String: Any]) {
        let artifacts = root.appendingPathComponent("artifacts")
        let result = try Program.run(
            "/usr/bin/env",
            ["python3", LiveServerTests.driver, CLI.executable.path, root.path, artifacts.path, check, Paths.templates.path, "SMGEN01"],
            timeout: 900)
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("RESULT ") }.map { String($0.dropFirst(7)) } ?? "{}"
        let json = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        return (result, json)
    }

    @Test func sigtermWhileASegmentIsLoggedLeavesAllOrNothingAndARestartLogsIt() throws {
        let root = try Paths.temporaryDirectory("mailmerge-serve-shutdown")
        defer { try? FileManager.default.removeItem(at: root) }
        let segments = root.appendingPathComponent("SampleSegments")
        try FileManager.default.createDirectory(at: segments, withIntermediateDirectories: true)
        let generated = try GeneratedSegment(count: Self.lines, no: "SMGEN01", in: segments)
        let database = root.appendingPathComponent("log.sqlite").path

        let (stopped, stop) = try Self.drive("shutdown", root: root)
        #expect(stopped.status == 0, "\(stopped.stdout)\n\(stopped.stderr)")
        let job = stop["jobAtSigterm"] as? [String: Any] ?? [:]
        #expect(stop["exitStatus"] as? Int == 0, "\(stop)")
        #expect((stop["secondsToExit"] as? Double ?? .infinity) < 240, "\(stop)")
        // The signal came while the job ran (it had written letters, not all of them); else the test proved nothing.
        #expect(job["state"] as? String == "running" && (job["done"] as? Int ?? 0) > 0, "\(job)")

        let store = try SQLiteInteractionLogStore(path: database)
        let afterStop = try store.entries(LogFilter(segmentNo: "SMGEN01"))
        let loggedAfterStop = try store.loggedSegments().filter { $0.segmentNo == "SMGEN01" }
        #expect(afterStop.isEmpty || afterStop.count == generated.count, "a half log: \(afterStop.count) of \(generated.count) entries")
        #expect(loggedAfterStop.count == (afterStop.isEmpty ? 0 : 1), "\(loggedAfterStop.count) logged segments for \(afterStop.count) entries")

        let (again, relog) = try Self.drive("relog", root: root)
        #expect(again.status == 0, "\(again.stdout)\n\(again.stderr)")
        let status = relog["status"] as? Int
        #expect(status == (afterStop.isEmpty ? 200 : 409), "\(relog)")

        let entries = try store.entries(LogFilter(segmentNo: "SMGEN01"))
        #expect(entries.count == generated.count)
        #expect(Set(entries.map(\.contactNo)).count == generated.count)
        #expect(try store.loggedSegments().filter { $0.segmentNo == "SMGEN01" }.count == 1)
        for entry in entries.prefix(20) {
            let path = try #require(entry.documentPath)
            #expect(try DocxInspector(path: path).malformed.isEmpty, "\(path)")
        }
    }
}
