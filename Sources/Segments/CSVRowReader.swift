import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Streams the records of a UTF-8 CSV file with a header row, one record at a time.
///
/// Reads the file in 64 KiB chunks, so memory stays flat however many rows it has. The format
/// is RFC 4180 as Python's `csv` module reads it: fields separated by commas, records by CRLF,
/// LF or a lone CR; a field in double quotes may hold commas, line breaks and doubled quotes.
/// A UTF-8 byte-order mark and the spaces around header names are removed, and duplicate column
/// names (ignoring case) are rejected. Each record carries the line it starts on; a record with
/// the wrong number of fields, a quote that is never closed (Python would silently take the rest
/// of the file as one value) and invalid UTF-8 are reported with that line.
///
/// Every data line is a record, also one whose values are all empty (`""` in a one-column
/// file, `,,` in a three-column one): it merges as empty values. Only a truly empty line (no
/// character before its line break) is not a record, wherever it is, like the last line break
/// of a file — as Python's `csv.DictReader` and pandas read it, so that a file ending in a few
/// extra line breaks does not produce empty letters. Line numbers still count such lines.
public struct CSVRowReader {
    /// The column names, trimmed, in file order.
    public let header: [String]

    private let path: String
    private var bytes: ByteStream
    /// The physical line the next record starts on.
    private var nextLine = 1

    /// Opens `path` and reads its header row.
    ///
    /// - Throws: a `Diagnostic` when the file cannot be opened, is empty, is not UTF-8, or
    ///   its header names a column twice.
    public init(path: String) throws(Diagnostic) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let stream = ByteStream(path: path)
        else {
            throw Diagnostic(source: path, message: "cannot open the CSV file; check that the path is right")
        }
        bytes = stream
        try bytes.skipByteOrderMark(file: path)
        guard let first = try Self.readRecord(&bytes, file: path, line: &nextLine) else {
            throw Diagnostic(source: path, message: "the CSV file is empty; it needs a header row naming the columns")
        }
        let names = first.values.map { $0.trimmingCharacters(in: .whitespaces) }
        if names == [""] {
            throw Diagnostic(source: path, line: 1, message: "the header row is empty; it must name the columns")
        }
        var seen: [String: String] = [:]
        for name in names {
            if let earlier = seen[name.lowercased()] {
                throw Diagnostic(
                    source: path, line: 1,
                    message: "column '\(name)' appears twice in the header (as '\(earlier)' and '\(name)'); rename or remove one")
            }
            seen[name.lowercased()] = name
        }
        header = names
    }

    /// The next record and the line it starts on, or `nil` at the end of the file.
    ///
    /// - Throws: a `Diagnostic` with the record's line when it has a different number of
    ///   fields than the header or contains invalid UTF-8, or when the file cannot be read.
    public mutating func next() throws(Diagnostic) -> (line: Int, values: [String])? {
        try nextWithOffset().map { ($0.line, $0.values) }
    }

    /// The next record, the line it starts on and the byte offset in the file where it starts
    /// (for `seek(toOffset:line:)`), or `nil` at the end of the file.
    public mutating func nextWithOffset() throws(Diagnostic) -> (line: Int, offset: Int, values: [String])? {
        try nextRecord(only: nil)
    }

    /// As `nextWithOffset()`, with only the value of column `column` (an index into `header`):
    /// the other fields are checked (count, quotes, UTF-8) but not made into strings, for
    /// reading a file's keys only (`IndexedChildRows`).
    public mutating func nextKey(column: Int) throws(Diagnostic) -> (line: Int, offset: Int, key: String)? {
        try nextRecord(only: column).map { ($0.line, $0.offset, $0.values[column]) }
    }

    /// The next record; `only`: the one column whose value is wanted (the others are "").
    private mutating func nextRecord(only column: Int?) throws(Diagnostic) -> (line: Int, offset: Int, values: [String])? {
        while true {
            let offset = bytes.offset
            guard let record = try Self.readRecord(&bytes, file: path, line: &nextLine, only: column) else { return nil }
            if record.isBlank { continue }
            guard record.values.count == header.count else {
                let count = record.values.count
                throw Diagnostic(
                    source: path, line: record.line,
                    message: "this record has \(count) field\(count == 1 ? "" : "s") but the header has \(header.count) columns; "
                        + "check for a missing or extra comma, or an unclosed quote")
            }
            return (record.line, offset, record.values)
        }
    }

    /// Goes to the record that starts at byte `offset` on line `line`, as `nextWithOffset()`
    /// gave them: the next `next()` reads it. Within the bytes already buffered, no file access.
    public mutating func seek(toOffset offset: Int, line: Int) throws(Diagnostic) {
        try bytes.seek(to: offset, file: path, line: line)
        nextLine = line
    }

    private struct Record {
        var line: Int
        var values: [String]
        /// An empty line: no character before the line break.
        var isBlank: Bool
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    /// Reads one record starting on physical line `line` and advances `line` past it; nil at
    /// the end of the file. With `only`, the other fields' values are left "" (still checked).
    private static func readRecord(_ bytes: inout ByteStream, file: String, line: inout Int, only column: Int? = nil) throws(Diagnostic) -> Record? {
        let start = line
        guard var byte = try bytes.next(file: file, line: start) else { return nil }
        // Each field's bytes become its String as soon as it ends; one byte buffer serves them all.
        var values: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var inQuotes = false
        var atFieldStart = true
        var isBlank = false
        while true {
            if inQuotes {
                if byte == quote {
                    guard let following = try bytes.next(file: file, line: line) else {
                        inQuotes = false
                        break
                    }
                    if following == quote {
                        field.append(quote)
                    } else {
                        inQuotes = false
                        byte = following
                        continue
                    }
                } else {
                    if byte == lf || byte == cr { line += 1 }
                    if byte == cr, let following = try bytes.peek(file: file, line: line), following == lf {
                        field.append(cr)
                        byte = try bytes.next(file: file, line: line) ?? lf
                    }
                    field.append(byte)
                    bytes.takeRun(into: &field, quoted: true)
                }
            } else if byte == quote && atFieldStart {
                inQuotes = true
                atFieldStart = false
            } else if byte == comma {
                values.append(try text(field, file: file, line: start, keep: column == nil || column == values.count))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
            } else if byte == cr || byte == lf {
                if byte == cr, try bytes.peek(file: file, line: line) == lf { _ = try bytes.next(file: file, line: line) }
                line += 1
                isBlank = values.isEmpty && field.isEmpty && atFieldStart
                break
            } else {
                // Text after a closing quote is kept, as Python's csv does.
                field.append(byte)
                atFieldStart = false
                bytes.takeRun(into: &field, quoted: false)
            }
            guard let following = try bytes.next(file: file, line: line) else {
                // The quote would swallow every record after it without a word.
                if inQuotes {
                    throw Diagnostic(
                        source: file, line: start,
                        message: "a quoted field in this record is never closed; check for a missing or an extra quote")
                }
                line += 1
                break
            }
            byte = following
        }
        values.append(try text(field, file: file, line: start, keep: column == nil || column == values.count))
        return Record(line: start, values: values, isBlank: isBlank)
    }

    /// A field's bytes as text ("" when not `keep`, after checking them); an error naming the
    /// record's line when they are not UTF-8. ASCII (the usual case) is decoded without the
    /// generic validating initialiser, which costs a metadata lookup per call.
    private static func text(_ field: [UInt8], file: String, line: Int, keep: Bool = true) throws(Diagnostic) -> String {
        let isASCII = field.withUnsafeBufferPointer { buffer in
            var bits: UInt8 = 0
            for byte in buffer { bits |= byte }
            return bits < 0x80
        }
        if isASCII { return keep ? String(decoding: field, as: UTF8.self) : "" }
        guard let value = String(validating: field, as: UTF8.self) else {
            throw Diagnostic(source: file, line: line, message: "this line is not valid UTF-8; save the file as UTF-8")
        }
        return keep ? value : ""
    }
}

/// The bytes of a file, read in 64 KiB chunks through its file descriptor.
private final class ByteStream {
    private let descriptor: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var position = 0
    private var count = 0
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0
    private var finished = false

    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { return nil }
    }

    deinit { close(descriptor) }

    /// The file offset of the next byte.
    var offset: Int { bufferOffset + position }

    /// The next byte without consuming it; nil at the end.
    func peek(file: String, line: Int) throws(Diagnostic) -> UInt8? {
        if position == count {
            try fill(file: file, line: line)
            if position == count { return nil }
        }
        return buffer[position]
    }

    /// The next byte; nil at the end.
    func next(file: String, line: Int) throws(Diagnostic) -> UInt8? {
        guard let byte = try peek(file: file, line: line) else { return nil }
        position += 1
        return byte
    }

    /// Moves the buffered bytes up to the next one that means something to the CSV syntax (a
    /// comma, line break, or, `quoted`, a quote and line break) onto `field`: the plain run of a
    /// field in one copy, not byte by byte. Stops at the end of the buffer (`next` reads on).
    func takeRun(into field: inout [UInt8], quoted: Bool) {
        let start = position
        let end = count
        guard start < end else { return }
        let stop = buffer.withUnsafeBufferPointer { bytes in
            var i = start
            if quoted {
                while i < end, bytes[i] != 0x22, bytes[i] != 0x0D, bytes[i] != 0x0A { i += 1 }
            } else {
                while i < end, bytes[i] != 0x2C, bytes[i] != 0x0D, bytes[i] != 0x0A { i += 1 }
            }
            field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
            return i
        }
        position = stop
    }

    /// Skips a UTF-8 byte-order mark at the start of the stream.
    func skipByteOrderMark(file: String) throws(Diagnostic) {
        try fill(file: file, line: 1)
        while count < 3, !finished {
            let read = buffer.withUnsafeMutableBufferPointer { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if read <= 0 { finished = true } else { count += read }
        }
        if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    /// Goes to file offset `target`: within the buffer by moving, else by seeking the file.
    func seek(to target: Int, file: String, line: Int) throws(Diagnostic) {
        if target >= bufferOffset, target <= bufferOffset + count {
            position = target - bufferOffset
            return
        }
        guard lseek(descriptor, off_t(target), SEEK_SET) >= 0 else {
            throw Diagnostic(source: file, line: line, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        bufferOffset = target
        position = 0
        count = 0
        finished = false
    }

    private func fill(file: String, line: Int) throws(Diagnostic) {
        guard !finished else { return }
        bufferOffset += count
        var read = 0
        repeat {
            read = buffer.withUnsafeMutableBufferPointer { Glibc.read(descriptor, $0.baseAddress!, $0.count) }
        } while read < 0 && errno == EINTR
        if read < 0 {
            throw Diagnostic(source: file, line: line, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        if read == 0 { finished = true }
        position = 0
        count = max(read, 0)
    }
}
