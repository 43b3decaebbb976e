import Foundation
import Testing

/// `merge --rows NAME=FILE.json`: child tables from JSON arrays of flat objects, merged exactly
/// as the same rows from CSV; nested objects, other shapes and files over the bound are refused
/// (nested arrays of objects are nested tables: `NestedJSONRowsTests`).
@Suite(.serialized)
struct JSONChildRowsTests {
    typealias Regions = RegionMergeTests

    static func writeJSON(_ w: Regions.Workspace, _ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: w.dir.appendingPathComponent(name))
        return w.path(name)
    }

    static func mergeJSON(_ w: Regions.Workspace, invoices: String = "invoices.json", out: String = "out-json") throws -> RunResult {
        try CLI.run([
            "merge", w.template, w.path("contacts.csv"), "--out", w.path(out), "--name", "{ContactNo}.docx",
            "--rows", "Invoices=\(w.path(invoices))", "--rows", "Orders=\(w.path("orders.json")):ContactNo",
            "--rows", "OrderLines=\(w.path("lines.json")):Orders.OrderNo", "--key", "ContactNo",
        ])
    }

    /// The workspace's CSV child files as JSON: numbers as numbers (but "1,000.25", a text), one row's Due as null.
    static func jsonFiles(_ w: Regions.Workspace) throws {
        var invoices: [String] = (1...250).map {
            "{\"InvoiceNo\": \"INV-3-\(String(format: "%03d", $0))\", \"ContactNo\": \"C3\", \"Amount\": \($0).25, \"Due\": \"2026-12-\(String(format: "%02d", $0 % 28 + 1))\"}"
        }
        invoices += [
            #"{"InvoiceNo": "INV-1-1", "ContactNo": "C1", "Amount": 10.50, "Due": "2026-12-01"}"#,
            #"{"InvoiceNo": "INV-9-1", "ContactNo": "C9", "Amount": 99, "Due": "2026-12-09"}"#,
            #"{"ContactNo": "C1", "InvoiceNo": "INV-1-2", "Amount": "1,000.25", "Due": "2026-12-02"}"#,
            #"{"InvoiceNo": "INV-1-3", "ContactNo": "C1", "Amount": 5, "Due": "2026-12-03"}"#,
        ]
        _ = try writeJSON(w, "invoices.json", "[\n" + invoices.joined(separator: ",\n") + "\n]\n")
        _ = try writeJSON(
            w, "orders.json", #"[{"OrderNo": "O1", "ContactNo": "C1"}, {"OrderNo": "O2", "ContactNo": "C1"}, {"OrderNo": "O3", "ContactNo": "C3"}]"#)
        _ = try writeJSON(
            w, "lines.json",
            #"[{"OrderNo": "O2", "Product": "Gadget", "Qty": 1}, {"OrderNo": "O1", "Product": "Widget", "Qty": 2}, "#
                + #"{"OrderNo": "O1", "Product": "Sprocket", "Qty": 5}, {"OrderNo": "O3", "Product": "Bolt", "Qty": 100}]"#)
    }

    @Test func jsonRowsMergeExactlyAsTheSameCSVRows() throws {
        let w = try Regions.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        try Self.jsonFiles(w)
        let csv = try Regions.merge(w)
        #expect(csv.status == 0, "\(csv.stderr)")
        let json = try Self.mergeJSON(w)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stderr.contains("1 row of table Invoices for keys no record has (first: C9)"), "\(json.stderr)")
        for contact in ["C1", "C2", "C3"] {
            let fromCSV = try DocxInspector(path: w.path("out/\(contact).docx")).paragraphs["word/document.xml"] ?? []
            let fromJSON = try DocxInspector(path: w.path("out-json/\(contact).docx")).paragraphs["word/document.xml"] ?? []
            #expect(fromJSON == fromCSV, "\(contact)")
        }
        let alice = try DocxInspector(path: w.path("out-json/C1.docx")).paragraphs["word/document.xml"] ?? []
        #expect(
            alice.starts(with: [
                "Statement for Alice Archer", "Invoice", "Amount", "INV-1-1", "10.50", "INV-1-2", "1000.25", "INV-1-3", "5.00", "Total", "1015.75",
            ]))
        #expect(alice.contains("Order O1 for Alice Archer") && alice.contains("Sprocket") && alice.contains("x 5"))
    }

    @Test func nestedArraysOtherShapesAndMissingKeysAreRefused() throws {
        let w = try Regions.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        try Self.jsonFiles(w)
        let cases: [(String, String)] = [
            (
                #"[{"InvoiceNo": "A", "ContactNo": "C1", "Lines": [1, 2]}]"#,
                "element 1, \"Lines\", element 1 is not an object {…} (the file of --rows Invoices); each row is one object"
            ),
            (#"[{"InvoiceNo": "A", "ContactNo": "C1", "Customer": {"Name": "x"}}]"#, "element 1, \"Customer\": an object (the file of --rows Invoices)"),
            (#"{"InvoiceNo": "A", "ContactNo": "C1"}"#, "not a JSON array of objects (the file of --rows Invoices)"),
            (#"[{"InvoiceNo": "A", "ContactNo": "C1"}, 7]"#, "element 2 of the array is not an object"),
            (#"[{"InvoiceNo": "A", "Contact": "C1"}]"#, "no column ContactNo, the key of --rows Invoices; the objects' keys are Contact, InvoiceNo"),
            (#"[{"InvoiceNo": "A", "ContactNo": "C1""#, "not a JSON array of objects"),
        ]
        for (text, message) in cases {
            _ = try Self.writeJSON(w, "bad.json", text)
            let result = try Self.mergeJSON(w, invoices: "bad.json", out: "out-bad")
            #expect(result.status == 1, "\(text)")
            #expect(result.stderr.contains(w.path("bad.json") + ": " + message), "\(text): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: w.path("out-bad/C1.docx")))
        }
    }

    /// A JSON child file is read into memory whole: one over the bound is refused by its size, before it is read.
    @Test func jsonFileOverTheBoundIsRefusedBeforeReading() throws {
        let w = try Regions.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        try Self.jsonFiles(w)
        let big = w.path("big.json")
        #expect(FileManager.default.createFile(atPath: big, contents: Data("[".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: UInt64(64 << 20) + 1)  // sparse: no 64 MB written
        try handle.close()
        let started = Date()
        let result = try Self.mergeJSON(w, invoices: "big.json", out: "out-big")
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "\(big): the JSON file (the file of --rows Invoices) is 67108865 bytes; a JSON child file is read into memory and may be at most 64 MB"),
            "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        let help = try CLI.run(["merge", "--help"])
        #expect(help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("read into memory whole, so at most 64 MB"), "\(help.stdout)")
    }
}
