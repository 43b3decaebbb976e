import Foundation
import GRDB

/// The interaction log in an SQLite file (WAL mode, so readers never block the writer).
public final class SQLiteInteractionLogStore: InteractionLogStore, Sendable {
    let database: DatabasePool
    let path: String
    /// The shared lock on the file while the store is open (`closeRemovingIfUnused`).
    let use: DatabaseFileUse

    /// Opens the database at `path`, creating it if needed, and brings its schema up to date.
    /// A writer waits up to `busyTimeout` seconds for another process's transaction.
    ///
    /// - Throws: `InteractionLogError.cannotOpen` when the file cannot be created or opened.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        self.path = path
        use = try DatabaseFileUse(path: path, timeout: busyTimeout)
        do {
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrate(database)
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
        try log(segment, count: entries.count) { entries[$0] }
    }

    public func log(_ segment: NewLoggedSegment, count: Int, entry: (Int) throws -> NewInteractionLogEntry) throws -> LoggedSegment {
        try database.write { db in
            let insert = LoggedSegmentInsert(
                segmentNo: segment.segmentNo, description: segment.description,
                numberOfInteractions: count, createdAt: segment.createdAt, userID: segment.userID,
                segmentJSON: nil)
            let logged: LoggedSegment
            do {
                logged = try insert.insertAndFetch(db, as: LoggedSegment.self)
            } catch let error as DatabaseError
                where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
                || (error.resultCode == .SQLITE_CONSTRAINT && error.message == InteractionLogSchema.alreadyLoggedMessage)
            {
                // The unique index (an active logged segment) or the trigger (ever logged, canceled or not).
                throw InteractionLogError.alreadyLogged(segmentNo: segment.segmentNo)
            }
            if let full = segment.segment { try Self.storeJSON(full, entryNo: logged.entryNo, db) }
            let inserter = try InteractionLogEntryInserter(db, segment: logged)
            for index in 0..<count {
                try inserter.insert(try entry(index))
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

    /// Brings the schema up to date. Two processes opening a new (or old) file at once may both
    /// find a migration to do; the second's then fails (its tables exist) once the first
    /// committed. Migrating again finds that work done, so each retry gets further; a real
    /// failure still fails on the last attempt.
    private static func migrate(_ database: DatabasePool) throws {
        let migrator = InteractionLogSchema.migrator
        var attempts = migrator.migrations.count + 1
        while true {
            do {
                try migrator.migrate(database)
                return
            } catch {
                attempts -= 1
                if (try? database.read(migrator.hasCompletedMigrations)) == true { return }
                if attempts == 0 { throw error }
            }
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        return "\(error)"
    }
}
