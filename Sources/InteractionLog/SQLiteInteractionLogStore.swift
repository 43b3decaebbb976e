import Foundation
import GRDB

/// The interaction log in an SQLite file (WAL mode, so readers never block the writer).
public final class SQLiteInteractionLogStore: InteractionLogStore, Sendable {
    let database: DatabasePool

    /// Opens the database at `path`, creating it if needed, and brings its schema up to date.
    /// A writer waits up to `busyTimeout` seconds for another process's transaction.
    ///
    /// - Throws: `InteractionLogError.cannotOpen` when the file cannot be created or opened.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try InteractionLogSchema.migrator.migrate(database)
        } catch {
            throw InteractionLogError.cannotOpen(path: path, reason: Self.reason(error))
        }
    }

    public func loggedSegment(no: String) throws -> LoggedSegment? {
        try database.read { db in
            try LoggedSegment
                .filter(Column("segmentNo") == no && Column("canceled") == false)
                .fetchOne(db)
        }
    }

    public func log(_ segment: NewLoggedSegment, entries: [NewInteractionLogEntry]) throws -> LoggedSegment {
        try database.write { db in
            let insert = LoggedSegmentInsert(
                segmentNo: segment.segmentNo, description: segment.description,
                numberOfInteractions: entries.count, createdAt: segment.createdAt, userID: segment.userID)
            let logged: LoggedSegment
            do {
                logged = try insert.insertAndFetch(db, as: LoggedSegment.self)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
            }
            let inserter = try InteractionLogEntryInserter(db, segment: logged)
            for entry in entries {
                try inserter.insert(entry)
            }
            return logged
        }
    }

    public func entries(_ filter: LogFilter) throws -> [InteractionLogEntry] {
        try database.read { db in
            try InteractionLogEntry.filter(filter.condition).order(Column("entryNo")).fetchAll(db)
        }
    }

    public func loggedSegments() throws -> [LoggedSegment] {
        try database.read { db in
            try LoggedSegment.order(Column("entryNo")).fetchAll(db)
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
