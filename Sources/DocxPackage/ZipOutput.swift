import CLibZip

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One package being written with libzip. Discarded (nothing written) unless `close()`
/// succeeds.
struct ZipOutput {
    let path: String
    let handle: OpaquePointer

    /// Opens a new archive for `path` (nothing touches the disk before `close()`), runs
    /// `body`, and discards the archive if `body` throws or does not close it.
    static func write(to path: String, _ body: (inout ZipOutput) throws(DocxError) -> Void) throws(DocxError) {
        var code: Int32 = 0
        guard let handle = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code) else {
            throw DocxError(file: path, message: "cannot write: \(Self.text(zipCode: code, systemCode: errno, path: path))")
        }
        var output = ZipOutput(path: path, handle: handle)
        do {
            try body(&output)
        } catch {
            zip_discard(handle)
            throw error
        }
    }

    /// Adds `name` with the bytes at `bytes` (which must stay valid until `close()`),
    /// deflated at `level` (0 stores); its modification time comes from the given source
    /// entry when there is one.
    func add(_ name: String, bytes: UnsafeBufferPointer<UInt8>, level: Int,
             mtimeFrom sourceEntry: (archive: OpaquePointer, index: UInt64)?) throws(DocxError) {
        guard let source = zip_source_buffer(handle, bytes.baseAddress, UInt64(bytes.count), 0) else {
            throw failure(part: name)
        }
        let index = zip_file_add(handle, name, source, ZIP_FL_ENC_UTF_8)
        guard index >= 0 else {
            zip_source_free(source)
            throw failure(part: name)
        }
        let method = level == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE
        guard zip_set_file_compression(handle, UInt64(index), method, UInt32(level)) == 0 else {
            throw failure(part: name)
        }
        if let sourceEntry {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            if zip_stat_index(sourceEntry.archive, sourceEntry.index, 0, &stat) == 0,
               stat.valid & UInt64(ZIP_STAT_MTIME) != 0 {
                _ = zip_file_set_mtime(handle, UInt64(index), stat.mtime, 0)
            }
        }
    }

    /// Adds entry `index` of `archive` under `name`, copying its compressed bytes (and so its
    /// CRC and sizes) without recompressing. `archive` must stay open until `close()`.
    func copy(_ name: String, from archive: OpaquePointer, index: UInt64) throws(DocxError) {
        // Whole entry (start 0, length -1), no flags: libzip hands over the raw compressed data.
        guard let source = zip_source_zip(handle, archive, index, 0, 0, -1) else { throw failure(part: name) }
        let added = zip_file_add(handle, name, source, ZIP_FL_ENC_UTF_8)
        guard added >= 0 else {
            zip_source_free(source)
            throw failure(part: name)
        }
        // A stored entry would otherwise be deflated: the new entry's default method is deflate.
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        if zip_stat_index(archive, index, 0, &stat) == 0, stat.comp_method == UInt16(ZIP_CM_STORE) {
            guard zip_set_file_compression(handle, UInt64(added), ZIP_CM_STORE, 0) == 0 else { throw failure(part: name) }
        }
    }

    /// Writes the archive to a temporary file beside `path` and renames it into place.
    /// On failure libzip removes the temporary file; the caller discards the handle.
    func close() throws(DocxError) {
        guard zip_close(handle) == 0 else { throw failure(part: nil) }
    }

    private func failure(part: String?) -> DocxError {
        let error = zip_get_error(handle)
        let text = Self.text(zipCode: zip_error_code_zip(error), systemCode: zip_error_code_system(error), path: path)
        if zip_error_code_zip(error) == ZIP_ER_EXISTS {
            return DocxError(file: path, part: part, message: "this entry name is used twice; nothing was written")
        }
        return DocxError(file: path, part: part, message: "cannot write: \(text); nothing was written")
    }

    private static func text(zipCode: Int32, systemCode: Int32, path: String) -> String {
        if (zipCode == ZIP_ER_TMPOPEN || zipCode == ZIP_ER_OPEN), systemCode == ENOENT || systemCode == ENOTDIR {
            return "the directory \(directory(of: path)) does not exist"
        }
        return ZipErrorText.describe(zipCode: zipCode, systemCode: systemCode)
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
