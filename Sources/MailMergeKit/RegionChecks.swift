import MergeEngine
import Segments

/// Checks of a template's repeating regions against the child tables given (`--rows`).
enum RegionChecks {
    /// Refuses a template whose region shows a table no `--rows` gives.
    static func check(_ template: CompiledTemplate, tables: [String: [String]], _ request: MergeRequest) throws(MailMergeError) {
        let given = Set(tables.keys.map { $0.lowercased() })
        let missing = template.regionTables.filter { !given.contains($0) }
        guard !missing.isEmpty else { return }
        throw .validation(
            missing.map {
                Diagnostic(
                    source: request.templatePath,
                    message: "the template repeats table \"\($0)\" (a region or a row with its fields), but no --rows \($0)=FILE gives its rows; "
                        + "add it, or use --missing blank to leave the region out")
            })
    }

    /// The field names the child tables provide (lowercased): their columns, as `Column` and
    /// `Table.Column`, `Table.Count` and `Table.Sum:Column`.
    static func fieldNames(childColumns: [String: [String]]) -> Set<String> {
        var names = Set<String>()
        for (table, columns) in childColumns {
            let prefix = table.lowercased() + "."
            names.insert(prefix + "count")
            for column in columns {
                names.insert(column.lowercased())
                names.insert(prefix + column.lowercased())
                names.insert(prefix + "sum:" + column.lowercased())
            }
        }
        return names
    }
}
