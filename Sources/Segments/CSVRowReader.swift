import CSV
import Foundation

/// Streams the records of a UTF-8 CSV file with a header row, one record at a time.
///
/// Wraps yaslab CSV.swift's `CSVReader` on an `InputStream`, so memory stays flat however many
/// rows the file has. Adds what the raw reader lacks: a byte-order mark and surrounding spaces
/// are removed from the header, duplicate column names (ignoring case) are rejected, each record
/// carries the line it starts on, records with the wrong number of fields and invalid UTF-8 are
/// reported with that line, and blank lines are skipped.
public struct CSVRowReader {
    /// The column names, trimmed, in file order.
    public let header: [String]

    private let path: String
    private let reader: CSVReader
    /// The physical line the next record starts on.
    private var nextLine: Int

    /// Opens `path` and reads its header row.
    ///
    /// - Throws: a `Diagnostic` when the file cannot be opened, is empty, is not UTF-8, or
    ///   its header names a column twice.
    public init(path: String) throws(Diagnostic) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let stream = InputStream(fileAtPath: path)
        else {
            throw Diagnostic(source: path, message: "cannot open the CSV file; check that the path is right")
        }
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw Diagnostic(source: path, message: "the CSV file is empty; it needs a header row naming the columns")
        }
        try Self.check(reader, file: path, line: 1)
        let names = (reader.headerRow ?? []).enumerated().map { index, name in
            let withoutBOM = index == 0 && name.hasPrefix("\u{FEFF}") ? String(name.dropFirst()) : name
            return withoutBOM.trimmingCharacters(in: .whitespaces)
        }
        if names == [""] {
            throw Diagnostic(source: path, line: 1, message: "the header row is empty; it must name the columns")
        }
        var seen: [String: String] = [:]
        for name in names {
            if let earlier = seen[name.lowercased()] {
                throw Diagnostic(source: path, line: 1, message: "column '\(name)' appears twice in the header (as '\(earlier)' and '\(name)'); rename or remove one")
            }
            seen[name.lowercased()] = name
        }
        header = names
        nextLine = 2 + Self.lineBreaks(in: reader.headerRow ?? [])
    }

    /// The next record and the line it starts on, or `nil` at the end of the file.
    ///
    /// - Throws: a `Diagnostic` with the record's line when it has a different number of
    ///   fields than the header or contains invalid UTF-8.
    public mutating func next() throws(Diagnostic) -> (line: Int, values: [String])? {
        while let values = reader.next() {
            let line = nextLine
            nextLine += 1 + Self.lineBreaks(in: values)
            try Self.check(reader, file: path, line: line)
            if values == [""] {
                continue
            }
            guard values.count == header.count else {
                throw Diagnostic(
                    source: path, line: line,
                    message: "this record has \(values.count) field\(values.count == 1 ? "" : "s") but the header has \(header.count) columns; check for a missing or extra comma, or an unclosed quote")
            }
            return (line, values)
        }
        try Self.check(reader, file: path, line: nextLine)
        return nil
    }

    /// Turns the reader's recorded error into a diagnostic. The raw reader ends the row (and
    /// the file) where it fails; reaching the end of the stream is recorded as `cannotReadFile`
    /// and is not an error.
    private static func check(_ reader: CSVReader, file: String, line: Int) throws(Diagnostic) {
        switch reader.error {
        case CSVError.unicodeDecoding?:
            throw Diagnostic(source: file, line: line, message: "this line is not valid UTF-8; save the file as UTF-8")
        case CSVError.streamErrorHasOccurred(let error)?:
            throw Diagnostic(source: file, line: line, message: "cannot read the file: \(error.localizedDescription)")
        default:
            return
        }
    }

    /// The number of line breaks inside quoted fields (CRLF, LF and lone CR each count once).
    private static func lineBreaks(in values: [String]) -> Int {
        var count = 0
        for value in values {
            var previous: Unicode.Scalar?
            for scalar in value.unicodeScalars {
                if scalar == "\r" || (scalar == "\n" && previous != "\r") {
                    count += 1
                }
                previous = scalar
            }
        }
        return count
    }
}
