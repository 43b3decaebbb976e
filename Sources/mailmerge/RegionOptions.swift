import ArgumentParser
import Foundation
import MailMergeKit

/// `merge`'s child tables and repeating-region options (README: "Repeating data (regions)").
struct ChildRowsOptions: ParsableArguments {
    @Option(
        name: .customLong("rows"),
        help: ArgumentHelp(
            "A child table for repeating regions: NAME=FILE or NAME=FILE:KEY (KEY in both files; PARENT.KEY nests it in table PARENT). "
                + "FILE is CSV (streamed: any size), or JSON if it ends in .json: an array of objects, read into memory whole, "
                + "so at most \(JSONChildRowsLimit.megabytes) MB (larger ones are refused; convert them to CSV). In JSON a key holding "
                + "an array of objects is a nested table of that name (\"OrderLines\": [...] in each order), at most "
                + "\(JSONChildRowsLimit.depth) tables deep.",
            valueName: "NAME=FILE[:KEY]"))
    var rows: [String] = []

    @Option(name: .customLong("key"), help: "The key column of the --rows tables without :KEY (one for all, or one per --rows in order).")
    var keys: [String] = []

    @Flag(name: .customLong("rows-sorted"), help: "The data and every --rows file are in ascending key order: read in step, not indexed.")
    var sorted = false

    @Flag(name: .customLong("keep-empty-regions"), help: "A region whose table has no rows keeps one instance with blank fields.")
    var keepEmptyRegions = false

    @Flag(name: .customLong("remove-empty-tables"), help: "A table left with only its header row (its region has no rows) is removed.")
    var removeEmptyTables = false

    func apply(to request: inout MergeRequest) throws(MailMergeError) {
        request.rows = try ChildTableSpec.parse(rows: rows, keys: keys)
        request.rowsSorted = sorted
        request.keepEmptyRegions = keepEmptyRegions
        request.removeEmptyTables = removeEmptyTables
    }
}

/// Prints child rows no record asked for as warnings.
func printUnmatched(_ unmatched: [UnmatchedChildRows]) {
    for rows in unmatched { FileHandle.standardError.write(Data("warning: \(rows)\n".utf8)) }
}
