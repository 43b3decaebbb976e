import MergeEngine
import Segments

/// The child tables of a segment's letters: the `rows:` an interaction template declares in
/// `templates.yaml`, with the segment header's `rows:` over them (a table of the same name is
/// replaced, others are added; see `ChildRowsDeclaration`). Each line's fields (contact,
/// interaction, salesperson) are the main record; its rows are found as `merge --rows` finds
/// them (`ChildTables`: indexed, or read in step when declared `sorted: true`, the segment's
/// lines then in ascending key order).
final class SegmentChildTables {
    /// One `ChildTables` per distinct set of tables.
    private var tables: [ChildTables] = []
    /// Per template code (lowercased): its position in `tables`; absent: no child tables.
    private var tableOfTemplate: [String: Int] = [:]
    /// Per attachment path: its tables' columns, as field checks and `RegionOptions` want them.
    private(set) var columns: [String: [String: [String]]] = [:]
    /// Per attachment path: the columns whose fields repeat a table row without region markers.
    private(set) var regionColumns: [String: [String: [String]]] = [:]
    private let segmentPath: String
    private let yamlLines: YAMLLineNumbers

    /// Whether no line has child tables.
    var isEmpty: Bool { tables.isEmpty }

    /// Opens (or indexes) the child files of every template with an attachment that `lines` use;
    /// the problems (a file that cannot be read, a key column missing, an attachment two templates
    /// with different tables share) go to `diagnostics`.
    init(segment: Segment, lines: [ResolvedLine], diagnostics: inout [Diagnostic]) {
        segmentPath = segment.path ?? segment.header.no
        yamlLines = segment.source?.lineLines ?? []
        guard let first = lines.first else { return }
        let main = Set(first.mergeFields.keys.map { $0.lowercased() })
        var positions: [[ChildTableSpec]: Int] = [:]
        var tried = Set<String>()
        var specsOfAttachment: [String: (specs: [ChildTableSpec], template: String)] = [:]
        var seen = Set<String>()
        for line in lines {
            // Every line of a template and attachment has the same tables: the first stands for all.
            guard let attachment = line.attachmentPath, seen.insert(line.template.code.lowercased() + "\n" + attachment).inserted else { continue }
            let code = line.template.code.lowercased()
            let specs = Self.specs(line.template, header: segment.header)
            if let earlier = specsOfAttachment[attachment], earlier.specs != specs {
                diagnostics.append(
                    Diagnostic(
                        source: segmentPath,
                        message: "attachment \(attachment) is used by templates \(earlier.template) and \(line.template.code) with different "
                            + "child tables (rows:); give them the same rows, or each its own attachment"))
                continue
            }
            specsOfAttachment[attachment] = (specs, line.template.code)
            guard !specs.isEmpty else { continue }
            if tried.insert(code).inserted {
                if let position = positions[specs] {
                    tableOfTemplate[code] = position
                } else if let opened = Self.open(specs, contactsPath: segment.contactsPath, mainColumns: Array(first.mergeFields.keys), &diagnostics) {
                    positions[specs] = tables.count
                    tableOfTemplate[code] = tables.count
                    tables.append(opened)
                }
            }
            if let position = tableOfTemplate[code] {
                columns[attachment] = tables[position].columns
                regionColumns[attachment] = tables[position].regionColumns(excluding: main)
            }
        }
    }

    /// The tables `specs`, opened and checked against the line fields `mainColumns`; nil when there are problems (in `diagnostics`).
    private static func open(
        _ specs: [ChildTableSpec], contactsPath: String, mainColumns: [String], _ diagnostics: inout [Diagnostic]
    ) -> ChildTables? {
        let problems = ChildTableSpec.problems(specs)
        guard problems.isEmpty else {
            diagnostics += problems
            return nil
        }
        do {
            let opened = try ChildTables(specs, sorted: false)
            try opened.check(mainHeader: mainColumns, path: contactsPath)
            return opened
        } catch {
            if case .validation(let found) = error { diagnostics += found } else { diagnostics.append(Diagnostic(source: contactsPath, message: "\(error)")) }
            return nil
        }
    }

    /// The tables of `template`'s letters: its own `rows:`, the header's over them, by name.
    static func specs(_ template: InteractionTemplate, header: SegmentHeader) -> [ChildTableSpec] {
        var declared = template.rows
        for (name, declaration) in header.rows ?? [:] {
            declared = declared.filter { $0.key.lowercased() != name.lowercased() }
            declared[name] = declaration
        }
        return declared.sorted { $0.key < $1.key }.map { name, declaration in
            ChildTableSpec(name: name, path: declaration.path, key: declaration.key, sorted: declaration.sorted, origin: declaration.origin(table: name))
        }
    }

    /// The merge record of `line` (the segment's line at `position`): its fields and, when its
    /// template has child tables, their rows.
    func record(of line: ResolvedLine, position: Int) throws(MailMergeError) -> MergeRecord {
        let values = line.mergeFields
        guard let table = tableOfTemplate[line.template.code.lowercased()] else { return MergeRecord(values) }
        let yamlLine = position < yamlLines.count ? yamlLines[position] : 0
        return MergeRecord(values, children: try tables[table].children(of: values, path: segmentPath, line: yamlLine))
    }

    /// The child rows no line asked for (the files are read to their end).
    func unmatched() throws(MailMergeError) -> [UnmatchedChildRows] {
        var result: [UnmatchedChildRows] = []
        for table in tables { result += try table.unmatched() }
        return result
    }
}
