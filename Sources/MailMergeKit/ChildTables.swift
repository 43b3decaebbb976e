import MergeEngine
import Segments

/// A child table of `merge --rows`: its rows are joined to the main record (or to a row of
/// another child table) whose key column has the same value.
///
/// Syntax: `NAME=FILE` or `NAME=FILE:KEY`. KEY is the key column, named the same in the parent
/// and in FILE; `PARENT.KEY` makes the table a child of table PARENT's rows (nested regions:
/// `OrderLines=lines.csv:Orders.OrderNo`). Without `:KEY` the table takes the `--key` given
/// with it (the n-th `--key` goes with the n-th `--rows` when there are as many), or the only
/// `--key` given.
public struct ChildTableSpec: Sendable, Hashable {
    /// The table's name, as regions and fields name it (`Orders`).
    public var name: String
    /// Its file: CSV with a header row, or JSON (`.json`: an array of objects, arrays in them nested tables, `JSONChildRows`).
    public var path: String
    /// The parent table; nil for the main record.
    public var parent: String?
    /// The key column, in the parent and in the file.
    public var key: String
    /// The file is in ascending key order, read in step with its parent (`--rows-sorted`, `sorted: true`).
    public var sorted = false
    /// Where the table was asked for, as messages name it: `--rows Orders`, or a YAML declaration.
    public var origin: String

    public init(name: String, path: String, parent: String? = nil, key: String) {
        self.name = name
        self.path = path
        self.parent = parent
        self.key = key
        origin = "--rows \(name)"
    }

    /// A table keyed by `key`, a column or `PARENT.KEY`, asked for by `origin`.
    init(name: String, path: String, key: String, sorted: Bool, origin: String) {
        var parent: String?
        var column = key
        if let dot = key.firstIndex(of: ".") {
            parent = String(key[..<dot])
            column = String(key[key.index(after: dot)...])
        }
        self.init(name: name, path: path, parent: parent, key: column)
        self.sorted = sorted
        self.origin = origin
    }

    /// How a message tells the user to stop declaring the file sorted.
    var sortedDeclaration: String { origin.hasPrefix("--") ? "--rows-sorted" : "sorted: true in \(origin)" }

    /// The problems of a set of tables: a name given twice, a parent table not given.
    static func problems(_ specs: [ChildTableSpec]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var names = Set<String>()
        for spec in specs where !names.insert(spec.name.lowercased()).inserted {
            diagnostics.append(Diagnostic(source: spec.origin, message: "table \(spec.name) is given twice"))
        }
        for spec in specs {
            if let parent = spec.parent, !names.contains(parent.lowercased()) {
                diagnostics.append(
                    Diagnostic(source: spec.origin, message: "table \(spec.name) is keyed by \(parent).\(spec.key), but there is no table \(parent)"))
            }
        }
        return diagnostics
    }

    /// The specs of `--rows` values `rows` with the `--key` values `keys`.
    public static func parse(rows: [String], keys: [String]) throws(MailMergeError) -> [ChildTableSpec] {
        guard keys.count <= 1 || keys.count == rows.count else {
            throw .validation([
                Diagnostic(
                    source: "--key",
                    message: "give one --key for all --rows tables, or one per --rows in the same order (\(rows.count) --rows, \(keys.count) --key)")
            ])
        }
        var specs: [ChildTableSpec] = []
        for (index, text) in rows.enumerated() {
            guard let equals = text.firstIndex(of: "="), !text[..<equals].isEmpty, text.index(after: equals) < text.endIndex else {
                throw .validation([Diagnostic(source: "--rows", message: "\"\(text)\" is not NAME=FILE or NAME=FILE:KEY (e.g. Orders=orders.csv:ContactNo)")])
            }
            let name = String(text[..<equals])
            var path = String(text[text.index(after: equals)...])
            var key: String? = keys.count == rows.count ? keys[index] : keys.first
            if let colon = path.lastIndex(of: ":"), !path[path.index(after: colon)...].contains("/") {
                key = String(path[path.index(after: colon)...])
                path = String(path[..<colon])
            }
            guard let key, !key.isEmpty else {
                throw .validation([Diagnostic(source: "--rows", message: "table \(name) has no key column: write \(name)=\(path):KEY or add --key KEY")])
            }
            specs.append(ChildTableSpec(name: name, path: path, key: key, sorted: false, origin: "--rows \(name)"))
        }
        let problems = problems(specs)
        if !problems.isEmpty { throw .validation(problems) }
        return specs
    }
}

/// Rows of a child table's file for keys no record (or parent row) asked for: not merged.
public struct UnmatchedChildRows: Sendable, CustomStringConvertible {
    public var table: String
    public var path: String
    public var count: Int
    /// The first few such keys, in file order.
    public var firstKeys: [String]

    public var description: String {
        "\(path): \(count) row\(count == 1 ? "" : "s") of table \(table) for keys no record has (first: "
            + firstKeys.joined(separator: ", ") + "); not merged"
    }
}

/// The child tables of a merge, read as the main file is: each record's rows are looked up
/// when the record is read (`children(of:line:)`), so memory does not grow with the data.
///
/// - Sorted (`--rows-sorted`): every file, the main file included, is in ascending key order
///   (numbers by value when both keys are whole numbers, else by their UTF-8 bytes); each child
///   file is read in step with its parent, once. A key lower than the one before it is an error
///   naming the file and line.
/// - Unsorted: each child file is read once first to build an index, key → the byte offset and
///   line of each of its rows (16 bytes a row plus each distinct key once: about 200 MB for
///   10,000,000 rows); a record's rows are then read from the file at those offsets.
final class ChildTables {
    /// The tables given, then the tables nested in JSON files' rows (`JSONNestedRows`).
    let specs: [ChildTableSpec]
    private var sources: [any ChildRowSource]
    /// Per table: the column names.
    var columns: [String: [String]] { Dictionary(uniqueKeysWithValues: zip(specs.map(\.name), sources.map(\.header))) }
    /// Per table: the indices of the tables nested in it.
    private let nested: [[Int]]
    private let topLevel: [Int]
    /// How each nested table's rows are joined to a row of its parent: by a key column of the
    /// parent's, or (tables nested in a JSON file) to the parent row they were written in.
    private var parentLinks: [ParentLink?]
    private enum ParentLink {
        case column(Int)
        case row
    }
    /// Per table: its lowercased name, and its columns lowercased (folded once, not per row).
    private let foldedNames: [String]
    private let foldedHeaders: [[String]]
    /// Per table: its key column, lowercased.
    private let foldedKeys: [String]
    /// Per table: its columns (lowercased) by position, shared by its rows' records.
    private let columnIndexes: [ColumnIndex]

    init(_ given: [ChildTableSpec], sorted: Bool) throws(MailMergeError) {
        var specs = given
        var sources: [any ChildRowSource] = []
        var nestedInJSON: [(spec: ChildTableSpec, source: JSONNestedRows)] = []
        for spec in given {
            do {
                if JSONChildRows.reads(spec.path) {
                    let source = try JSONChildRows(spec)
                    sources.append(source)
                    for table in source.nestedTables {
                        var nested = ChildTableSpec(name: table.name, path: spec.path, parent: table.parent, key: "")
                        nested.origin = "\(spec.origin) (its nested table \(table.name))"
                        nestedInJSON.append((nested, table))
                    }
                } else if sorted || spec.sorted {
                    sources.append(try SortedChildRows(spec))
                } else {
                    sources.append(try IndexedChildRows(spec))
                }
            } catch { throw .validation([error]) }
        }
        for (nested, source) in nestedInJSON {
            if let other = specs.first(where: { $0.name.lowercased() == nested.name.lowercased() }) {
                throw .validation([
                    Diagnostic(
                        source: nested.path,
                        message: "the rows hold a nested table \(nested.name) (arrays under \"\(nested.name)\"), but \(other.origin) gives a table of "
                            + "that name too; rename one of them")
                ])
            }
            specs.append(nested)
            sources.append(source)
        }
        self.specs = specs
        self.sources = sources
        let names = specs.map { $0.name.lowercased() }
        foldedNames = names
        foldedHeaders = sources.map { $0.header.map { $0.lowercased() } }
        foldedKeys = specs.map { $0.key.lowercased() }
        columnIndexes = foldedHeaders.map { ColumnIndex(folded: $0) }
        nested = names.map { name in specs.indices.filter { specs[$0].parent?.lowercased() == name } }
        topLevel = specs.indices.filter { specs[$0].parent == nil }
        parentLinks = Array(repeating: nil, count: specs.count)
        for (index, spec) in specs.enumerated() {
            guard let parent = spec.parent, let p = names.firstIndex(of: parent.lowercased()) else { continue }
            if sources[index] is JSONNestedRows {
                parentLinks[index] = .row
                continue
            }
            guard let column = sources[p].header.firstIndex(where: { $0.lowercased() == spec.key.lowercased() }) else {
                throw .validation([
                    Diagnostic(
                        source: spec.path, message: "table \(spec.name) is keyed by \(parent).\(spec.key), but \(specs[p].path) has no column \(spec.key)")
                ])
            }
            parentLinks[index] = .column(column)
        }
    }

    /// Per table, the columns whose fields make a table row repeat without region markers: those
    /// the main record (lowercased column names `main`) has no column of (`RegionOptions.childColumns`).
    func regionColumns(excluding main: Set<String>) -> [String: [String]] {
        columns.mapValues { $0.filter { !main.contains($0.lowercased()) } }
    }

    /// Checks that the main file (columns `header`) has every top-level table's key column.
    func check(mainHeader header: [String], path: String) throws(MailMergeError) {
        for index in topLevel where !header.contains(where: { $0.lowercased() == specs[index].key.lowercased() }) {
            throw .validation([
                Diagnostic(source: path, line: 1, message: "no column \(specs[index].key), the key of \(specs[index].origin); add it or change the key")
            ])
        }
    }

    /// The child rows of the main record `values` (read from `path`, line `line`), keyed by
    /// table name lowercased (as `MergeRecord(folded:children:)` takes them). `values`' names
    /// may be in any case.
    func children(of values: [String: String], path: String, line: Int) throws(MailMergeError) -> [String: [MergeRecord]] {
        var result: [String: [MergeRecord]] = [:]
        for index in topLevel {
            let key =
                values[specs[index].key] ?? values[foldedKeys[index]]
                ?? values.first { $0.key.lowercased() == foldedKeys[index] }?.value ?? ""
            result[foldedNames[index]] = try rows(of: index, key: key, parentPath: path, parentLine: line)
        }
        return result
    }

    private func rows(of table: Int, key: String, parentPath: String, parentLine: Int) throws(MailMergeError) -> [MergeRecord] {
        let found: [(line: Int, values: [String])]
        do { found = try sources[table].rows(for: key, parentPath: parentPath, parentLine: parentLine) } catch { throw .validation([error]) }
        var records: [MergeRecord] = []
        records.reserveCapacity(found.count)
        for row in found {
            var children: [String: [MergeRecord]] = [:]
            for child in nested[table] {
                let key: String
                switch parentLinks[child] {
                case .column(let column): key = row.values[column]
                case .row: key = String(row.line)
                case nil: continue
                }
                children[foldedNames[child]] = try rows(of: child, key: key, parentPath: specs[table].path, parentLine: row.line)
            }
            records.append(MergeRecord(columns: columnIndexes[table], row: row.values, children: children))
        }
        return records
    }

    /// The rows no record asked for, per table that has any (the files are read to their end).
    func unmatched() throws(MailMergeError) -> [UnmatchedChildRows] {
        var result: [UnmatchedChildRows] = []
        for (index, source) in sources.enumerated() {
            let found: (count: Int, firstKeys: [String])
            do { found = try source.unmatched() } catch { throw .validation([error]) }
            if found.count > 0 {
                result.append(UnmatchedChildRows(table: specs[index].name, path: specs[index].path, count: found.count, firstKeys: found.firstKeys))
            }
        }
        return result
    }
}

/// Where a child table's rows come from.
protocol ChildRowSource: AnyObject {
    var header: [String] { get }
    /// The rows whose key is `key`, in file order; the parent record is at `parentPath`:`parentLine`.
    func rows(for key: String, parentPath: String, parentLine: Int) throws(Diagnostic) -> [(line: Int, values: [String])]
    /// How many rows no `rows(for:)` asked for, and the first few of their keys.
    func unmatched() throws(Diagnostic) -> (count: Int, firstKeys: [String])
}

/// How many unmatched keys a report names.
private let reportedKeys = 5

/// Opens `spec.path` and finds its key column.
private func openChildFile(_ spec: ChildTableSpec) throws(Diagnostic) -> (CSVRowReader, Int) {
    let reader: CSVRowReader
    do { reader = try CSVRowReader(path: spec.path) } catch {
        throw Diagnostic(source: error.source, line: error.line, message: error.message + " (the file of \(spec.origin))")
    }
    guard let column = reader.header.firstIndex(where: { $0.lowercased() == spec.key.lowercased() }) else {
        throw Diagnostic(
            source: spec.path, line: 1,
            message: "no column \(spec.key), the key of \(spec.origin); the columns are \(reader.header.joined(separator: ", "))")
    }
    return (reader, column)
}

/// Keys in ascending order: whole numbers by value, else by UTF-8 bytes.
func keyPrecedes(_ a: String, _ b: String) -> Bool {
    let x = a.utf8
    let y = b.utf8
    if !x.isEmpty, !y.isEmpty, x.allSatisfy({ $0 >= 48 && $0 <= 57 }), y.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        let p = x.drop { $0 == 48 }
        let q = y.drop { $0 == 48 }
        if p.count != q.count { return p.count < q.count }
        return p.lexicographicallyPrecedes(q)
    }
    return x.lexicographicallyPrecedes(y)
}

/// A child file in the parent's key order, read in step with it.
final class SortedChildRows: ChildRowSource {
    let header: [String]
    private let spec: ChildTableSpec
    private var reader: CSVRowReader
    private let keyColumn: Int
    private var pending: (line: Int, values: [String], key: String)?
    private var lastKey: String?
    private var lastParent: (key: String, rows: [(line: Int, values: [String])], path: String, line: Int)?
    private var unmatchedCount = 0
    private var unmatchedKeys: [String] = []

    init(_ spec: ChildTableSpec) throws(Diagnostic) {
        self.spec = spec
        let opened = try openChildFile(spec)
        reader = opened.0
        keyColumn = opened.1
        header = reader.header
        try advance()
    }

    private func advance() throws(Diagnostic) {
        guard let row = try reader.next() else {
            pending = nil
            return
        }
        let key = row.values[keyColumn]
        if let lastKey, keyPrecedes(key, lastKey) {
            throw Diagnostic(
                source: spec.path, line: row.line,
                message: "key \(spec.key) \"\(key)\" comes after \"\(lastKey)\", but the file is declared sorted (\(spec.sortedDeclaration)); "
                    + "sort it by \(spec.key) or leave that out")
        }
        lastKey = key
        pending = (row.line, row.values, key)
    }

    private func skipUnmatched() {
        unmatchedCount += 1
        if let pending, unmatchedKeys.count < reportedKeys, unmatchedKeys.last != pending.key { unmatchedKeys.append(pending.key) }
    }

    func rows(for key: String, parentPath: String, parentLine: Int) throws(Diagnostic) -> [(line: Int, values: [String])] {
        if let last = lastParent {
            if last.key == key { return last.rows }
            if keyPrecedes(key, last.key) {
                throw Diagnostic(
                    source: parentPath, line: parentLine,
                    message: "key \(spec.key) \"\(key)\" comes after \"\(last.key)\" (line \(last.line)), but \(spec.sortedDeclaration) declares "
                        + "the data sorted by it; sort the data or leave that out")
            }
        }
        var found: [(line: Int, values: [String])] = []
        while let row = pending?.key, keyPrecedes(row, key) {
            skipUnmatched()
            try advance()
        }
        while let row = pending, row.key == key {
            found.append((row.line, row.values))
            try advance()
        }
        lastParent = (key, found, parentPath, parentLine)
        return found
    }

    func unmatched() throws(Diagnostic) -> (count: Int, firstKeys: [String]) {
        while pending != nil {
            skipUnmatched()
            try advance()
        }
        return (unmatchedCount, unmatchedKeys)
    }
}

/// A child file in any order: indexed by key once, its rows read back by offset.
final class IndexedChildRows: ChildRowSource {
    let header: [String]
    private let spec: ChildTableSpec
    private var reader: CSVRowReader
    /// Key → position in `entries`.
    private var index: [String: Int] = [:]
    /// Per key: offset and line of each row, alternating; whether a record asked for it.
    private var entries: [(rows: [Int], used: Bool, key: String)] = []

    init(_ spec: ChildTableSpec) throws(Diagnostic) {
        self.spec = spec
        let opened = try openChildFile(spec)
        reader = opened.0
        let keyColumn = opened.1
        header = reader.header
        // A file usually holds a key's rows together: the key before is checked first, so
        // that such a row costs no hashing.
        var last: (key: String, position: Int)?
        while let row = try reader.nextKey(column: keyColumn) {
            let key = row.key
            if let last, last.key == key {
                entries[last.position].rows.append(row.offset)
                entries[last.position].rows.append(row.line)
            } else if let position = index[key] {
                last = (key, position)
                entries[position].rows.append(row.offset)
                entries[position].rows.append(row.line)
            } else {
                last = (key, entries.count)
                index[key] = entries.count
                entries.append(([row.offset, row.line], false, key))
            }
        }
    }

    func rows(for key: String, parentPath: String, parentLine: Int) throws(Diagnostic) -> [(line: Int, values: [String])] {
        guard let position = index[key] else { return [] }
        entries[position].used = true
        let places = entries[position].rows
        var found: [(line: Int, values: [String])] = []
        found.reserveCapacity(places.count / 2)
        var i = 0
        while i < places.count {
            try reader.seek(toOffset: places[i], line: places[i + 1])
            guard let row = try reader.next() else {
                throw Diagnostic(source: spec.path, line: places[i + 1], message: "the file changed while merging; run again")
            }
            found.append(row)
            i += 2
        }
        return found
    }

    func unmatched() throws(Diagnostic) -> (count: Int, firstKeys: [String]) {
        var count = 0
        var keys: [String] = []
        for entry in entries where !entry.used {
            count += entry.rows.count / 2
            if keys.count < reportedKeys { keys.append(entry.key) }
        }
        return (count, keys)
    }
}
