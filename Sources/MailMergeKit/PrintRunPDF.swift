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
        try run(documents, letters: [], options: options, converter: converter, in: directory).results
    }

    /// Lays out `documents` into `directory` and converts `letters` (.docx, one PDF each, e-mail
    /// attachments) there too, by the same LibreOffice workers: a document is joined as soon as its
    /// chunks are laid out, while the workers go on with the next chunks and the letters.
    /// - Returns: the documents' results and the letters' PDFs, in the order given.
    /// - Throws: as `run(_:options:converter:in:)`, and when a letter cannot be converted twice.
    /// `started`: the LibreOffice workers, started before the letters were written (`Workers.start`); nil: started here.
    static func run(
        _ documents: [Document], letters: [String], options: PrintPDFOptions, converter: PDFConverter, in directory: String,
        workers started: Workers? = nil
    ) throws(MailMergeError) -> (results: [Result], letterPDFs: [String]) {
        guard !documents.isEmpty || !letters.isEmpty else { return ([], []) }
        var tools: (qpdf: String, pdfinfo: String) = ("", "")
        if !documents.isEmpty {
            guard let qpdf = ExternalProcess.find("qpdf") else {
                throw .io(
                    path: "qpdf", message: "qpdf is not installed (not on the PATH); install it with `apt-get install qpdf` (or run scripts/setup-debian.sh)")
            }
            guard let pdfinfo = ExternalProcess.find("pdfinfo") else { throw PDFPages.missingPoppler("pdfinfo") }
            tools = (qpdf, pdfinfo)
        }
        let pool: Workers
        if let started { pool = started } else { pool = try Workers(converter: converter, jobs: options.jobs) }
        defer { if started == nil { pool.close() } }
        let scratch = pool.scratch
        try OutputFolder.create(directory)

        let chunks = plan(documents, letters: letters.count, options: options)
        // The letters in batches (one soffice call each without a resident LibreOffice; one letter each with one, so
        // that the workers end together).
        let batchSize = pool.resident ? 1 : PDFConverter.documentsPerCall
        let batches = stride(from: 0, to: letters.count, by: batchSize).map { $0..<min($0 + batchSize, letters.count) }
        let queue = WorkQueue(chunks: chunks.count, batches: batches.count)
        let workers = min(pool.count, chunks.count + batches.count)
        // LibreOffices started for workers that get nothing to do.
        for worker in workers..<pool.count { pool.residents[worker]?.finish() }
        PDFTrace.mark(
            nil,
            "chunks \(chunks.count) (\(chunks.map { String($0.letters.count) }.joined(separator: " "))), letter batches \(batches.count), workers \(workers)")
        // Each worker on a thread of its own (`Background`): on the global queue, with as many workers as cores, the
        // second worker waited for a queue thread (the first worker's, the Word print document's) while its LibreOffice
        // sat idle: 2–3 s at the start of every `--pdf-jobs 2` run (`MAILMERGE_PDF_TRACE`).
        let threads = (0..<workers).map { worker in
            Background(name: "pdf worker \(worker)") {
                let resident = pool.residents[worker]
                let chunkConverter = ChunkConverter(converter: converter, profile: pool.profile(worker), resident: resident, worker: worker)
                while let index = queue.next() {
                    if index < chunks.count {
                        let chunk = chunks[index]
                        do throws(MailMergeError) {
                            queue.set(index, try layOut(chunk, of: documents[chunk.document], converter: chunkConverter, scratch: scratch))
                        } catch {
                            queue.fail(index, error.description)
                        }
                        FreeMemory.release()
                    } else if let failure = chunkConverter.convert(Array(letters[batches[index - chunks.count]]), to: directory) {
                        queue.fail(index, failure)
                    } else {
                        queue.done(index)
                    }
                }
                // LibreOffice closes while the run goes on (joins, manifest, log); `Workers.close()` waits for it.
                PDFTrace.span(worker, "stop LibreOffice") { resident?.finish() }
            }
        }
        /// Waits for every worker to end (they do not throw: their failures are the queue's).
        func waitForWorkers() { for thread in threads { try? thread.wait() } }
        /// The run's error for the first task that failed.
        func failure() -> MailMergeError? {
            guard let failure = queue.firstFailure else { return nil }
            guard failure.index < chunks.count else {
                let batch = batches[failure.index - chunks.count]
                return .io(
                    path: directory,
                    message: "the letters \(letters[batch].joined(separator: ", ")) could not be converted to PDF; nothing was logged. \(failure.message)")
            }
            let chunk = chunks[failure.index]
            let document = documents[chunk.document]
            let labels = chunk.letters.map { document.labels[$0] }
            return .io(
                path: document.stem + ".pdf",
                message: "letters \(chunk.letters.lowerBound + 1)–\(chunk.letters.upperBound) could not be laid out "
                    + "(\(labels.joined(separator: ", "))); nothing was logged. \(failure.message)")
        }
        let blank = scratch + "/blank.pdf"
        var output: [Result] = []
        for (number, document) in documents.enumerated() {
            let mine = chunks.indices.filter { chunks[$0].document == number }
            guard let laidOut = queue.wait(for: mine) else { break }
            do throws(MailMergeError) {
                output.append(
                    try PDFTrace.span(nil, "join \(document.stem)") { () throws(MailMergeError) in
                        try join(
                            document, chunks: laidOut, options: options, blank: blank, qpdf: tools.qpdf, pdfinfo: tools.pdfinfo, scratch: scratch, in: directory
                        )
                    })
            } catch {
                queue.cancel()
                waitForWorkers()
                throw error
            }
        }
        waitForWorkers()
        if let error = failure() { throw error }
        return (output, letters.map { converter.pdfPath(of: $0, in: directory) })
    }

    /// A run of consecutive letters of one document.
    private struct Chunk: Sendable {
        var document: Int
        var letters: Range<Int>
        var name: String
    }

    /// The documents' letters cut into chunks of `options.chunkSize`, in print order. With
    /// several workers the last chunks get smaller (about 1/(2 × jobs) of the letters still
    /// to come, the `letters` converted one by one after them included, at least 10) so that
    /// the workers finish at about the same time.
    private static func plan(_ documents: [Document], letters: Int = 0, options: PrintPDFOptions) -> [Chunk] {
        let size = max(1, options.chunkSize)
        let jobs = max(1, options.jobs)
        var remaining = documents.reduce(letters) { $0 + $1.letters.count }
        var chunks: [Chunk] = []
        for (number, document) in documents.enumerated() {
            var start = 0
            while start < document.letters.count {
                let tail = jobs > 1 ? max(min(size, 10), (remaining + 2 * jobs - 1) / (2 * jobs)) : size
                let end = min(start + min(size, tail), document.letters.count)
                chunks.append(Chunk(document: number, letters: start..<end, name: "d\(number)-c\(chunks.count)"))
                remaining -= end - start
                start = end
            }
        }
        return chunks
    }

    /// A chunk laid out: where each of its letters is (a PDF, its first page there, its page
    /// count) and the page size.
    private struct LaidOut: Sendable {
        var letters: [(pdf: String, first: Int, pages: Int)]
        /// Page width and height in points.
        var pageSize: (Double, Double)
    }

    /// The LibreOffice processes of a run, one per worker, and the scratch folder they, their profiles and the chunks
    /// use. Made and started before the letters exist (`start`, by `SegmentLogger`), so that LibreOffice's start and
    /// warm-up overlap the merge instead of delaying the first chunk; `close()` stops them and removes the folder.
    final class Workers: @unchecked Sendable {
        let scratch: String
        /// One per worker: a resident LibreOffice, or nil for one `soffice` start per chunk (`residentPython`).
        let residents: [ResidentLibreOffice?]
        var count: Int { residents.count }
        var resident: Bool { residents.first.map { $0 != nil } ?? false }

        /// `jobs` workers; their LibreOffices are started by `start` or at their first conversion.
        init(converter: PDFConverter, jobs: Int) throws(MailMergeError) {
            // Named after this process; the folders of killed runs are removed first (`PDFScratch`).
            let folder = PDFScratch.folder("mailmerge-pdf")
            try OutputFolder.create(folder + "/pdf")
            let python = PrintRunPDF.residentPython()
            var driver: String?
            if python != nil {
                do throws(MailMergeError) { driver = try ResidentLibreOffice.writeDriver(into: folder) } catch {
                    try? FileManager.default.removeItem(atPath: folder)
                    throw error
                }
            }
            scratch = folder
            residents = (0..<max(1, jobs)).map { worker in
                guard let python, let driver else { return nil }
                return ResidentLibreOffice(soffice: converter.soffice, python: python, driver: driver, profile: folder + "/profile-\(worker)", worker: worker)
            }
        }

        /// Workers for `jobs` LibreOffices, started now (each warming up on `warmUp`, a .docx, when given).
        static func start(converter: PDFConverter, jobs: Int, warmUp: String?) throws(MailMergeError) -> Workers {
            let workers = try Workers(converter: converter, jobs: jobs)
            for resident in workers.residents { resident?.start(warmingUpWith: warmUp) }
            return workers
        }

        func profile(_ worker: Int) -> String { scratch + "/profile-\(worker)" }

        /// Stops every LibreOffice (waiting for the ones closing) and removes the scratch folder.
        func close() {
            for resident in residents { resident?.stop() }
            try? FileManager.default.removeItem(atPath: scratch)
        }

        deinit { close() }
    }

    /// Which LibreOffice lays out the chunks: a resident one per worker (`ResidentLibreOffice`)
    /// when Python can `import uno`, the Python that can; nil: one `soffice` start per chunk
    /// (said once on standard error), or `MAILMERGE_PDF_ENGINE=soffice` asks for it.
    static func residentPython() -> String? {
        if ExternalProcess.environmentValue("MAILMERGE_PDF_ENGINE") == "soffice" { return nil }
        guard let python = ResidentLibreOffice.unoPython else {
            _ = fallbackNotice
            return nil
        }
        return python
    }

    /// Said once per process on standard error when python3-uno is missing.
    private static let fallbackNotice: Void = FileHandle.standardError.write(
        Data(
            ("notice: python3-uno is not installed, so every chunk of the PDF starts its own LibreOffice (slower); "
                + "install it with `apt-get install python3-uno` (scripts/setup-debian.sh)\n").utf8))

    /// One worker's LibreOffice: a resident one, or one `soffice` start per chunk with the worker's profile.
    private final class ChunkConverter: @unchecked Sendable {
        let converter: PDFConverter
        let profile: String
        let resident: ResidentLibreOffice?
        let worker: Int

        init(converter: PDFConverter, profile: String, resident: ResidentLibreOffice?, worker: Int) {
            self.converter = converter
            self.profile = profile
            self.resident = resident
            self.worker = worker
        }

        /// Converts each of `letters` to a PDF of the same name in `directory`, each retried once
        /// after a failure; the failure message, if both failed.
        func convert(_ letters: [String], to directory: String) -> String? {
            PDFTrace.span(worker, "convert \(letters.count) letters") {
                guard let resident else {
                    return converter.convertRetrying(letters, to: directory, profile: profile, letters: letters.count)
                }
                for letter in letters {
                    let pdf = converter.pdfPath(of: letter, in: directory)
                    if let failure = resident.convertRetrying(letter, to: pdf, timeout: converter.timeout(documents: 1)) { return failure }
                }
                return nil
            }
        }

        /// Converts `docx` (`letters` letters) to `pdf`, retried once after a failure; the failure message, if both failed.
        func convert(_ docx: String, to pdf: String, letters: Int) -> String? {
            PDFTrace.span(worker, "convert \((docx as NSString).lastPathComponent) (\(letters) letters)") {
                if let resident { return resident.convertRetrying(docx, to: pdf, timeout: converter.timeout(documents: letters)) }
                return converter.convertRetrying([docx], to: (pdf as NSString).deletingLastPathComponent, profile: profile, letters: letters)
            }
        }
    }

    /// Combines the chunk's letters into one document for LibreOffice and converts it; the
    /// letters of several pages are then laid out once more, in a document of their own, with
    /// their page totals written in (see `PrintRunCombiner.Reader.libreOffice`), and taken from there.
    private static func layOut(_ chunk: Chunk, of document: Document, converter: ChunkConverter, scratch: String) throws(MailMergeError)
        -> LaidOut
    {
        let letters = Array(document.letters[chunk.letters])
        func convert(_ part: [String], pageCounts: [Int], name: String) throws(MailMergeError) -> (
            pdf: String, ranges: [ClosedRange<Int>], size: (Double, Double)
        ) {
            let docx = scratch + "/" + name + ".docx"
            let pdf = scratch + "/pdf/" + name + ".pdf"
            defer { try? FileManager.default.removeItem(atPath: docx) }
            try PDFTrace.span(converter.worker, "combine \(name)") { () throws(MailMergeError) in
                // Stored, not deflated: LibreOffice reads it once, a moment later, from the scratch folder; deflating
                // it cost our process CPU (and LibreOffice the inflating) beside the other worker's LibreOffice.
                do throws(PrintRunError) {
                    try PrintRunCombiner.combine(letters: part, to: docx, for: .libreOffice(pageCounts: pageCounts), compressionLevel: 0)
                } catch {
                    throw .printRun(error)
                }
            }
            if let failure = converter.convert(docx, to: pdf, letters: part.count) { throw .io(path: document.stem, message: failure) }
            return try PDFTrace.span(converter.worker, "count \(name)") { () throws(MailMergeError) in
                let info = try PDFPages.info(pdf)
                return (pdf, try PDFPages.letterRanges(in: pdf, letterCount: part.count, pages: info.pages), info.size)
            }
        }
        let first = try convert(letters, pageCounts: [], name: chunk.name)
        var placed = first.ranges.map { (pdf: first.pdf, first: $0.lowerBound, pages: $0.count) }
        let longer = placed.indices.filter { placed[$0].pages != 1 }
        if !longer.isEmpty {
            let again = try convert(longer.map { letters[$0] }, pageCounts: longer.map { placed[$0].pages }, name: chunk.name + "-totals")
            for (offset, index) in longer.enumerated() { placed[index] = (again.pdf, again.ranges[offset].lowerBound, again.ranges[offset].count) }
        }
        return LaidOut(letters: placed, pageSize: first.size)
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
            var pdf: String
            var first: Int
            var pages: Int
            var blank: Int
            var sheets: Int
        }
        var letters: [Letter] = []
        for (number, chunk) in chunks.enumerated() {
            for placed in chunk.letters {
                let pages = placed.pages
                let blank = options.duplex && pages % 2 == 1 ? 1 : 0
                letters.append(
                    Letter(
                        chunk: number, pdf: placed.pdf, first: placed.first, pages: pages, blank: blank, sheets: options.duplex ? (pages + blank) / 2 : pages))
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
                let file = letter.pdf
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
            try PDFTrace.span(nil, "qpdf join \(name)") { () throws(MailMergeError) in
                try runQPDF(qpdf, ["--empty", "--pages", "@" + arguments, "--", joined], pages: expected)
            }
            let actual = try PDFTrace.span(nil, "verify \(name)") { () throws(MailMergeError) in try PDFPages.pageCount(joined, pdfinfo: pdfinfo) }
            guard actual == expected else {
                throw .io(
                    path: path, message: "the joined PDF has \(actual) pages, the letters' page counts add up to \(expected); the print manifest would be wrong"
                )
            }
            let titles = range.map { document.titles[$0] }
            try PDFTrace.span(nil, "outline \(name)") { () throws(MailMergeError) in
                try PDFOutline.add(titles: titles, startPages: starts, from: joined, to: path, qpdf: qpdf, scratch: scratch + "/outline-\(fileNumber)")
            }
            try? FileManager.default.removeItem(atPath: joined)
            result.pdfs.append(path)
        }
        for pdf in Set(chunks.flatMap { $0.letters.map(\.pdf) }) { try? FileManager.default.removeItem(atPath: pdf) }
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

    /// The tasks (the chunks, then the letter batches) handed out to concurrent workers, the
    /// chunks' results and the failures; after a failure (or `cancel()`) no further task is started.
    private final class WorkQueue: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [LaidOut?]
        private var finished: [Bool]
        private var failures: [(index: Int, message: String)] = []
        private var cancelled = false
        private var taken = 0

        init(chunks: Int, batches: Int) {
            results = Array(repeating: nil, count: chunks)
            finished = Array(repeating: false, count: chunks + batches)
        }

        /// The next task, or nil when all are taken, one failed or the run was cancelled.
        func next() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            guard failures.isEmpty, !cancelled, taken < finished.count else { return nil }
            taken += 1
            return taken - 1
        }
        func set(_ index: Int, _ result: LaidOut) {
            condition.lock()
            results[index] = result
            finished[index] = true
            condition.broadcast()
            condition.unlock()
        }
        func done(_ index: Int) {
            condition.lock()
            finished[index] = true
            condition.broadcast()
            condition.unlock()
        }
        func fail(_ index: Int, _ message: String) {
            condition.lock()
            failures.append((index, message))
            finished[index] = true
            condition.broadcast()
            condition.unlock()
        }
        func cancel() {
            condition.lock()
            cancelled = true
            condition.unlock()
        }
        /// The results of the chunks `indices` once all are laid out; nil as soon as any task failed.
        func wait(for indices: [Int]) -> [LaidOut]? {
            condition.lock()
            defer { condition.unlock() }
            while failures.isEmpty && !indices.allSatisfy({ finished[$0] }) { condition.wait() }
            guard failures.isEmpty else { return nil }
            return indices.compactMap { results[$0] }
        }
        var firstFailure: (index: Int, message: String)? {
            condition.lock()
            defer { condition.unlock() }
            return failures.min { $0.index < $1.index }
        }
    }
}

/// `MAILMERGE_PDF_TRACE=1`: a timeline of the PDF work on standard error, one line per step start
/// and end (`pdf-trace SECONDS WORKER begin|end STEP`, seconds since the epoch, worker `-` for the
/// run's own thread), which `bench/pdf-run` (PDF_TRACE=1) turns into busy and idle core time.
enum PDFTrace {
    static let enabled = ExternalProcess.environmentValue("MAILMERGE_PDF_TRACE") == "1"

    static func mark(_ worker: Int?, _ what: String) {
        guard enabled else { return }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let seconds = String(format: "%.3f", Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
        FileHandle.standardError.write(Data("pdf-trace \(seconds) \(worker.map(String.init) ?? "-") \(what)\n".utf8))
    }

    /// Runs `body` between a `begin` and an `end` line.
    static func span<T, E: Error>(_ worker: Int?, _ what: String, _ body: () throws(E) -> T) throws(E) -> T {
        guard enabled else { return try body() }
        mark(worker, "begin " + what)
        defer { mark(worker, "end " + what) }
        return try body()
    }
}
