import ExternalProcess
import Foundation
import PrintRun

/// How a print run's PDF is made (`log-segment --print-run --pdf`).
public struct PrintPDFOptions: Sendable {
    /// LibreOffice processes laying out chunks at the same time (`--pdf-jobs`).
    public var jobs = Defaults.jobs
    /// Letters per chunk: each chunk is one small print document laid out by one `soffice`
    /// call; `MAILMERGE_PDF_CHUNK` overrides it.
    public var chunkSize = PrintPDFOptions.defaultChunkSize
    /// Each letter starts on a front side: a blank page follows a letter with an odd page count.
    public var duplex = false
    /// Print files of at most this many sheets (`--split-pdf`), letters never split; nil: one file.
    public var maximumSheets: Int?

    /// Chosen by measurement (README "Print runs"): per-chunk start-up is amortised, and
    /// chunks stay small enough to keep every core busy to the end.
    public static let defaultChunkSize = 50

    public init() {
        if let text = ExternalProcess.environmentValue("MAILMERGE_PDF_CHUNK"), let size = Int(text), size > 0 { chunkSize = size }
    }
}

/// Lays out print documents as PDF: each document's letters are split into chunks, the chunks
/// are combined and converted by several LibreOffice processes at once (each with its own
/// profile), and each document's chunk PDFs are joined with qpdf into its print file(s), with
/// an outline entry per letter, blank back pages for duplex and split into files of at most N
/// sheets. Page ranges come from each chunk's own page counts and are verified on the result.
enum PrintRunPDF {
    /// One print document to lay out.
    struct Document {
        /// The letters (.docx) in print order, all merged from one attachment.
        var letters: [String]
        /// For messages and the outline: "line 10000 (contact CT000001)", and the outline title.
        var labels: [String]
        var titles: [String]
        /// The PDF's file name stem: `print-run-DirectMail_EN`.
        var stem: String
    }

    /// Where one letter landed.
    struct Placement: Sendable {
        /// The print file (path) and the letter's pages in it.
        var pdf: String
        var pages: ClosedRange<Int>
        /// Blank pages inserted after it (duplex).
        var blankPages: Int
        /// Sheets of paper it takes.
        var sheets: Int
        /// One sheet's area in square metres (from the PDF's page size).
        var sheetArea: Double
    }

    /// What a document became: its print files and a placement per letter, in print order.
    struct Result {
        var pdfs: [String]
        var placements: [Placement]
    }

    /// Lays out `documents` into `directory`.
    /// - Throws: `MailMergeError.io` when LibreOffice fails twice on a chunk (naming its
    ///   letters), when qpdf or poppler is missing or fails, or when a letter has more sheets
    ///   than `--split-pdf` allows.
    static func run(_ documents: [Document], options: PrintPDFOptions, converter: PDFConverter, in directory: String) throws(MailMergeError) -> [Result] {
        guard !documents.isEmpty else { return [] }
        guard let qpdf = ExternalProcess.find("qpdf") else {
            throw .io(path: "qpdf", message: "qpdf is not installed (not on the PATH); install it with `apt-get install qpdf` (or run scripts/setup-debian.sh)")
        }
        guard let pdfinfo = ExternalProcess.find("pdfinfo") else { throw PDFPages.missingPoppler("pdfinfo") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-pdf-\(UUID().uuidString)").path
        try OutputFolder.create(scratch + "/pdf")
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var planned: [Chunk] = []
        for (number, document) in documents.enumerated() {
            for start in stride(from: 0, to: document.letters.count, by: max(1, options.chunkSize)) {
                let end = min(start + max(1, options.chunkSize), document.letters.count)
                planned.append(Chunk(document: number, letters: start..<end, name: "d\(number)-c\(planned.count)"))
            }
        }
        let chunks = planned
        let results = ChunkResults(count: chunks.count)
        let workers = min(max(1, options.jobs), chunks.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let profile = scratch + "/profile-\(worker)"
            while let index = results.next() {
                let chunk = chunks[index]
                let document = documents[chunk.document]
                do throws(MailMergeError) {
                    results.set(index, try layOut(chunk, of: document, converter: converter, profile: profile, scratch: scratch))
                } catch {
                    results.fail(index, error.description)
                }
            }
        }
        if let failure = results.firstFailure {
            let chunk = chunks[failure.index]
            let document = documents[chunk.document]
            let labels = chunk.letters.map { document.labels[$0] }
            throw .io(
                path: document.stem + ".pdf",
                message: "letters \(chunk.letters.lowerBound + 1)–\(chunk.letters.upperBound) could not be laid out "
                    + "(\(labels.joined(separator: ", "))); nothing was logged. \(failure.message)")
        }
        let blank = scratch + "/blank.pdf"
        var output: [Result] = []
        for (number, document) in documents.enumerated() {
            let mine = chunks.indices.filter { chunks[$0].document == number }
            let laidOut = mine.compactMap { results.result($0) }
            output.append(
                try join(document, chunks: laidOut, options: options, blank: blank, qpdf: qpdf, pdfinfo: pdfinfo, scratch: scratch, in: directory))
        }
        return output
    }

    /// A run of consecutive letters of one document.
    private struct Chunk: Sendable {
        var document: Int
        var letters: Range<Int>
        var name: String
    }

    /// A chunk laid out: its PDF and the page count of each of its letters.
    private struct LaidOut: Sendable {
        var pdf: String
        var pageCounts: [Int]
        /// Page width and height in points.
        var pageSize: (Double, Double)
    }

    /// Combines the chunk's letters into one document for LibreOffice and converts it; a chunk
    /// with a letter of several pages is made again with the page totals written in (see
    /// `PrintRunCombiner.Reader.libreOffice`).
    private static func layOut(_ chunk: Chunk, of document: Document, converter: PDFConverter, profile: String, scratch: String) throws(MailMergeError)
        -> LaidOut
    {
        let letters = Array(document.letters[chunk.letters])
        let docx = scratch + "/" + chunk.name + ".docx"
        let pdfFolder = scratch + "/pdf"
        defer { try? FileManager.default.removeItem(atPath: docx) }
        func convert(pageCounts: [Int]) throws(MailMergeError) -> [Int] {
            do { try PrintRunCombiner.combine(letters: letters, to: docx, for: .libreOffice(pageCounts: pageCounts)) } catch {
                throw .io(path: error.file, message: (error.part.map { $0 + ": " } ?? "") + error.message)
            }
            if let failure = converter.convertRetrying([docx], to: pdfFolder, profile: profile, letters: letters.count) {
                throw .io(path: document.stem, message: failure)
            }
            return try PDFPages.letterRanges(in: converter.pdfPath(of: docx, in: pdfFolder), letterCount: letters.count).map(\.count)
        }
        var counts = try convert(pageCounts: [])
        if counts.contains(where: { $0 != 1 }) { counts = try convert(pageCounts: counts) }
        let pdf = converter.pdfPath(of: docx, in: pdfFolder)
        return LaidOut(pdf: pdf, pageCounts: counts, pageSize: try PDFPages.pageSize(pdf))
    }

    /// Joins a document's chunk PDFs into its print file(s) with qpdf, blank pages after odd
    /// letters for duplex, files of at most `maximumSheets` sheets; adds the outline and
    /// checks every file's page count against the letters' page counts.
    private static func join(
        _ document: Document, chunks: [LaidOut], options: PrintPDFOptions, blank: String, qpdf: String, pdfinfo: String, scratch: String,
        in directory: String
    ) throws(MailMergeError) -> Result {
        // Every letter: its chunk, its pages in the chunk, blank pages after it, sheets.
        struct Letter {
            var chunk: Int
            var first: Int
            var pages: Int
            var blank: Int
            var sheets: Int
        }
        var letters: [Letter] = []
        for (number, chunk) in chunks.enumerated() {
            var first = 1
            for pages in chunk.pageCounts {
                let blank = options.duplex && pages % 2 == 1 ? 1 : 0
                letters.append(Letter(chunk: number, first: first, pages: pages, blank: blank, sheets: options.duplex ? (pages + blank) / 2 : pages))
                first += pages
            }
        }
        guard letters.count == document.letters.count else {
            throw .io(path: document.stem + ".pdf", message: "\(letters.count) letters laid out, \(document.letters.count) expected")
        }
        // Files: letters in order, a new file when the next letter would exceed the sheet limit.
        var files: [Range<Int>] = []
        var start = 0
        var sheets = 0
        for (index, letter) in letters.enumerated() {
            if let limit = options.maximumSheets {
                if letter.sheets > limit {
                    throw .io(
                        path: document.stem + ".pdf",
                        message: "\(document.labels[index]) takes \(letter.sheets) sheets, more than --split-pdf \(limit) allows; "
                            + "raise --split-pdf to at least \(letter.sheets)")
                }
                if sheets + letter.sheets > limit {
                    files.append(start..<index)
                    start = index
                    sheets = 0
                }
            }
            sheets += letter.sheets
        }
        files.append(start..<letters.count)
        if options.duplex && letters.contains(where: { $0.blank > 0 }) && !FileManager.default.fileExists(atPath: blank) {
            let size = chunks.first?.pageSize ?? (595.276, 841.89)
            try writeBlankPage(to: blank, width: size.0, height: size.1)
        }

        var result = Result(pdfs: [], placements: [])
        for (fileNumber, range) in files.enumerated() {
            let name =
                files.count == 1 ? document.stem + ".pdf" : document.stem + "-" + padded(fileNumber + 1, width: max(3, String(files.count).count)) + ".pdf"
            let path = directory + "/" + SafeFileName.make(name)
            // qpdf's page list: consecutive pages of one chunk in one range.
            var specs: [(file: String, first: Int, last: Int)] = []
            var page = 1
            var starts: [Int] = []
            for index in range {
                let letter = letters[index]
                let file = chunks[letter.chunk].pdf
                if let last = specs.last, last.file == file, last.last + 1 == letter.first {
                    specs[specs.count - 1].last = letter.first + letter.pages - 1
                } else {
                    specs.append((file, letter.first, letter.first + letter.pages - 1))
                }
                for _ in 0..<letter.blank { specs.append((blank, 1, 1)) }
                starts.append(page)
                let area = chunks[letter.chunk].pageSize.0 * chunks[letter.chunk].pageSize.1 * pow(0.0254 / 72, 2)
                result.placements.append(
                    Placement(pdf: path, pages: page...(page + letter.pages - 1), blankPages: letter.blank, sheets: letter.sheets, sheetArea: area))
                page += letter.pages + letter.blank
            }
            let expected = page - 1
            let joined = scratch + "/joined-\(fileNumber).pdf"
            let arguments = scratch + "/pages-\(fileNumber).txt"
            let list = specs.map { "\($0.file)\n\($0.first)-\($0.last)\n" }.joined()
            do { try Data(list.utf8).write(to: URL(fileURLWithPath: arguments)) } catch {
                throw .io(path: arguments, message: "cannot write qpdf's page list (\(error.localizedDescription))")
            }
            try runQPDF(qpdf, ["--empty", "--pages", "@" + arguments, "--", joined], pages: expected)
            let actual = try PDFPages.pageCount(joined, pdfinfo: pdfinfo)
            guard actual == expected else {
                throw .io(
                    path: path, message: "the joined PDF has \(actual) pages, the letters' page counts add up to \(expected); the print manifest would be wrong"
                )
            }
            let titles = range.map { document.titles[$0] }
            try PDFOutline.add(titles: titles, startPages: starts, from: joined, to: path, qpdf: qpdf, scratch: scratch + "/outline-\(fileNumber)")
            try? FileManager.default.removeItem(atPath: joined)
            result.pdfs.append(path)
        }
        for chunk in chunks { try? FileManager.default.removeItem(atPath: chunk.pdf) }
        return result
    }

    /// Runs qpdf; exit status 3 is "succeeded with warnings".
    static func runQPDF(_ qpdf: String, _ arguments: [String], pages: Int) throws(MailMergeError) {
        do {
            let output = try ExternalProcess.run(qpdf, arguments, timeout: 120 + Double(pages) / 50)
            if output.status != 0 && output.status != 3 {
                throw ExternalProcessError.failed(program: "qpdf", status: output.status, stderrTail: output.stderrTail())
            }
        } catch {
            throw .io(path: "qpdf", message: "\(error) (qpdf \(arguments.joined(separator: " ")))")
        }
    }

    /// A one-page PDF with nothing on the page, `width` × `height` points.
    static func writeBlankPage(to path: String, width: Double, height: Double) throws(MailMergeError) {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(width) \(height)] /Resources << >> >>",
        ]
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += padded(offset, width: 10) + " 00000 n \n" }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, message: "cannot write the blank page (\(error.localizedDescription))")
        }
    }

    private static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The chunks' results and failures, filled by concurrent workers; after a failure no
    /// further chunk is started.
    private final class ChunkResults: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [LaidOut?]
        private var failures: [(index: Int, message: String)] = []
        private var taken = 0

        init(count: Int) { results = Array(repeating: nil, count: count) }

        /// The next chunk to lay out, or nil when all are taken or one failed.
        func next() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard failures.isEmpty, taken < results.count else { return nil }
            taken += 1
            return taken - 1
        }
        func set(_ index: Int, _ result: LaidOut) {
            lock.lock()
            results[index] = result
            lock.unlock()
        }
        func fail(_ index: Int, _ message: String) {
            lock.lock()
            failures.append((index, message))
            lock.unlock()
        }
        func result(_ index: Int) -> LaidOut? {
            lock.lock()
            defer { lock.unlock() }
            return results[index]
        }
        var firstFailure: (index: Int, message: String)? {
            lock.lock()
            defer { lock.unlock() }
            return failures.min { $0.index < $1.index }
        }
    }
}
