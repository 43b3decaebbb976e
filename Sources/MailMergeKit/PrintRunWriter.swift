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
}

/// The print-run use case, run by `SegmentLogger` after the letters are written and before
/// anything is logged, so a failed print run logs nothing.
enum PrintRunWriter {
    static let docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    /// Writes what `options` asks for (`printRun`, `sort`, `pdf`) into `directory`, for `lines`
    /// whose letters are `documents`. Only hard-copy lines are printed; the e-mails are
    /// `EmailOutbox`'s (with the PDFs made here), the faxes go to the fax folder.
    static func run(
        _ options: LogSegmentRequest, lines: [ResolvedLine], documents: [String], in directory: String,
        jobs: Int
    ) throws(MailMergeError) -> PrintRunResult {
        var result = PrintRunResult()
        guard options.printRun || options.pdf else { return result }
        let converter = options.pdf ? try PDFConverter.locate(concurrency: jobs) : nil
        guard options.printRun else {
            result.pdfs = try converter?.convert(documents, to: directory) ?? []
            result.letterPDFs = Dictionary(zip(documents, result.pdfs)) { first, _ in first }
            return result
        }
        let emailLines = lines.indices.filter { lines[$0].correspondenceType == .email }
        var runs = try writePrintDocuments(lines: lines, documents: documents, sort: options.sort, in: directory)
        result.printDocuments = runs.map(\.path)
        var emailAttachments = emailLines.map { documents[$0] }
        if let converter {
            emailAttachments = try convert(&runs, emailLetters: emailAttachments, converter: converter, in: directory)
            result.pdfs = runs.compactMap(\.pdf) + emailAttachments
            result.letterPDFs = Dictionary(zip(emailLines.map { documents[$0] }, emailAttachments)) { first, _ in first }
        }
        if !runs.isEmpty {
            let path = directory + "/print-manifest.csv"
            try PrintManifest.write(
                runs.flatMap { run in
                    run.lines.enumerated().map { sequence, line in
                        PrintManifest.Row(
                            document: (run.path as NSString).lastPathComponent,
                            pdf: run.pdf.map { ($0 as NSString).lastPathComponent }, sequence: sequence + 1,
                            pages: run.pages.map { $0[sequence] }, line: line)
                    }
                }, to: path)
            result.manifestPath = path
        }
        return result
    }

    /// One print-run document: its letters in print order, and after conversion its PDF and
    /// each letter's page range.
    private struct PrintDocument {
        var path: String
        var lines: [ResolvedLine]
        var letters: [String]
        var pdf: String?
        var pages: [ClosedRange<Int>]?
    }

    /// Combines the printed (hard-copy) letters into one document per attachment, in the
    /// order the attachments first appear, each sorted by `sort`.
    private static func writePrintDocuments(
        lines: [ResolvedLine], documents: [String], sort: PrintRunSort,
        in directory: String
    ) throws(MailMergeError) -> [PrintDocument] {
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
            try combine(run.letters, to: run.path)
            runs.append(run)
        }
        return runs
    }

    /// Converts the print documents (each from a copy laid out for LibreOffice, made in a
    /// scratch folder) and the e-mail letters to PDF in `directory`; reads each letter's page
    /// range. Documents with a letter of more than one page are made and converted again with
    /// the page totals written in. Returns the e-mail letters' PDFs.
    private static func convert(
        _ runs: inout [PrintDocument], emailLetters: [String], converter: PDFConverter,
        in directory: String
    ) throws(MailMergeError) -> [String] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-print-\(UUID().uuidString)").path
        try OutputFolder.create(scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        func layOut(_ index: Int, pageCounts: [Int]) throws(MailMergeError) -> String {
            let copy = scratch + "/" + (runs[index].path as NSString).lastPathComponent
            try combine(runs[index].letters, to: copy, for: .libreOffice(pageCounts: pageCounts))
            return copy
        }
        var copies: [String] = []
        for index in runs.indices { copies.append(try layOut(index, pageCounts: [])) }
        let pdfs = try converter.convert(copies + emailLetters, to: directory)
        for index in runs.indices {
            runs[index].pdf = pdfs[index]
            runs[index].pages = try PDFPages.letterRanges(in: pdfs[index], letterCount: runs[index].letters.count)
        }
        let recount = runs.indices.filter { runs[$0].pages?.contains { $0.count != 1 } ?? false }
        var again: [String] = []
        for index in recount { again.append(try layOut(index, pageCounts: runs[index].pages?.map(\.count) ?? [])) }
        _ = try converter.convert(again, to: directory)
        for index in recount {
            runs[index].pages = try PDFPages.letterRanges(in: pdfs[index], letterCount: runs[index].letters.count)
        }
        return Array(pdfs.dropFirst(runs.count))
    }

    private static func combine(
        _ letters: [String], to path: String,
        for reader: PrintRunCombiner.Reader = .word
    ) throws(MailMergeError) {
        do { try PrintRunCombiner.combine(letters: letters, to: path, for: reader) } catch {
            throw .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
        }
    }
}
