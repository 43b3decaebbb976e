import Foundation
import Segments
import Testing

/// `mailmerge segment new|add-contacts|reduce-contacts|refine-contacts|criteria|from-logged`
/// end to end, checking the segment files written.
@Suite(.serialized)
struct SegmentBuildingTests {
    func contactsCSV(_ workspace: SampleWorkspace) -> String {
        workspace.segments.appendingPathComponent("contacts.csv").path
    }

    /// `segment new NO` beside the sample contacts; returns the file.
    func newSegment(_ workspace: SampleWorkspace, _ no: String, template: String = "DIRECTMAIL") throws -> URL {
        let file = workspace.segments.appendingPathComponent(no + ".yaml")
        let result = try CLI.run([
            "segment", "new", no, "--description", "Built \(no)", "--template", template,
            "--contacts", contactsCSV(workspace), "--date", "2026-12-01",
            "--templates", Paths.templates.path, "--file", file.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return file
    }

    func segment(_ action: String, _ file: URL, _ criteria: String) throws -> CLI.Result {
        try CLI.run(["segment", action, file.path, "--where", criteria])
    }

    func contactNos(_ file: URL) throws -> [String] {
        try Segment.load(path: file.path).lines.map(\.contactNo)
    }

    @Test func newAddReduceRefineBuildTheLinesAndRecordTheCriteria() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let contacts = try ContactDirectory.load(csv: contactsCSV(workspace)).contacts
        let file = try newSegment(workspace, "SM00010")
        let created = try Segment.load(path: file.path)
        #expect(created.header.no == "SM00010" && created.header.templateCode == "DIRECTMAIL")
        #expect(created.header.date == Day("2026-12-01") && created.header.contacts == "contacts.csv")
        #expect(created.lines.isEmpty && created.criteria.isEmpty)

        let added = try segment("add-contacts", file, "country=NL AND city=Amst*")
        #expect(added.status == 0, "\(added.stderr)")
        let amsterdam = contacts.filter { $0.countryRegionCode == "NL" && $0.city.hasPrefix("Amst") }.map(\.no)
        #expect(!amsterdam.isEmpty)
        #expect(try contactNos(file) == amsterdam)
        #expect(try Segment.load(path: file.path).lines.map(\.lineNo) == amsterdam.indices.map { ($0 + 1) * 10000 })

        // Overlapping criteria: the Amsterdam contacts are not added twice.
        #expect(try segment("add-contacts", file, "Country=NL OR Country=BE").status == 0)
        let benelux = contacts.filter { ["NL", "BE"].contains($0.countryRegionCode) }.map(\.no)
        #expect(try contactNos(file) == amsterdam + benelux.filter { !amsterdam.contains($0) })
        #expect(Set(try contactNos(file)).count == benelux.count)

        #expect(try segment("reduce-contacts", file, "ContactType=Company").status == 0)
        let persons = Set(contacts.filter { $0.type == .person }.map(\.no))
        #expect(try contactNos(file) == (amsterdam + benelux.filter { !amsterdam.contains($0) }).filter(persons.contains))

        #expect(try segment("refine-contacts", file, "PostCode=1000..1999").status == 0)
        let inRange = Set(contacts.filter { $0.postCode >= "1000" && $0.postCode <= "1999" }.map(\.no))
        let final = try contactNos(file)
        #expect(!final.isEmpty && final.allSatisfy { inRange.contains($0) && persons.contains($0) })

        let built = try Segment.load(path: file.path)
        #expect(built.criteria.map(\.action.rawValue) == ["add-contacts", "add-contacts", "reduce-contacts", "refine-contacts"])
        #expect(
            built.criteria.map(\.expression) == [
                "country=NL AND city=Amst*", "Country=NL OR Country=BE",
                "ContactType=Company", "PostCode=1000..1999",
            ])
        // The built segment logs like any other.
        let logged = try workspace.logSegment(file)
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(try workspace.logEntries(["--segment", "SM00010"]).count == final.count)
    }

    @Test func badCriteriaLeaveTheSegmentFileUnchanged() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let file = try newSegment(workspace, "SM00011")
        #expect(try segment("add-contacts", file, "Country=BE").status == 0)
        let before = try Data(contentsOf: file)

        let syntax = try segment("add-contacts", file, "Country=NL AND City=")
        #expect(syntax.status == 1)
        let lines = syntax.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].contains("criteria, column 21: expected a value after '='"))
        #expect(lines[1] == "error:   Country=NL AND City=")
        #expect(lines[2] == "error:   " + String(repeating: " ", count: 20) + "^")

        let nothing = try segment("refine-contacts", file, "City=Atlantis")
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("no contact matches the criteria 'City=Atlantis'"))

        let unknownField = try segment("reduce-contacts", file, "Country=BE AND Town=Gent")
        #expect(unknownField.status == 1)
        #expect(unknownField.stderr.contains("column 16: 'Town' is not a column of the contacts CSV"))

        let missingWhere = try CLI.run(["segment", "add-contacts", file.path])
        #expect(missingWhere.status != 0 && missingWhere.stderr.contains("--where"))

        #expect(try Data(contentsOf: file) == before)
    }

    @Test func newRefusesAnUnknownTemplateAndAnExistingFile() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let file = workspace.segments.appendingPathComponent("SM00012.yaml")
        let unknown = try CLI.run([
            "segment", "new", "SM00012", "--description", "X", "--template", "LETTER",
            "--contacts", contactsCSV(workspace), "--templates", Paths.templates.path, "--file", file.path,
        ])
        #expect(unknown.status == 1 && unknown.stderr.contains("template code 'LETTER'"))
        #expect(!FileManager.default.fileExists(atPath: file.path))

        let existing = try CLI.run([
            "segment", "new", "SM00001", "--description", "X", "--template", "EVENT",
            "--contacts", contactsCSV(workspace), "--templates", Paths.templates.path,
            "--file", workspace.segment.path,
        ])
        #expect(existing.status == 1 && existing.stderr.contains("exists already"))
        #expect(try Segment.load(path: workspace.segment.path).lines.count == 25)

        let noContacts = try CLI.run([
            "segment", "new", "SM00013", "--description", "X", "--template", "EVENT",
            "--contacts", workspace.root.appendingPathComponent("missing.csv").path,
            "--templates", Paths.templates.path, "--file", file.path,
        ])
        #expect(noContacts.status == 1 && noContacts.stderr.contains("missing.csv"))
    }

    @Test func savedCriteriaAreReappliedToAnotherSegment() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let first = try newSegment(workspace, "SM00020")
        #expect(try segment("add-contacts", first, "Country=DE OR Country=GB").status == 0)
        #expect(try segment("reduce-contacts", first, "ContactType=Company").status == 0)

        let emptyFile = try newSegment(workspace, "SM00021")
        let nothingToSave = try CLI.run(["segment", "criteria", "save", "EMPTY", "--from", emptyFile.path])
        #expect(nothingToSave.status == 1 && nothingToSave.stderr.contains("no criteria actions to save"))

        let saved = try CLI.run(["segment", "criteria", "save", "DE-GB-PERSONS", "--from", first.path, "--description", "People in DE and GB"])
        #expect(saved.status == 0, "\(saved.stderr)")
        let criteriaFile = workspace.segments.appendingPathComponent("criteria.yaml")
        let library = try CriteriaLibrary.load(path: criteriaFile.path)
        #expect(library["de-gb-persons"]?.steps == (try Segment.load(path: first.path).criteria))
        #expect(library["DE-GB-PERSONS"]?.description == "People in DE and GB")

        let duplicate = try CLI.run(["segment", "criteria", "save", "DE-GB-PERSONS", "--from", first.path])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("--replace"))

        let second = try newSegment(workspace, "SM00022", template: "EVENT")
        let applied = try CLI.run(["segment", "criteria", "apply", "DE-GB-PERSONS", "--to", second.path])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try contactNos(second) == (try contactNos(first)))
        #expect(try Segment.load(path: second.path).criteria == (try Segment.load(path: first.path).criteria))
        #expect(try Segment.load(path: second.path).header.templateCode == "EVENT")

        let unknown = try CLI.run(["segment", "criteria", "apply", "NOPE", "--to", second.path])
        #expect(unknown.status == 1 && unknown.stderr.contains("no saved criteria 'NOPE' (saved: DE-GB-PERSONS)"))

        let listed = try CLI.run(["segment", "criteria", "list", "--criteria-file", criteriaFile.path])
        #expect(listed.status == 0 && listed.stdout.contains("DE-GB-PERSONS") && listed.stdout.contains("reduce-contacts where ContactType=Company"))

        // Another criteria file by option.
        let other = workspace.root.appendingPathComponent("mine.yaml")
        #expect(try CLI.run(["segment", "criteria", "save", "MINE", "--from", first.path, "--criteria-file", other.path]).status == 0)
        #expect(try CriteriaLibrary.load(path: other.path).criteria.map(\.name) == ["MINE"])
    }

    @Test func fromLoggedReusesTheContactsOfALoggedSegment() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        #expect(try workspace.logSegment().status == 0)
        let original = try Segment.load(path: workspace.segment.path)

        let file = workspace.segments.appendingPathComponent("SM00030.yaml")
        let result = try CLI.run([
            "segment", "from-logged", "1", "--no", "SM00030", "--contacts", contactsCSV(workspace),
            "--date", "2026-12-10", "--file", file.path, "--db", workspace.database.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let reused = try Segment.load(path: file.path)
        #expect(reused.header.no == "SM00030")
        #expect(reused.header.description == original.header.description)
        #expect(reused.header.templateCode == original.header.templateCode)
        #expect(reused.header.contacts == "contacts.csv")
        #expect(reused.lines.map(\.contactNo) == original.lines.map(\.contactNo))
        #expect(reused.lines.map(\.lineNo) == reused.lines.indices.map { ($0 + 1) * 10000 })
        // Lines that used another template keep it.
        let eventContacts = original.lines.filter { $0.templateCode == "EVENT" }.map(\.contactNo)
        #expect(reused.lines.filter { $0.templateCode == "EVENT" }.map(\.contactNo) == eventContacts)

        // The new segment logs on its own.
        let logged = try workspace.logSegment(file)
        #expect(logged.status == 0, "\(logged.stderr)")
        #expect(try workspace.logEntries(["--segment", "SM00030"]).count == original.lines.count)

        let unknown = try CLI.run(["segment", "from-logged", "7", "--contacts", contactsCSV(workspace), "--db", workspace.database.path])
        #expect(unknown.status == 1 && unknown.stderr.contains("logged segment 7 does not exist"))

        // Contacts that the chosen contacts CSV lacks are reported.
        let small = workspace.root.appendingPathComponent("small.csv")
        try "ContactNo,City\nCT000001,Amsterdam\n".write(to: small, atomically: true, encoding: .utf8)
        let lacking = try CLI.run([
            "segment", "from-logged", "1", "--no", "SM00031", "--contacts", small.path,
            "--file", workspace.segments.appendingPathComponent("SM00031.yaml").path,
            "--db", workspace.database.path,
        ])
        #expect(lacking.status == 1 && lacking.stderr.contains("contact 'CT000002' of logged segment 1 is not in the contacts CSV"))
        #expect(!FileManager.default.fileExists(atPath: workspace.segments.appendingPathComponent("SM00031.yaml").path))
    }

    @Test(arguments: [
        ["segment"], ["segments"], ["segment", "new"], ["segment", "add-contacts"], ["segment", "reduce-contacts"],
        ["segment", "refine-contacts"], ["segment", "criteria"], ["segment", "criteria", "save"],
        ["segment", "criteria", "apply"], ["segment", "criteria", "list"], ["segment", "from-logged"],
        ["segment", "logged"],
    ])
    func everyCommandHasHelp(_ command: [String]) throws {
        let result = try CLI.run(command + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: mailmerge segment"))
        #expect(result.stdout.contains("OVERVIEW:"))
    }
}
