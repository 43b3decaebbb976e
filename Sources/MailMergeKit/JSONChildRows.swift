import Foundation
import Segments

/// A child table from a JSON file (`--rows Orders=orders.json:ContactNo`, or `file: orders.json`
/// in a `rows:` declaration): an array of objects, one a row; an object's keys are its columns
/// (a key an object lacks is an empty value), strings are merged as written, numbers by their
/// value (`12.5`; write `"12.50"` to keep a text), `true`/`false` as written, `null` as empty.
/// Rows are numbered from 1 in file order where messages name a line.
///
/// A key whose value is an array of objects is a **nested table** named by the key
/// (`"OrderLines": [{…}, …]` in an order): each row gets the objects of its own array as its
/// rows of that table, exactly as a `--rows OrderLines=lines.csv:Orders.OrderNo` file would
/// give them (`nestedTables`, joined by `ChildTables` to the row they came from). Tables nest
/// at most `maximumDepth` deep, the file's own table included; any other object, or an array
/// holding anything but objects, is refused naming the element and key.
///
/// Unlike a CSV file, a JSON file is read into memory whole, so it may be at most
/// `maximumBytes` (64 MB) big; a larger one is refused before it is read.
final class JSONChildRows: ChildRowSource {
    /// The largest JSON child file read: 64 MB (about 420,000 rows of 8 short columns: 680 MB peak memory measured while parsed).
    static let maximumBytes = 64 << 20
    /// How deep tables may nest in one JSON file, the file's own table included
    /// (Orders → OrderLines → Serials).
    static let maximumDepth = 3

    /// Whether `path` is read as JSON: its name ends in `.json` (any case).
    static func reads(_ path: String) -> Bool { path.lowercased().hasSuffix(".json") }

    let header: [String]
    /// The tables nested in this file's rows, parents before their children.
    let nestedTables: [JSONNestedRows]
    private var rows: [[String]] = []
    /// Key → row numbers (0-based) in file order; whether a record asked for it.
    private var index: [String: Int] = [:]
    private var entries: [(rows: [Int], used: Bool, key: String)] = []

    init(_ spec: ChildTableSpec) throws(Diagnostic) {
        let origin = "the file of \(spec.origin)"
        let size: Int
        do {
            size = (try FileManager.default.attributesOfItem(atPath: spec.path)[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw Diagnostic(source: spec.path, message: "cannot open the JSON file (\(origin)); check that the path is right")
        }
        guard size <= Self.maximumBytes else {
            throw Diagnostic(
                source: spec.path,
                message: "the JSON file (\(origin)) is \(size) bytes; a JSON child file is read into memory and may be at most "
                    + "\(Self.maximumBytes >> 20) MB (\(Self.maximumBytes) bytes): split it, or convert it to CSV (read from disk, any size)")
        }
        let objects: [JSONValue]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: spec.path))
            objects = try JSONDecoder().decode([JSONValue].self, from: data)
        } catch let error as DecodingError {
            throw Diagnostic(source: spec.path, message: "not a JSON array of objects (\(origin)): \(Self.describe(error))")
        } catch {
            throw Diagnostic(source: spec.path, message: "cannot read the JSON file (\(origin)): \(error.localizedDescription)")
        }
        var tables = JSONTables(path: spec.path, origin: origin, top: spec.name)
        let top = try tables.read(objects, table: 0, parentRow: nil, at: "")
        guard let keyColumn = top.header.firstIndex(where: { $0.lowercased() == spec.key.lowercased() }) else {
            throw Diagnostic(
                source: spec.path,
                message:
                    "no column \(spec.key), the key of \(spec.origin); the objects' keys are \(top.header.isEmpty ? "none" : top.header.joined(separator: ", "))"
            )
        }
        header = top.header
        rows = top.rows
        for (number, row) in rows.enumerated() {
            let key = row[keyColumn]
            if let position = index[key] {
                entries[position].rows.append(number)
            } else {
                index[key] = entries.count
                entries.append(([number], false, key))
            }
        }
        nestedTables = tables.tables.dropFirst().map { JSONNestedRows(name: $0.name, parent: tables.tables[$0.parent].name, table: $0) }
    }

    func rows(for key: String, parentPath: String, parentLine: Int) throws(Diagnostic) -> [(line: Int, values: [String])] {
        guard let position = index[key] else { return [] }
        entries[position].used = true
        return entries[position].rows.map { ($0 + 1, rows[$0]) }
    }

    func unmatched() throws(Diagnostic) -> (count: Int, firstKeys: [String]) {
        var count = 0
        var keys: [String] = []
        for entry in entries where !entry.used {
            count += entry.rows.count
            if keys.count < 5 { keys.append(entry.key) }
        }
        return (count, keys)
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return context.debugDescription
        case .keyNotFound(let key, _): return "missing \(key.stringValue)"
        @unknown default: return "\(error)"
        }
    }
}

/// A JSON value as a child row holds it.
private enum JSONValue: Decodable {
    case text(String)
    case nested
    case object([String: JSONValue])
    case array([JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .text("")
        } else if let flag = try? container.decode(Bool.self) {
            self = .text(flag ? "true" : "false")
        } else if let number = try? container.decode(Decimal.self) {
            self = .text(number.description)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .nested
        }
    }

    /// The value as merged; nil for an array or object.
    var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

/// One table read from a JSON file: its columns in order of first use, its rows, and per row
/// the row (0-based, of the parent table) whose array it came from.
struct JSONTable {
    let name: String
    /// Index of the parent table in `JSONTables.tables` (0 for the file's own table, unused).
    let parent: Int
    let depth: Int
    var header: [String] = []
    var columnOf: [String: Int] = [:]
    /// Each row's values by column (a column an object lacks: absent).
    var values: [[String: String]] = []
    var parentRows: [Int] = []

    /// The rows, one value per column of `header` (empty where an object lacks the key).
    var rows: [[String]] { values.map { row in header.map { row[$0] ?? "" } } }
}

/// Reads a JSON child file's tables: the file's own and those nested in its rows' arrays.
private struct JSONTables {
    let path: String
    let origin: String
    /// The file's table first, then each nested table as first met (parents before children).
    var tables: [JSONTable]

    init(path: String, origin: String, top: String) {
        self.path = path
        self.origin = origin
        tables = [JSONTable(name: top, parent: 0, depth: 1)]
    }

    /// Reads `objects` as rows of table `table` (of parent row `parentRow`); `at` is where the
    /// array is, as messages name it (`element 2, "OrderLines", `; empty for the file's array).
    /// Returns the table when it is the file's own (`table == 0`).
    @discardableResult
    mutating func read(_ objects: [JSONValue], table: Int, parentRow: Int?, at: String) throws(Diagnostic) -> JSONTable {
        for (number, object) in objects.enumerated() {
            let place = "\(at)element \(number + 1)"
            guard case .object(let members) = object else {
                let what = at.isEmpty ? "element \(number + 1) of the array" : place
                throw Diagnostic(source: path, message: "\(what) is not an object {…} (\(origin)); each row is one object")
            }
            let row = tables[table].values.count
            var values: [String: String] = [:]
            var arrays: [(name: String, elements: [JSONValue])] = []
            for name in members.keys.sorted() {
                switch members[name] {
                case .array(let elements):
                    arrays.append((name, elements))
                case .text(let text):
                    values[name] = text
                default:
                    throw Diagnostic(
                        source: path,
                        message: "\(place), \"\(name)\": an object (\(origin)); a value is text, a number, true/false, null, or an array of "
                            + "objects (a nested table of rows)")
                }
            }
            for name in values.keys.sorted() where tables[table].columnOf[name] == nil {
                if tables.contains(where: { $0.parent == table && $0.name == name && $0.depth == tables[table].depth + 1 }) {
                    throw Diagnostic(
                        source: path,
                        message: "\(place), \"\(name)\": a value here, a nested table (array) in an earlier row (\(origin)); a key is one or the other")
                }
                tables[table].columnOf[name] = tables[table].header.count
                tables[table].header.append(name)
            }
            tables[table].values.append(values)
            tables[table].parentRows.append(parentRow ?? 0)
            for (name, elements) in arrays {
                let child = try nestedTable(name, in: table, at: "\(place), \"\(name)\"")
                try read(elements, table: child, parentRow: row, at: "\(place), \"\(name)\", ")
            }
        }
        return tables[table]
    }

    /// The index of table `name` nested in table `parent`, added when first met.
    private mutating func nestedTable(_ name: String, in parent: Int, at place: String) throws(Diagnostic) -> Int {
        if let found = tables.firstIndex(where: { $0.parent == parent && $0.name == name && $0.depth == tables[parent].depth + 1 }) { return found }
        let depth = tables[parent].depth + 1
        guard depth <= JSONChildRows.maximumDepth else {
            throw Diagnostic(
                source: path,
                message: "\(place): a table nested \(depth) deep (\(origin)); a JSON child file nests tables at most \(JSONChildRows.maximumDepth) deep, "
                    + "its own table included (e.g. Orders → OrderLines → Serials): give deeper rows their own file keyed by PARENT.KEY")
        }
        guard !name.isEmpty, !name.contains("."), !name.contains(":") else {
            throw Diagnostic(source: path, message: "\(place): \"\(name)\" cannot name a nested table (\(origin)); use a name without \".\" or \":\"")
        }
        if tables[parent].columnOf[name] != nil {
            throw Diagnostic(source: path, message: "\(place): a nested table (array) here, a value in an earlier row (\(origin)); a key is one or the other")
        }
        if let other = tables.first(where: { $0.name.lowercased() == name.lowercased() }) {
            throw Diagnostic(
                source: path,
                message: "\(place): a nested table \(name), but the file already has a table \(other.name) (\(origin)); table names must differ")
        }
        tables.append(JSONTable(name: name, parent: parent, depth: depth))
        return tables.count - 1
    }
}

/// A table nested in a JSON child file's rows (`"OrderLines": [...]` in each order): its rows
/// for a parent row are those of that row's array. `ChildTables` asks by the parent row's
/// number (`rows(for: "3")`: the rows of the parent table's third row), the number the parent
/// source gives the row as its line.
final class JSONNestedRows: ChildRowSource {
    /// The table's name (the JSON key) and its parent table's.
    let name: String
    let parent: String
    let header: [String]
    private let rows: [[String]]
    /// Per parent row (0-based): the row numbers (0-based) of its array, in order.
    private let byParent: [Int: [Int]]

    init(name: String, parent: String, table: JSONTable) {
        self.name = name
        self.parent = parent
        header = table.header
        rows = table.rows
        var byParent: [Int: [Int]] = [:]
        for (number, parentRow) in table.parentRows.enumerated() { byParent[parentRow, default: []].append(number) }
        self.byParent = byParent
    }

    func rows(for key: String, parentPath: String, parentLine: Int) throws(Diagnostic) -> [(line: Int, values: [String])] {
        guard let line = Int(key), let numbers = byParent[line - 1] else { return [] }
        return numbers.map { ($0 + 1, rows[$0]) }
    }

    /// Every nested row belongs to a row of its parent: none is left over.
    func unmatched() throws(Diagnostic) -> (count: Int, firstKeys: [String]) { (0, []) }
}

/// The size bound of a JSON child file, as `--help` states it.
public enum JSONChildRowsLimit {
    /// `JSONChildRows.maximumBytes` in MB.
    public static var megabytes: Int { JSONChildRows.maximumBytes >> 20 }
    /// `JSONChildRows.maximumDepth`: how deep tables nest in one JSON file, its own included.
    public static var depth: Int { JSONChildRows.maximumDepth }
}
