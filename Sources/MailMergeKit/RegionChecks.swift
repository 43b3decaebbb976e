import MergeEngine
import Segments

/// Checks of a template's repeating regions against the child tables given (`--rows`).
enum RegionChecks {
    /// Refuses a template whose region shows a table no `--rows` gives.
    static func check(_ template: CompiledTemplate, tables: [String: [String]], _ request: MergeRequest) throws(MailMergeError) {
        let problems = problems(
            template, tables: tables, source: request.templatePath,
            hint: { "no --rows \($0)=FILE gives its rows; add it, or use --missing blank to leave the region out" })
        if !problems.isEmpty { throw .validation(problems) }
    }

    /// One diagnostic per table a region of `template` shows that `tables` does not give; `hint`
    /// says, for a table, where its rows should come from.
    static func problems(_ template: CompiledTemplate, tables: [String: [String]], source: String, hint: (String) -> String) -> [Diagnostic] {
        let given = Set(tables.keys.map { $0.lowercased() })
        return template.regionTables.filter { !given.contains($0) }.map {
            Diagnostic(source: source, message: "the template repeats table \"\($0)\" (a region or a row with its fields), but " + hint($0))
        }
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
