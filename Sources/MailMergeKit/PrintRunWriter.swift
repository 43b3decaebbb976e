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
    /// `workers`: the print run's LibreOffice workers, started by `startPDF` while the letters were written.
    /// `lines` is read once, in order (`SegmentLogger` hands its lines over lazily): of each printed letter only a
    /// `PrintManifest.Letter` is kept.
    static func run<Lines: RandomAccessCollection<ResolvedLine>>(
        _ options: LogSegmentRequest, lines: Lines, documents: [String], in directory: String, workers: PrintRunPDF.Workers? = nil
    ) throws(MailMergeError) -> PrintRunResult where Lines.Index == Int {
        var result = PrintRunResult()
        guard options.printRun || options.pdf else { return result }
        let converter = options.pdf ? try PDFConverter.locate(concurrency: options.pdfOptions.jobs) : nil
        guard options.printRun else {
            result.pdfs = try converter?.convert(documents, to: directory) ?? []
            result.letterPDFs = Dictionary(zip(documents, result.pdfs)) { first, _ in first }
            return result
        }
        // One pass over the lines: the e-mail letters, and what the print documents keep of each printed letter.
        var emailLetters: [String] = []
        var printed: [(attachment: String, position: Int, letter: PrintManifest.Letter)] = []
        for (position, line) in zip(0..., lines) {
            switch line.correspondenceType {
            case .email: emailLetters.append(documents[position])
            // `lines` are the lines with a letter, so each has an attachment.
            case .hardCopy: if let attachment = line.attachmentPath { printed.append((attachment, position, PrintManifest.Letter(line))) }
            case .fax: break
            }
        }
        var runs = planPrintDocuments(printed, documents: documents, sort: options.sort, in: directory)
        printed = []
        // What the merge freed goes back before the print run's own work begins.
        FreeMemory.release()
        result.printDocuments = runs.map(\.path)
        var emailAttachments = emailLetters
        if let converter {
            // The Word print documents are written while LibreOffice lays out the PDF (they do not depend on each other).
            let words = runs.map { ($0.letters, $0.path) }
            let written = Background(name: "Word print documents") { () throws(MailMergeError) in
                try PDFTrace.span(nil, "write Word print documents") { () throws(MailMergeError) in
                    for (letters, path) in words { try combine(letters, to: path) }
                }
                FreeMemory.release()
            }
            do {
                emailAttachments = try convert(
                    &runs, emailLetters: emailAttachments, converter: converter, options: options.pdfOptions, in: directory, workers: workers)
            } catch {
                _ = try? written.wait()
                throw error
            }
            try written.wait()
            result.pdfs = runs.flatMap(\.pdfs) + emailAttachments
            result.letterPDFs = Dictionary(zip(emailLetters, emailAttachments)) { first, _ in first }
        } else {
            for run in runs {
                try combine(run.letters, to: run.path)
                FreeMemory.release()
            }
        }
        result.documents = runs
        if !runs.isEmpty {
            let path = directory + "/print-manifest.csv"
            try PrintManifest.write(
                runs.lazy.flatMap { run in
                    run.printed.enumerated().lazy.map { sequence, letter in
                        let placement = run.placements?[sequence]
                        return PrintManifest.Row(
                            document: (run.path as NSString).lastPathComponent,
                            pdf: placement.map { ($0.pdf as NSString).lastPathComponent }, sequence: sequence + 1,
                            placement: placement, letter: letter)
                    }
                }, to: path)
            result.manifestPath = path
        }
        return result
    }

    /// The LibreOffice workers of a print run with PDF (`--print-run --pdf`), started now so that their start (and a
    /// warm-up conversion of `warmUp`, the attachment the letters are merged from) overlaps the merge; nil without
    /// a print run with PDF. The caller closes them (`PrintRunPDF.Workers.close`) when the run ends, however it ends.
    /// - Throws: `MailMergeError.io` when LibreOffice is not installed: before any letter is written.
    static func startPDF(_ options: LogSegmentRequest, warmUp: String?) throws(MailMergeError) -> PrintRunPDF.Workers? {
        guard options.printRun, options.pdf else { return nil }
        let converter = try PDFConverter.locate(concurrency: options.pdfOptions.jobs)
        return try PrintRunPDF.Workers.start(converter: converter, jobs: options.pdfOptions.jobs, warmUp: warmUp)
    }

    /// One print-run document: its letters in print order, and after conversion its print
    /// file(s) and where each letter landed.
    struct PrintDocument {
        var path: String
        /// What is kept of each letter's line.
        var printed: [PrintManifest.Letter]
        var letters: [String]
        var pdfs: [String] = []
        var placements: [PrintRunPDF.Placement]?
    }

    /// The print documents: the printed (hard-copy) letters of each attachment (`printed`: attachment, position in
    /// `documents`, what is kept of the line), in the order the attachments first appear, each sorted by `sort`
    /// (written by `combine`).
    private static func planPrintDocuments(
        _ printed: [(attachment: String, position: Int, letter: PrintManifest.Letter)], documents: [String], sort: PrintRunSort,
        in directory: String
    ) -> [PrintDocument] {
        var groups: [(attachment: String, members: [(position: Int, letter: PrintManifest.Letter)])] = []
        for member in printed {
            if let index = groups.firstIndex(where: { $0.attachment == member.attachment }) {
                groups[index].members.append((member.position, member.letter))
            } else {
                groups.append((member.attachment, [(member.position, member.letter)]))
            }
        }
        return groups.map { group in
            let ordered = sort.ordered(group.members)
            let stem = ((group.attachment as NSString).lastPathComponent as NSString).deletingPathExtension
            return PrintDocument(
                path: directory + "/" + SafeFileName.make("print-run-" + stem + ".docx"),
                printed: ordered.map(\.letter), letters: ordered.map { documents[$0.position] })
        }
    }

    /// Lays out the print documents as PDF in `directory` (`PrintRunPDF`: chunks converted in
    /// parallel, joined with qpdf) and converts the e-mail letters with the same LibreOffice
    /// workers; returns the e-mail letters' PDFs.
    private static func convert(
        _ runs: inout [PrintDocument], emailLetters: [String], converter: PDFConverter, options: PrintPDFOptions,
        in directory: String, workers: PrintRunPDF.Workers?
    ) throws(MailMergeError) -> [String] {
        let documents = runs.map { run in
            PrintRunPDF.Document(
                letters: run.letters,
                labels: run.printed.map(\.label),
                titles: run.printed.enumerated().map { sequence, letter in "\(sequence + 1) \(letter.contactNo) \(letter.name)" },
                stem: ((run.path as NSString).lastPathComponent as NSString).deletingPathExtension)
        }
        let laidOut = try PrintRunPDF.run(documents, letters: emailLetters, options: options, converter: converter, in: directory, workers: workers)
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

/// Work done on a thread of its own while the caller goes on; `wait()` returns its outcome. Not on a global queue's
/// thread: the print run's threads mostly wait for LibreOffice, qpdf or the disk, and the global queue runs no more
/// threads than there are cores at a time, so one of them waited for another to finish (a LibreOffice left idle).
final class Background: @unchecked Sendable {
    // @unchecked: `failure` is written by the thread before `group` is left, read after waiting for it.
    private let group = DispatchGroup()
    private var failure: MailMergeError?

    init(name: String = "print run", _ work: @escaping @Sendable () throws(MailMergeError) -> Void) {
        group.enter()
        let thread = Thread { [self] in
            do throws(MailMergeError) { try work() } catch { failure = error }
            group.leave()
        }
        thread.name = name
        thread.start()
    }

    func wait() throws(MailMergeError) {
        group.wait()
        if let failure { throw failure }
    }
}
