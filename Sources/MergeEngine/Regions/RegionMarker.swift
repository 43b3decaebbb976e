import CLibXML2
import WordXML

/// What a hole marker means to the region nesting after the split (`RegionNester`).
enum RegionMark {
    case start(table: String, kind: Region.Kind)
    case end
}

/// Finds the repeating regions of a part once its fields are hole markers, and brackets each
/// region's content with two new holes, `start` and `end` (`RegionMark`), that `RegionNester`
/// turns into one `Region` hole after the split.
///
/// A region is, in order of precedence:
/// - `MERGEFIELD TableStart:Orders` … `MERGEFIELD TableEnd:Orders` (Aspose's and Syncfusion's
///   markers), or `{{#Orders}}` … `{{/Orders}}` (docxtemplater's), or `{{^Orders}}` … `{{/Orders}}`
///   (once, when Orders has no rows). Where it repeats: both markers in one table row (or one
///   cell) → that row; in different rows of one table → those rows; else the paragraphs (or
///   tables) from the start marker's to the end marker's, children of the element holding both.
///   Regions nest (Orders → OrderLines). The markers render as nothing; a paragraph holding
///   nothing but a marker is left out like a blank line.
/// - a table row holding a field of a child table (`RegionOptions.childColumns`: `Amount` or
///   `Orders.Amount`) that is in no region of that table: the row repeats (docx-mailmerge).
enum RegionMarker {
    /// Marks the regions under `root`; `holes` gets the marker holes (markers themselves become
    /// empty text). Returns the region mark of each hole that has one, by hole index.
    /// - Throws: a start without its end (or an end without a start, or ends crossed).
    static func mark(root: XMLNodePointer, holes: inout [Hole], options: RegionOptions) throws(ScanError) -> [Int: RegionMark] {
        let found = holeMarkers(under: root)
        guard !found.isEmpty else { return [:] }
        var childTables: [String: String] = [:]  // lowercased column → table
        var ambiguous = Set<String>()
        for (table, columns) in options.childColumns {
            for column in columns {
                let key = column.lowercased()
                if childTables.updateValue(table.lowercased(), forKey: key) != nil { ambiguous.insert(key) }
            }
        }
        for key in ambiguous { childTables[key] = nil }
        let tables = Set(options.childColumns.keys.map { $0.lowercased() })

        var regions: [(table: String, kind: Region.Kind, first: XMLNodePointer, last: XMLNodePointer, depth: Int)] = []
        var open: [(table: String, name: String, kind: Region.Kind, node: XMLNodePointer, use: FieldUse)] = []
        var candidates: [(node: XMLNodePointer, table: String)] = []
        for (node, index) in found {
            guard index < holes.count else { continue }
            let hole = holes[index]
            switch marker(hole.value) {
            case .start(let name, let kind, let use):
                open.append((name.lowercased(), name, kind, node, use))
                holes[index] = Hole(value: .fixed(""), runProperties: [], original: hole.original, listed: hole.listed)
            case .end(let name, let use):
                guard let top = open.last else {
                    throw ScanError(paragraph: use.paragraph, fieldCode: use.code, message: "the end of region \"\(name)\" has no start before it")
                }
                guard top.table == name.lowercased() else {
                    throw ScanError(
                        paragraph: use.paragraph, fieldCode: use.code,
                        message: "region \"\(top.name)\" (paragraph \(top.use.paragraph)) must end before region \"\(name)\" ends; regions nest")
                }
                open.removeLast()
                holes[index] = Hole(value: .fixed(""), runProperties: [], original: hole.original, listed: hole.listed)
                guard let (first, last) = extent(from: top.node, to: node) else {
                    throw ScanError(
                        paragraph: use.paragraph, fieldCode: use.code,
                        message: "region \"\(name)\" starts and ends in different places (a cell and the body, a text box …); "
                            + "put both markers in one table row, or around whole paragraphs")
                }
                regions.append((top.table, top.kind, first, last, open.count))
            case .field(let key):
                if let dot = key.firstIndex(of: "."), tables.contains(String(key[..<dot])) {
                    // `Orders.Count` and `Orders.Sum:Amount` are totals, not a row's fields.
                    let rest = key[key.index(after: dot)...]
                    if rest != "count" && !rest.hasPrefix("sum:") { candidates.append((node, String(key[..<dot]))) }
                } else if let table = childTables[key] {
                    candidates.append((node, table))
                }
            case .none:
                break
            }
        }
        if let unclosed = open.last {
            throw ScanError(
                paragraph: unclosed.use.paragraph, fieldCode: unclosed.use.code,
                message: "region \"\(unclosed.name)\" has no end; add MERGEFIELD TableEnd:\(unclosed.name) (or {{/\(unclosed.name)}})")
        }

        // Rows holding a child table's field outside a region of that table.
        var seenRows = Set<XMLNodePointer>()
        for (node, table) in candidates {
            guard let row = ancestor(of: node, named: "tr"), !seenRows.contains(row) else { continue }
            let inRegion = regions.contains { region in
                region.table == table && isWithin(node, from: region.first, to: region.last)
            }
            if inRegion { continue }
            seenRows.insert(row)
            regions.append((table, .rows, row, row, Int.max))
        }

        // `= SUM(ABOVE)` below a repeating row region.
        for region in regions where region.kind == .rows && region.first.isWord("tr") {
            var rows: [XMLNodePointer] = []
            var sibling: XMLNodePointer? = region.first
            while let node = sibling {
                if node.isWord("tr") { rows.append(node) }
                if node == region.last { break }
                sibling = node.pointee.next
            }
            ColumnSum.mark(regionRows: rows, table: region.table, holes: &holes)
        }

        var marks: [Int: RegionMark] = [:]
        // Outer regions first: a nested region around the same element goes inside.
        let order = regions.indices.sorted { (regions[$0].depth, $0) < (regions[$1].depth, $1) }
        for region in order.map({ regions[$0] }) {
            if options.removeEmptyTables, region.kind == .rows, region.first.isWord("tr"),
                let table = region.first.pointee.parent, table.isWord("tbl")
            {
                let rows = table.elementChildren.filter { $0.isWord("tr") }
                let inside = rows.filter { isWithin($0, from: region.first, to: region.last) }.count
                if rows.count - inside <= 1 {
                    try bracket(table, table, table: region.table, kind: .table, holes: &holes, marks: &marks)
                }
            }
            try bracket(
                region.first, region.last, table: region.table, kind: region.kind, holes: &holes, marks: &marks)
        }
        return marks
    }

    private enum Marker {
        case start(String, Region.Kind, FieldUse)
        case end(String, FieldUse)
        case field(String)
    }

    private static func marker(_ value: FieldValue) -> Marker? {
        switch value {
        case .merge(_, let key, let use):
            if key.hasPrefix("tablestart:") { return .start(String(use.name.dropFirst(11)).trimmingSpaces, .rows, use) }
            if key.hasPrefix("tableend:") { return .end(String(use.name.dropFirst(9)).trimmingSpaces, use) }
            return .field(key)
        case .placeholder(let key, let use):
            if key.hasPrefix("#") { return .start(String(use.name.dropFirst()).trimmingSpaces, .rows, use) }
            if key.hasPrefix("^") { return .start(String(use.name.dropFirst()).trimmingSpaces, .noRows, use) }
            if key.hasPrefix("/") { return .end(String(use.name.dropFirst()).trimmingSpaces, use) }
            return .field(key)
        default:
            return nil
        }
    }

    /// Puts a start hole before `first` and an end hole after `last`.
    private static func bracket(
        _ first: XMLNodePointer, _ last: XMLNodePointer, table: String, kind: Region.Kind,
        holes: inout [Hole], marks: inout [Int: RegionMark]
    ) throws(ScanError) {
        guard let document = first.pointee.doc, let start = HoleMarker.node(holes.count, in: document),
            let end = HoleMarker.node(holes.count + 1, in: document)
        else { throw ScanError(paragraph: nil, fieldCode: nil, message: "out of memory marking region \"\(table)\"") }
        xmlAddPrevSibling(first, start)
        xmlAddNextSibling(last, end)
        marks[holes.count] = .start(table: table, kind: kind)
        marks[holes.count + 1] = .end
        for _ in 0..<2 { holes.append(Hole(value: .fixed(""), runProperties: [], original: [], listed: true)) }
    }

    /// The first and last element a region from marker `start` to marker `end` repeats.
    private static func extent(from start: XMLNodePointer, to end: XMLNodePointer) -> (XMLNodePointer, XMLNodePointer)? {
        let startPath = path(to: start)
        let endPath = path(to: end)
        var common = 0
        while common < startPath.count, common < endPath.count, startPath[common] == endPath[common] { common += 1 }
        guard common > 0, common < startPath.count, common < endPath.count else { return nil }
        let ancestor = startPath[common - 1]
        // Both in one row (or one cell, or one paragraph of a row): the row.
        if ancestor.isWord("tr") { return (ancestor, ancestor) }
        if let row = Self.ancestor(of: ancestor, named: "tr") { return (row, row) }
        if ancestor.isWord("p") { return (ancestor, ancestor) }
        return (startPath[common], endPath[common])
    }

    /// The ancestors of `node` from the root down to `node`.
    private static func path(to node: XMLNodePointer) -> [XMLNodePointer] {
        var result: [XMLNodePointer] = []
        var current: XMLNodePointer? = node
        while let c = current, c.pointee.type != XML_DOCUMENT_NODE {
            result.append(c)
            current = c.pointee.parent
        }
        return result.reversed()
    }

    /// The nearest ancestor of `node` that is `w:name`.
    private static func ancestor(of node: XMLNodePointer, named name: String) -> XMLNodePointer? {
        var current = node.pointee.parent
        while let c = current {
            if c.isWord(name) { return c }
            current = c.pointee.parent
        }
        return nil
    }

    /// Whether `node` is one of the siblings `first` … `last` or inside one.
    private static func isWithin(_ node: XMLNodePointer, from first: XMLNodePointer, to last: XMLNodePointer) -> Bool {
        var current: XMLNodePointer? = node
        while let c = current {
            if c.pointee.parent == first.pointee.parent {
                var sibling: XMLNodePointer? = first
                while let s = sibling {
                    if s == c { return true }
                    if s == last { break }
                    sibling = s.pointee.next
                }
                return false
            }
            current = c.pointee.parent
        }
        return false
    }

    /// The indices of the holes under `root`, in document order.
    static func holeIndices(under root: XMLNodePointer) -> [Int] { holeMarkers(under: root).map(\.1) }

    /// Every hole marker under `root` with its hole index, in document order.
    private static func holeMarkers(under root: XMLNodePointer) -> [(XMLNodePointer, Int)] {
        var found: [(XMLNodePointer, Int)] = []
        var stack: [XMLNodePointer] = []
        var child = root.pointee.children
        while true {
            while let node = child {
                if HoleMarker.isHole(node), let content = node.pointee.content, let index = Int(String(cString: content)) {
                    found.append((node, index))
                }
                if node.isElement, let first = node.pointee.children {
                    if let next = node.pointee.next { stack.append(next) }
                    child = first
                } else {
                    child = node.pointee.next
                }
            }
            guard let next = stack.popLast() else { return found }
            child = next
        }
    }
}
