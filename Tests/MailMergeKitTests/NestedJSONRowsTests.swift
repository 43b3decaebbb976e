import Foundation
import Testing

/// `merge --rows Orders=orders.json:KEY` with each order's lines as an array inside it: the array
/// is the nested table `OrderLines`, shown by a `TableStart:OrderLines` region inside the
/// `TableStart:Orders` region and by `{{#OrderLines}}` inside `{{#Orders}}`, merged exactly as
/// the same rows from two CSV files (`--rows OrderLines=lines.csv:Orders.OrderNo`).
@Suite(.serialized)
struct NestedJSONRowsTests {
    typealias Regions = RegionMergeTests

    /// An order statement as Word writes it: a paragraph-block region of Orders (its heading with
    /// the order's `OrderLines.Count` and `OrderLines.Sum:Qty`) holding a table whose row is a
    /// `TableStart:OrderLines`…`TableEnd:OrderLines` region; then the same orders again as
    /// `{{#Orders}}` / `{{#OrderLines}}` sections.
    static func orderStatement(to url: URL) throws {
        let lineRow =
            "<w:tr>" + Regions.cell(Regions.field("TableStart:OrderLines") + Regions.field("Product"))
            + Regions.cell(Regions.text("x ") + Regions.field("Qty") + Regions.field("TableEnd:OrderLines")) + "</w:tr>"
        let body =
            Regions.paragraph(Regions.text("Orders of ") + Regions.field("FullName"))
            + Regions.paragraph(Regions.field("TableStart:Orders"))
            + Regions.paragraph(
                Regions.text("Order ") + Regions.field("OrderNo") + Regions.text(": ") + Regions.field("OrderLines.Count")
                    + Regions.text(" lines, ") + Regions.field("OrderLines.Sum:Qty") + Regions.text(" items"))
            + Regions.table(Regions.headerRow + lineRow)
            + Regions.paragraph(Regions.field("TableEnd:Orders"))
            + Regions.paragraph(Regions.text("{{#Orders}}")) + Regions.paragraph(Regions.text("Summary {{OrderNo}} for {{FullName}}"))
            + Regions.paragraph(Regions.text("{{#OrderLines}}")) + Regions.paragraph(Regions.text("- {{Product}} ({{Orders.OrderNo}})"))
            + Regions.paragraph(Regions.text("{{/OrderLines}}")) + Regions.paragraph(Regions.text("{{/Orders}}"))
            + Regions.paragraph(Regions.text("End."))
        try WordTemplateBuilder.write(to: url, body: body)
    }

    /// The workspace's orders.csv and lines.csv as one JSON file, each order's lines inside it
    /// (`Qty` as numbers, one line without a Qty, O4 of an unknown contact).
    static let nestedOrders = """
        [
          {"OrderNo": "O1", "ContactNo": "C1", "OrderLines": [{"Product": "Widget", "Qty": 2}, {"Product": "Sprocket", "Qty": 5}]},
          {"OrderNo": "O2", "ContactNo": "C1", "OrderLines": [{"Product": "Gadget", "Qty": 1}, {"Product": "Spare"}]},
          {"OrderNo": "O3", "ContactNo": "C3", "OrderLines": [{"Product": "Bolt", "Qty": 100}]},
          {"OrderNo": "O4", "ContactNo": "C9", "OrderLines": [{"Product": "Nut", "Qty": 7}]},
          {"OrderNo": "O5", "ContactNo": "C3", "OrderLines": []}
        ]
        """

    static func workspace() throws -> Regions.Workspace {
        let w = try Regions.workspace()
        try orderStatement(to: URL(fileURLWithPath: w.template))
        _ = try w.write("orders.csv", ["OrderNo,ContactNo", "O1,C1", "O2,C1", "O3,C3", "O4,C9", "O5,C3"])
        _ = try w.write("lines.csv", ["OrderNo,Product,Qty", "O2,Gadget,1", "O1,Widget,2", "O1,Sprocket,5", "O3,Bolt,100", "O2,Spare,", "O4,Nut,7"])
        _ = try JSONChildRowsTests.writeJSON(w, "orders.json", nestedOrders)
        return w
    }

    static func merge(_ w: Regions.Workspace, orders: String, out: String, lines: Bool) throws -> RunResult {
        try CLI.run(
            [
                "merge", w.template, w.path("contacts.csv"), "--out", w.path(out), "--name", "{ContactNo}.docx",
                "--rows", "Orders=\(w.path(orders)):ContactNo",
            ] + (lines ? ["--rows", "OrderLines=\(w.path("lines.csv")):Orders.OrderNo"] : []))
    }

    @Test func nestedJSONMergesExactlyAsTwoCSVFiles() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        let csv = try Self.merge(w, orders: "orders.csv", out: "out-csv", lines: true)
        #expect(csv.status == 0, "\(csv.stderr)")
        let json = try Self.merge(w, orders: "orders.json", out: "out-json", lines: false)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stderr.contains("1 row of table Orders for keys no record has (first: C9)"), "\(json.stderr)")
        for contact in ["C1", "C2", "C3"] {
            let fromCSV = try DocxInspector(path: w.path("out-csv/\(contact).docx")).xml["word/document.xml"]
            let fromJSON = try DocxInspector(path: w.path("out-json/\(contact).docx")).xml["word/document.xml"]
            #expect(fromCSV != nil && fromJSON == fromCSV, "\(contact): the document.xml of both runs is the same")
        }
        let alice = try DocxInspector(path: w.path("out-json/C1.docx")).paragraphs["word/document.xml"] ?? []
        #expect(
            alice == [
                "Orders of Alice Archer",
                "Order O1: 2 lines, 7 items", "Invoice", "Amount", "Widget", "x 2", "Sprocket", "x 5",
                "Order O2: 2 lines, 1 items", "Invoice", "Amount", "Gadget", "x 1", "Spare", "x ",
                "Summary O1 for Alice Archer", "- Widget (O1)", "- Sprocket (O1)", "Summary O2 for Alice Archer", "- Gadget (O2)", "- Spare (O2)",
                "End.",
            ], "\(alice)")
        let carol = try DocxInspector(path: w.path("out-json/C3.docx")).paragraphs["word/document.xml"] ?? []
        #expect(carol.contains("Order O3: 1 lines, 100 items") && carol.contains("Order O5: 0 lines, 0 items") && carol.contains("- Bolt (O3)"), "\(carol)")
        let bob = try DocxInspector(path: w.path("out-json/C2.docx")).paragraphs["word/document.xml"] ?? []
        #expect(bob == ["Orders of Bob Baker", "End."], "\(bob)")
        // python-docx reads them, the nested table's cells in order.
        let texts = try ExternalCheck.pythonDocxText([URL(fileURLWithPath: w.path("out-json/C1.docx"))])
        let text = texts.first ?? ""
        let order = ["Widget", "Sprocket", "Gadget", "Spare"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order.count == 4 && order == order.sorted(), "\(text)")
    }

    @Test func hostileNestedInputIsRefusedNamingElementAndKey() throws {
        let w = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: w.dir) }
        let cases: [(String, String)] = [
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "Customer": {"Name": "x"}}]"#,
                "element 1, \"Customer\": an object (the file of --rows Orders); a value is text, a number, true/false, null, or an array of objects"
            ),
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "OrderLines": [{"Product": "A"}, 7]}]"#,
                "element 1, \"OrderLines\", element 2 is not an object {…} (the file of --rows Orders)"
            ),
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "OrderLines": [{"Product": "A", "Parts": {"No": 1}}]}]"#,
                "element 1, \"OrderLines\", element 1, \"Parts\": an object"
            ),
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "L": [{"S": [{"T": [{"No": 1}]}]}]}]"#,
                "element 1, \"L\", element 1, \"S\", element 1, \"T\": a table nested 4 deep (the file of --rows Orders); "
                    + "a JSON child file nests tables at most 3 deep"
            ),
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "OrderLines": [{"Product": "A"}]}, {"OrderNo": "O2", "ContactNo": "C1", "OrderLines": "none"}]"#,
                "element 2, \"OrderLines\": a value here, a nested table (array) in an earlier row"
            ),
            (
                #"[{"OrderNo": "O1", "ContactNo": "C1", "Orders": [{"Product": "A"}]}]"#,
                "element 1, \"Orders\": a nested table Orders, but the file already has a table Orders"
            ),
        ]
        for (text, message) in cases {
            _ = try JSONChildRowsTests.writeJSON(w, "bad.json", text)
            let result = try Self.merge(w, orders: "bad.json", out: "out-bad", lines: false)
            #expect(result.status == 1, "\(text)")
            #expect(result.stderr.contains(w.path("bad.json") + ": " + message), "\(text): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: w.path("out-bad/C1.docx")))
        }
        let help = try CLI.run(["merge", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("a key holding an array of objects is a nested table of that name"), "\(help)")
        // The nested table's name clashes with a --rows table.
        let clash = try Self.merge(w, orders: "orders.json", out: "out-clash", lines: true)
        #expect(clash.status == 1)
        #expect(
            clash.stderr.contains(
                "the rows hold a nested table OrderLines (arrays under \"OrderLines\"), but --rows OrderLines gives a table of that name too"),
            "\(clash.stderr)")
    }
}
