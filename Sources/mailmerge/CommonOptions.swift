import ArgumentParser
import Foundation
import MailMergeKit

/// `--db` of commands that read or change an existing interaction log.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The interaction log: an SQLite file, or postgres://user@host:port/database?sslmode=….")
    var db = Defaults.databasePath

    /// The log `--db` names.
    var log: InteractionLogLocation { .named(db) }
}

/// `--db` of commands that record interactions: the log is created when missing.
struct RecordingDatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The interaction log: an SQLite file (created when missing), or postgres://user@host:port/database?sslmode=….")
    var db = Defaults.databasePath

    /// The log `--db` names.
    var log: InteractionLogLocation { .named(db) }
}

/// `--templates` of commands that merge interaction templates' attachments.
struct TemplatesOptions: ParsableArguments {
    @Option(name: .long, help: "The folder with templates.yaml and the Word attachments.")
    var templates = Defaults.templatesDirectory
}

/// `--jobs` of commands that write documents in parallel.
struct JobsOptions: ParsableArguments {
    @Option(name: .long, help: "Worker threads (default: the number of cores).")
    var jobs = Defaults.jobs
}

/// `--quiet` of commands that show progress and a summary.
struct QuietOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print nothing but errors (no progress, no summary). Progress is only shown when standard output is a terminal.")
    var quiet = false
}

/// `--format` of commands that list records.
struct ListFormatOptions: ParsableArguments {
    @Option(name: .long, help: "table, json or csv.")
    var format: ListFormat = .table

    /// Prints `records` in the chosen format (`header` and `rows` for table and CSV).
    func print<T: Encodable>(_ records: [T], header: [String], rows: [[String]]) throws {
        try reportingErrors { try Output.print(records, header: header, rows: rows, format: format) }
    }
}
