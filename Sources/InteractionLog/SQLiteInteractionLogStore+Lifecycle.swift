import Foundation
import GRDB
import Segments

/// Canceling, restoring and deleting entries and logged segments; each operation is one
/// transaction that either changes everything asked for or nothing.
extension SQLiteInteractionLogStore {
    public func record(_ entry: NewInteractionLogEntry) throws -> InteractionLogEntry {
        try database.write { db in
            try InteractionLogEntryInserter(db, createdAt: Date()).insert(entry)
            return try Self.entry(db, db.lastInsertedRowID)
        }
    }

    public func cancel(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try database.write { db in
            let entries = try numbers.map { try Self.entry(db, $0) }
            for entry in entries {
                if entry.postponed { throw InteractionLogError.entryPostponed(entry.entryNo) }
                if entry.canceled { throw InteractionLogError.alreadyCanceled(what: "interaction log entry \(entry.entryNo)") }
            }
            return try Self.setCanceled(db, entries, to: true)
        }
    }

    public func restore(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try database.write { db in
            let entries = try numbers.map { try Self.entry(db, $0) }
            for entry in entries {
                if !entry.canceled { throw InteractionLogError.notCanceled(what: "interaction log entry \(entry.entryNo)") }
                if let segmentNo = entry.loggedSegmentEntryNo, try Self.loggedSegment(db, segmentNo).canceled {
                    throw InteractionLogError.loggedSegmentCanceled(entryNo: entry.entryNo, loggedSegmentEntryNo: segmentNo)
                }
            }
            return try Self.setCanceled(db, entries, to: false)
        }
    }

    public func cancel(loggedSegment entryNo: Int64) throws -> LoggedSegment {
        try database.write { db in
            var segment = try Self.loggedSegment(db, entryNo)
            if segment.canceled { throw InteractionLogError.alreadyCanceled(what: "logged segment \(entryNo)") }
            segment.canceled = true
            try segment.update(db, columns: ["canceled"])
            try InteractionLogEntry.filter(Column("loggedSegmentEntryNo") == entryNo)
                .updateAll(db, Column("canceled").set(to: true))
            return segment
        }
    }

    public func restore(loggedSegment entryNo: Int64) throws -> LoggedSegment {
        try database.write { db in
            var segment = try Self.loggedSegment(db, entryNo)
            if !segment.canceled { throw InteractionLogError.notCanceled(what: "logged segment \(entryNo)") }
            segment.canceled = false
            do {
                try segment.update(db, columns: ["canceled"])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
            }
            try InteractionLogEntry.filter(Column("loggedSegmentEntryNo") == entryNo)
                .updateAll(db, Column("canceled").set(to: false))
            return segment
        }
    }

    public func deleteCanceled(before: Day?) throws -> DeletedCanceled {
        try database.write { db in
            var request = InteractionLogEntry.filter(Column("canceled") == true)
            if let before { request = request.filter(Column("date") < before) }
            return try Self.delete(db, try request.fetchAll(db))
        }
    }

    public func deleteCanceled(entries numbers: [Int64]) throws -> DeletedCanceled {
        try database.write { db in
            let entries = try numbers.map { try Self.entry(db, $0) }
            if let entry = entries.first(where: { !$0.canceled }) {
                throw InteractionLogError.notCanceled(what: "interaction log entry \(entry.entryNo)")
            }
            return try Self.delete(db, entries)
        }
    }

    /// Deletes `entries`, then those of their logged segments that have no entries left.
    private static func delete(_ db: Database, _ entries: [InteractionLogEntry]) throws -> DeletedCanceled {
        let numbers = Set(entries.map(\.entryNo))
        let segments = Set(entries.compactMap(\.loggedSegmentEntryNo))
        let deletedEntries = try InteractionLogEntry.filter(numbers.contains(Column("entryNo"))).deleteAll(db)
        var deletedSegments = 0
        for segment in segments.sorted() {
            let remaining = try InteractionLogEntry.filter(Column("loggedSegmentEntryNo") == segment).fetchCount(db)
            if remaining == 0 {
                deletedSegments += try LoggedSegment.deleteOne(db, key: segment) ? 1 : 0
            } else {
                // The logged segment's count follows its entries (`segment logged`).
                try LoggedSegment.filter(Column("entryNo") == segment).updateAll(db, Column("numberOfInteractions").set(to: remaining))
            }
        }
        return DeletedCanceled(entries: deletedEntries, loggedSegments: deletedSegments)
    }

    private static func setCanceled(_ db: Database, _ entries: [InteractionLogEntry], to canceled: Bool) throws -> [InteractionLogEntry] {
        try entries.map { entry in
            var changed = entry
            changed.canceled = canceled
            try changed.update(db, columns: ["canceled"])
            return changed
        }
    }

    static func entry(_ db: Database, _ entryNo: Int64) throws -> InteractionLogEntry {
        guard let entry = try InteractionLogEntry.fetchOne(db, key: entryNo) else {
            throw InteractionLogError.unknownEntry(entryNo)
        }
        return entry
    }

    private static func loggedSegment(_ db: Database, _ entryNo: Int64) throws -> LoggedSegment {
        guard let segment = try LoggedSegment.fetchOne(db, key: entryNo) else {
            throw InteractionLogError.unknownLoggedSegment(entryNo)
        }
        return segment
    }
}
