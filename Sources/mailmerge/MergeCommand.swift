import ArgumentParser
import Foundation
import MailMergeKit
import MergeEngine

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Write one .docx per CSV record from a Word template.",
        discussion: """
            The CSV needs a header row; its column names are the field names (any case). \
            Before writing anything, the template is compiled and checked against the columns. \
            Each document is written atomically: it appears complete or not at all.

            Name patterns: {Column} is a record's value, {#} the record number, {#:05} the \
            number padded to 5 digits. Characters that are unsafe in file names are replaced \
            by "_"; two records that would get the same name stop the run.
            """
    )

    @Argument(help: "The Word template (.docx).")
    var template: String

    @Argument(help: "The data: CSV, UTF-8 (with or without BOM), with a header row.")
    var data: String

    @Option(name: .long, help: "The folder to write the documents into (created if missing).")
    var out: String

    @Option(name: .long, help: "Output file name pattern.")
    var name = "letter_{#:05}.docx"

    @Option(name: .long, help: "Merge at most this many records.")
    var limit: Int?

    @Option(name: .long, help: "The number {#} gives the first record.")
    var firstNumber = 1

    @Option(name: .long, help: "A field with no data column: error, blank (empty text) or keep (leave the field).")
    var missing: MissingFieldPolicy = .error

    @Option(name: .long, help: "The folder pictures are read from (INCLUDEPICTURE, MERGEFIELD Image:Name): record paths resolve inside it only.")
    var images: String?

    @OptionGroup var matchFields: MatchFieldsOptions

    @OptionGroup var workers: JobsOptions

    @Option(name: .long, help: "Deflate level for changed parts, 1 (fastest) to 9 (smallest).")
    var compression = DeflateLevel.default

    @OptionGroup var documentType: MergeTypeOptions

    @OptionGroup var output: QuietOptions

    @OptionGroup(title: "Repeating data (regions)") var childRows: ChildRowsOptions

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if workers.jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !(1...9).contains(compression) { throw ValidationError("--compression must be from 1 to 9") }
        _ = try matchFields.overrides()
    }

    func run() throws {
        var request = MergeRequest(templatePath: template, dataPath: data, outputDirectory: out)
        request.namePattern = name
        request.limit = limit
        request.firstNumber = firstNumber
        request.missing = missing
        request.jobs = workers.jobs
        request.compressionLevel = compression
        request.fieldMap = try matchFields.overrides()
        request.images = images
        documentType.apply(to: &request)
        try reportingErrors { try childRows.apply(to: &request) }
        let progress = ProgressBar(quiet: output.quiet)
        defer { progress.finish() }
        let summary = try reportingErrors { try MergeRunner.run(request, progress: progress.update) }
        printWarnings(summary.warnings, template: template)
        printUnmatched(summary.unmatchedRows)
        if !output.quiet {
            print("wrote \(summary.documents) document\(summary.documents == 1 ? "" : "s") to \(out) in \(String(format: "%.2f", summary.seconds)) s")
        }
    }
}

extension MissingFieldPolicy: ExpressibleByArgument {}
