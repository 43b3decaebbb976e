import DocxPackage
import Foundation
import MergeEngine
import Segments

/// What `mailmerge merge` should do.
public struct MergeRequest: Sendable {
    /// The Word template (.docx).
    public var templatePath: String
    /// The data (CSV with a header row).
    public var dataPath: String
    /// The folder to write documents into (created when missing).
    public var outputDirectory: String
    /// Output file names; see `DocumentNamePattern`.
    public var namePattern: String = MergeRequest.defaultNamePattern
    public static let defaultNamePattern = "letter_{#:05}.docx"
    /// Merge at most this many records.
    public var limit: Int?
    /// The number `{#}` gives the first record.
    public var firstNumber: Int = 1
    /// What to do with a field the data has no column for.
    public var missing: MissingFieldPolicy = .error
    /// Worker threads.
    public var jobs: Int = Defaults.jobs
    /// Deflate level (1–9) for the parts that change.
    public var compressionLevel = DeflateLevel.default
    /// `--map`: the column each ADDRESSBLOCK/GREETINGLINE token reads, over the template's Match Fields.
    public var fieldMap: [AddressToken: String] = [:]
    /// The folder pictures are read from (`--images`): record paths resolve inside it only.
    public var images: String?
    /// Word's main document type; nil: the template's `w:mainDocumentType`, else form letters.
    public var type: MainDocumentType?
    /// Form letters as ONE document, a section per record (Word's "Edit individual documents").
    public var singleDocument = false
    /// Answers for ASK and FILLIN fields: bookmark or prompt → answer.
    public var answers: [String: String] = [:]
    /// Fields the merge would leave unevaluated (`CompiledTemplate.warnings`) stop the run.
    public var strict = false
    /// The sender of e-mail merges' messages.
    public var emailFrom = "mailmerge@localhost"
    /// Child tables for repeating regions (`--rows`, `ChildTableSpec`).
    public var rows: [ChildTableSpec] = []
    /// `--rows-sorted`: the data and every child file are in ascending key order (read in step).
    public var rowsSorted = false
    /// `--keep-empty-regions`, `--remove-empty-tables`.
    public var keepEmptyRegions = false
    public var removeEmptyTables = false

    public init(templatePath: String, dataPath: String, outputDirectory: String) {
        self.templatePath = templatePath
        self.dataPath = dataPath
        self.outputDirectory = outputDirectory
    }
}

/// What a merge did.
public struct MergeSummary: Sendable {
    /// Documents written.
    public var documents: Int
    /// Wall-clock seconds, template compilation included.
    public var seconds: Double
    /// Records merged (more than `documents` for labels and directories; fewer when SKIPIF skips).
    public var records: Int = 0
    /// Fields left unevaluated (`CompiledTemplate.warnings`): to be shown as warnings.
    public var warnings: [FieldWarning] = []
    /// Child rows no record asked for (`--rows`): to be shown as warnings.
    public var unmatchedRows: [UnmatchedChildRows] = []

    public init(documents: Int, seconds: Double) {
        self.documents = documents
        self.seconds = seconds
    }
}

/// The `merge` use case: one document per CSV record.
public enum MergeRunner {
    /// Merges every record of `request.dataPath` into `request.templatePath`.
    /// Checks the template and the data's columns before writing anything. `progress`
    /// is called on the calling thread with the number of documents written so far and the
    /// number expected (the limit, when there is one).
    public static func run(_ request: MergeRequest, progress: ((_ done: Int, _ total: Int?) -> Void)? = nil) throws(MailMergeError) -> MergeSummary {
        let started = Date()
        let children = request.rows.isEmpty ? nil : try ChildTables(request.rows, sorted: request.rowsSorted)
        var fieldsOfRows: [String: [String]] = [:]
        if let children {
            // A row repeats for a child table's field only when the main data has no column of that name.
            let main: Set<String>
            do { main = Set(try CSVRowReader(path: request.dataPath).header.map { $0.lowercased() }) } catch { throw .validation([error]) }
            fieldsOfRows = children.regionColumns(excluding: main)
        }
        let regions = RegionOptions(
            childColumns: fieldsOfRows, keepEmptyRegions: request.keepEmptyRegions, removeEmptyTables: request.removeEmptyTables)
        let template = try Templates.compile(at: request.templatePath, fieldMap: request.fieldMap, regions: regions, images: request.images)
        try MergeChecks.strict(template, request.strict)
        let type = request.type ?? template.mailMerge.mainDocumentType ?? .formLetters
        if template.navigatesRecords || request.singleDocument || ![.formLetters, .fax].contains(type) {
            if children != nil {
                throw .validation([
                    Diagnostic(
                        source: "--rows",
                        message: "child tables work with letters, one document per record (not labels, directories, NEXT or --single-document)")
                ])
            }
            return try DocumentTypeMerge.run(request, template: template, type: type, started: started, progress: progress)
        }
        let pattern = try DocumentNamePattern(request.namePattern)
        var reader: CSVRowReader
        do { reader = try CSVRowReader(path: request.dataPath) } catch { throw .validation([error]) }

        let header = reader.header
        // Folded once (a header names no column twice in any case), not per record.
        let foldedHeader = header.map { $0.lowercased() }
        try children?.check(mainHeader: header, path: request.dataPath)
        try checkColumns(template, header: header, pattern: pattern, request, childColumns: children?.columns ?? [:])
        try OutputFolder.create(request.outputDirectory)

        let pool = DocumentWriterPool(
            templates: [template], jobs: request.jobs,
            compressionLevel: request.compressionLevel, missing: request.missing)
        var namesTaken: [String: Int] = [:]
        var written = 0
        var number = request.firstNumber
        let limit = request.limit ?? Int.max
        while written < limit {
            var batch: [DocumentTask] = []
            batch.reserveCapacity(Defaults.batchSize)
            while batch.count < Defaults.batchSize, written + batch.count < limit {
                let row: (line: Int, values: [String])?
                do { row = try reader.next() } catch { throw .validation([error]) }
                guard let row else { break }
                var values: [String: String] = [:]
                values.reserveCapacity(header.count)
                for (column, value) in zip(foldedHeader, row.values) { values[column] = value }
                let record: MergeRecord
                if let children {
                    record = MergeRecord(folded: values, children: try children.children(of: values, path: request.dataPath, line: row.line))
                } else {
                    record = MergeRecord(folded: values, children: [:])
                }
                let name = pattern.fileName(number: number) { record[$0] }
                if let first = namesTaken.updateValue(number, forKey: name) {
                    throw .duplicateDocumentName(name, firstRecord: first, record: number)
                }
                batch.append(
                    DocumentTask(
                        template: 0, record: record,
                        path: request.outputDirectory + "/" + name,
                        label: "\(request.dataPath), line \(row.line)"))
                number += 1
            }
            if batch.isEmpty { break }
            _ = try pool.write(batch, hashing: false)
            written += batch.count
            progress?(written, request.limit)
        }
        var summary = MergeSummary(documents: written, seconds: Date().timeIntervalSince(started))
        summary.records = written
        summary.warnings = template.warnings
        if let children, written < limit { summary.unmatchedRows = try children.unmatched() }
        return summary
    }

    /// Refuses data without a column for a template field (unless `--missing blank|keep`) or for
    /// a `--name` pattern column.
    static func checkColumns(
        _ template: CompiledTemplate, header: [String], pattern: DocumentNamePattern, _ request: MergeRequest,
        childColumns: [String: [String]] = [:]
    ) throws(MailMergeError) {
        let columns = Set(header.map { $0.lowercased() })
        if request.missing == .error {
            try RegionChecks.check(template, tables: childColumns, request)
            let fieldColumns = columns.union(RegionChecks.fieldNames(childColumns: childColumns))
            var reported = Set<String>()
            let missing = template.fields.filter {
                !fieldColumns.contains($0.name.lowercased()) && reported.insert($0.name.lowercased()).inserted
            }
            if !missing.isEmpty {
                throw .missingColumns(template: request.templatePath, fields: missing, data: request.dataPath)
            }
        }
        for column in pattern.columns where !columns.contains(column.lowercased()) {
            throw .unknownNameColumn(column, data: request.dataPath)
        }
    }
}
