import Foundation
import Testing

/// `mailmerge log cancel|restore|delete-canceled` and the `log list` filters, end to end on
/// the sample segment logged into a temporary database.
@Suite(.serialized)
struct LogLifecycleTests {
    func log(_ workspace: SampleWorkspace, _ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["log"] + arguments + ["--db", workspace.database.path])
    }

    func loggedSegments(_ workspace: SampleWorkspace) throws -> [[String: Any]] {
        let result = try CLI.run(["segment", "logged", "--format", "json", "--db", workspace.database.path])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
    }

    func numbers(_ entries: [[String: Any]]) -> [Int] {
        entries.compactMap { $0["entryNo"] as? Int }
    }

    /// A workspace with the sample segment logged.
    func loggedWorkspace() throws -> (SampleWorkspace, count: Int) {
        let workspace = try SampleWorkspace()
        let result = try workspace.logSegment()
        #expect(result.status == 0, "\(result.stderr)")
        return (workspace, try workspace.logEntries().count)
    }

    /// The entries neither canceled nor postponed: logged, or e-mails queued (the sample's e-mail lines, not sent).
    func active(_ workspace: SampleWorkspace) throws -> [[String: Any]] {
        try workspace.logEntries(["--status", "logged"]) + workspace.logEntries(["--status", "queued"])
    }

    @Test func cancelAndRestoreEntries() throws {
        let (workspace, count) = try loggedWorkspace()
        defer { workspace.remove() }
        let canceled = try log(workspace, ["cancel", "2", "5"])
        #expect(canceled.status == 0, "\(canceled.stderr)")
        #expect(numbers(try workspace.logEntries(["--status", "canceled"])) == [2, 5])
        #expect(try active(workspace).count == count - 2)

        // Unknown entry: an error, and nothing canceled (entry 3 stays logged).
        let unknown = try log(workspace, ["cancel", "3", "999"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("error: interaction log entry 999 does not exist"))
        #expect(numbers(try workspace.logEntries(["--status", "canceled"])) == [2, 5])

        let twice = try log(workspace, ["cancel", "2"])
        #expect(twice.status == 1 && twice.stderr.contains("canceled already"))

        let restored = try log(workspace, ["restore", "5"])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(numbers(try workspace.logEntries(["--status", "canceled"])) == [2])
        let notCanceled = try log(workspace, ["restore", "5"])
        #expect(notCanceled.status == 1 && notCanceled.stderr.contains("is not canceled"))

        let neither = try log(workspace, ["cancel"])
        #expect(neither.status != 0 && neither.stderr.contains("--logged-segment"))
    }

    @Test func cancelingALoggedSegmentCancelsAllItsEntriesButItsNumberIsNeverLoggedAgain() throws {
        let (workspace, count) = try loggedWorkspace()
        defer { workspace.remove() }
        let canceled = try log(workspace, ["cancel", "--logged-segment", "1"])
        #expect(canceled.status == 0, "\(canceled.stderr)")
        #expect(canceled.stdout.contains("\(count) entries"))
        #expect(try workspace.logEntries(["--status", "canceled"]).count == count)
        #expect(try loggedSegments(workspace).first?["canceled"] as? Bool == true)

        // An entry of the canceled logged segment comes back only with the whole segment.
        let single = try log(workspace, ["restore", "1"])
        #expect(single.status == 1 && single.stderr.contains("restore --logged-segment 1"))

        // The segment number stays used: logging it again is refused, and nothing is written or logged.
        try FileManager.default.removeItem(at: workspace.letters)
        let again = try workspace.logSegment()
        #expect(again.status == 1)
        #expect(again.stderr.contains("segment SM00001 was logged before (its logged segment was canceled or deleted)"))
        #expect(again.stderr.contains("a segment number is logged only once"))
        #expect(!FileManager.default.fileExists(atPath: workspace.letters.path))
        #expect(try workspace.logEntries(["--status", "logged"]).isEmpty)

        let restored = try log(workspace, ["restore", "--logged-segment", "1"])
        #expect(restored.status == 0, "\(restored.stderr)")
        let restoredEntries = try active(workspace)
        #expect(restoredEntries.count == count && restoredEntries.allSatisfy { $0["loggedSegmentEntryNo"] as? Int == 1 })

        let missing = try log(workspace, ["cancel", "--logged-segment", "9"])
        #expect(missing.status == 1 && missing.stderr.contains("logged segment 9 does not exist"))
    }

    @Test func deleteCanceledNeverDeletesAnEntryThatIsNotCanceled() throws {
        let (workspace, count) = try loggedWorkspace()
        defer { workspace.remove() }
        #expect(try log(workspace, ["cancel", "4"]).status == 0)

        let notCanceled = try log(workspace, ["delete-canceled", "4", "6"])
        #expect(notCanceled.status == 1)
        #expect(notCanceled.stderr.contains("interaction log entry 6 is not canceled"))
        #expect(try workspace.logEntries().count == count)

        // The sample is dated 2026-11-23: nothing is before that day.
        let none = try log(workspace, ["delete-canceled", "--before", "2026-11-23"])
        #expect(none.status == 0 && none.stdout.contains("deleted 0 canceled entries"))
        let named = try log(workspace, ["delete-canceled", "4"])
        #expect(named.status == 0 && named.stdout.contains("deleted 1 canceled entry and 0 logged segments"))
        #expect(try workspace.logEntries().count == count - 1)
        #expect(!numbers(try workspace.logEntries()).contains(4))

        #expect(try log(workspace, ["cancel", "--logged-segment", "1"]).status == 0)
        let all = try log(workspace, ["delete-canceled", "--before", "2026-11-24"])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("deleted \(count - 1) canceled entries and 1 logged segment"))
        #expect(try workspace.logEntries().isEmpty)
        #expect(try loggedSegments(workspace).isEmpty)

        let badDate = try log(workspace, ["delete-canceled", "--before", "23-11-2026"])
        #expect(badDate.status == 1 && badDate.stderr.contains("is not a date"))
    }

    @Test func listFiltersByContactSegmentTemplateDateAndStatus() throws {
        let (workspace, count) = try loggedWorkspace()
        defer { workspace.remove() }
        let all = try workspace.logEntries()
        let events = all.filter { $0["templateCode"] as? String == "EVENT" }
        #expect(!events.isEmpty && events.count < count)
        #expect(numbers(try workspace.logEntries(["--template", "event"])) == numbers(events))
        #expect(numbers(try workspace.logEntries(["--contact", "ct000003"])) == numbers(all.filter { $0["contactNo"] as? String == "CT000003" }))
        #expect(try workspace.logEntries(["--segment", "SM00001", "--template", "DIRECTMAIL"]).count == count - events.count)

        // A single interaction on another day.
        let created = try CLI.run([
            "interaction", "create", "--contact", "CT000009", "--template", "EVENT", "--date", "2026-12-05",
            "--contacts", workspace.segments.appendingPathComponent("contacts.csv").path,
            "--templates", Paths.templates.path, "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(numbers(try workspace.logEntries(["--from", "2026-12-01"])) == [count + 1])
        #expect(try workspace.logEntries(["--to", "2026-11-23"]).count == count)
        #expect(try workspace.logEntries(["--from", "2026-11-23", "--to", "2026-12-05"]).count == count + 1)
        #expect(try workspace.logEntries(["--from", "2026-11-24", "--to", "2026-12-04"]).isEmpty)

        #expect(try log(workspace, ["cancel", "1"]).status == 0)
        #expect(numbers(try workspace.logEntries(["--status", "canceled"])) == [1])
        #expect(
            try workspace.logEntries(["--status", "logged", "--template", "EVENT"]).count == events.count + 1
                - (events.contains { $0["entryNo"] as? Int == 1 } ? 1 : 0))
        #expect(try workspace.logEntries(["--status", "attempt-failed"]).isEmpty)

        let badStatus = try log(workspace, ["list", "--status", "sent"])
        #expect(badStatus.status != 0 && badStatus.stderr.contains("attempt-failed"))
        let badDate = try log(workspace, ["list", "--from", "2026-13-01"])
        #expect(badDate.status != 0 && badDate.stderr.contains("not a date"))
    }

    @Test(arguments: [["log"], ["log", "list"], ["log", "cancel"], ["log", "restore"], ["log", "delete-canceled"]])
    func everyCommandHasHelp(_ command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: mailmerge " + command.joined(separator: " ")))
    }
}
