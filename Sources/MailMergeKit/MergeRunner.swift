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
    public var namePattern: String = "letter_{#:05}.docx"
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
}

/// The `merge` use case: one document per CSV record.
public enum MergeRunner {
    /// Merges every record of `request.dataPath` into `request.templatePath`.
    /// Checks the template and the data's columns before writing anything. `progress`
    /// is called on the calling thread with the number of documents written so far and the
    /// number expected (the limit, when there is one).
    public static func run(_ request: MergeRequest, progress: ((_ done: Int, _ total: Int?) -> Void)? = nil) throws(MailMergeError) -> MergeSummary {
        let started = Date()
        let template = try Templates.compile(at: request.templatePath, fieldMap: request.fieldMap)
        let pattern = try DocumentNamePattern(request.namePattern)
        var reader: CSVRowReader
        do { reader = try CSVRowReader(path: request.dataPath) } catch { throw .validation([error]) }

        let header = reader.header
        let columns = Set(header.map { $0.lowercased() })
        if request.missing == .error {
            var reported = Set<String>()
            let missing = template.fields.filter { !columns.contains($0.name.lowercased()) && reported.insert($0.name.lowercased()).inserted }
            if !missing.isEmpty {
                throw .missingColumns(template: request.templatePath, fields: missing, data: request.dataPath)
            }
        }
        for column in pattern.columns where !columns.contains(column.lowercased()) {
            throw .unknownNameColumn(column, data: request.dataPath)
        }
        try OutputFolder.create(request.outputDirectory)

        let pool = DocumentWriterPool(templates: [template], jobs: request.jobs,
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
                for (column, value) in zip(header, row.values) { values[column] = value }
                let record = MergeRecord(values)
                let name = pattern.fileName(number: number) { record[$0] }
                if let first = namesTaken.updateValue(number, forKey: name) {
                    throw .duplicateDocumentName(name, firstRecord: first, record: number)
                }
                batch.append(DocumentTask(template: 0, record: record,
                                          path: request.outputDirectory + "/" + name,
                                          label: "\(request.dataPath), line \(row.line)"))
                number += 1
            }
            if batch.isEmpty { break }
            _ = try pool.write(batch, hashing: false)
            written += batch.count
            progress?(written, request.limit)
        }
        return MergeSummary(documents: written, seconds: Date().timeIntervalSince(started))
    }
}
