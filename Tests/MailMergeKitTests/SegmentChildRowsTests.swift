import Foundation
import Testing

/// Child tables in `log-segment`: declared under `rows:` by an interaction template
/// (Templates/templates.yaml) or a segment header, merged into each line's letter as
/// `merge --rows` merges them; checked in the letters' text, with python-docx and in the log.
@Suite(.serialized)
struct SegmentChildRowsTests {
    /// The sample's invoices (Templates/statement-invoices.csv) of `contact`, in file order: number and amount.
    static func sampleInvoices(of contact: String) throws -> [(number: String, amount: Decimal)] {
        let text = try String(contentsOf: Paths.templates.appendingPathComponent("statement-invoices.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 4, fields[1] == contact, let amount = Decimal(string: fields[3]) else { return nil }
            return (fields[0], amount)
        }
    }

    /// `amount` as `\# "#,##0.00"` shows it.
    static func shown(_ amount: Decimal) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.numberStyle = .decimal
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.groupingSize = 3
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        return formatter.string(from: amount as NSDecimalNumber) ?? ""
    }

    /// The paragraphs of the letter of `contact` in `workspace`'s segment `segmentNo`.
    static func letter(_ workspace: SampleWorkspace, _ segmentNo: String, _ contact: String) throws -> [String] {
        let file = try #require(workspace.letterFiles().first { $0.hasPrefix(segmentNo + "/") && $0.contains("-\(contact)-") }, "no letter for \(contact)")
        // `\# "#,##0.00"` pads with spaces as Word does (`  89.80`): compared trimmed.
        return (try DocxInspector(path: workspace.letters.appendingPathComponent(file).path).paragraphs["word/document.xml"] ?? []).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    @Test func sampleStatementsListEachContactsInvoicesAndTotal() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment(workspace.segments.appendingPathComponent("statements/ST00001.yaml"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        #expect(workspace.letterFiles().filter { $0.hasPrefix("ST00001/") }.count == 3)

        for contact in ["CT000002", "CT000007"] {
            let invoices = try Self.sampleInvoices(of: contact)
            let text = try Self.letter(workspace, "ST00001", contact)
            // Each invoice row: number, due date, amount; in file order; then the total row.
            let numbers = text.filter { $0.hasPrefix("INV") }
            #expect(numbers == invoices.map(\.number), "\(contact): \(numbers)")
            for invoice in invoices {
                let row = try #require(text.firstIndex(of: invoice.number))
                #expect(text[row + 2] == Self.shown(invoice.amount), "\(contact) \(invoice.number): \(text[row...(row + 2)])")
            }
            let total = try #require(text.firstIndex(of: "Total"))
            #expect(text[total + 2] == Self.shown(invoices.reduce(0) { $0 + $1.amount }), "\(text[total...])")
            #expect(text.contains("Open invoices: \(invoices.count)."))
            #expect(!text.contains { $0.contains("no open invoices") || $0.contains("«") || $0.contains("{{") })
        }
        let none = try Self.letter(workspace, "ST00001", "CT000003")
        #expect(!none.contains { $0.hasPrefix("INV") })
        #expect(none.contains("Open invoices: 0.") && none.contains("Your account has no open invoices. Thank you for paying on time!"), "\(none)")
        #expect(none[none.firstIndex(of: "Total")! + 2] == "0.00")
        // A line's own fields beside its rows.
        #expect(none.contains { $0.contains("reference ST00001-20000") })

        // One log entry per line, each with its letter.
        let entries = try workspace.logEntries()
        #expect(entries.count == 3)
        #expect(Set(entries.compactMap { $0["contactNo"] as? String }) == ["CT000002", "CT000003", "CT000007"])
    }

    @Test(.enabled(if: ExternalCheck.pythonWithDocx != nil, "needs python3-docx (scripts/setup-debian.sh)"))
    func pythonDocxReadsTheStatementTable() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment(workspace.segments.appendingPathComponent("statements/ST00001.yaml"))
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(workspace.letterFiles().first { $0.contains("-CT000002-") })
        let text = try ExternalCheck.pythonDocxText([workspace.letters.appendingPathComponent(file)])[0]
        let invoices = try Self.sampleInvoices(of: "CT000002")
        let expected =
            invoices.map { "\($0.number)\n" }.joined() + "Total"
        // Cells in order: number, due date, amount per invoice, then the total row.
        let cells = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let numbersInCells = cells.filter { $0.hasPrefix("INV") || $0 == "Total" }.map { "\($0)\n" }.joined()
        #expect(numbersInCells.hasPrefix(expected), "\(text)")
        #expect(cells.joined(separator: "\n").contains("Total\n\n" + Self.shown(invoices.reduce(0) { $0 + $1.amount })), "\(text)")
    }

    /// LibreOffice lays the 60-invoice statement out over pages, the header row on each; pdftotext shows every invoice in order and the total.
    @Test(.enabled(if: ExternalCheck.soffice != nil && ExternalCheck.pdftotext != nil, "needs LibreOffice and pdftotext (scripts/setup-debian.sh)"))
    func pdfOfTheLongStatementShowsEveryInvoiceInOrderAndTheTotal() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let result = try workspace.logSegment(workspace.segments.appendingPathComponent("statements/ST00001.yaml"))
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(workspace.letterFiles().first { $0.contains("-CT000007-") })
        let pdf = try ExternalCheck.pdfText([workspace.letters.appendingPathComponent(file)])[0]
        let pages = pdf.components(separatedBy: "\u{0C}").filter { $0.contains("INV") }
        #expect(pages.count >= 2, "60 rows flow over pages")
        for page in pages { #expect(page.contains("Invoice") && page.contains("Amount (EUR)"), "the header row repeats: \(page.prefix(300))") }
        let invoices = try Self.sampleInvoices(of: "CT000007")
        var position = pdf.startIndex
        for invoice in invoices {
            guard let found = pdf.range(of: invoice.number, range: position..<pdf.endIndex) else {
                Issue.record("\(invoice.number) missing or out of order")
                break
            }
            position = found.upperBound
            // Its row: up to the next invoice number.
            let row = pdf[position...].prefix { $0 != "I" }
            #expect(row.contains(Self.shown(invoice.amount)), "\(invoice.number): \(row)")
        }
        #expect(pdf.contains(Self.shown(invoices.reduce(0) { $0 + $1.amount })) && pdf.contains("Open invoices: 60."))
    }

    /// A segment header's `rows:` replaces the template's table of the same name: here by a JSON file.
    @Test func segmentHeaderOverridesTheTemplatesTableWithJSON() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        try Data(
            """
            [{"InvoiceNo": "DEC-1", "ContactNo": "CT000002", "Due": "2026-12-15", "Amount": 480},
             {"InvoiceNo": "DEC-2", "ContactNo": "CT000099", "Due": "2026-12-16", "Amount": 1.5},
             {"InvoiceNo": "DEC-3", "ContactNo": "CT000002", "Due": "2026-12-31", "Amount": "1,250.50"}]
            """.utf8
        ).write(to: workspace.segments.appendingPathComponent("december.json"))
        let segment = try workspace.writeSegment(
            "ST00002.yaml",
            """
            header:
              no: ST00002
              description: December statements
              templateCode: STATEMENT
              date: 2026-12-31
              contacts: contacts.csv
              rows:
                Invoices: {file: december.json, key: ContactNo}
            lines:
              - lineNo: 10000
                contactNo: CT000002
              - lineNo: 20000
                contactNo: CT000007
            """)
        let result = try workspace.logSegment(segment)
        #expect(result.status == 0, "\(result.stderr)")
        // Rows for a contact no line has are reported, not merged.
        #expect(result.stderr.contains("1 row of table Invoices for keys no record has (first: CT000099); not merged"), "\(result.stderr)")
        let pieter = try Self.letter(workspace, "ST00002", "CT000002")
        #expect(pieter.filter { $0.hasPrefix("DEC-") || $0.hasPrefix("INV") } == ["DEC-1", "DEC-3"], "\(pieter)")
        #expect(pieter.contains("480.00") && pieter.contains("1,250.50") && pieter.contains("1,730.50"), "\(pieter)")
        let other = try Self.letter(workspace, "ST00002", "CT000007")
        #expect(!other.contains { $0.hasPrefix("INV") || $0.hasPrefix("DEC-") } && other.contains("Open invoices: 0."))
        #expect(try workspace.logEntries().count == 2)
    }

    /// A segment with `header` lines `rows` (YAML, indented under `rows:`), logged; nothing may be written or logged.
    static func refused(_ workspace: SampleWorkspace, rows: String, lines: String = "  - lineNo: 10000\n    contactNo: CT000002\n") throws -> (
        segment: URL, stderr: String
    ) {
        let segment = try workspace.writeSegment(
            "ST00003.yaml",
            "header:\n  no: ST00003\n  description: Refused\n  templateCode: STATEMENT\n  date: 2026-12-31\n  contacts: contacts.csv\n  rows:\n"
                + rows + "lines:\n" + lines)
        let result = try workspace.logSegment(segment)
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(workspace.letterFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.database.path))
        return (segment, result.stderr)
    }

    @Test func hostileDeclarationsAreRefusedNamingTheYAMLFileAndKey() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        // A file that does not exist.
        var (segment, stderr) = try Self.refused(workspace, rows: "    Invoices: {file: missing.csv, key: ContactNo}\n")
        #expect(stderr.contains("missing.csv") && stderr.contains("the file of rows Invoices (\(segment.path), line 8)"), "\(stderr)")
        // The key column missing from the child file.
        try Data("InvoiceNo,Customer,Amount\nX1,CT000002,5\n".utf8).write(to: workspace.segments.appendingPathComponent("nokey.csv"))
        (segment, stderr) = try Self.refused(workspace, rows: "    Invoices: {file: nokey.csv, key: ContactNo}\n")
        #expect(stderr.contains("nokey.csv:1: no column ContactNo, the key of rows Invoices (\(segment.path), line 8)"), "\(stderr)")
        // The key column missing from the contacts' fields.
        (segment, stderr) = try Self.refused(workspace, rows: "    Invoices: {file: nokey.csv, key: Customer}\n")
        #expect(stderr.contains("contacts.csv:1: no column Customer, the key of rows Invoices (\(segment.path), line 8)"), "\(stderr)")
        // A misspelt key of the declaration.
        (segment, stderr) = try Self.refused(workspace, rows: "    Invoices: {file: nokey.csv, key: Customer, sortd: true}\n")
        #expect(stderr.contains("\(segment.path):8: unknown key 'sortd' in the header's rows Invoices"), "\(stderr)")
        // A table nested in a table nobody gives.
        (segment, stderr) = try Self.refused(workspace, rows: "    Lines: {file: nokey.csv, key: Orders.OrderNo}\n")
        #expect(stderr.contains("table Lines is keyed by Orders.OrderNo, but there is no table Orders"), "\(stderr)")
        // Declared sorted, but the lines are not in key order.
        (segment, stderr) = try Self.refused(
            workspace, rows: "    Invoices: {file: \(Paths.templates.path)/statement-invoices.csv, key: ContactNo, sorted: true}\n",
            lines: "  - lineNo: 10000\n    contactNo: CT000007\n  - lineNo: 20000\n    contactNo: CT000002\n")
        #expect(stderr.contains("comes after \"CT000007\"") && stderr.contains("sorted: true in rows Invoices"), "\(stderr)")
    }

    /// A template whose attachment repeats a table nobody declares is refused before anything is written.
    @Test func regionWithoutDeclaredRowsIsRefused() throws {
        let workspace = try SampleWorkspace()
        defer { workspace.remove() }
        let templates = workspace.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Paths.templates, to: templates)
        let catalogue = templates.appendingPathComponent("templates.yaml")
        let yaml = try String(contentsOf: catalogue, encoding: .utf8)
        try yaml.replacingOccurrences(of: "    rows:\n      Invoices: { file: statement-invoices.csv, key: ContactNo }\n", with: "")
            .write(to: catalogue, atomically: true, encoding: .utf8)
        let result = try CLI.run([
            "log-segment", workspace.segments.appendingPathComponent("statements/ST00001.yaml").path, "--templates", templates.path,
            "--out", workspace.letters.path, "--db", workspace.database.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Statement_EN.docx: the template repeats table \"invoices\""), "\(result.stderr)")
        #expect(result.stderr.contains("template STATEMENT gives no rows invoices here"), "\(result.stderr)")
        #expect(workspace.letterFiles().isEmpty)
    }
}
