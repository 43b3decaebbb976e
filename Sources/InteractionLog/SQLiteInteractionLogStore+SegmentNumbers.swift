import Foundation
import GRDB
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

    /// The segment as JSON (sorted keys). The lines are encoded a thousand at a time and spliced into the
    /// rest: `JSONEncoder` holds a tree of everything it encodes, which for a million lines is gigabytes.
    static func json(_ segment: Segment) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let chunk = 1000
        var shell = segment
        shell.lines = []
        var text = try encoder.encode(shell)
        // Keys are sorted and `logged` (after `lines`) has no `lines`: the last `"lines":[]` is the segment's.
        guard segment.lines.count > chunk, let place = text.range(of: Data(#""lines":[]"#.utf8), options: .backwards) else {
            return String(decoding: try encoder.encode(segment), as: UTF8.self)
        }
        var lines = Data(#""lines":["#.utf8)
        for start in stride(from: 0, to: segment.lines.count, by: chunk) {
            if start > 0 { lines.append(UInt8(ascii: ",")) }
            let part = try encoder.encode(Array(segment.lines[start..<min(start + chunk, segment.lines.count)]))
            lines.append(part.dropFirst().dropLast())
        }
        lines.append(UInt8(ascii: "]"))
        text.replaceSubrange(place, with: lines)
        return String(decoding: text, as: UTF8.self)
    }
}
