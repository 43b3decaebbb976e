import CLibXML2
import WordXML

/// `= SUM(ABOVE)` in a row below a repeating table region, computed per record: the sum of the
/// numbers the region's rows show in the formula's column (each row's cell: its fields' text),
/// formatted by the formula's `\#` picture if it has one. The field stays a field; its result
/// runs are replaced by the sum, so the document and its PDF show the right total without
/// Word updating fields.
struct ColumnSum: Sendable {
    /// The region's table, lowercased.
    let table: String
    /// The fields of the region row's cell in the formula's column, in order.
    let cell: [FieldValue]
    /// The formula's `\#` picture.
    let picture: String?

    func resolve(_ record: MergeRecord) -> String {
        var total = DecimalNumberSum()
        let prefix = table + "."
        for row in record.rows(of: table) ?? [] {
            let scoped = Region.scoped(row, prefix: prefix, in: record)
            var text = ""
            for value in cell { text += (try? value.resolve(scoped, missing: .blank)) ?? "" }
            total.add(text)
        }
        guard let picture, let number = DecimalNumber(parsing: total.text) else { return total.text }
        return NumberPicture.format(number, picture: picture)
    }

    /// Finds `= SUM(ABOVE)` fields in the rows of `rows`'s table below them and makes each
    /// field's result a hole (appended to `holes`).
    static func mark(regionRows rows: [XMLNodePointer], table: String, holes: inout [Hole]) {
        guard let last = rows.last, let document = last.pointee.doc else { return }
        var below: [XMLNodePointer] = []
        var sibling = last.pointee.next
        while let node = sibling {
            if node.isWord("tr") { below.append(node) }
            sibling = node.pointee.next
        }
        for row in below {
            for (column, cell) in row.elementChildren.filter({ $0.isWord("tc") }).enumerated() {
                for formula in formulas(in: cell) {
                    var values: [FieldValue] = []
                    if let regionCell = rows.first?.elementChildren.filter({ $0.isWord("tc") }).dropFirst(column).first {
                        values = RegionMarker.holeIndices(under: regionCell).compactMap { $0 < holes.count ? holes[$0].value : nil }
                    }
                    guard let marker = HoleMarker.node(holes.count, in: document) else { continue }
                    let sum = ColumnSum(table: table, cell: values, picture: formula.picture)
                    holes.append(Hole(value: .columnSum(sum), runProperties: formula.runProperties, original: [], listed: true))
                    for node in formula.result { DOMEdit.remove(node) }
                    switch formula.place {
                    case .before(let node): xmlAddPrevSibling(node, marker)
                    case .inside(let node): xmlAddChild(node, marker)
                    }
                }
            }
        }
    }

    private struct Formula {
        var picture: String?
        /// The result runs (removed), and where the sum goes: before the end `w:fldChar`'s run,
        /// or into the `w:fldSimple`.
        var result: [XMLNodePointer]
        var place: Place
        enum Place {
            case before(XMLNodePointer)
            case inside(XMLNodePointer)
        }
        var runProperties: [UInt8]
    }

    /// The `= SUM(ABOVE)` fields of `cell`: complex fields (instruction over any number of runs)
    /// and `w:fldSimple`.
    private static func formulas(in cell: XMLNodePointer) -> [Formula] {
        var found: [Formula] = []
        for paragraph in cell.elementChildren where paragraph.isWord("p") {
            var instruction: String?
            var separated = false
            var result: [XMLNodePointer] = []
            for child in paragraph.elementChildren {
                if child.isWord("fldSimple") {
                    if let picture = sumPicture(child.wordAttribute("instr") ?? "") {
                        let runs = child.elementChildren.filter { $0.isWord("r") }
                        found.append(Formula(picture: picture, result: runs, place: .inside(child), runProperties: runs.first?.runPropertiesBytes ?? []))
                    }
                    continue
                }
                guard child.isWord("r") else {
                    if separated { result.append(child) }
                    continue
                }
                let type = child.firstWordChild("fldChar")?.wordAttribute("fldCharType")
                if type == "begin" {
                    instruction = ""
                    separated = false
                    result = []
                } else if type == "separate" {
                    separated = instruction != nil
                } else if type == "end" {
                    if let text = instruction, let picture = sumPicture(text) {
                        found.append(
                            Formula(picture: picture, result: result, place: .before(child), runProperties: result.first?.runPropertiesBytes ?? []))
                    }
                    instruction = nil
                    separated = false
                    result = []
                } else if separated {
                    result.append(child)
                } else if instruction != nil {
                    instruction! += child.descendantText("instrText")
                }
            }
        }
        return found
    }

    /// For a `= SUM(ABOVE)` instruction: its `\#` picture ("" when it has none); else nil.
    private static func sumPicture(_ instruction: String) -> String?? {
        let compact = instruction.uppercased().filter { $0 != " " }
        guard compact.hasPrefix("=SUM(ABOVE)") else { return nil }
        guard let switchRange = instruction.range(of: "\\#") else { return .some(nil) }
        var picture = String(instruction[switchRange.upperBound...]).trimmingSpaces
        if picture.hasPrefix("\"") {
            picture.removeFirst()
            if let close = picture.firstIndex(of: "\"") { picture = String(picture[..<close]) }
        } else if let space = picture.firstIndex(of: " ") {
            picture = String(picture[..<space])
        }
        return .some(picture)
    }
}

/// An exact running sum of numbers written as merge data writes them; text that is not a number counts as 0.
struct DecimalNumberSum {
    private var total = ChildAggregate.number("0")!

    mutating func add(_ text: String) {
        if let number = ChildAggregate.number(text) { total += number }
    }

    var text: String { ChildAggregate.format(total) }
}
