import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A shared `flock` on the database file, held by every process while one of its `SQLiteInteractionLogStore`s has
/// the file open.
///
/// A run that created the log file and then failed removes it again (`closeRemovingIfUnused`), but only while it holds
/// the lock alone: a second process logging into the same new file at the same time keeps it, and its log, alive. A
/// store opening the file waits while a removal holds the lock, then checks that the file it locked is still the one
/// at the path (else it opens the new one). `flock` locks do not interact with SQLite's own `fcntl` locks, but closing
/// any descriptor of a file drops every `fcntl` lock the process holds on it (SQLite's too): so a process opens the
/// file once for all its stores of that file, and closes it only when the last of them is gone.
final class DatabaseFileUse: Sendable {
    private struct FileID: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }
    /// The open files of this process, with how many stores use each.
    private static let open = Mutex<[FileID: (descriptor: Int32, users: Int)]>([:])
    private let id: FileID
    let descriptor: Int32

    /// Opens (creating if needed) `path` and takes the shared lock, waiting up to `timeout` seconds for a removal.
    init(path: String, timeout: TimeInterval) throws(InteractionLogError) {
        let deadline = Date().addingTimeInterval(max(timeout, 1))
        let result = Self.open.withLock { files -> Result<(FileID, Int32), InteractionLogError> in
            while true {
                var named = stat()
                if stat(path, &named) == 0, let known = files[FileID(named)] {
                    files[FileID(named)] = (known.descriptor, known.users + 1)
                    return .success((FileID(named), known.descriptor))
                }
                var descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
                // A log that cannot be written can still be read; the reason given is why it cannot be written.
                let writeError = errno
                if descriptor < 0 { descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC) }
                guard descriptor >= 0 else { return .failure(.cannotOpen(path: path, reason: String(cString: strerror(writeError)))) }
                // No store of this process has this file open, so closing it again is safe.
                while flock(descriptor, LOCK_SH | LOCK_NB) != 0 {
                    guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                        close(descriptor)
                        return .failure(.cannotOpen(path: path, reason: "another process is removing the database file; try again"))
                    }
                    usleep(5_000)
                }
                var opened = stat()
                if fstat(descriptor, &opened) == 0, Self.isStill(descriptor, at: path) {
                    files[FileID(opened)] = (descriptor, 1)
                    return .success((FileID(opened), descriptor))
                }
                // Removed (or replaced) while this waited for the lock: open what is at the path now.
                close(descriptor)
            }
        }
        (id, descriptor) = try result.get()
    }

    deinit {
        Self.open.withLock { files in
            guard let known = files[id] else { return }
            if known.users > 1 {
                files[id] = (known.descriptor, known.users - 1)
            } else {
                files[id] = nil
                close(known.descriptor)
            }
        }
    }

    /// Takes the lock exclusively, without waiting: false when another store of this process or another process has
    /// the file open. `flock` converts a lock by dropping it first, so a failed attempt takes the shared lock again:
    /// the file stays marked in use for as long as this process has it open.
    func lockAlone() -> Bool {
        Self.open.withLock { files in
            guard files[id]?.users == 1 else { return false }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            flock(descriptor, LOCK_SH | LOCK_NB)
            return false
        }
    }

    /// Whether `descriptor` is the file at `path` (not removed, not replaced since it was opened).
    static func isStill(_ descriptor: Int32, at path: String) -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0 else { return false }
        return FileID(opened) == FileID(named)
    }
}

extension SQLiteInteractionLogStore {
    /// Closes the store; then, when no other store has the file open and it holds no row (a run that created the log
    /// and failed before committing), removes the file with its `-wal`, `-shm` and `-journal`. Returns whether it did.
    ///
    /// The store cannot be used afterwards. A file another process opened meanwhile, or logged into and closed, stays.
    @discardableResult
    public func closeRemovingIfUnused() -> Bool {
        guard use.lockAlone(), DatabaseFileUse.isStill(use.descriptor, at: path) else {
            try? database.close()
            return false
        }
        let empty = (try? database.read(Self.holdsNoRow)) ?? false
        try? database.close()
        guard empty else { return false }
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        return true
    }

    /// Whether every table of the log (not SQLite's or GRDB's own) is empty.
    static func holdsNoRow(_ db: Database) throws -> Bool {
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'")
        for table in tables where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.quotedDatabaseIdentifier))") == true {
            return false
        }
        return true
    }
}
