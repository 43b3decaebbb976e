import Foundation
import Segments
import Testing

/// `mailmerge interaction create|postponed|resume|discard` end to end, on a temporary database.
@Suite(.serialized)
struct InteractionCommandTests {
    /// `interaction SUBCOMMAND …` with the workspace's contacts, templates, output and database.
    func interaction(_ workspace: SampleWorkspace, _ arguments: [String]) throws -> CLI.Result {
        var full = ["interaction"] + arguments + ["--db", workspace.database.path]
        if arguments.first == "create" {
            full += [
                "--contacts", workspace.segments.appendingPathComponent("contacts.csv").path,
                "--templates", Paths.templates.path, "--out", workspace.letters.path,
            ]
        }
        return try CLI.run(full)
    }

    func interactionFiles(_ workspace: SampleWorkspace) -> [String] {
        workspace.letterFiles().filter { $0.hasPrefix("interactions/") }
    }

    func sha256(_ path: String) throws -> String {
        let result = try Program.run("sha256sum", [], inputs: [path], requiresInputs: true, timeout: 60)
        return String(result.stdout.prefix(64))
    }

    @Test func createMergesOneDocumentAndRecordsOneEntry() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try interaction(
            workspace,
            [
                "create", "--contact", "CT000002", "--template", "DIRECTMAIL",
                "--subject", "Your visit", "--comment", "See you in March.",
                "--date", "2026-11-20",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(interactionFiles(workspace) == ["interactions/2026-11-20-CT000002-DIRECTMAIL.docx"])

        let path = workspace.letters.appendingPathComponent("interactions/2026-11-20-CT000002-DIRECTMAIL.docx").path
        let letter = try DocxInspector(path: path)
        #expect(letter.malformed.isEmpty)
        // CT000002 speaks Dutch: the NL attachment, with the contact's and the interaction's values.
        #expect(letter.allText.contains(LogSegmentTests.wording["DirectMail_NL.docx"]!))
        #expect(letter.allText.contains("Berg"))
        #expect(letter.allText.contains("Your visit"))
        #expect(letter.allText.contains("See you in March."))
        #expect(!letter.xml.values.contains { $0.contains("MERGEFIELD") })

        let entries = try workspace.logEntries()
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry["contactNo"] as? String == "CT000002")
        #expect(entry["templateCode"] as? String == "DIRECTMAIL")
        #expect(entry["date"] as? String == "2026-11-20")
        #expect(entry["subject"] as? String == "Your visit")
        #expect(entry["description"] as? String == "Direct mail letter")
        #expect(entry["languageCode"] as? String == "NL")
        #expect(entry["segmentNo"] == nil || entry["segmentNo"] is NSNull)
        #expect(entry["postponed"] as? Bool == false && entry["canceled"] as? Bool == false)
        #expect(entry["documentPath"] as? String == path)
        #expect(entry["documentSHA256"] as? String == (try sha256(path)))

        // The same interaction again gets a document of its own.
        let again = try interaction(workspace, ["create", "--contact", "CT000002", "--template", "DIRECTMAIL", "--date", "2026-11-20"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(interactionFiles(workspace).count == 2)
        #expect(try workspace.logEntries().count == 2)
    }

    @Test func postponedIsListedNeverCountedAsSentAndResumesOnce() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(try workspace.logSegment().status == 0)
        let logged = try workspace.logEntries().count

        let postponed = try interaction(
            workspace,
            [
                "create", "--contact", "CT000007", "--template", "EVENT",
                "--description", "Call about the fair", "--postpone",
            ])
        #expect(postponed.status == 0, "\(postponed.stderr)")
        #expect(interactionFiles(workspace).isEmpty)
        let id = logged + 1
        #expect(postponed.stdout.contains("interaction resume \(id)"))

        let listed = try interaction(workspace, ["postponed", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["entryNo"] as? Int == id)
        #expect(rows.first?["description"] as? String == "Call about the fair")
        #expect(try workspace.logEntries(["--status", "postponed"]).compactMap { $0["entryNo"] as? Int } == [id])
        // (The sample's e-mail lines are queued, not sent: status queued.)
        #expect(try workspace.logEntries(["--status", "logged"]).count + workspace.logEntries(["--status", "queued"]).count == logged)
        let table = try CLI.run(["log", "list", "--db", workspace.database.path, "--contact", "CT000007"])
        #expect(table.stdout.split(separator: "\n").contains { $0.contains("postponed") && $0.contains("EVENT") })
        // Not sent: the logged segment's count is unchanged.
        let segments = try CLI.run(["segment", "logged", "--format", "json", "--db", workspace.database.path])
        let loggedSegments = try JSONSerialization.jsonObject(with: Data(segments.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(loggedSegments.first?["numberOfInteractions"] as? Int == logged)

        let resumed = try interaction(workspace, ["resume", String(id)])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let files = interactionFiles(workspace)
        #expect(files.count == 1)
        let letter = try DocxInspector(path: workspace.letters.appendingPathComponent(files[0]).path)
        #expect(letter.allText.contains(LogSegmentTests.wording["Event_EN.docx"]!))
        #expect(letter.allText.contains("Call about the fair"))
        let entry = try #require(try workspace.logEntries(["--contact", "CT000007"]).first { $0["entryNo"] as? Int == id })
        #expect(entry["postponed"] as? Bool == false)
        #expect((entry["documentPath"] as? String)?.hasSuffix(files[0]) == true)
        #expect(try workspace.logEntries(["--status", "postponed"]).isEmpty)

        // Resuming twice is refused and writes nothing more.
        let twice = try interaction(workspace, ["resume", String(id)])
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("error: interaction \(id) is not postponed"))
        #expect(interactionFiles(workspace).count == 1)
        #expect(try workspace.logEntries().count == logged + 1)
    }

    @Test func discardDeletesThePostponedInteraction() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(try interaction(workspace, ["create", "--contact", "CT000004", "--template", "DIRECTMAIL", "--postpone"]).status == 0)
        #expect(try interaction(workspace, ["create", "--contact", "CT000005", "--template", "DIRECTMAIL", "--postpone"]).status == 0)
        let discarded = try interaction(workspace, ["discard", "1"])
        #expect(discarded.status == 0, "\(discarded.stderr)")
        #expect(try workspace.logEntries().compactMap { $0["contactNo"] as? String } == ["CT000005"])
        let again = try interaction(workspace, ["discard", "1"])
        #expect(again.status == 1 && again.stderr.contains("not postponed"))
        let unknown = try interaction(workspace, ["resume", "42"])
        #expect(unknown.status == 1 && unknown.stderr.contains("interaction 42 is not postponed"))
        #expect(try workspace.logEntries().count == 1)
        #expect(interactionFiles(workspace).isEmpty)
    }

    @Test func problemsAreReportedBeforeAnythingIsWritten() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let unknownContact = try interaction(workspace, ["create", "--contact", "CT999999", "--template", "NOPE"])
        #expect(unknownContact.status == 1)
        #expect(unknownContact.stderr.contains("there is no contact 'CT999999'"))
        #expect(unknownContact.stderr.contains("template code 'NOPE'"))
        #expect(unknownContact.stderr.contains("DIRECTMAIL, EVENT"))

        let badDate = try interaction(workspace, ["create", "--contact", "CT000002", "--template", "EVENT", "--date", "2026-02-30"])
        #expect(badDate.status == 1 && badDate.stderr.contains("'2026-02-30' is not a date"))

        // E-mail correspondence for a contact without an address (CT000004 has none).
        let email = try interaction(
            workspace,
            [
                "create", "--contact", "CT000004", "--template", "EVENT",
                "--correspondence-type", "email", "--postpone",
            ])
        #expect(email.status == 1 && email.stderr.contains("no e-mail address"))

        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
        #expect(workspace.letterFiles().isEmpty)

        let noDatabase = try interaction(workspace, ["postponed"])
        #expect(noDatabase.status == 1 && noDatabase.stderr.contains("no interaction log here"))
    }

    @Test(arguments: [
        ["interaction"], ["interaction", "create"], ["interaction", "postponed"],
        ["interaction", "resume"], ["interaction", "discard"],
    ])
    func everyCommandHasHelp(_ command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: mailmerge " + command.joined(separator: " ")))
        #expect(result.stdout.contains("OVERVIEW:"))
    }
}
