import Foundation
import Yams

/// A child table an interaction template (`templates.yaml`) or a segment header declares for
/// its letters' repeating regions, under `rows:`, by table name:
///
///     rows:
///       Orders: {file: orders.csv, key: ContactNo}
///       OrderLines: {file: order-lines.json, key: Orders.OrderNo}
///
/// It is what `merge --rows Orders=orders.csv:ContactNo` gives: `file` (CSV with a header row,
/// or JSON: an array of objects, arrays of objects in them nested tables) is relative to the YAML file that declares it; `key` is the
/// key column, named the same in the line's fields and in the file (`PARENT.KEY` nests the table
/// in table PARENT's rows); `sorted: true` declares the file in ascending key order, read in step
/// with the segment's lines (which must then be in that order too), instead of indexed.
public struct ChildRowsDeclaration: Sendable, Hashable, Codable {
    public var file: String
    public var key: String
    public var sorted: Bool
    /// The YAML file that declares the table (`file` is relative to its folder); set by the loaders.
    public var declaredIn = ""
    /// The YAML line of the declaration, when known.
    public var line: Int?

    public init(file: String, key: String, sorted: Bool = false, declaredIn: String = "", line: Int? = nil) {
        self.file = file
        self.key = key
        self.sorted = sorted
        self.declaredIn = declaredIn
        self.line = line
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case file, key, sorted }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        key = try container.decode(String.self, forKey: .key)
        sorted = try container.decodeIfPresent(Bool.self, forKey: .sorted) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(key, forKey: .key)
        if sorted { try container.encode(sorted, forKey: .sorted) }
    }

    /// `file`, resolved against the folder of the YAML file that declares it.
    public var path: String {
        if file.hasPrefix("/") || declaredIn.isEmpty { return file }
        return URL(fileURLWithPath: declaredIn).deletingLastPathComponent().appendingPathComponent(file).standardizedFileURL.path
    }

    /// Where the table is declared, as messages name it: `rows Orders (Templates/templates.yaml, line 12)`.
    public func origin(table: String) -> String {
        guard !declaredIn.isEmpty else { return "rows \(table)" }
        return "rows \(table) (\(declaredIn)\(line.map { ", line \($0)" } ?? ""))"
    }

    /// `declarations` (decoded from `node`, the `rows:` mapping) with their file and YAML lines
    /// set, and a diagnostic per unknown key of a table.
    static func located(
        _ declarations: [String: ChildRowsDeclaration], node: Node?, file: String, context: String
    ) -> ([String: ChildRowsDeclaration], [Diagnostic]) {
        var located = declarations
        var diagnostics: [Diagnostic] = []
        guard let mapping = node?.mapping else { return (located, diagnostics) }
        for (key, value) in mapping {
            guard let name = key.string, located[name] != nil else { continue }
            located[name]?.declaredIn = file
            located[name]?.line = key.mark?.line
            if let mapping = value.mapping {
                diagnostics += YAMLSupport.unknownKeys(
                    in: mapping, allowed: CodingKeys.allCases.map(\.rawValue), file: file, context: "\(context)'s rows \(name)")
            }
        }
        return (located, diagnostics)
    }
}
