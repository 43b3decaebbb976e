import Foundation
import Testing

/// `mailmerge merge` and `mailmerge fields` as a user runs them: options, errors, nothing half-written.
struct MergeCommandTests {
    /// The template's fields.
    static let columns = ["first_name", "last_name", "address_line", "postal_code", "city", "state", "country", "date"]
    /// A letter with `columns` as complex fields, built once per test run (a folder left in the temporary directory).
    static let template: String = {
        let url =
            (try? Paths.temporaryDirectory("merge-template"))?.appendingPathComponent("letter.docx")
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-merge-template.docx")
        try? TestPackage.letter(fields: columns, to: url)
        return url.path
    }()

    func makeData(_ rows: [[String]], columns: [String] = columns) throws -> (dir: URL, csv: String) {
        let dir = try Paths.temporaryDirectory()
        let csv = ([columns] + rows).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n")
        let path = dir.appendingPathComponent("data.csv")
        try Data(("\u{FEFF}" + csv + "\r\n").utf8).write(to: path)
        return (dir, path.path)
    }

    func documents(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".docx") }.sorted()
    }

    @Test func namesDocumentsFromColumnsAndLimits() throws {
        let rows = (1...5).map { i in ["Ann\(i)", "O'Brien/\(i)", "Street \(i)", "100\(i)", "Gent", "VL", "BE", "2026-11-2\(i)"] }
        let (dir, csv) = try makeData(rows)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run([
            "merge", Self.template, csv, "--out", out.path,
            "--name", "{#:03}-{last_name}.docx", "--limit", "3", "--jobs", "2",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(documents(in: out) == ["001-O'Brien_1.docx", "002-O'Brien_2.docx", "003-O'Brien_3.docx"])
        let text = try DocxInspector(path: out.appendingPathComponent("002-O'Brien_2.docx").path).allText
        #expect(text.contains("Ann2") && text.contains("O'Brien/2") && text.contains("Street 2"))
    }

    @Test func missingColumnIsRefusedBeforeAnythingIsWritten() throws {
        let (dir, csv) = try makeData([["Ann", "Smith"]], columns: ["first_name", "last_name"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", Self.template, csv, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: "))
        #expect(result.stderr.contains("address_line") && result.stderr.contains("word/document.xml"))
        #expect(documents(in: out).isEmpty)
    }

    @Test func missingBlankRendersEmptyFields() throws {
        let (dir, csv) = try makeData([["Ann", "Smith"]], columns: ["first_name", "last_name"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let result = try CLI.run(["merge", Self.template, csv, "--out", out.path, "--missing", "blank"])
        #expect(result.status == 0, "\(result.stderr)")
        let inspector = try DocxInspector(path: out.appendingPathComponent("letter_00001.docx").path)
        #expect(inspector.allText.contains("Ann") && !inspector.xml["word/document.xml"]!.contains("MERGEFIELD"))
    }

    @Test func duplicateNamesStopTheRun() throws {
        let (dir, csv) = try makeData([["Ann", "Same", "", "", "", "", "", ""], ["Bob", "Same", "", "", "", "", "", ""]])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLI.run([
            "merge", Self.template, csv, "--out", dir.appendingPathComponent("out").path,
            "--name", "{last_name}.docx",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("records 1 and 2") && result.stderr.contains("Same.docx"))
    }

    @Test func badInputGetsOneLineErrors() throws {
        let dir = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let notADocx = dir.appendingPathComponent("letter.docx")
        try Data("hello".utf8).write(to: notADocx)
        for arguments in [
            ["merge", notADocx.path, "x.csv", "--out", dir.path],
            ["merge", Self.template, dir.appendingPathComponent("missing.csv").path, "--out", dir.path],
            ["fields", dir.appendingPathComponent("missing.docx").path],
            ["merge", Self.template, "x.csv", "--out", dir.path, "--name", "{oops"],
        ] {
            let result = try CLI.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack"), "\(arguments)")
        }
    }

    @Test func fieldsShowsPartsAndCodes() throws {
        let result = try CLI.run(["fields", Paths.sampleTemplate("DirectMail_EN.docx")])
        #expect(result.status == 0, "\(result.stderr)")
        for part in ["word/document.xml", "word/header1.xml", "word/footer1.xml", "word/footnotes.xml"] {
            #expect(result.stdout.contains(part), "\(part): \(result.stdout)")
        }
        for field in ["MERGEFIELD ContactNo", "MERGEFIELD AddressLine1", "MERGEFIELD AddressLine8", "MERGEFIELD FormalSalutation"] {
            #expect(result.stdout.contains(field), "\(field): \(result.stdout)")
        }
        #expect(!result.stdout.contains("MERGEFIELD CountryRegionCode"), "the letter prints the country name, not the code")
    }

    @Test func helpExplainsTheOptions() throws {
        let result = try CLI.run(["merge", "--help"])
        #expect(result.status == 0)
        for option in ["--out", "--name", "--limit", "--missing", "--jobs"] { #expect(result.stdout.contains(option)) }
    }
}
