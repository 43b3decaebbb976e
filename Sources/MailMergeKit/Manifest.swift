import Foundation
import Segments

/// The manifest of a logged segment: one row per line, for print shops and audits.
enum Manifest {
    static let header = [
        "line_no", "contact_no", "contact_name", "company_name", "template_code",
        "language_code", "correspondence_type", "document", "sha256",
    ]

    /// Writes the manifest of `letters`.
    static func write(_ letters: [Letter], to path: String) throws(MailMergeError) {
        let writer = try CSVTable.FileWriter(path: path, header: header)
        for letter in letters { try writer.append(row(letter.line, path: letter.path, sha256: letter.sha256)) }
        try writer.finish()
    }

    /// The CSV rows of `letters` (without the header): a distributed run's chunk, recorded with the chunk so the
    /// worker that logs the run writes the manifest without resolving every line again (`write(chunks:to:)`).
    static func rows(_ letters: [Letter]) -> String {
        var buffer: [UInt8] = []
        for letter in letters { append(row(letter.line, path: letter.path, sha256: letter.sha256), to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Writes the manifest made of chunks' `rows` texts, in order, atomically.
    static func write(chunks: [String], to path: String) throws(MailMergeError) {
        var buffer: [UInt8] = []
        append(header, to: &buffer)
        for rows in chunks { buffer += rows.utf8 }
        do { try Data(buffer).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io(path: path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    private static func append(_ row: [String], to buffer: inout [UInt8]) {
        for (index, field) in row.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            CSVTable.append(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Writes the manifest of the lines that have a document, row by row.
    static func write<Lines: RandomAccessCollection<ResolvedLine>>(lines: Lines, documents: LineDocuments, to path: String) throws(MailMergeError)
    where Lines.Index == Int {
        let rows = try Rows(path: path)
        try rows.append(upTo: lines.count, lines: lines, documents: documents)
        try rows.finish()
    }

    /// A manifest written while the documents are: the rows of the lines that have a document, in line order, a
    /// stretch of lines at a time (those just resolved, so they are not resolved again); the file is put in place by
    /// `finish` (none is left when the run stops before).
    final class Rows {
        private let writer: CSVTable.FileWriter
        /// The first line whose row is not written yet.
        private var next = 0

        init(path: String) throws(MailMergeError) { writer = try CSVTable.FileWriter(path: path, header: Manifest.header) }

        /// Writes the rows of the lines before `end` not written yet; each of them that has a document has it in `documents`.
        func append<Lines: RandomAccessCollection<ResolvedLine>>(upTo end: Int, lines: Lines, documents: LineDocuments) throws(MailMergeError)
        where Lines.Index == Int {
            while next < end {
                if let document = documents.path(next), let sha256 = documents.sha256(next) {
                    try writer.append(row(lines[next], path: document, sha256: sha256))
                }
                next += 1
            }
        }

        func finish() throws(MailMergeError) { try writer.finish() }

        /// Gives `body` the document (file name) of each row written so far, read back from the file being written (a run
        /// whose check failed removes the letters it wrote); a row that cannot be read back ends it.
        func forEachDocument(_ body: (String) -> Void) {
            guard let path = try? writer.flushed(), var reader = try? CSVRowReader(path: path),
                let column = reader.header.firstIndex(of: "document")
            else { return }
            while let record = try? reader.next() {
                if column < record.values.count { body(record.values[column]) }
            }
        }
    }

    /// The last non-empty `/`-separated part of `path` (`path.split(separator: "/").last`), found from the end without
    /// splitting the whole path per row.
    static func lastComponent(of path: String) -> String {
        let slash = UInt8(ascii: "/")
        let bytes = path.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == slash { end = bytes.index(before: end) }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != slash { start = bytes.index(before: start) }
        return String(path[start..<end])
    }

    private static func row(_ line: ResolvedLine, path: String, sha256: String) -> [String] {
        [
            String(line.lineNo), line.contact.no, line.contact.fullName, line.contact.companyName,
            line.template.code, line.languageCode, line.correspondenceType.rawValue,
            lastComponent(of: path), sha256,
        ]
    }
}
