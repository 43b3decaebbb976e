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
    /// Letter (.docx) → its PDF, for the letters converted one by one (e-mail letters, or every letter without a print run).
    public var letterPDFs: [String: String] = [:]
    /// The print documents: their letters in print order and, with PDF, where each landed (a distributed run's print parts).
    var documents: [PrintRunWriter.PrintDocument] = []
}

/// The print-run use case, run by `SegmentLogger` after the letters are written and before
/// anything is logged, so a failed print run logs nothing.
enum PrintRunWriter {
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// Writes what `options` asks for (`printRun`, `sort`, `pdf`, `pdfOptions`) into `directory`, for
    /// `lines` whose letters are `documents`. Only hard-copy lines are printed; the e-mails are
    /// `EmailOutbox`'s (with the PDFs made here), the faxes go to the fax folder.
    static func run(
        _ options: LogSegmentRequest, lines: [ResolvedLine], documents: [String], in directory: String
    ) throws(MailMergeError) -> PrintRunResult {
        var result = PrintRunResult()
        guard options.printRun || options.pdf else { return result }
        let converter = options.pdf ? try PDFConverter.locate(concurrency: options.pdfOptions.jobs) : nil
        guard options.printRun else {
            result.pdfs = try converter?.convert(documents, to: directory) ?? []
            result.letterPDFs = Dictionary(zip(documents, result.pdfs)) { first, _ in first }
            return result
        }
        let emailLines = lines.indices.filter { lines[$0].correspondenceType == .email }
        var runs = planPrintDocuments(lines: lines, documents: documents, sort: options.sort, in: directory)
        result.printDocuments = runs.map(\.path)
        var emailAttachments = emailLines.map { documents[$0] }
        if let converter {
            // The Word print documents are written while LibreOffice lays out the PDF (they do not depend on each other).
            let words = runs.map { ($0.letters, $0.path) }
            let written = Background { () throws(MailMergeError) in
                try PDFTrace.span(nil, "write Word print documents") { () throws(MailMergeError) in
                    for (letters, path) in words { try combine(letters, to: path) }
                }
            }
            do {
                emailAttachments = try convert(&runs, emailLetters: emailAttachments, converter: converter, options: options.pdfOptions, in: directory)
            } catch {
                _ = try? written.wait()
                throw error
            }
            try written.wait()
            result.pdfs = runs.flatMap(\.pdfs) + emailAttachments
            result.letterPDFs = Dictionary(zip(emailLines.map { documents[$0] }, emailAttachments)) { first, _ in first }
        } else {
            for run in runs { try combine(run.letters, to: run.path) }
        }
        result.documents = runs
        if !runs.isEmpty {
            let path = directory + "/print-manifest.csv"
            try PrintManifest.write(
                runs.flatMap { run in
                    run.lines.enumerated().map { sequence, line in
                        let placement = run.placements?[sequence]
                        return PrintManifest.Row(
                            document: (run.path as NSString).lastPathComponent,
                            pdf: placement.map { ($0.pdf as NSString).lastPathComponent }, sequence: sequence + 1,
                            placement: placement, line: line)
                    }
                }, to: path)
            result.manifestPath = path
        }
        return result
    }

    /// One print-run document: its letters in print order, and after conversion its print
    /// file(s) and where each letter landed.
    struct PrintDocument {
        var path: String
        var lines: [ResolvedLine]
        var letters: [String]
        var pdfs: [String] = []
        var placements: [PrintRunPDF.Placement]?
    }

    /// The print documents: the printed (hard-copy) letters of each attachment, in the order
    /// the attachments first appear, each sorted by `sort` (written by `combine`).
    private static func planPrintDocuments(
        lines: [ResolvedLine], documents: [String], sort: PrintRunSort,
        in directory: String
    ) -> [PrintDocument] {
        var groups: [(attachment: String, members: [(position: Int, line: ResolvedLine)])] = []
        for (position, line) in lines.enumerated() where line.correspondenceType == .hardCopy {
            // `lines` are the lines with a letter, so each has an attachment.
            guard let attachment = line.attachmentPath else { continue }
            if let index = groups.firstIndex(where: { $0.attachment == attachment }) {
                groups[index].members.append((position, line))
            } else {
                groups.append((attachment, [(position, line)]))
            }
        }
        var runs: [PrintDocument] = []
        for group in groups {
            let ordered = sort.ordered(group.members)
            let stem = ((group.attachment as NSString).lastPathComponent as NSString).deletingPathExtension
            let run = PrintDocument(
                path: directory + "/" + SafeFileName.make("print-run-" + stem + ".docx"),
                lines: ordered.map(\.line), letters: ordered.map { documents[$0.position] })
            runs.append(run)
        }
        return runs
    }

    /// Lays out the print documents as PDF in `directory` (`PrintRunPDF`: chunks converted in
    /// parallel, joined with qpdf) and converts the e-mail letters with the same LibreOffice
    /// workers; returns the e-mail letters' PDFs.
    private static func convert(
        _ runs: inout [PrintDocument], emailLetters: [String], converter: PDFConverter, options: PrintPDFOptions,
        in directory: String
    ) throws(MailMergeError) -> [String] {
        let documents = runs.map { run in
            PrintRunPDF.Document(
                letters: run.letters,
                labels: run.lines.map { "line \($0.lineNo) (contact \($0.contact.no))" },
                titles: run.lines.enumerated().map { sequence, line in
                    let name = line.contact.fullName.isEmpty ? line.contact.companyName : line.contact.fullName
                    return "\(sequence + 1) \(line.contact.no) \(name)"
                },
                stem: ((run.path as NSString).lastPathComponent as NSString).deletingPathExtension)
        }
        let laidOut = try PrintRunPDF.run(documents, letters: emailLetters, options: options, converter: converter, in: directory)
        for (index, result) in laidOut.results.enumerated() {
            runs[index].pdfs = result.pdfs
            runs[index].placements = result.placements
        }
        return laidOut.letterPDFs
    }

    private static func combine(
        _ letters: [String], to path: String,
        for reader: PrintRunCombiner.Reader = .word
    ) throws(MailMergeError) {
        do { try PrintRunCombiner.combine(letters: letters, to: path, for: reader) } catch {
            throw .printRun(error)
        }
    }
}

/// Work done on another thread while the caller goes on; `wait()` returns its outcome.
final class Background: @unchecked Sendable {
    private let group = DispatchGroup()
    private var failure: MailMergeError?

    init(_ work: @escaping @Sendable () throws(MailMergeError) -> Void) {
        DispatchQueue.global().async(group: group) { [self] in
            do throws(MailMergeError) { try work() } catch { failure = error }
        }
    }

    func wait() throws(MailMergeError) {
        group.wait()
        if let failure { throw failure }
    }
}
