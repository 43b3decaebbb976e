import DocxPackage
import Foundation
import MergeEngine
import PrintRun
import Segments

// `merge` for Word's main document types other than plain form letters, and for templates whose
// fields move through the records (NEXT, SKIPIF, MERGESEQ, SET, ASK …). Plain form letters keep
// the streaming path of `MergeRunner.run`.
//
// | type | output |
// |---|---|
// | form letters, envelopes, fax | one .docx per document (a document holds more than one record only with NEXT) |
// | form letters `--single-document` | ONE .docx, a section per document (PrintRun's combiner: ids unique) |
// | mailing labels | ONE .docx: the label sheet filled record after record, a sheet (section) per page |
// | catalog (directory) | ONE .docx: the body once per record, no breaks |
// | e-mail | one .docx and one .eml per record: to `w:addressFieldName`'s column, subject `w:mailSubject` |

/// Answers and checks shared by every merge.
enum MergeChecks {
    /// Throws when `--strict` and the template has fields a merge would leave unevaluated.
    static func strict(_ template: CompiledTemplate, _ strict: Bool) throws(MailMergeError) {
        guard strict, let first = template.warnings.first else { return }
        throw .template(
            TemplateError(
                file: template.templatePath, part: first.part, paragraph: first.paragraph, fieldCode: first.fieldCode,
                message: first.message + " (--strict; \(template.warnings.count) such field\(template.warnings.count == 1 ? "" : "s"))"))
    }

    /// Throws, before anything is written, for an ASK or FILLIN with no answer and no default.
    static func answers(_ template: CompiledTemplate, _ answers: [String: String]) throws(MailMergeError) {
        guard let question = template.unansweredQuestions(answers).first else { return }
        let name = question.bookmark ?? question.prompt
        throw .template(
            TemplateError(
                file: template.templatePath, part: question.use.part, paragraph: question.use.paragraph,
                fieldCode: question.use.code,
                message: "no answer for \"\(name)\"; pass --answer \"\(name)=VALUE\" or give the field a \\d \"default\""))
    }
}

enum DocumentTypeMerge {
    static func run(
        _ request: MergeRequest, template: CompiledTemplate, type: MainDocumentType, started: Date,
        progress: ((_ done: Int, _ total: Int?) -> Void)?
    ) throws(MailMergeError) -> MergeSummary {
        try MergeChecks.answers(template, request.answers)
        var reader: CSVRowReader
        do { reader = try CSVRowReader(path: request.dataPath) } catch { throw .validation([error]) }
        let pattern = try DocumentNamePattern(request.namePattern)
        try MergeRunner.checkColumns(template, header: reader.header, pattern: pattern, request)
        var addressColumn: String?
        if type == .email {
            guard let column = template.mailMerge.addressFieldName ?? reader.header.first(where: { $0.lowercased() == "email" }) else {
                throw .template(
                    TemplateError(
                        file: request.templatePath, part: "word/settings.xml",
                        message: "an e-mail merge needs the column with the addresses (w:addressFieldName) or an Email column"))
            }
            guard reader.header.contains(where: { $0.lowercased() == column.lowercased() }) else {
                throw .unknownNameColumn(column, data: request.dataPath)
            }
            addressColumn = column
        }
        var records: [MergeRecord] = []
        let limit = request.limit ?? Int.max
        while records.count < limit {
            let row: (line: Int, values: [String])?
            do { row = try reader.next() } catch { throw .validation([error]) }
            guard let row else { break }
            var values: [String: String] = [:]
            for (column, value) in zip(reader.header, row.values) { values[column] = value }
            records.append(MergeRecord(values))
        }
        try OutputFolder.create(request.outputDirectory)
        let archive: DocxArchive
        do { archive = try DocxArchive(path: request.templatePath) } catch { throw .package(error) }
        var state = MergeState(answers: request.answers)
        func write(_ parts: [String: [UInt8]], to path: String) throws(MailMergeError) {
            do { try DocxWriter.write(source: archive, replacing: parts, to: path, compressionLevel: request.compressionLevel) } catch {
                throw .package(error)
            }
        }
        func rendering(from start: Int) throws(MailMergeError) -> RecordsRendering? {
            do { return try template.render(records: records, from: start, state: &state, missing: request.missing) } catch {
                throw .missingValue(error, record: "\(request.dataPath), record \(start + 1)")
            }
        }
        /// Every document, as `<folder>/<name>1.docx`, `<name>2.docx` …; the paths and the records shown.
        func renderAll(
            into folder: String, named name: String, progress: ((_ done: Int, _ total: Int?) -> Void)?
        ) throws(MailMergeError) -> ([String], Int) {
            var documents: [String] = []
            var start = 0
            var shown = 0
            while let document = try rendering(from: start) {
                let path = folder + "/\(name)\(documents.count + 1).docx"
                try write(document.parts, to: path)
                documents.append(path)
                shown += document.records.count
                start = document.next
                progress?(shown, records.count)
            }
            return (documents, shown)
        }
        let singleName = singleDocumentName(request, pattern: pattern, first: records.first)

        switch type {
        case .catalog:
            let directory: DirectoryRendering?
            do { directory = try template.renderDirectory(records: records, state: &state, missing: request.missing) } catch {
                throw .missingValue(error, record: request.dataPath)
            }
            guard let directory else { return summary(0, 0, template, started) }
            try write(directory.parts, to: request.outputDirectory + "/" + singleName)
            return summary(1, directory.records.count, template, started)
        case .mailingLabels:
            return try combined(request, name: singleName, template: template, started: started) { (scratch: String) throws(MailMergeError) in
                try renderAll(into: scratch, named: "sheet", progress: progress)
            }
        default:
            if request.singleDocument {
                return try combined(request, name: singleName, template: template, started: started) { (scratch: String) throws(MailMergeError) in
                    try renderAll(into: scratch, named: "letter", progress: nil)
                }
            }
            var written = 0
            var shown = 0
            var start = 0
            var number = request.firstNumber
            var namesTaken: [String: Int] = [:]
            while let document = try rendering(from: start) {
                let record = records[document.records.first ?? start]
                let name = pattern.fileName(number: number) { record[$0] }
                if let first = namesTaken.updateValue(number, forKey: name) {
                    throw .duplicateDocumentName(name, firstRecord: first, record: number)
                }
                let path = request.outputDirectory + "/" + name
                try write(document.parts, to: path)
                if let addressColumn {
                    try EmailMerge.write(
                        letter: path, from: EmailAddress(address: request.emailFrom), to: EmailAddress(address: record[addressColumn] ?? ""),
                        subject: template.mailMerge.mailSubject ?? "", unreadable: "cannot read the document just written")
                }
                written += 1
                shown += document.records.count
                number += 1
                start = document.next
                progress?(written, nil)
            }
            return summary(written, shown, template, started)
        }
    }

    /// The name of a merge's one output document: the `--name` pattern for the first record
    /// when it was given, else the template's name with `-merged`.
    private static func singleDocumentName(_ request: MergeRequest, pattern: DocumentNamePattern, first: MergeRecord?) -> String {
        if request.namePattern != MergeRequest.defaultNamePattern, let first {
            return pattern.fileName(number: request.firstNumber) { first[$0] }
        }
        let base = ((request.templatePath as NSString).lastPathComponent as NSString).deletingPathExtension
        return base + "-merged.docx"
    }

    /// Writes the documents `render` makes into a scratch folder and combines them into one.
    private static func combined(
        _ request: MergeRequest, name: String, template: CompiledTemplate, started: Date,
        render: (String) throws(MailMergeError) -> ([String], Int)
    ) throws(MailMergeError) -> MergeSummary {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-merge-\(UUID().uuidString)").path
        do { try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true) } catch {
            throw .io(path: scratch, message: "cannot create a scratch folder (\(error.localizedDescription))")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let (documents, shown) = try render(scratch)
        guard !documents.isEmpty else { return summary(0, 0, template, started) }
        let path = request.outputDirectory + "/" + name
        do { try PrintRunCombiner.combine(letters: documents, to: path, compressionLevel: request.compressionLevel) } catch {
            throw .printRun(error)
        }
        return summary(1, shown, template, started)
    }

    private static func summary(_ documents: Int, _ records: Int, _ template: CompiledTemplate, _ started: Date) -> MergeSummary {
        var summary = MergeSummary(documents: documents, seconds: Date().timeIntervalSince(started))
        summary.records = records
        summary.warnings = template.warnings
        return summary
    }
}

/// The .eml beside a merged letter, for `merge --type email` and print runs: the letter's text as the body, the letter
/// (or its PDF) attached.
enum EmailMerge {
    /// Writes `letter`'s `.eml` beside it, with `attachment` (the letter when `nil`) attached, and returns its path.
    /// `unreadable`: the message when the attachment cannot be read.
    @discardableResult
    static func write(
        letter: String, attachment: String? = nil, from: EmailAddress, to: EmailAddress, subject: String, unreadable: String
    ) throws(MailMergeError) -> String {
        let attachment = attachment ?? letter
        guard let bytes = FileManager.default.contents(atPath: attachment) else {
            throw .io(path: attachment, message: unreadable)
        }
        let body: String
        do { body = try LetterText.plainText(ofLetter: letter) } catch {
            throw .printRun(error)
        }
        let fileName = (attachment as NSString).lastPathComponent
        let message = EmailMessage(
            from: from, to: to, subject: subject, body: body,
            attachment: .init(fileName: fileName, contentType: fileName.hasSuffix(".pdf") ? "application/pdf" : PrintRunWriter.docxType, bytes: bytes))
        let path = (letter as NSString).deletingPathExtension + ".eml"
        try EmailOutbox.save(message, to: path)
        return path
    }
}
