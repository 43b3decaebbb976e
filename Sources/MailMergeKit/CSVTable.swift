import Foundation

/// Writes CSV: RFC 4180 quoting (a field with a comma, quote, CR or LF, or leading or trailing
/// space is quoted, quotes doubled), UTF-8, LF line ends. Written here rather than with
/// CSV.swift's writer, whose per-field `range(of:)` made the manifest of a 10,000-line segment
/// cost more than its log transaction.
public enum CSVTable {
    /// The CSV text of `rows`, header first.
    public static func text(header: [String], rows: [[String]]) -> Data {
        var out = [UInt8]()
        out.reserveCapacity((rows.count + 1) * 128)
        for row in [header] + rows {
            for (index, field) in row.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(field, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        return Data(out)
    }

    /// Writes `rows` to `path` atomically: the file appears complete or not at all.
    public static func write(header: [String], rows: [[String]], to path: String) throws(MailMergeError) {
        do { try text(header: header, rows: rows).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io(path: path, message: "cannot write (\(error.localizedDescription))")
        }
    }

    /// Writes a CSV file row by row (64 KiB at a time), atomically: into a temporary file beside `path`, renamed to
    /// `path` by `finish()`; a writer dropped before that removes it. For tables too large to hold.
    final class FileWriter {
        let path: String
        private let temporary: String
        private let handle: FileHandle
        private var buffer: [UInt8] = []
        private var finished = false
        private var closed = false

        init(path: String, header: [String]) throws(MailMergeError) {
            self.path = path
            temporary = path + ".partial-\(UUID().uuidString)"
            guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
                throw .io(path: path, message: "cannot write (the folder is not writable)")
            }
            self.handle = handle
            buffer.reserveCapacity(1 << 16)
            try append(header)
        }

        deinit {
            if !closed { try? handle.close() }
            if !finished { try? FileManager.default.removeItem(atPath: temporary) }
        }

        func append(_ row: [String]) throws(MailMergeError) {
            for (index, field) in row.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ",")) }
                CSVTable.append(field, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 { try flush() }
        }

        /// The file being written (not yet in place), with every row appended so far: to be read back before `finish`.
        func flushed() throws(MailMergeError) -> String {
            try flush()
            return temporary
        }

        /// Writes what is left and puts the file in place.
        func finish() throws(MailMergeError) {
            try flush()
            closed = true
            do { try handle.close() } catch {
                throw .io(path: path, message: "cannot write (\(error.localizedDescription))")
            }
            guard rename(temporary, path) == 0 else {
                throw .io(path: path, message: "cannot write (\(String(cString: strerror(errno))))")
            }
            finished = true
        }

        private func flush() throws(MailMergeError) {
            guard !buffer.isEmpty else { return }
            do { try handle.write(contentsOf: buffer) } catch {
                throw .io(path: path, message: "cannot write (\(error.localizedDescription))")
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    static func append(_ field: String, to out: inout [UInt8]) {
        let bytes = field.utf8
        let needsQuotes =
            bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        guard needsQuotes else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
