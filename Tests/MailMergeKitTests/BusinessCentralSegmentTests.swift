import Foundation
import Segments
import Testing

/// Issue 13, parts 1, 2, 5 and 7 end to end through the CLI, against a temporary database,
/// segment files and a copy of the templates folder: the number series, follow-ups, retired
/// logged segments, and the smaller Business Central commands.
@Suite(.serialized)
struct BusinessCentralSegmentTests {
    /// A sample workspace with its own copy of `Templates/` (so `setup.yaml` can change).
    struct Campaign {
        let workspace: SampleWorkspace
        var templates: URL { workspace.root.appendingPathComponent("Templates") }
        var contacts: String { workspace.segments.appendingPathComponent("contacts.csv").path }
        var db: String { workspace.database.path }

        init() throws {
            workspace = try SampleWorkspace()
            try FileManager.default.copyItem(at: Paths.templates, to: templates)
        }

        /// `mailmerge arguments…` run in the segments folder.
        func run(_ arguments: [String]) throws -> CLI.Result {
            try CLI.run(arguments, in: workspace.segments)
        }

        /// `log-segment` of the segment file `name` in the segments folder.
        func log(_ name: String, _ extra: [String] = []) throws -> CLI.Result {
            try workspace.logSegment(segment(name), ["--templates", templates.path] + extra)
        }

        func segment(_ name: String) -> URL { workspace.segments.appendingPathComponent(name) }

        func load(_ name: String) throws -> Segment { try Segment.load(path: segment(name).path) }

        /// `segment new` without a number; returns the result.
        func newSegment(_ extra: [String] = []) throws -> CLI.Result {
            try run(
                [
                    "segment", "new", "--description", "Spring mailing", "--template", "DIRECTMAIL", "--contacts", "contacts.csv",
                    "--date", "2026-12-01", "--templates", templates.path, "--db", db,
                ] + extra)
        }

        func json(_ arguments: [String]) throws -> [[String: Any]] {
            let result = try run(arguments + ["--format", "json"])
            guard result.status == 0 else { throw ExternalCheck.CheckError("\(arguments) failed: \(result.stderr)") }
            return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        }

        func remove() { workspace.remove() }
    }

    // MARK: 1. Number series

    @Test func twoProcessesAskingTheSeriesAtOnceGetTwoNumbersAndAnExhaustedSeriesIsAnError() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        // Four `segment new` processes started together.
        let results = Results()
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                results.append(Result { try campaign.newSegment() })
            }
        }
        group.wait()
        let outputs = try results.values.map { try $0.get() }
        for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
        let numbers = outputs.compactMap { $0.stdout.split(separator: " ").dropFirst(2).first.map { String($0.dropLast()) } }
        // SM00001 is lastNoUsed in setup.yaml (and its file exists): the next four, each once.
        #expect(numbers.sorted() == ["SM00002", "SM00003", "SM00004", "SM00005"], "\(outputs.map(\.stdout))")
        for no in numbers {
            #expect(try campaign.load(no + ".yaml").header.no == no)
        }

        // A number given by hand that the series handed out already is refused.
        let taken = try campaign.run([
            "segment", "new", "SM00003", "--description", "X", "--template", "EVENT", "--contacts", "contacts.csv",
            "--templates", campaign.templates.path, "--db", campaign.db, "--file", "other.yaml",
        ])
        #expect(taken.status == 1 && taken.stderr.contains("segment number SM00003 was handed out by the number series already"))

        // A file in the way is skipped; past endingNo the series is exhausted.
        try "not a segment\n".write(to: campaign.segment("SM00006.yaml"), atomically: true, encoding: .utf8)
        try """
        segmentNos:
          startingNo: SM00001
          endingNo: SM00007
        """.write(to: campaign.templates.appendingPathComponent("setup.yaml"), atomically: true, encoding: .utf8)
        let seventh = try campaign.newSegment()
        #expect(seventh.status == 0 && seventh.stdout.contains("created segment SM00007: SM00007.yaml"), "\(seventh.stderr)")
        let exhausted = try campaign.newSegment()
        #expect(exhausted.status == 1)
        #expect(exhausted.stderr.contains("the segment number series SM00001…SM00007 is exhausted (last used SM00007)"))
        #expect(exhausted.stderr.contains("raise segmentNos.endingNo"))

        // A mistake in the setup file names the file, the line and the key.
        try "segmentNos:\n  startingNo: SM00001\n  incrementby: 2\n".write(
            to: campaign.templates.appendingPathComponent("setup.yaml"), atomically: true, encoding: .utf8)
        let typo = try campaign.newSegment()
        #expect(typo.status == 1 && typo.stderr.contains("setup.yaml:3: unknown key 'incrementby' in segmentNos; did you mean 'incrementBy'?"))
    }

    // MARK: 2. Follow-ups

    @Test func aFollowUpOfAFollowUpTakesTheNextFreeNumberAndANewHeader() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        // The issue's case: SM00002 is logged already (made by hand) before SM00001's follow-up.
        let sample = try String(contentsOf: campaign.workspace.segment, encoding: .utf8)
        try sample.replacingOccurrences(of: "no: SM00001", with: "no: SM00002").write(
            to: campaign.segment("by-hand.yaml"), atomically: true, encoding: .utf8)
        #expect(try campaign.log("by-hand.yaml").status == 0)

        let first = try campaign.log("SM00001.yaml", ["--follow-up", "--follow-up-date", "2026-12-15"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("follow-up segment: \(campaign.segment("SM00003.yaml").path)"))
        let original = try campaign.load("SM00001.yaml")
        let followUp = try campaign.load("SM00003.yaml")
        #expect(followUp.header.no == "SM00003" && followUp.header.date == Day("2026-12-15"))
        #expect(followUp.header.follows == FollowedSegment(segmentNo: "SM00001", loggedSegment: 2))
        #expect(followUp.header.campaignNo == "CP1001" && followUp.header.salespersonCode == "JO" && followUp.header.salespersonName == "Jo Olsen")
        #expect(followUp.header.subject == original.header.subject && followUp.header.templateCode == "DIRECTMAIL")
        #expect(followUp.logged == nil)
        #expect(followUp.lines.map(\.contactNo) == original.lines.map(\.contactNo))
        // One-off values are not copied; the line's own template is.
        #expect(followUp.lines.allSatisfy { $0.comment == nil && $0.description == nil && $0.subject == nil })
        #expect(followUp.lines.filter { $0.templateCode == "EVENT" }.map(\.contactNo) == original.lines.filter { $0.templateCode == "EVENT" }.map(\.contactNo))
        #expect(original.lines.contains { $0.comment != nil })

        // The follow-up of the follow-up: the next number, another template, the date today.
        let second = try campaign.log("SM00003.yaml", ["--follow-up", "--follow-up-template", "EVENT"])
        #expect(second.status == 0, "\(second.stderr)")
        let third = try campaign.load("SM00004.yaml")
        #expect(third.header.follows == FollowedSegment(segmentNo: "SM00003", loggedSegment: 3))
        #expect(third.header.templateCode == "EVENT" && third.header.date == Day.today && third.header.campaignNo == "CP1001")
        #expect(try campaign.workspace.logEntries(["--segment", "SM00003"]).count == original.lines.count)
        let letters = try DocxInspector(path: campaign.workspace.letters.appendingPathComponent("SM00003").path + "/" + firstLetter(campaign, "SM00003"))
        #expect(letters.text("word/document.xml").lowercased().contains("15 december 2026"))

        let withoutFollowUp = try campaign.log("SM00004.yaml", ["--keep-line-overrides"])
        #expect(withoutFollowUp.status != 0 && withoutFollowUp.stderr.contains("add --follow-up"))
    }

    func firstLetter(_ campaign: Campaign, _ no: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: campaign.workspace.letters.appendingPathComponent(no).path)
            .filter { $0.hasPrefix("0001-") }.first ?? "missing"
    }

    @Test func fromLoggedKeepsCampaignSalespersonSubjectAndLanguage() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.log("SM00001.yaml").status == 0)
        let original = try campaign.load("SM00001.yaml")

        let created = try campaign.run([
            "segment", "from-logged", "1", "--contacts", "contacts.csv", "--templates", campaign.templates.path, "--db", campaign.db,
        ])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created segment SM00002 with 25 lines: SM00002.yaml"))
        let next = try campaign.load("SM00002.yaml")
        #expect(next.header.campaignNo == "CP1001" && next.header.campaignTarget)
        #expect(next.header.salespersonCode == "JO" && next.header.salespersonName == "Jo Olsen")
        #expect(next.header.subject == original.header.subject && next.header.date == Day.today)
        #expect(next.header.follows == FollowedSegment(segmentNo: "SM00001", loggedSegment: 1))
        #expect(next.lines.allSatisfy { $0.comment == nil })

        let kept = try campaign.run([
            "segment", "from-logged", "1", "--no", "SM00040", "--contacts", "contacts.csv", "--keep-line-overrides",
            "--templates", campaign.templates.path, "--db", campaign.db,
        ])
        #expect(kept.status == 0, "\(kept.stderr)")
        let withOverrides = try campaign.load("SM00040.yaml")
        #expect(withOverrides.lines.compactMap(\.comment) == original.lines.compactMap(\.comment))
        #expect(withOverrides.lines.compactMap(\.description) == original.lines.compactMap(\.description))
        // The follow-up logs like any segment, with the campaign.
        #expect(try campaign.log("SM00002.yaml").status == 0)
        let entries = try campaign.workspace.logEntries(["--segment", "SM00002"])
        #expect(entries.count == 25 && entries.allSatisfy { $0["campaignNo"] as? String == "CP1001" && $0["salespersonCode"] as? String == "JO" })
    }

    // MARK: 5. Logged segments are retired

    @Test func aLoggedSegmentIsRetiredAndItsNumberNeverLoggedAgain() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.log("SM00001.yaml").status == 0)
        let file = campaign.workspace.segment
        let marked = try String(contentsOf: file, encoding: .utf8)
        // The mark is appended; the text above it (comments, line numbers) is unchanged.
        // (The repository's sample carries a mark itself once the quick start logged it, as in CI.)
        let sample = try String(contentsOf: Paths.sampleSegments.appendingPathComponent("SM00001.yaml"), encoding: .utf8)
            .components(separatedBy: "\n").filter { !$0.hasPrefix("logged:") && !$0.hasPrefix("# Logged:") }.joined(separator: "\n")
        #expect(marked.hasPrefix(sample.trimmingCharacters(in: .newlines)))
        #expect(marked.components(separatedBy: "\n").filter { $0.hasPrefix("logged:") }.count == 1)
        #expect(marked.contains("\nlogged: {loggedSegment: 1, at: '"))
        #expect(try campaign.load("SM00001.yaml").logged?.loggedSegment == 1)

        for command in [
            ["segment", "add-contacts", file.path, "--where", "Country=DE"],
            ["segment", "reduce-contacts", file.path, "--where", "Country=NL"],
            ["segment", "refine-contacts", file.path, "--where", "Country=NL"],
            ["segment", "go-back", file.path],
        ] {
            let refused = try campaign.run(command)
            #expect(refused.status == 1, "\(command)")
            #expect(refused.stderr.contains("SM00001.yaml:"), "\(refused.stderr)")
            #expect(refused.stderr.contains("segment SM00001 was logged (logged segment 1,"), "\(refused.stderr)")
            #expect(refused.stderr.contains("so `\(command[1])` cannot change it; make a follow-up segment instead"), "\(refused.stderr)")
        }
        try "criteria:\n  - name: DE\n    steps:\n      - action: add-contacts\n        where: Country=DE\n".write(
            to: campaign.segment("criteria.yaml"), atomically: true, encoding: .utf8)
        let apply = try campaign.run(["segment", "criteria", "apply", "DE", "--to", file.path])
        #expect(apply.status == 1 && apply.stderr.contains("so `criteria apply` cannot change it"))
        #expect(try String(contentsOf: file, encoding: .utf8) == marked)

        // Canceled, it still cannot be logged again (a follow-up can).
        #expect(try campaign.run(["log", "cancel", "--logged-segment", "1", "--db", campaign.db]).status == 0)
        let again = try campaign.log("SM00001.yaml")
        #expect(again.status == 1 && again.stderr.contains("segment SM00001 was logged before"))
    }

    @Test func deletingCanceledEntriesUpdatesTheLoggedSegmentsCount() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.log("SM00001.yaml").status == 0)
        #expect(try campaign.json(["segment", "logged", "--db", campaign.db]).first?["numberOfInteractions"] as? Int == 25)
        #expect(try campaign.run(["log", "cancel", "3", "4", "--db", campaign.db]).status == 0)
        let deleted = try campaign.run(["log", "delete-canceled", "--db", campaign.db])
        #expect(deleted.stdout.contains("deleted 2 canceled entries and 0 logged segments"))
        #expect(try campaign.json(["segment", "logged", "--db", campaign.db]).first?["numberOfInteractions"] as? Int == 23)
        let table = try campaign.run(["segment", "logged", "--db", campaign.db])
        #expect(table.stdout.contains(" 23 "))
        // All the rest canceled and deleted: the logged segment goes too.
        #expect(try campaign.run(["log", "cancel", "--logged-segment", "1", "--db", campaign.db]).status == 0)
        #expect(try campaign.run(["log", "delete-canceled", "--db", campaign.db]).stdout.contains("deleted 23 canceled entries and 1 logged segment"))
        #expect(try campaign.json(["segment", "logged", "--db", campaign.db]).isEmpty)
    }

    // MARK: 7. Smaller features

    @Test func goBackUndoesTheLastCriteriaActionsOneByOne() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.newSegment().status == 0)
        let file = campaign.segment("SM00002.yaml").path
        #expect(try campaign.run(["segment", "add-contacts", file, "--where", "Country=NL"]).status == 0)
        let afterNL = try Segment.load(path: file).lines
        #expect(try campaign.run(["segment", "add-contacts", file, "--where", "Country=BE"]).status == 0)
        let afterBE = try Segment.load(path: file).lines
        #expect(try campaign.run(["segment", "reduce-contacts", file, "--where", "ContactType=Company"]).status == 0)
        #expect(try Segment.load(path: file).lines.count < afterBE.count)
        #expect(try Segment.load(path: file).goBack.count == 3)

        let back = try campaign.run(["segment", "go-back", file])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("went back: undid reduce-contacts where ContactType=Company; \(afterBE.count) lines now, 2 steps left"))
        #expect(try Segment.load(path: file).lines == afterBE)
        #expect(try campaign.run(["segment", "go-back", file]).status == 0)
        #expect(try Segment.load(path: file).lines == afterNL)
        #expect(try Segment.load(path: file).criteria.map(\.expression) == ["Country=NL"])
        #expect(try campaign.run(["segment", "go-back", file]).status == 0)
        #expect(try Segment.load(path: file).lines.isEmpty)
        let nothing = try campaign.run(["segment", "go-back", file])
        #expect(nothing.status == 1 && nothing.stderr.contains("nothing to go back to: the segment has no criteria actions to undo"))
    }

    @Test func segmentListShowsTheActiveSegments() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.newSegment().status == 0)
        #expect(try campaign.run(["segment", "add-contacts", "SM00002.yaml", "--where", "Country=NL"]).status == 0)
        #expect(try campaign.newSegment().status == 0)
        #expect(try campaign.run(["segment", "add-contacts", "SM00003.yaml", "--where", "Country=BE"]).status == 0)
        // SM00001 (the sample) is listed unless the quick start logged the repository's copy; SM00090 is the sample phone campaign.
        let samples: Set<String> = ["SM00001", "SM00090"]
        var listed = try campaign.json(["segment", "list", "--folder", campaign.workspace.segments.path])
        #expect(listed.compactMap { $0["no"] as? String }.filter { !samples.contains($0) } == ["SM00002", "SM00003"])
        #expect(try campaign.log("SM00003.yaml").status == 0)
        listed = try campaign.json(["segment", "list", "--folder", campaign.workspace.segments.path])
        #expect(listed.compactMap { $0["no"] as? String }.filter { !samples.contains($0) } == ["SM00002"])
        #expect(try campaign.log("SM00001.yaml").status == 0)
        let table = try campaign.run(["segment", "list"])
        let nl = try Segment.load(path: campaign.segment("SM00002.yaml").path).lines.count
        #expect(table.status == 0 && table.stdout.contains("SM00002") && table.stdout.contains("Spring mailing"))
        #expect(table.stdout.contains("DIRECTMAIL") && table.stdout.contains("2026-12-01") && table.stdout.contains(" \(nl) "))
        #expect(!table.stdout.contains("SM00001"))
    }

    @Test func aLineMayHaveItsOwnAttachmentInsideTheTemplatesFolderOnly() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        var sample = try String(contentsOf: campaign.workspace.segment, encoding: .utf8)
        sample = sample.replacingOccurrences(
            of: "  - lineNo: 10000\n    contactNo: CT000001\n", with: "  - lineNo: 10000\n    contactNo: CT000001\n    attachment: Event_EN.docx\n")
        try sample.write(to: campaign.workspace.segment, atomically: true, encoding: .utf8)
        let logged = try campaign.log("SM00001.yaml")
        #expect(logged.status == 0, "\(logged.stderr)")
        let first = try DocxInspector(path: campaign.workspace.letters.appendingPathComponent("SM00001").path + "/" + firstLetter(campaign, "SM00001"))
        #expect(first.paragraphs.values.joined().joined().contains("Your personal invitation"))

        for bad in ["../Templates/Event_EN.docx", "/etc/passwd", "sub/../../x.docx"] {
            let text = sample.replacingOccurrences(of: "attachment: Event_EN.docx", with: "attachment: '\(bad)'")
                .replacingOccurrences(of: "no: SM00001", with: "no: SM00050")
            try text.write(to: campaign.segment("bad.yaml"), atomically: true, encoding: .utf8)
            let refused = try campaign.log("bad.yaml")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("lineNo 10000: attachment '\(bad)' must be a file inside the templates folder"), "\(refused.stderr)")
        }
    }

    @Test func salespeopleSingleInteractionsAndPostponedOnes() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        let body = ["SalespersonName", "SalespersonEmail", "SalespersonPhone", "Subject", "Description"]
            .map { "<w:p>" + WordTemplateBuilder.mergeField($0) + "</w:p>" }.joined()
        try WordTemplateBuilder.write(to: campaign.templates.appendingPathComponent("Note.docx"), body: body)
        let catalogue = campaign.templates.appendingPathComponent("templates.yaml")
        try
            (String(contentsOf: catalogue, encoding: .utf8)
            + "\n  - code: SALESNOTE\n    description: Note from your salesperson\n    attachment: Note.docx\n")
            .write(to: catalogue, atomically: true, encoding: .utf8)
        func interaction(_ arguments: [String]) throws -> CLI.Result {
            try campaign.run(
                ["interaction"] + arguments + [
                    "--contacts", campaign.contacts, "--templates", campaign.templates.path,
                    "--out", campaign.workspace.letters.path, "--db", campaign.db,
                ])
        }
        let created = try interaction(["create", "--contact", "CT000009", "--template", "SALESNOTE", "--salesperson", "LT"])
        #expect(created.status == 0, "\(created.stderr)")
        let document = try #require(created.stdout.split(separator: " ").last.map(String.init))
        let text = try DocxInspector(path: document.trimmingCharacters(in: .whitespacesAndNewlines)).text("word/document.xml")
        #expect(text.contains("Linda Thomas") && text.contains("linda.thomas@cronus.example") && text.contains("+44 20 7946 0100"))
        #expect(try campaign.json(["log", "list", "--salesperson", "lt", "--db", campaign.db]).count == 1)
        #expect(try campaign.json(["log", "list", "--salesperson", "JO", "--db", campaign.db]).isEmpty)

        #expect(try interaction(["create", "--contact", "CT000002", "--template", "SALESNOTE", "--salesperson", "OF", "--postpone"]).status == 0)
        #expect(try interaction(["create", "--contact", "CT000003", "--template", "SALESNOTE", "--postpone"]).status == 0)
        func postponed(_ filter: [String]) throws -> [Int] {
            try campaign.json(["interaction", "postponed"] + filter + ["--db", campaign.db]).compactMap { $0["entryNo"] as? Int }
        }
        #expect(try postponed([]) == [2, 3])
        #expect(try postponed(["--contact", "ct000002"]) == [2])
        #expect(try postponed(["--salesperson", "OF"]) == [2])
        #expect(try postponed(["--contact", "CT000003", "--salesperson", "OF"]).isEmpty)

        let resumed = try campaign.run([
            "interaction", "resume", "2", "--description", "Called back", "--subject", "New offer", "--db", campaign.db,
        ])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let entry = try #require(try campaign.json(["log", "list", "--contact", "CT000002", "--db", campaign.db]).first)
        #expect(entry["description"] as? String == "Called back" && entry["subject"] as? String == "New offer")
        #expect(entry["salespersonCode"] as? String == "OF" && entry["postponed"] as? Bool == false)
        let resumedText = try DocxInspector(path: entry["documentPath"] as? String ?? "").text("word/document.xml")
        #expect(resumedText.contains("Otis Falls") && resumedText.contains("New offer") && resumedText.contains("Called back"))
        #expect(try postponed([]) == [3])
    }

    @Test func attemptFailedAndEvaluationAreRecorded() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        #expect(try campaign.log("SM00001.yaml").status == 0)
        let failed = try campaign.run(["log", "set-attempt-failed", "3", "5", "--db", campaign.db])
        #expect(failed.status == 0 && failed.stdout.contains("set attempt failed on 2 entries: 3, 5"))
        #expect(try campaign.json(["log", "list", "--status", "attempt-failed", "--db", campaign.db]).compactMap { $0["entryNo"] as? Int } == [3, 5])

        let evaluated = try campaign.run(["log", "evaluate", "4", "--evaluation", "very-positive", "--db", campaign.db])
        #expect(evaluated.status == 0 && evaluated.stdout.contains("evaluated interaction log entry 4 (contact CT000004): very-positive"))
        let entry = try campaign.json(["log", "list", "--db", campaign.db]).first { $0["entryNo"] as? Int == 4 }
        #expect(entry?["evaluation"] as? String == "very-positive")
        #expect(try campaign.run(["log", "list", "--db", campaign.db]).stdout.contains("very-positive"))

        let bad = try campaign.run(["log", "evaluate", "4", "--evaluation", "great", "--db", campaign.db])
        #expect(bad.status != 0 && bad.stderr.contains("very-positive"))
        #expect(try campaign.run(["log", "cancel", "6", "--db", campaign.db]).status == 0)
        let canceled = try campaign.run(["log", "set-attempt-failed", "7", "6", "--db", campaign.db])
        #expect(canceled.status == 1 && canceled.stderr.contains("interaction log entry 6 is canceled already"))
        #expect(try campaign.json(["log", "list", "--status", "attempt-failed", "--db", campaign.db]).count == 2)
    }

    @Test func templatesListShowsTheCatalogue() throws {
        let campaign = try Campaign()
        defer { campaign.remove() }
        let table = try campaign.run(["templates", "list", "--templates", campaign.templates.path])
        #expect(table.status == 0, "\(table.stderr)")
        for text in ["DIRECTMAIL", "Direct mail letter", "DirectMail_EN.docx", "NL: DirectMail_NL.docx", "EVENT", "LABELS", "1.25"] {
            #expect(table.stdout.contains(text), "\(text)")
        }
        let listed = try campaign.json(["templates", "list", "--templates", campaign.templates.path])
        #expect(listed.compactMap { $0["code"] as? String }.contains("WIZARD"))
    }

    @Test(arguments: [
        ["segment", "go-back"], ["segment", "list"], ["log", "set-attempt-failed"], ["log", "evaluate"], ["templates", "list"],
    ])
    func newCommandsHaveHelp(_ command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        #expect(result.status == 0 && result.stdout.contains("OVERVIEW:"))
    }
}

/// Results collected from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<CLI.Result, any Error>] = []

    func append(_ result: Result<CLI.Result, any Error>) {
        lock.lock()
        stored.append(result)
        lock.unlock()
    }

    var values: [Result<CLI.Result, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
