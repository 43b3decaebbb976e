/// A repeating region of a template (`TableStart:Orders` … `TableEnd:Orders`, `{{#Orders}}` …
/// `{{/Orders}}`, a table row holding a field of a child table, see `RegionMarker`): compiled
/// once, like a part, into a body of chunks and holes that is rendered once per child row.
struct Region: Sendable {
    enum Kind: Sendable {
        /// The body once per row of the table (none: the region disappears).
        case rows
        /// The body once when the table has no rows (`{{^Orders}}`), else nothing.
        case noRows
        /// The body (a whole table) once when the table has rows, else nothing
        /// (`--remove-empty-tables`: a table that would be left with its header row only).
        case table
    }

    /// The child table, lowercased.
    let table: String
    let kind: Kind
    /// The region's content, compiled; its holes may hold nested regions.
    let body: CompiledPart
    /// `--keep-empty-regions`: a `.rows` region of a table with no rows renders once, its
    /// fields blank.
    let keepEmpty: Bool

    /// Appends the region's bytes for `record` (the record, or the child row, it sits in).
    func render(_ record: MergeRecord, missing: MissingFieldPolicy, into output: inout [UInt8]) throws(MissingFieldError) {
        let rows = record.rows(of: table) ?? []
        switch kind {
        case .rows:
            if rows.isEmpty {
                if keepEmpty { try body.append(record, missing: missing == .error ? .blank : missing, to: &output) }
                return
            }
            let prefix = table + "."
            let enclosing = [record]  // one array for all the rows, not one each
            for row in rows {
                try body.append(Self.scoped(row, prefix: prefix, enclosing: enclosing), missing: missing, to: &output)
            }
        case .noRows:
            if rows.isEmpty { try body.append(record, missing: missing, to: &output) }
        case .table:
            if !rows.isEmpty { try body.append(record, missing: missing, to: &output) }
        }
    }

    /// The record a region's body sees for one child `row` of the table named by `prefix`
    /// (lowercased name and a dot): the row's fields first (also as `Table.Column`), then its
    /// parent's; the row's own child tables, then the parent's. Layered (`MergeRecord.enclosing`),
    /// not copied: a row costs no dictionary work.
    static func scoped(_ row: MergeRecord, prefix: String, in parent: MergeRecord) -> MergeRecord {
        scoped(row, prefix: prefix, enclosing: [parent])
    }

    /// As `scoped(_:prefix:in:)`, `enclosing` being `[parent]` (made once for all of a parent's rows).
    static func scoped(_ row: MergeRecord, prefix: String, enclosing: [MergeRecord]) -> MergeRecord {
        var scoped = row
        scoped.rowPrefix = prefix
        scoped.enclosing = enclosing
        return scoped
    }
}

/// How `CompiledTemplate.compile` treats repeating regions.
public struct RegionOptions: Sendable {
    /// The child tables the data will have: table name → its column names. A table row holding
    /// a field of one of them (`Amount`, or `Orders.Amount`) outside a region of that table
    /// repeats per child row (docx-mailmerge's rule).
    public var childColumns: [String: [String]] = [:]
    /// A region of a table with no rows keeps one instance, its child fields blank.
    public var keepEmptyRegions = false
    /// A table whose rows outside a region are its header row only disappears when the
    /// region has no rows.
    public var removeEmptyTables = false

    public init(childColumns: [String: [String]] = [:], keepEmptyRegions: Bool = false, removeEmptyTables: Bool = false) {
        self.childColumns = childColumns
        self.keepEmptyRegions = keepEmptyRegions
        self.removeEmptyTables = removeEmptyTables
    }
}
