import ExternalProcess
import Foundation

/// The words of a laid-out PDF with their boxes, as poppler's `pdftotext -bbox-layout` gives them
/// (points from the page's top left corner), for `check --pdf`.
struct PDFWords {
    struct Word: Sendable {
        var text: String
        var xMin: Double
        var yMin: Double
        var xMax: Double
        var yMax: Double
    }

    struct Page: Sendable {
        var width: Double
        var height: Double
        /// In pdftotext's reading order (flow, block, line, word).
        var words: [Word] = []
    }

    /// Millimetres in a point.
    static let millimetresPerPoint = 25.4 / 72

    /// Pages `first`…`last` of `pdf` (1-based), read with `pdftotext -bbox-layout` (bounded by
    /// the poppler timeout of `ExternalTool`).
    static func pages(of pdf: String, first: Int, last: Int, pdftotext: String) throws(MailMergeError) -> [Page] {
        let xhtml = try ExternalTool.run(pdftotext, ["-bbox-layout", "-enc", "UTF-8", "-f", String(first), "-l", String(last)], inputs: [pdf], trailing: ["-"])
        let pages = parse(xhtml)
        guard pages.count == last - first + 1 else {
            throw .io(path: pdf, message: "pdftotext gave \(pages.count) pages for pages \(first)–\(last); the PDF is damaged")
        }
        return pages
    }

    /// Reads pdftotext's XHTML: one element a line, `<page width= height=>` and
    /// `<word xMin= yMin= xMax= yMax=>text</word>`.
    static func parse(_ xhtml: String) -> [Page] {
        var pages: [Page] = []
        for raw in xhtml.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("<word ") {
                guard !pages.isEmpty, let close = line.firstIndex(of: ">"), let end = line.range(of: "</word>", options: .backwards) else { continue }
                let attributes = line[line.startIndex..<close]
                let text = unescape(String(line[line.index(after: close)..<end.lowerBound]))
                guard let xMin = number(attributes, "xMin"), let yMin = number(attributes, "yMin"), let xMax = number(attributes, "xMax"),
                    let yMax = number(attributes, "yMax")
                else { continue }
                pages[pages.count - 1].words.append(Word(text: text, xMin: xMin, yMin: yMin, xMax: xMax, yMax: yMax))
            } else if line.hasPrefix("<page ") {
                pages.append(Page(width: number(line, "width") ?? 0, height: number(line, "height") ?? 0))
            }
        }
        return pages
    }

    private static func number(_ element: Substring, _ name: String) -> Double? {
        guard let start = element.range(of: " \(name)=\"") else { return nil }
        let rest = element[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return Double(rest[rest.startIndex..<end])
    }

    private static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// A letter's laid-out words as one run of characters without white space, to find a text
/// (an address line, a table cell) in it whatever the line breaks: each character knows its word.
struct WordStream {
    /// (page index in the letter, word)
    private(set) var words: [(page: Int, word: PDFWords.Word)] = []
    private var scalars: [Unicode.Scalar] = []
    private var owners: [Int] = []

    init(pages: [PDFWords.Page]) {
        for (number, page) in pages.enumerated() {
            for word in page.words {
                let index = words.count
                words.append((number, word))
                for scalar in Self.folded(word.text) {
                    scalars.append(scalar)
                    owners.append(index)
                }
            }
        }
    }

    /// `text` compared as laid out: compatibility forms folded (ligatures), white space left out.
    static func folded(_ text: String) -> [Unicode.Scalar] {
        text.precomposedStringWithCompatibilityMapping.unicodeScalars.filter { !$0.properties.isWhitespace }
    }

    /// The words holding the first occurrence of `text` at or after character `from`, and where
    /// it ends; nil when `text` (white space left out) is empty or not there.
    func find(_ text: String, from: Int = 0) -> (words: [Int], end: Int)? {
        find(Self.folded(text), from: from)
    }

    func find(_ needle: [Unicode.Scalar], from: Int = 0) -> (words: [Int], end: Int)? {
        guard !needle.isEmpty, needle.count <= scalars.count else { return nil }
        var start = max(0, from)
        while start + needle.count <= scalars.count {
            if scalars[start] == needle[0] {
                var matched = true
                for offset in 1..<needle.count where scalars[start + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched {
                    var found: [Int] = []
                    for position in start..<(start + needle.count) where found.last != owners[position] { found.append(owners[position]) }
                    return (found, start + needle.count)
                }
            }
            start += 1
        }
        return nil
    }

    /// How many lines the words take on the page: words whose vertical middles are within 2 pt
    /// of each other on one page are one line.
    func lineCount(_ indices: [Int]) -> Int {
        var lines: [(page: Int, middle: Double)] = []
        for index in indices {
            let (page, word) = words[index]
            let middle = (word.yMin + word.yMax) / 2
            if !lines.contains(where: { $0.page == page && abs($0.middle - middle) <= 2 }) { lines.append((page, middle)) }
        }
        return lines.count
    }

    /// The box around the words, in millimetres from the page's top left corner.
    func box(_ indices: [Int]) -> (left: Double, top: Double, right: Double, bottom: Double) {
        let boxes = indices.map { words[$0].word }
        let scale = PDFWords.millimetresPerPoint
        return (
            (boxes.map(\.xMin).min() ?? 0) * scale, (boxes.map(\.yMin).min() ?? 0) * scale, (boxes.map(\.xMax).max() ?? 0) * scale,
            (boxes.map(\.yMax).max() ?? 0) * scale
        )
    }
}
