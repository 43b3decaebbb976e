import Foundation
import PrintRun
import Segments

/// What the print-run step wrote.
public struct PrintRunResult: Sendable {
    /// The combined documents, one per attachment used by a printed line.
    public var printDocuments: [String] = []
    /// The PDFs written.
    public var pdfs: [String] = []
    /// The print manifest (CSV), when a print run was made.
    public var manifestPath: String?
    /// The `.eml` files, one per e-mail line.
    public var emails: [String] = []
}

/// The print-run use case, run by `SegmentLogger` after the letters are written and before
/// anything is logged, so a failed print run logs nothing.
enum PrintRunWriter {
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// Writes what `options` asks for (`printRun`, `sort`, `pdf`, `emailFrom`) into
    /// `directory`, for `lines` whose letters are `documents`.
    static func run(_ options: LogSegmentRequest, lines: [ResolvedLine], documents: [String], in directory: String,
                    jobs: Int) throws(MailMergeError) -> PrintRunResult {
        var result = PrintRunResult()
        guard options.printRun || options.pdf else { return result }
        let converter = options.pdf ? try PDFConverter.locate(concurrency: jobs) : nil
        guard options.printRun else {
            result.pdfs = try converter?.convert(documents, to: directory) ?? []
            return result
        }
        let indexed = Array(zip(lines, documents).enumerated())
        let emailLines = indexed.filter { $0.element.0.correspondenceType == .email }
        let printed = indexed.filter { $0.element.0.correspondenceType != .email }

        // One print document per attachment, in the order attachments first appear.
        var groups: [(attachment: String, members: [(position: Int, line: ResolvedLine)])] = []
        for (position, pair) in printed {
            if let index = groups.firstIndex(where: { $0.attachment == pair.0.attachmentPath }) {
                groups[index].members.append((position, pair.0))
            } else {
                groups.append((pair.0.attachmentPath, [(position, pair.0)]))
            }
        }
        var rows: [PrintManifest.Row] = []
        for group in groups {
            let ordered = options.sort.ordered(group.members)
            let stem = ((group.attachment as NSString).lastPathComponent as NSString).deletingPathExtension
            let path = directory + "/" + SafeFileName.make("print-run-" + stem + ".docx")
            do { try PrintRunCombiner.combine(letters: ordered.map { documents[$0.position] }, to: path) } catch {
                throw .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
            }
            result.printDocuments.append(path)
            rows += ordered.enumerated().map { sequence, member in
                PrintManifest.Row(document: (path as NSString).lastPathComponent, pdf: nil, sequence: sequence + 1, pages: nil, line: member.line)
            }
        }

        let emailDocuments = emailLines.map { $0.element.1 }
        if let converter {
            let pdfs = try converter.convert(result.printDocuments + emailDocuments, to: directory)
            result.pdfs = pdfs
            try addPageRanges(&rows, printDocuments: result.printDocuments, pdfs: Array(pdfs.prefix(result.printDocuments.count)))
        }
        if !rows.isEmpty {
            result.manifestPath = directory + "/print-manifest.csv"
            try PrintManifest.write(rows, to: directory + "/print-manifest.csv")
        }
        for (offset, item) in emailLines.enumerated() {
            let attachment = converter == nil ? item.element.1 : result.pdfs[result.printDocuments.count + offset]
            result.emails.append(try writeEmail(line: item.element.0, letter: item.element.1, attachment: attachment, from: options.emailFrom))
        }
        return result
    }

    /// Fills in each row's page range from its print document's PDF.
    private static func addPageRanges(_ rows: inout [PrintManifest.Row], printDocuments: [String], pdfs: [String]) throws(MailMergeError) {
        for (document, pdf) in zip(printDocuments, pdfs) {
            let name = (document as NSString).lastPathComponent
            let indices = rows.indices.filter { rows[$0].document == name }
            let ranges = try PDFPages.letterRanges(in: pdf, letterCount: indices.count)
            for (index, range) in zip(indices, ranges) {
                rows[index].pages = range
                rows[index].pdf = (pdf as NSString).lastPathComponent
            }
        }
    }

    /// Writes `letter`'s `.eml` beside it, with `attachment` (the letter or its PDF) attached.
    private static func writeEmail(line: ResolvedLine, letter: String, attachment: String, from: String) throws(MailMergeError) -> String {
        guard let bytes = FileManager.default.contents(atPath: attachment) else {
            throw .io(path: attachment, message: "cannot read the letter to attach it")
        }
        let body: String
        do { body = try LetterText.plainText(ofLetter: letter) } catch {
            throw .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
        }
        let fileName = (attachment as NSString).lastPathComponent
        let message = EmailMessage(
            from: EmailAddress(name: line.salespersonName, address: from),
            to: EmailAddress(name: line.contact.fullName.isEmpty ? line.contact.companyName : line.contact.fullName, address: line.contact.email),
            subject: line.subject.isEmpty ? line.description : line.subject,
            body: body,
            attachment: .init(fileName: fileName, contentType: fileName.hasSuffix(".pdf") ? "application/pdf" : docxType, bytes: bytes))
        let path = (letter as NSString).deletingPathExtension + ".eml"
        do { try message.rendered().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io(path: path, message: "cannot write the e-mail (\(error.localizedDescription))")
        }
        return path
    }
}
