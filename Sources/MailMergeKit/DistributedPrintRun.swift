import ExternalProcess
import Foundation
import PostgresInteractionLog
import Segments

/// The print run of a distributed run (`log-segment --distribute --print-run [--pdf]`).
///
/// Each worker makes its chunk's print documents (and PDFs) with the single-machine print-run code
/// (`PrintRunWriter`), in a part folder of its own (`print-parts/chunk-NNNNNN-lease-T/`: the lease token in the
/// name, so a worker that lost its lease can never replace the part another worker recorded), and records the
/// parts in the chunk's commit: file names, SHA-256, page counts and each letter's pages. When every chunk is
/// done the run is `merged`; `finish` (the worker that recorded the last chunk, or `mailmerge finish RUN`) checks
/// every part against its SHA-256, joins the PDF parts of each print document in chunk order with qpdf (one
/// print file per attachment, an outline entry per letter, as on one machine) and writes the print manifest with
/// each letter's pages in the joined file. The .docx print documents are not joined again: the print manifest
/// lists, in print order, the part each letter is in (`print_document`), so a print shop prints the parts in
/// the manifest's order. The segment is logged in the transaction that saw the join succeed.
enum DistributedPrintRun {
    /// One print document a chunk made: the letters of one attachment, in line order.
    struct Part: Codable, Sendable, Hashable {
        /// The print document's stem (`print-run-DirectMail_EN`): the parts of one stem are joined.
        var stem: String
        /// The part's print document (absolute) and its SHA-256.
        var docx: String
        var docxSHA256: String
        /// The part's PDF (absolute), its SHA-256 and page count, when the run makes PDF.
        var pdf: String?
        var pdfSHA256: String?
        var pages: Int?
        var letters: [Letter]
    }

    /// A letter of a part: its line (0-based index into the run's lines) and, with PDF, where it is in the part.
    struct Letter: Codable, Sendable, Hashable {
        var line: Int
        var firstPage: Int?
        var pages: Int?
        var blankPages: Int?
        var sheets: Int?
        var sheetArea: Double?
    }

    /// The folder of a chunk's print parts.
    static func partDirectory(_ documentsDirectory: String, chunkNo: Int, token: Int64) -> String {
        let number = String(chunkNo)
        return documentsDirectory + "/print-parts/chunk-" + String(repeating: "0", count: max(0, 6 - number.count)) + number + "-lease-\(token)"
    }

    /// The parts `result` wrote, as the chunk records them (JSON); `lineOfLetter` maps a letter's path to its line.
    static func parts(_ result: PrintRunResult, lineOfLetter: [String: Int]) throws(MailMergeError) -> String {
        var parts: [Part] = []
        for document in result.documents {
            var letters: [Letter] = []
            for (sequence, letter) in document.letters.enumerated() {
                guard let line = lineOfLetter[letter] else { throw .io(path: letter, message: "a print part names a letter its chunk did not write") }
                let placement = document.placements?[sequence]
                letters.append(
                    Letter(
                        line: line, firstPage: placement?.pages.lowerBound, pages: placement?.pages.count, blankPages: placement?.blankPages,
                        sheets: placement?.sheets, sheetArea: placement?.sheetArea))
            }
            let pdf = document.pdfs.first
            let pages = document.placements?.last.map { $0.pages.upperBound + $0.blankPages }
            parts.append(
                Part(
                    stem: ((document.path as NSString).lastPathComponent as NSString).deletingPathExtension, docx: absolute(document.path),
                    docxSHA256: try fileSHA256(document.path), pdf: pdf.map(absolute),
                    pdfSHA256: try pdf.map { path throws(MailMergeError) in try fileSHA256(path) },
                    pages: pages, letters: letters))
        }
        do { return String(decoding: try JSONEncoder().encode(parts), as: UTF8.self) } catch {
            throw .io(path: "print parts", message: "cannot encode the chunk's print parts (\(error))")
        }
    }

    /// What a join wrote.
    struct Joined: Sendable {
        var pdfs: [String] = []
        var manifestPath: String?
        var parts = 0
    }

    /// Joins the run's print parts into `run.documentsDirectory` (see the type's description). Every missing or
    /// changed part is named; then nothing is written but scratch files.
    static func join(_ run: DistributedRun.PreparedRun, chunks: [(chunkNo: Int, parts: String?)], pdf: Bool) throws(MailMergeError) -> Joined {
        var problems: [Diagnostic] = []
        var byStem: [(stem: String, parts: [Part])] = []
        for chunk in chunks {
            guard let text = chunk.parts, let parts = try? JSONDecoder().decode([Part].self, from: Data(text.utf8)) else {
                problems.append(
                    Diagnostic(
                        source: "run \(run.run.id) chunk \(chunk.chunkNo)",
                        message: "the chunk recorded no print parts (its worker is older than the coordinator); plan the segment again"))
                continue
            }
            for part in parts {
                for (path, digest) in [(part.docx, part.docxSHA256)] + (part.pdf.map { [($0, part.pdfSHA256 ?? "")] } ?? []) {
                    guard FileManager.default.fileExists(atPath: path) else {
                        problems.append(
                            Diagnostic(
                                source: path,
                                message: "print part of chunk \(chunk.chunkNo) is missing; every worker must write the same shared --out folder as "
                                    + "`finish` reads: restore the part and run `mailmerge finish \(run.run.id)` again"))
                        continue
                    }
                    if (try? fileSHA256(path)) != digest {
                        problems.append(
                            Diagnostic(
                                source: path,
                                message: "print part of chunk \(chunk.chunkNo) does not match the SHA-256 its worker recorded (\(digest)); it was changed "
                                    + "after it was made: restore it and run `mailmerge finish \(run.run.id)` again"))
                    }
                }
                if pdf && part.pdf == nil {
                    problems.append(Diagnostic(source: part.docx, message: "print part of chunk \(chunk.chunkNo) has no PDF; plan the segment again"))
                }
                if let index = byStem.firstIndex(where: { $0.stem == part.stem }) {
                    byStem[index].parts.append(part)
                } else {
                    byStem.append((part.stem, [part]))
                }
            }
        }
        if !problems.isEmpty { throw .validation(problems) }

        var joined = Joined()
        var rows: [PrintManifest.Row] = []
        let directory = run.documentsDirectory
        for (stem, parts) in byStem {
            joined.parts += parts.count
            let target = directory + "/" + SafeFileName.make(stem + ".pdf")
            if pdf { try joinPDF(parts, to: target, run: run) }
            var sequence = 0
            var offset = 0
            for part in parts {
                for letter in part.letters {
                    sequence += 1
                    var placement: PrintRunPDF.Placement?
                    if pdf, let first = letter.firstPage, let pages = letter.pages {
                        placement = PrintRunPDF.Placement(
                            pdf: target, pages: (offset + first)...(offset + first + pages - 1), blankPages: letter.blankPages ?? 0,
                            sheets: letter.sheets ?? pages, sheetArea: letter.sheetArea ?? 0)
                    }
                    rows.append(
                        PrintManifest.Row(
                            document: relative(part.docx, to: directory), pdf: pdf ? (target as NSString).lastPathComponent : nil, sequence: sequence,
                            placement: placement, line: run.plan.lines[letter.line]))
                }
                offset += part.pages ?? 0
            }
            if pdf { joined.pdfs.append(target) }
        }
        if !rows.isEmpty {
            let path = directory + "/print-manifest.csv"
            try PrintManifest.write(rows, to: path)
            joined.manifestPath = path
        }
        return joined
    }

    /// Joins the PDF parts of one print document in order with qpdf, checks the page count, adds the outline.
    private static func joinPDF(_ parts: [Part], to target: String, run: DistributedRun.PreparedRun) throws(MailMergeError) {
        guard let qpdf = ExternalProcess.find("qpdf") else {
            throw .io(path: "qpdf", message: "qpdf is not installed (not on the PATH); install it with `apt-get install qpdf` (or run scripts/setup-debian.sh)")
        }
        guard let pdfinfo = ExternalProcess.find("pdfinfo") else { throw PDFPages.missingPoppler("pdfinfo") }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-join-\(UUID().uuidString)").path
        try OutputFolder.create(scratch)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var titles: [String] = []
        var starts: [Int] = []
        var offset = 0
        for part in parts {
            for letter in part.letters {
                let line = run.plan.lines[letter.line]
                let name = line.contact.fullName.isEmpty ? line.contact.companyName : line.contact.fullName
                titles.append("\(titles.count + 1) \(line.contact.no) \(name)")
                starts.append(offset + (letter.firstPage ?? 1))
            }
            offset += part.pages ?? 0
        }
        let list = scratch + "/pages.txt"
        do { try Data(parts.compactMap { $0.pdf.map { "\($0)\n1-z\n" } }.joined().utf8).write(to: URL(fileURLWithPath: list)) } catch {
            throw .io(path: list, message: "cannot write qpdf's page list (\(error.localizedDescription))")
        }
        let joined = scratch + "/joined.pdf"
        try PrintRunPDF.runQPDF(qpdf, ["--empty", "--pages", "@" + list, "--", joined], pages: offset)
        let actual = try PDFPages.pageCount(joined, pdfinfo: pdfinfo)
        guard actual == offset else {
            throw .io(
                path: target,
                message: "the joined PDF has \(actual) pages, its parts' recorded page counts add up to \(offset); the print manifest would be wrong")
        }
        try PDFOutline.add(titles: titles, startPages: starts, from: joined, to: target, qpdf: qpdf, scratch: scratch + "/outline")
    }

    /// `path` relative to `directory` when inside it, else as is.
    private static func relative(_ path: String, to directory: String) -> String {
        let base = absolute(directory) + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    private static func fileSHA256(_ path: String) throws(MailMergeError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, message: "cannot read the print part") }
        return DistributedRun.sha256(data)
    }
}
