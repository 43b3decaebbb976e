import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Puts bytes at a path atomically: they go to a new temporary file in the same directory,
/// which is renamed over the path only once complete. On any failure the temporary file is
/// removed and whatever was at the path before is left as it was.
///
/// On Linux a new path is written faster: into an unnamed file in the directory (`O_TMPFILE`),
/// linked to the path once complete (`linkat`), which fails when anything is at the path, so
/// nothing is replaced that way: no temporary name, no rename (`writeUnnamed`).
public enum AtomicFile {
    /// Writes `bytes` to `path` as a whole or not at all (any file, not only a package: the e-mails and fax copies
    /// written beside the letters go the same way, without a flush to disk per file, like the letters).
    public static func write(_ bytes: some ContiguousBytes, to path: String) throws(DocxError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(DocxError) in try write(raw, to: path) } }
        try result.get()
    }

    /// Writes `bytes` to `path` as a whole or not at all.
    /// - Throws: `DocxError` saying why (missing directory, permission, disk full…).
    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws(DocxError) {
        #if os(Linux)
            if try writeUnnamed(bytes, to: path) { return }
        #endif
        let (descriptor, temporary) = try createTemporary(beside: path)
        var problem: DocxError?
        do throws(DocxError) {
            try writeAll(bytes, to: descriptor, path: path)
        } catch {
            problem = error
        }
        if close(descriptor) != 0 && problem == nil {  // close exactly once, failure or not
            problem = failure(path, "cannot finish writing", errno)
        }
        if let problem {
            unlink(temporary)
            throw problem
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure(path, "cannot move the finished file into place", code)
        }
    }

    #if os(Linux)
        /// `O_TMPFILE` (Glibc's macro is not imported): an unnamed file in the directory opened.
        private static let unnamedFile = Int32(0o20_000_000) | O_DIRECTORY
        /// `AT_EMPTY_PATH`: `linkat` links the descriptor itself.
        private static let emptyPath = Int32(0x1000)

        /// Writes `bytes` into an unnamed file in the directory of `path` and links it to `path`;
        /// false (nothing written) when `path` exists or the file system has no unnamed files, for
        /// `write` to go the usual way (which also words any error about the directory). An unnamed
        /// file that cannot be completed vanishes with its descriptor.
        private static func writeUnnamed(_ bytes: UnsafeRawBufferPointer, to path: String) throws(DocxError) -> Bool {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            let descriptor = open(directory, unnamedFile | O_WRONLY | O_CLOEXEC, 0o666)
            if descriptor < 0 { return false }
            defer { close(descriptor) }
            try writeAll(bytes, to: descriptor, path: path)
            // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH on older kernels; /proc/self/fd works for everyone.
            if linkat(descriptor, "", AT_FDCWD, path, emptyPath) == 0 { return true }
            if errno == EEXIST { return false }
            if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 { return true }
            return false
        }
    #endif

    /// A new, empty file named `.<name>.<random>.tmp` in the directory of `path`.
    static func createTemporary(beside path: String) throws(DocxError) -> (Int32, String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        while true {
            let temporary = "\(directory).\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).tmp"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (descriptor, temporary) }
            let code = errno
            if code == EEXIST || code == EINTR { continue }
            let shown = directory.isEmpty ? "." : directory == "/" ? "/" : String(directory.dropLast())
            if code == ENOENT {
                throw DocxError(file: path, message: "cannot write: the directory \(shown) does not exist; nothing was written")
            }
            if code == ENOTDIR {
                throw DocxError(file: path, message: "cannot write: \(shown) is not a directory; nothing was written")
            }
            throw failure(path, "cannot create a file in its directory", code)
        }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(DocxError) {
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure(path, "cannot write", written == 0 ? EIO : errno) }
            offset += written
        }
    }

    private static func failure(_ path: String, _ what: String, _ code: Int32) -> DocxError {
        DocxError(file: path, message: "\(what): \(reason(for: code)); nothing was written")
    }

    /// Why a system call failed with `code`, in a user's words.
    static func reason(for code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: "disk full; free some space and try again"
        case EFBIG: "file too large for this file system or the process's file size limit (ulimit -f)"
        case EACCES, EPERM, EROFS: "permission denied; check you may write in that directory"
        case EISDIR: "a directory of that name is in the way"
        default: String(cString: strerror(code))
        }
    }
}

/// `write(2)`, named apart from `AtomicFile.write(_:to:)`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
