import Foundation
import Segments

/// A child table from a JSON file (`--rows Orders=orders.json:ContactNo`, or `file: orders.json`
/// in a `rows:` declaration): an array of flat objects, one a row; an object's keys are its
/// columns (a key an object lacks is an empty value), strings are merged as written, numbers
/// by their value (`12.5`; write `"12.50"` to keep a text), `true`/`false` as written, `null`
/// as empty. A nested array or object is refused: give such rows their own file, nested with
/// `PARENT.KEY`. Rows are numbered from 1 in file order where messages name a line.
///
/// Unlike a CSV file, a JSON file is read into memory whole, so it may be at most
/// `maximumBytes` (64 MB) big; a larger one is refused before it is read.
final class JSONChildRows: ChildRowSource {
    /// The largest JSON child file read: 64 MB (about 420,000 rows of 8 short columns: 680 MB peak memory measured while parsed).
    static let maximumBytes = 64 << 20

    /// Whether `path` is read as JSON: its name ends in `.json` (any case).
    static func reads(_ path: String) -> Bool { path.lowercased().hasSuffix(".json") }

    let header: [String]
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
        var header: [String] = []
        var columnOf: [String: Int] = [:]
        var parsed: [[String: String]] = []
        parsed.reserveCapacity(objects.count)
        for (number, object) in objects.enumerated() {
            guard case .object(let members) = object else {
                throw Diagnostic(source: spec.path, message: "element \(number + 1) of the array is not an object {…} (\(origin)); each row is one object")
            }
            var values: [String: String] = [:]
            for name in members.keys.sorted() {
                guard let text = members[name]?.text else {
                    throw Diagnostic(
                        source: spec.path,
                        message: "element \(number + 1), \"\(name)\": a nested array or object (\(origin)); rows are flat objects. Put nested rows "
                            + "in their own file with the parent's key, and declare them as a nested table (e.g. --rows \(name)=\(name).json:\(spec.name).KEY)")
                }
                if columnOf[name] == nil {
                    columnOf[name] = header.count
                    header.append(name)
                }
                values[name] = text
            }
            parsed.append(values)
        }
        guard let keyColumn = header.firstIndex(where: { $0.lowercased() == spec.key.lowercased() }) else {
            throw Diagnostic(
                source: spec.path,
                message: "no column \(spec.key), the key of \(spec.origin); the objects' keys are \(header.isEmpty ? "none" : header.joined(separator: ", "))")
        }
        self.header = header
        rows.reserveCapacity(parsed.count)
        for (number, values) in parsed.enumerated() {
            let row = header.map { values[$0] ?? "" }
            rows.append(row)
            let key = row[keyColumn]
            if let position = index[key] {
                entries[position].rows.append(number)
            } else {
                index[key] = entries.count
                entries.append(([number], false, key))
            }
        }
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

/// The size bound of a JSON child file, as `--help` states it.
public enum JSONChildRowsLimit {
    /// `JSONChildRows.maximumBytes` in MB.
    public static var megabytes: Int { JSONChildRows.maximumBytes >> 20 }
}
