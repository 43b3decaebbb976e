import CSV
import Foundation

/// Writes CSV (RFC 4180 quoting, UTF-8) through CSV.swift's writer.
public enum CSVTable {
    /// The CSV text of `rows`, header first.
    public static func text(header: [String], rows: [[String]]) throws(MailMergeError) -> Data {
        do {
            let writer = try CSVWriter(stream: .toMemory())
            try writer.write(row: header)
            for row in rows { try writer.write(row: row) }
            writer.stream.close()
            guard let data = writer.stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data else {
                throw MailMergeError.io(path: "-", message: "the CSV writer returned no data")
            }
            return data + Data("\n".utf8)
        } catch let error as MailMergeError {
            throw error
        } catch {
            throw .io(path: "-", message: "cannot write CSV: \(error)")
        }
    }

    /// Writes `rows` to `path` atomically: the file appears complete or not at all.
    public static func write(header: [String], rows: [[String]], to path: String) throws(MailMergeError) {
        let data = try text(header: header, rows: rows)
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .io(path: path, message: "cannot write (\(error.localizedDescription))")
        }
    }
}
