import Foundation
import Testing

/// Repeating data: `merge --rows` child tables shown by regions (`TableStart:`/`TableEnd:`,
/// `{{#…}}`/`{{^…}}`, rows holding a child table's field), in templates built as Word writes
/// them (complex fields, instructions split over runs), checked in the documents' XML text,
/// with python-docx and in LibreOffice's PDF.
@Suite(.serialized)
struct RegionMergeTests {
    /// A MERGEFIELD as Word writes it after a few edits: the instruction split over three runs.
    static func field(_ name: String, switches: String = "\\* MERGEFORMAT") -> String {
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\"> MERGEFIELD </w:instrText></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\">\(name)</w:instrText></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\"> \(switches) </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:noProof/></w:rPr><w:t>«\(name)»</w:t></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
    }

    static func text(_ t: String) -> String { "<w:r><w:t xml:space=\"preserve\">\(t)</w:t></w:r>" }
    static func paragraph(_ content: String) -> String { "<w:p>\(content)</w:p>" }
    static func cell(_ content: String, width: Int = 3000) -> String {
        "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr><w:p>\(content)</w:p></w:tc>"
    }
    static func table(_ rows: String) -> String {
        "<w:tbl><w:tblPr><w:tblW w:w=\"6000\" w:type=\"dxa\"/><w:tblBorders><w:insideH w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr>"
            + "<w:tblGrid><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"3000\"/></w:tblGrid>\(rows)</w:tbl>"
    }
    static let headerRow = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" + cell(text("Invoice")) + cell(text("Amount")) + "</w:tr>"

    /// The statement: an invoice table (TableStart/TableEnd in one row, header row repeated on
    /// every page, a total row with `Invoices.Sum:Amount`), `{{^Invoices}}`, a `{{#Invoices}}`
    /// paragraph section, and a paragraph-block region of Orders holding a table whose row
    /// repeats per order line (a child field, no markers).
    static func statement(to url: URL) throws {
        let invoiceRow =
            "<w:tr>" + cell(field("TableStart:Invoices") + field("InvoiceNo")) + cell(field("Amount", switches: "\\# \"0.00\"") + field("TableEnd:Invoices"))
            + "</w:tr>"
        let totalRow = "<w:tr>" + cell(text("Total")) + cell(field("Invoices.Sum:Amount", switches: "\\# \"0.00\"")) + "</w:tr>"
        // Word's own total: a formula field whose stale result must be recomputed.
        let formula =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> = SUM(</w:instrText></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\">ABOVE) \\# \"0.00\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
            + "<w:r><w:rPr><w:b/></w:rPr><w:t>999.99</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let sumRow = "<w:tr>" + cell(text("Sum")) + cell(formula) + "</w:tr>"
        let lineRow = "<w:tr>" + cell(field("OrderLines.Product")) + cell(text("x ") + field("Qty")) + "</w:tr>"
        // IF over a child row's field, its nested MERGEFIELD split over runs.
        let ifLarge =
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>"
            + field("Amount", switches: "") + "<w:r><w:instrText xml:space=\"preserve\"> &gt; 100 \"(large)\" </w:instrText></w:r>"
            + "<w:r><w:instrText xml:space=\"preserve\">\"(small)\" </w:instrText></w:r>"
            + "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>(small)</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        let body =
            paragraph(text("Statement for ") + field("FullName"))
            + table(headerRow + invoiceRow + totalRow + sumRow)
            + paragraph(text("Invoices: ") + field("Invoices.Count"))
            + paragraph(text("{{^Invoices}}")) + paragraph(text("No open invoices.")) + paragraph(text("{{/Invoices}}"))
            + paragraph(text("{{#Invoices}}")) + paragraph(text("Due {{Due}}: {{InvoiceNo}} ") + ifLarge) + paragraph(text("{{/Invoices}}"))
            + paragraph(field("TableStart:Orders")) + paragraph(text("Order ") + field("OrderNo") + text(" for ") + field("FullName"))
            + table(lineRow) + paragraph(field("TableEnd:Orders"))
            + paragraph(text("End of statement."))
        try WordTemplateBuilder.write(to: url, body: body)
    }

    struct Workspace {
        let dir: URL
        let template: String
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func write(_ name: String, _ lines: [String]) throws -> String {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent(name))
            return path(name)
        }
    }

    /// Three contacts with 3, 0 and 250 invoices (C9 has invoices but is no contact), orders and lines.
    static func workspace() throws -> Workspace {
        let dir = try Paths.temporaryDirectory("regions")
        let template = dir.appendingPathComponent("statement.docx")
        try statement(to: template)
        let w = Workspace(dir: dir, template: template.path)
        _ = try w.write("contacts.csv", ["ContactNo,FullName", "C1,Alice Archer", "C2,Bob Baker", "C3,Carol Cook"])
        var invoices = ["InvoiceNo,ContactNo,Amount,Due"]
        // Unsorted on purpose: C3's rows first, C1's interleaved with C9's.
        invoices += (1...250).map { "INV-3-\(String(format: "%03d", $0)),C3,\($0).25,2026-12-\(String(format: "%02d", $0 % 28 + 1))" }
        invoices += ["INV-1-1,C1,10.50,2026-12-01", "INV-9-1,C9,99.00,2026-12-09", "INV-1-2,C1,\"1,000.25\",2026-12-02", "INV-1-3,C1,5,2026-12-03"]
        _ = try w.write("invoices.csv", invoices)
        _ = try w.write("orders.csv", ["OrderNo,ContactNo", "O1,C1", "O2,C1", "O3,C3"])
        _ = try w.write("lines.csv", ["OrderNo,Product,Qty", "O2,Gadget,1", "O1,Widget,2", "O1,Sprocket,5", "O3,Bolt,100"])
        return w
    }

    static func merge(_ w: Workspace, _ extra: [String] = []) throws -> RunResult {
        try CLI.run(
            [
                "merge", w.template, w.path("contacts.csv"), "--out", w.path("out"), "--name", "{ContactNo}.docx",
                "--rows", "Invoices=\(w.path("invoices.csv"))", "--rows", "Orders=\(w.path("orders.csv"))",
                "--rows", "OrderLines=\(w.path("lines.csv")):Orders.OrderNo", "--key", "ContactNo",
            ] + extra)
    }

    static func lines(_ w: Workspace, _ contact: String) throws -> [String] {
        try DocxInspector(path: w.path("out/\(contact).docx")).paragraphs["word/document.xml"] ?? []
    }

    @Test func statementRepeatsRowsSectionsAndNestedRegions() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        let result = try Self.merge(w)
        #expect(result.status == 0, "\(result.stderr)")
        // Unknown keys are reported, not merged.
        #expect(result.stderr.contains("1 row of table Invoices for keys no record has (first: C9)"), "\(result.stderr)")

        let alice = try Self.lines(w, "C1")
        #expect(
            alice == [
                "Statement for Alice Archer", "Invoice", "Amount", "INV-1-1", "10.50", "INV-1-2", "1000.25", "INV-1-3", "5.00", "Total", "1015.75", "Sum",
                "1015.75",
                "Invoices: 3", "Due 2026-12-01: INV-1-1 (small)", "Due 2026-12-02: INV-1-2 (large)", "Due 2026-12-03: INV-1-3 (small)",
                "Order O1 for Alice Archer", "Widget", "x 2", "Sprocket", "x 5", "Order O2 for Alice Archer", "Gadget", "x 1",
                "End of statement.",
            ], "\(alice)")
        let bob = try Self.lines(w, "C2")
        #expect(
            bob == ["Statement for Bob Baker", "Invoice", "Amount", "Total", "0.00", "Sum", "0.00", "Invoices: 0", "No open invoices.", "End of statement."],
            "\(bob)")
        let carol = try Self.lines(w, "C3")
        let numbers = carol.filter { $0.hasPrefix("INV-3-") && !$0.hasPrefix("Due") }
        #expect(numbers == (1...250).map { "INV-3-\(String(format: "%03d", $0))" })
        #expect(carol.filter { $0 == "31437.50" }.count == 2)  // 250 × 251 / 2 + 250 × 0.25, by Sum:Amount and by = SUM(ABOVE)
        let xml = try DocxInspector(path: w.path("out/C3.docx")).xml["word/document.xml"] ?? ""
        #expect(xml.contains("SUM(") && !xml.contains("999.99"), "the formula stays a field, its result recomputed")
        #expect(carol.contains("Order O3 for Carol Cook") && carol.contains("Bolt"))
        #expect(!carol.contains { $0.contains("«") || $0.contains("{{") })

        // python-docx reads every document, the tables' cells in order.
        let texts = try ExternalCheck.pythonDocxText(["C1", "C2", "C3"].map { URL(fileURLWithPath: w.path("out/\($0).docx")) })
        #expect(texts[0].contains("INV-1-1\n10.50\nINV-1-2\n1000.25\nINV-1-3\n5.00\nTotal\n1015.75"), "\(texts[0])")
        #expect(!texts[1].contains("INV-"))
        #expect(texts[2].contains("INV-3-249\n249.25\nINV-3-250\n250.25\nTotal\n31437.50"))
    }

    @Test(.enabled(if: ExternalCheck.soffice != nil && ExternalCheck.pdftotext != nil, "needs LibreOffice and pdftotext"))
    func pdfShowsRowsInOrderTotalsAndRepeatedHeader() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        let result = try Self.merge(w)
        #expect(result.status == 0, "\(result.stderr)")
        let pdf = try ExternalCheck.pdfText([URL(fileURLWithPath: w.path("out/C3.docx")), URL(fileURLWithPath: w.path("out/C1.docx"))])
        let pages = pdf[0].components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count >= 3, "250 rows flow over several pages")
        // Pages of the table (the {{#Invoices}} section's "Due …" lines follow it): each starts with the header row.
        let tablePages = pages.filter { $0.contains("INV-3-") && !$0.contains("Due 2026") }
        #expect(tablePages.count >= 2, "the 250-row table flows over pages")
        for page in tablePages {
            #expect(page.contains("Invoice") && page.contains("Amount"), "the header row repeats on every page: \(page.prefix(200))")
        }
        let all = pdf[0]
        var position = all.startIndex
        for n in 1...250 {
            let number = "INV-3-\(String(format: "%03d", n))"
            guard let found = all.range(of: number, range: position..<all.endIndex) else {
                Issue.record("\(number) missing or out of order")
                break
            }
            position = found.upperBound
        }
        #expect(all.contains("31437.50"))
        #expect(pdf[1].contains("1015.75") && pdf[1].contains("Sprocket"))
    }

    @Test func keepsOneBlankInstanceOrRemovesTheEmptyTable() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        // Bob has no invoices: the invoice table keeps its header and total rows; with
        // --keep-empty-regions one blank invoice row too.
        var result = try Self.merge(w, ["--keep-empty-regions"])
        #expect(result.status == 0, "\(result.stderr)")
        let kept = try Self.lines(w, "C2")
        #expect(kept.starts(with: ["Statement for Bob Baker", "Invoice", "Amount", "", "", "Total", "0.00", "Sum", "0.00"]), "\(kept)")

        // A table that is a header and a region only disappears with --remove-empty-tables.
        let body =
            Self.paragraph(Self.text("Before"))
            + Self.table(
                Self.headerRow + "<w:tr>" + Self.cell(Self.field("TableStart:Invoices") + Self.field("InvoiceNo"))
                    + Self.cell(Self.field("Amount") + Self.field("TableEnd:Invoices")) + "</w:tr>") + Self.paragraph(Self.text("After"))
        try WordTemplateBuilder.write(to: URL(fileURLWithPath: w.template), body: body)
        try? FileManager.default.removeItem(atPath: w.path("out"))
        result = try Self.merge(w, ["--remove-empty-tables"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.lines(w, "C2") == ["Before", "After"])
        #expect(try Self.lines(w, "C1").prefix(5) == ["Before", "Invoice", "Amount", "INV-1-1", "10.50"])
    }

    @Test func sortedFilesAreReadInStepAndAKeyOutOfOrderIsAnError() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        var invoices = ["InvoiceNo,ContactNo,Amount,Due", "INV-0-1,C0,1,2026-12-01", "INV-1-1,C1,10.50,2026-12-01", "INV-1-2,C1,2,2026-12-02"]
        invoices += (1...3).map { "INV-3-00\($0),C3,\($0),2026-12-0\($0)" }
        _ = try w.write("invoices.csv", invoices)
        _ = try w.write("orders.csv", ["OrderNo,ContactNo", "O1,C1", "O3,C3"])
        _ = try w.write("lines.csv", ["OrderNo,Product,Qty", "O1,Widget,2", "O3,Bolt,100"])
        var result = try Self.merge(w, ["--rows-sorted"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1 row of table Invoices for keys no record has (first: C0)"), "\(result.stderr)")
        #expect(try Self.lines(w, "C1").contains("12.50"))
        #expect(try Self.lines(w, "C3").filter { $0.hasPrefix("INV-3") }.count == 3)

        // C1 again after C3: the file is not sorted as declared.
        _ = try w.write("invoices.csv", invoices + ["INV-1-9,C1,1,2026-12-09"])
        try? FileManager.default.removeItem(atPath: w.path("out"))
        result = try Self.merge(w, ["--rows-sorted"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(w.path("invoices.csv")):8:") && result.stderr.contains("comes after \"C3\""), "\(result.stderr)")
    }

    @Test func regionWithoutRowsAndUnbalancedMarkersAreRefused() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        var result = try CLI.run(["merge", w.template, w.path("contacts.csv"), "--out", w.path("out")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no --rows invoices=FILE"), "\(result.stderr)")
        try WordTemplateBuilder.write(
            to: URL(fileURLWithPath: w.template), body: Self.paragraph(Self.field("TableStart:Invoices")) + Self.paragraph(Self.field("InvoiceNo")))
        result = try Self.merge(w)
        #expect(result.status == 1)
        #expect(result.stderr.contains("region \"Invoices\" has no end"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.path("out/C1.docx")))
    }

    /// docx-mailmerge's own fixture: the grades row repeats once per class row given.
    @Test(.needsWordCorpus) func corpusTableRowRepeatsPerChildRow() throws {
        let dir = try Paths.temporaryDirectory("regions-corpus")
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = Workspace(dir: dir, template: WordCorpus.path("test_merge_table_rows.docx"))
        _ = try w.write("students.csv", ["student_id,student_name,study_name,thesis_grade", "1,Bouke Haarsma,Industrial Engineering and Management,A"])
        _ = try w.write(
            "classes.csv",
            ["student_id,class_code,class_name,class_grade", "1,ECON101,Economics 101,A", "1,ECONADV,Economics Advanced,B", "1,OPRES,Operations Research,A"])
        let result = try CLI.run([
            "merge", w.template, w.path("students.csv"), "--out", w.path("out"), "--rows", "classes=\(w.path("classes.csv")):student_id",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try DocxInspector(path: w.path("out/letter_00001.docx")).text("word/document.xml")
        #expect(text.contains("ECON101\nEconomics 101\nA\nECONADV\nEconomics Advanced\nB\nOPRES\nOperations Research\nA"), "\(text)")
        #expect(text.contains("Bouke Haarsma") && text.contains("THESIS"))
    }
}
