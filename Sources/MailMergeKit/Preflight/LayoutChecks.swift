import DocxPackage
import ExternalProcess
import Foundation
import MergeEngine
import Segments
import WordXML

/// `check --pdf`: every printed letter laid out by LibreOffice through the print run's parallel
/// PDF path (`PrintRunPDF`: chunks, several processes, joined with qpdf) and measured on the
/// PDF with poppler's word boxes (`pdftotext -bbox-layout`):
///
/// - the address block on the letter's first page against the attachment's `window:` (mm from
///   the page's top left corner): a line wider than the window, a line that wraps, more lines
///   on the page than the window shows, lines outside the window;
/// - the letter's pages against the attachment's `pages:`;
/// - every table cell holding a MERGEFIELD: it **overflows** when its text takes more lines on
///   the page than it has (paragraphs and line breaks, empty ones left out). LibreOffice wraps
///   a cell's text at the cell's edge (and breaks a word longer than the cell), so a value too
///   wide for its cell shows as an extra line; a template whose cell text wraps by design is
///   reported on every line. Cells are compared by position, so a letter whose tables differ
///   from the template's (a region repeated its rows) is not checked for cells.
///
/// Text is found in a letter's words whatever its line breaks: white space is left out and
/// compatibility forms (ligatures) folded on both sides.
enum LayoutChecks {
    /// What the checks need of the run.
    struct Context {
        var lines: [ResolvedLine]
        var attachments: CompiledAttachments
        var children: SegmentChildTables
        var areas: [String: AddressArea]
        var options: PrintPDFOptions
        var jobs: Int
        var contactsPath: String
        var scratch: String
        var fileLine: (Int) -> Int?
    }

    /// The lines `check --pdf` lays out: the letters (not labels) a print run prints, the hard-copy lines.
    static func laidOut(_ line: ResolvedLine, attachments: CompiledAttachments) -> Bool {
        line.correspondenceType == .hardCopy && line.template.documentType == .letter
            && line.attachmentPath.flatMap { attachments.position(of: $0) } != nil
    }

    /// Findings by line index.
    static func run(_ context: Context) throws(MailMergeError) -> [Int: [PreflightFinding]] {
        let lines = context.lines
        let indices = lines.indices.filter { laidOut(lines[$0], attachments: context.attachments) }
        guard !indices.isEmpty else { return [:] }
        guard let pdftotext = ExternalProcess.find("pdftotext") else { throw PDFPages.missingPoppler("pdftotext") }
        let converter = try PDFConverter.locate(concurrency: context.options.jobs)

        // Every letter written as the print run writes it, a batch of records at a time.
        let folder = context.scratch + "/letters"
        try OutputFolder.create(folder)
        let pool = DocumentWriterPool(templates: context.attachments.templates, jobs: context.jobs, compressionLevel: 1, missing: .blank)
        var paths: [Int: String] = [:]
        for start in stride(from: 0, to: indices.count, by: Defaults.batchSize) {
            var tasks: [DocumentTask] = []
            for index in indices[start..<min(start + Defaults.batchSize, indices.count)] {
                let line = lines[index]
                let record = context.children.isEmpty ? MergeRecord(line.mergeFields) : try context.children.record(of: line, position: index)
                let path = folder + "/\(index).docx"
                paths[index] = path
                tasks.append(
                    DocumentTask(
                        template: line.attachmentPath.flatMap { context.attachments.position(of: $0) } ?? 0, record: record, path: path,
                        label: "line \(line.lineNo) (contact \(line.contact.no))"))
            }
            _ = try pool.write(tasks, hashing: false)
        }

        // One print document per attachment, its letters in line order.
        var groups: [(attachment: String, members: [Int])] = []
        for index in indices {
            guard let attachment = lines[index].attachmentPath else { continue }
            if let group = groups.firstIndex(where: { $0.attachment == attachment }) {
                groups[group].members.append(index)
            } else {
                groups.append((attachment, [index]))
            }
        }
        let documents = groups.enumerated().map { number, group in
            PrintRunPDF.Document(
                letters: group.members.compactMap { paths[$0] },
                labels: group.members.map { "line \(lines[$0].lineNo) (contact \(lines[$0].contact.no))" },
                titles: group.members.map { "\(lines[$0].lineNo) \(lines[$0].contact.no)" }, stem: "preflight-\(number + 1)")
        }
        let output = context.scratch + "/pdf-out"
        try OutputFolder.create(output)
        var options = context.options
        options.duplex = false
        options.maximumSheets = nil
        let results = try PrintRunPDF.run(documents, options: options, converter: converter, in: output)

        var findings: [Int: [PreflightFinding]] = [:]
        for (group, result) in zip(groups, results) {
            let area = context.areas[group.attachment]
            let template = context.attachments[group.attachment]
            // pdftotext on runs of letters of about 200 pages at a time.
            var position = 0
            while position < group.members.count {
                let pdf = result.placements[position].pdf
                let first = result.placements[position].pages.lowerBound
                var end = position + 1
                while end < group.members.count, result.placements[end].pdf == pdf, result.placements[end].pages.upperBound - first < 200 { end += 1 }
                let last = result.placements[end - 1].pages.upperBound
                let pages = try PDFWords.pages(of: pdf, first: first, last: last, pdftotext: pdftotext)
                for member in position..<end {
                    let index = group.members[member]
                    let range = result.placements[member].pages
                    let letter = LetterLayout(
                        line: lines[index], fileLine: context.fileLine(index), pages: Array(pages[(range.lowerBound - first)...(range.upperBound - first)]),
                        firstPage: range.lowerBound, area: area, template: template, contactsPath: context.contactsPath,
                        attachmentName: (group.attachment as NSString).lastPathComponent)
                    let found = letter.findings(letterPath: paths[index] ?? "")
                    if !found.isEmpty { findings[index] = found }
                }
                position = end
            }
            for path in group.members.compactMap({ paths[$0] }) { try? FileManager.default.removeItem(atPath: path) }
            for pdf in result.pdfs { try? FileManager.default.removeItem(atPath: pdf) }
        }
        return findings
    }
}

/// One laid-out letter measured.
private struct LetterLayout {
    let line: ResolvedLine
    let fileLine: Int?
    /// The letter's pages, its first page first.
    let pages: [PDFWords.Page]
    /// The first page's number in the laid-out print document (for messages it is page 1 of the letter).
    let firstPage: Int
    let area: AddressArea?
    let template: CompiledTemplate?
    let contactsPath: String
    let attachmentName: String

    /// Half a millimetre: the window's edges are not measured closer than that.
    static let tolerance = 0.5

    func findings(letterPath: String) -> [PreflightFinding] {
        var found: [PreflightFinding] = []
        func add(_ severity: PreflightSeverity, _ area: PreflightArea, _ field: String?, _ message: String) {
            found.append(PreflightFinding(severity, area, field, message, on: line, fileLine: fileLine))
        }
        let record = MergeRecord(line.mergeFields)
        if let window = line.template.window, let area, area.template != nil, let page = pages.first {
            addressFindings(window: window, area: area, record: record, page: page, add: add)
        }
        if let expected = line.template.pages, pages.count > expected {
            let longest = (template?.fieldNames ?? []).compactMap { name in record[name].map { (name, $0.count) } }.max { $0.1 < $1.1 }
            let hint = longest.map { "; its longest merged value is \($0.0) (\($0.1) characters)" } ?? ""
            add(
                .error, .pages, longest?.0,
                "the letter has \(pages.count) pages laid out, \(attachmentName) is expected to have \(expected) (`pages:` of template "
                    + "\(line.template.code) in templates.yaml)\(hint): shorten the text for contact \(line.contact.no) or raise `pages:`")
        }
        if let area, !area.fieldCells.isEmpty { cellFindings(area: area, letterPath: letterPath, add: add) }
        return found
    }

    private func millimetres(_ value: Double) -> String { String(format: "%.1f", value) }

    private func addressFindings(
        window: AddressWindow, area: AddressArea, record: MergeRecord, page: PDFWords.Page,
        add: (PreflightSeverity, PreflightArea, String?, String) -> Void
    ) {
        let expected = area.lines(for: record).filter { !WordStream.folded($0).isEmpty }
        guard !expected.isEmpty else { return }
        let stream = WordStream(pages: [page])
        let whole = expected.flatMap(WordStream.folded)
        guard let block = stream.find(whole) else {
            add(
                .warning, .window, nil,
                "the address block (\"\(expected.joined(separator: " / "))\") was not found on the first page of the laid-out letter; "
                    + "look at the letter of contact \(line.contact.no) (print it with `log-segment --print-run --pdf`)")
            return
        }
        var from = block.end - whole.count
        var lineWords: [[Int]] = []
        for text in expected {
            guard let match = stream.find(text, from: from) else { return }
            lineWords.append(match.words)
            from = match.end
        }
        let fix = "for contact \(line.contact.no) in \(contactsPath)"
        var measured = true
        for (number, words) in lineWords.enumerated() {
            let box = stream.box(words)
            let wraps = stream.lineCount(words)
            if wraps > 1 {
                measured = false
                add(
                    .error, .window, nil,
                    "address line \(number + 1) \"\(expected[number])\" wraps onto \(wraps) lines on the page (page \(firstPage) of the laid-out "
                        + "run); abbreviate it \(fix)")
            } else if box.right - box.left > window.width + Self.tolerance {
                measured = false
                add(
                    .error, .window, nil,
                    "address line \(number + 1) \"\(expected[number])\" is \(millimetres(box.right - box.left)) mm wide on the page, the "
                        + "\(window.name) window \(millimetres(window.width)) mm; abbreviate it \(fix)")
            }
        }
        let count = stream.lineCount(lineWords.flatMap { $0 })
        if count > window.lines {
            measured = false
            add(
                .error, .window, nil,
                "the address block takes \(count) lines on the page, the \(window.name) window shows \(window.lines); shorten the address "
                    + "\(fix) (e.g. leave out JobTitle or Address2)")
        }
        guard measured else { return }
        let box = stream.box(lineWords.flatMap { $0 })
        let t = Self.tolerance
        if box.left < window.left - t || box.right > window.left + window.width + t || box.top < window.top - t
            || box.bottom > window.top + window.height + t
        {
            add(
                .error, .window, nil,
                "the address block is at \(millimetres(box.left))–\(millimetres(box.right)) mm from the left and \(millimetres(box.top))–"
                    + "\(millimetres(box.bottom)) mm from the top of the page, outside the \(window.name) window (\(millimetres(window.left))–"
                    + "\(millimetres(window.left + window.width)) mm, \(millimetres(window.top))–\(millimetres(window.top + window.height)) mm); "
                    + "move the address block in \(attachmentName) or correct `window:` of template \(line.template.code) in templates.yaml")
        }
    }

    private func cellFindings(area: AddressArea, letterPath: String, add: (PreflightSeverity, PreflightArea, String?, String) -> Void) {
        guard let archive = try? DocxArchive(path: letterPath), let bytes = try? archive.read("word/document.xml"), let part = try? XMLPart(bytes: bytes)
        else { return }
        let cells = AddressArea.innermostCells(of: part.root)
        guard cells.count == area.cellCount else { return }
        let stream = WordStream(pages: pages)
        var from = 0
        for (position, fields) in area.fieldCells {
            let lines = AddressArea.cellLines(cells[position])
            guard !lines.isEmpty else { continue }
            let text = lines.joined(separator: " ")
            guard let match = stream.find(text, from: from) ?? stream.find(text) else { continue }
            from = match.end
            let count = stream.lineCount(match.words)
            guard count > lines.count else { continue }
            let record = MergeRecord(line.mergeFields)
            let widest = fields.max { (record[$0]?.count ?? 0) < (record[$1]?.count ?? 0) } ?? fields.first
            let page = match.words.first.map { stream.words[$0].page + 1 } ?? 1
            add(
                .warning, .tableCell, widest,
                "the table cell \"\(text)\" takes \(count) lines on page \(page) of the letter where its text has \(lines.count): the merged value "
                    + "overflows the cell; shorten \(widest ?? "the value") for contact \(line.contact.no) or widen the column in \(attachmentName)")
        }
    }
}
