import DocxPackage
import InteractionLog
import MergeEngine
import PrintRun
import Segments

/// Everything that can stop a merge or a segment run, in words a user can act on.
public enum MailMergeError: Error, Sendable, CustomStringConvertible {
    /// The `--name` pattern does not parse.
    case invalidNamePattern(String, String)
    /// The data has no column for a field the template uses.
    case missingColumns(template: String, fields: [FieldUse], data: String)
    /// The `--name` pattern names a column the data does not have.
    case unknownNameColumn(String, data: String)
    /// Two records would get the same document name.
    case duplicateDocumentName(String, firstRecord: Int, record: Int)
    /// A record has no value for a field (with `--missing error`).
    case missingValue(MissingFieldError, record: String)
    /// Problems found while checking a segment; nothing was written.
    case validation([Diagnostic])
    /// The interaction log refused or failed (e.g. the segment is already logged).
    case log(InteractionLogError)
    /// A .docx package problem.
    case package(DocxError)
    /// A template that does not compile.
    case template(TemplateError)
    /// A file that cannot be read or written.
    case io(path: String, message: String)
    /// An input (the contacts file, the segment, a template) changed in place while a run was reading it; the
    /// diagnostic names the file and line. The run stopped before logging anything.
    case inputChanged(Diagnostic)

    public var description: String {
        switch self {
        case .invalidNamePattern(let pattern, let why):
            return "invalid --name pattern \"\(pattern)\": \(why)"
        case .missingColumns(let template, let fields, let data):
            let names = fields.map(\.described)
            return "\(data): no column for field\(fields.count == 1 ? "" : "s") \(names.joined(separator: ", ")) used in \(template); add the "
                + "column\(fields.count == 1 ? "" : "s") or use --missing blank|keep"
        case .unknownNameColumn(let column, let data):
            return "\(data): the --name pattern uses column \"\(column)\", which the data does not have"
        case .duplicateDocumentName(let name, let first, let record):
            return "records \(first) and \(record) would both be written as \"\(name)\"; make the --name pattern unique, e.g. add {#}"
        case .missingValue(let error, let record):
            return "\(record): \(error)"
        case .validation(let diagnostics):
            return diagnostics.map(\.description).joined(separator: "\n")
        case .log(let error):
            return error.description
        case .package(let error):
            return error.description
        case .template(let error):
            return error.description
        case .io(let path, let message):
            return "\(path): \(message)"
        case .inputChanged(let diagnostic):
            return "\(diagnostic) (the run stopped: nothing was logged)"
        }
    }
}

extension MailMergeError {
    /// A print-run error (combining letters, reading a letter's text) as an I/O error naming its file and part.
    static func printRun(_ error: PrintRunError) -> MailMergeError {
        .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
    }
}
