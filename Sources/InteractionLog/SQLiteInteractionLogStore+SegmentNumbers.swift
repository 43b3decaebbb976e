import Foundation
import GRDB
import GRDBSQLite
import Segments

/// Segment numbers (reserved and logged), the logged segment's file, attempt failed and evaluations.
extension SQLiteInteractionLogStore {
    public func reserveSegmentNo(_ choose: (_ used: Set<String>) throws -> String) throws -> String {
        // IMMEDIATE: the write lock is taken before reading, so a second process waits here
        // (busy timeout) and then sees this reservation; a deferred transaction would read an
        // older snapshot and fail when it writes.
        try database.writeWithoutTransaction { db in
            var chosen = ""
            try db.inTransaction(.immediate) {
                let used = try String.fetchSet(db, sql: "SELECT UPPER(segmentNo) FROM segmentNumber")
                chosen = try choose(used)
                try SegmentNumberRow(segmentNo: chosen, reservedAt: Date(), loggedAt: nil).insert(db)
                return .commit
            }
            return chosen
        }
    }

    public func segmentNumberUse(_ segmentNo: String) throws -> SegmentNumberUse? {
        try database.read { db in
            try SegmentNumberRow.filter(Column("segmentNo") == segmentNo).fetchOne(db).map {
                SegmentNumberUse(segmentNo: $0.segmentNo, reservedAt: $0.reservedAt, loggedAt: $0.loggedAt)
            }
        }
    }

    public func loggedSegmentFile(_ entryNo: Int64) throws -> Segment? {
        let json = try database.read { db in
            try String.fetchOne(db, sql: "SELECT segmentJSON FROM loggedSegment WHERE entryNo = ?", arguments: [entryNo])
        }
        guard let json else { return nil }
        do {
            return try JSONDecoder().decode(Segment.self, from: Data(json.utf8))
        } catch {
            throw InteractionLogError.failed(reason: "logged segment \(entryNo): the stored segment cannot be read (\(error))")
        }
    }

    public func setAttemptFailed(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try database.write { db in
            let entries = try numbers.map { try Self.entry(db, $0) }
            for entry in entries {
                if entry.canceled { throw InteractionLogError.alreadyCanceled(what: "interaction log entry \(entry.entryNo)") }
                if entry.postponed { throw InteractionLogError.entryPostponed(entry.entryNo) }
            }
            try InteractionLogEntry.filter(numbers.contains(Column("entryNo"))).updateAll(db, Column("attemptFailed").set(to: true))
            return try numbers.map { try Self.entry(db, $0) }
        }
    }

    public func evaluate(entry entryNo: Int64, as evaluation: Evaluation) throws -> InteractionLogEntry {
        try database.write { db in
            _ = try Self.entry(db, entryNo)
            try InteractionLogEntry.filter(Column("entryNo") == entryNo).updateAll(db, Column("evaluation").set(to: evaluation.rawValue))
            return try Self.entry(db, entryNo)
        }
    }

    /// The segment as JSON (sorted keys): what `jsonParts` gives, joined.
    static func json(_ segment: Segment) throws -> String {
        var text = Data()
        try jsonParts(segment) { text.append($0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// The segment's JSON (sorted keys) in parts, in order. The lines are encoded a thousand at a time between the
    /// rest's parts: `JSONEncoder` holds a tree of everything it encodes, which for a million lines is gigabytes.
    static func jsonParts(_ segment: Segment, _ part: (Data) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let chunk = 1000
        var shell = segment
        shell.lines = []
        let text = try encoder.encode(shell)
        // Keys are sorted and `logged` (after `lines`) has no `lines`: the last `"lines":[]` is the segment's.
        guard segment.lines.count > chunk, let place = text.range(of: Data(#""lines":[]"#.utf8), options: .backwards) else {
            try part(try encoder.encode(segment))
            return
        }
        var head = Data(text[..<place.lowerBound])
        head.append(Data(#""lines":["#.utf8))
        try part(head)
        for start in stride(from: 0, to: segment.lines.count, by: chunk) {
            let encoded = try encoder.encode(Array(segment.lines[start..<min(start + chunk, segment.lines.count)]))
            var lines = Data((start > 0 ? "," : "").utf8)
            lines.append(encoded.dropFirst().dropLast())
            try part(lines)
        }
        var tail = Data("]".utf8)
        tail.append(text[place.upperBound...])
        try part(tail)
    }

    /// Stores `segment`'s JSON (`json(_:)`) as logged segment `entryNo`'s `segmentJSON`, never all of it in memory (a
    /// million lines are 46 MB of JSON, which binding it as one value held three times): its parts go to a scratch
    /// file, then into the row through SQLite's incremental I/O, a megabyte at a time, into a `zeroblob` of its size.
    /// The value is the JSON's UTF-8 bytes (a BLOB); `String` reads it back as the text. Inside the caller's
    /// transaction: a failure stores nothing.
    static func storeJSON(_ segment: Segment, entryNo: Int64, _ db: Database) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-segment-\(UUID().uuidString).json").path
        guard FileManager.default.createFile(atPath: scratch, contents: nil), let output = FileHandle(forWritingAtPath: scratch) else {
            throw InteractionLogError.failed(reason: "cannot write the scratch file \(scratch) for the segment's JSON; check the temporary folder")
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var size = 0
        do {
            defer { try? output.close() }
            try jsonParts(segment) { part in
                try output.write(contentsOf: part)
                size += part.count
            }
        }
        try db.execute(sql: "UPDATE loggedSegment SET segmentJSON = zeroblob(?) WHERE entryNo = ?", arguments: [size, entryNo])
        guard let input = FileHandle(forReadingAtPath: scratch) else {
            throw InteractionLogError.failed(reason: "cannot read the scratch file \(scratch) of the segment's JSON")
        }
        defer { try? input.close() }
        var blob: OpaquePointer?
        let connection = db.sqliteConnection
        func check(_ code: Int32) throws {
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) })
            }
        }
        try check(sqlite3_blob_open(connection, "main", LoggedSegment.databaseTableName, "segmentJSON", entryNo, 1, &blob))
        defer { sqlite3_blob_close(blob) }
        var offset: Int32 = 0
        while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
            try data.withUnsafeBytes { bytes in try check(sqlite3_blob_write(blob, bytes.baseAddress, Int32(bytes.count), offset)) }
            offset += Int32(data.count)
        }
        guard offset == size else {
            throw InteractionLogError.failed(reason: "the scratch file \(scratch) of the segment's JSON changed while it was stored")
        }
    }
}
