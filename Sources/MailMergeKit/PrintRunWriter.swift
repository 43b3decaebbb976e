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
        var printLetters: [[String]] = []
        for group in groups {
            let ordered = options.sort.ordered(group.members)
            let stem = ((group.attachment as NSString).lastPathComponent as NSString).deletingPathExtension
            let path = directory + "/" + SafeFileName.make("print-run-" + stem + ".docx")
            printLetters.append(ordered.map { documents[$0.position] })
            try combine(printLetters[printLetters.count - 1], to: path, pageCounts: nil)
            result.printDocuments.append(path)
            rows += ordered.enumerated().map { sequence, member in
                PrintManifest.Row(document: (path as NSString).lastPathComponent, pdf: nil, sequence: sequence + 1, pages: nil, line: member.line)
            }
        }

        let emailDocuments = emailLines.map { $0.element.1 }
        if let converter {
            result.pdfs = try converter.convert(result.printDocuments + emailDocuments, to: directory)
            var ranges = try result.printDocuments.indices.map { index throws(MailMergeError) in
                try PDFPages.letterRanges(in: result.pdfs[index], letterCount: printLetters[index].count)
            }
            // Letters of more than one page: write their page totals into the document (for
            // LibreOffice, which does not compute SECTIONPAGES) and convert those again.
            let recount = ranges.indices.filter { ranges[$0].contains { $0.count != 1 } }
            for index in recount {
                try combine(printLetters[index], to: result.printDocuments[index], pageCounts: ranges[index].map(\.count))
            }
            _ = try converter.convert(recount.map { result.printDocuments[$0] }, to: directory)
            for index in recount {
                ranges[index] = try PDFPages.letterRanges(in: result.pdfs[index], letterCount: printLetters[index].count)
            }
            for (index, document) in result.printDocuments.enumerated() {
                let name = (document as NSString).lastPathComponent
                for (row, range) in zip(rows.indices.filter { rows[$0].document == name }, ranges[index]) {
                    rows[row].pages = range
                    rows[row].pdf = (result.pdfs[index] as NSString).lastPathComponent
                }
            }
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

    private static func combine(_ letters: [String], to path: String, pageCounts: [Int]?) throws(MailMergeError) {
        do { try PrintRunCombiner.combine(letters: letters, to: path, pageCounts: pageCounts) } catch {
            throw .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
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
