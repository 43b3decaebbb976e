import ExternalProcess
import Foundation
import PrintRun

/// Page facts of a PDF, read with poppler's `pdfinfo`.
enum PDFPages {
    /// The error for a missing `pdfinfo`/`pdftoppm`.
    static func missingPoppler(_ tool: String) -> MailMergeError {
        .io(path: tool, message: "poppler-utils is not installed (\(tool) is not on the PATH); install it with `apt-get install poppler-utils`")
    }

    /// The page range of each of `letterCount` letters in a print-run PDF, found through the
    /// letters' start bookmarks (exported as named destinations).
    /// - Throws: `MailMergeError.io` when `pdfinfo` is missing or a letter's start is not found.
    static func letterRanges(in pdf: String, letterCount: Int, pages knownPages: Int? = nil) throws(MailMergeError) -> [ClosedRange<Int>] {
        guard letterCount > 0 else { return [] }
        guard let pdfinfo = ExternalProcess.find("pdfinfo") else { throw missingPoppler("pdfinfo") }
        let pages: Int
        if let knownPages { pages = knownPages } else { pages = try pageCount(pdf, pdfinfo: pdfinfo) }
        var starts: [String: Int] = [:]
        for line in try ExternalTool.run(pdfinfo, ["-dests"], inputs: [pdf]).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let page = fields.first.flatMap({ Int($0) }), let name = fields.last, name.hasPrefix("\""), name.hasSuffix("\"") else { continue }
            starts[String(name.dropFirst().dropLast())] = page
        }
        var firstPages: [Int] = []
        for number in 1...letterCount {
            guard let page = starts[PrintRunCombiner.bookmarkName(forLetter: number)] else {
                throw .io(path: pdf, message: "the start of letter \(number) is not marked in the PDF; LibreOffice 7.4 or later is needed to export bookmarks")
            }
            firstPages.append(page)
        }
        return firstPages.enumerated().map { index, first in
            first...(index + 1 < firstPages.count ? max(first, firstPages[index + 1] - 1) : max(first, pages))
        }
    }

    /// The number of pages of `pdf`.
    static func pageCount(_ pdf: String, pdfinfo: String) throws(MailMergeError) -> Int {
        guard let pages = try report(pdf, pdfinfo: pdfinfo).pages else { throw noPageCount(pdf) }
        return pages
    }

    /// What `pdfinfo` says of `pdf`: its number of pages and the size of its first page in points (width, height),
    /// each nil when not reported.
    private static func report(_ pdf: String, pdfinfo: String) throws(MailMergeError) -> (pages: Int?, size: (Double, Double)?) {
        var pages: Int?
        var size: (Double, Double)?
        for line in try ExternalTool.run(pdfinfo, [], inputs: [pdf]).split(separator: "\n") {
            if line.hasPrefix("Pages:") {
                pages = pages ?? Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
            } else if size == nil, line.hasPrefix("Page size:") {
                let words = line.dropFirst(10).split(separator: " ")
                if words.count >= 3, let width = Double(words[0]), words[1] == "x", let height = Double(words[2]) { size = (width, height) }
            }
        }
        return (pages, size)
    }

    private static func noPageCount(_ pdf: String) -> MailMergeError { .io(path: pdf, message: "pdfinfo reports no page count; the PDF is damaged") }
}

extension PDFPages {
    /// The number of pages of `pdf` and the size of its first page in points (width, height), from one `pdfinfo` call.
    static func info(_ pdf: String) throws(MailMergeError) -> (pages: Int, size: (Double, Double)) {
        guard let pdfinfo = ExternalProcess.find("pdfinfo") else { throw missingPoppler("pdfinfo") }
        let (pages, size) = try report(pdf, pdfinfo: pdfinfo)
        guard let pages else { throw noPageCount(pdf) }
        guard let size else { throw .io(path: pdf, message: "pdfinfo reports no page size; the PDF is damaged") }
        return (pages, size)
    }
}
