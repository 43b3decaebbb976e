import CLibZip

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One package being built in memory with libzip, then put on disk in one write by
/// `AtomicFile` (far fewer system calls than libzip's own seek-and-patch file output).
struct ZipOutput {
    private let path: String
    /// The archive being built.
    private let handle: OpaquePointer
    /// The in-memory buffer the archive is written into; kept past `zip_close` (nil: libzip writes a file).
    private let buffer: OpaquePointer?

    /// Starts a new archive for `path`, runs `body` to add its entries, then finishes the
    /// archive in memory and writes it to `path` atomically. Everything is released whether
    /// or not anything throws.
    static func write(
        to path: String, finished: ((UnsafeRawBufferPointer) -> Void)? = nil, _ body: (ZipOutput) throws(DocxError) -> Void
    ) throws(DocxError) {
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        guard let buffer = zip_source_buffer_create(nil, 0, 0, &error) else {
            throw DocxError(file: path, message: "cannot write: \(ZipErrorText.describe(&error))")
        }
        zip_source_keep(buffer)
        defer { zip_source_free(buffer) }
        guard let handle = zip_open_from_source(buffer, ZIP_CREATE | ZIP_TRUNCATE, &error) else {
            zip_source_free(buffer)  // undo the keep; the deferred free releases the rest
            throw DocxError(file: path, message: "cannot write: \(ZipErrorText.describe(&error))")
        }
        let output = ZipOutput(path: path, handle: handle, buffer: buffer)
        do throws(DocxError) {
            try body(output)
            guard zip_close(handle) == 0 else { throw output.failure(part: nil) }
        } catch {
            zip_discard(handle)  // zip_close failed or was never called: the handle is still open
            throw error
        }
        try output.writeBuffer(finished: finished)
    }

    /// As `write(to:finished:_:)`, but libzip writes the archive into a temporary file beside `path` itself (renamed to
    /// `path` once complete), so the finished archive is never in memory: for packages of hundreds of megabytes.
    static func writeFile(to path: String, _ body: (ZipOutput) throws(DocxError) -> Void) throws(DocxError) {
        let (descriptor, temporary) = try AtomicFile.createTemporary(beside: path)
        close(descriptor)
        var code: Int32 = 0
        guard let handle = zip_open(temporary, ZIP_CREATE | ZIP_TRUNCATE, &code) else {
            unlink(temporary)
            throw DocxError(file: path, message: "cannot write: libzip error \(code)")
        }
        let output = ZipOutput(path: path, handle: handle, buffer: nil)
        do throws(DocxError) {
            try body(output)
            guard zip_close(handle) == 0 else { throw output.failure(part: nil) }
        } catch {
            zip_discard(handle)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(temporary)
            throw DocxError(file: path, message: "cannot move the finished file into place: \(problem)")
        }
    }

    /// Adds `name` with the bytes at `bytes` (which must stay valid until the archive is finished),
    /// deflated at `level` (0 stores); its modification time comes from the given source
    /// entry when there is one.
    func add(
        _ name: String, bytes: UnsafeBufferPointer<UInt8>, level: Int,
        mtimeFrom sourceEntry: (archive: OpaquePointer, index: UInt64)?
    ) throws(DocxError) {
        let index: Int64
        if (1...9).contains(level), bytes.count <= Deflater.largestPart, let deflated = Deflater.deflate(bytes, level: level) {
            // Deflated here by libdeflate; libzip copies the bytes (`Deflater`).
            var error = zip_error_t()
            zip_error_init(&error)
            defer { zip_error_fini(&error) }
            guard let source = compressedSource(data: deflated.data, size: bytes.count, crc: deflated.crc, level: level, error: &error) else {
                throw DocxError(file: path, part: name, message: "cannot write: \(ZipErrorText.describe(&error)); nothing was written")
            }
            index = zip_file_add(handle, name, source, ZIP_FL_ENC_UTF_8)
            guard index >= 0 else {
                zip_source_free(source)
                throw failure(part: name)
            }
        } else {
            guard let source = zip_source_buffer(handle, bytes.baseAddress, UInt64(bytes.count), 0) else {
                throw failure(part: name)
            }
            index = zip_file_add(handle, name, source, ZIP_FL_ENC_UTF_8)
            guard index >= 0 else {
                zip_source_free(source)
                throw failure(part: name)
            }
            let method = level == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE
            guard zip_set_file_compression(handle, UInt64(index), method, UInt32(level)) == 0 else {
                throw failure(part: name)
            }
        }
        if let sourceEntry {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            if zip_stat_index(sourceEntry.archive, sourceEntry.index, 0, &stat) == 0,
                stat.valid & UInt64(ZIP_STAT_MTIME) != 0
            {
                _ = zip_file_set_mtime(handle, UInt64(index), stat.mtime, 0)
            }
        }
    }

    /// Adds `name` with `length` bytes of the file at `file` from `offset`, deflated at `level` (0 stores). libzip
    /// reads the file when the archive is finished, a block at a time, so the part never has to be in memory.
    func add(_ name: String, file: String, offset: UInt64, length: UInt64, level: Int) throws(DocxError) {
        guard let source = zip_source_file(handle, file, offset, Int64(length)) else { throw failure(part: name) }
        let index = zip_file_add(handle, name, source, ZIP_FL_ENC_UTF_8)
        guard index >= 0 else {
            zip_source_free(source)
            throw failure(part: name)
        }
        let method = level == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE
        guard zip_set_file_compression(handle, UInt64(index), method, UInt32(level)) == 0 else { throw failure(part: name) }
    }

    /// Adds entry `index` of `archive` under `name`, copying its compressed bytes (and so its
    /// CRC and sizes) without recompressing. `archive` must stay open until the archive is finished.
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

    /// Writes the finished (closed) archive's bytes to `path` atomically, after handing them to `finished`.
    private func writeBuffer(finished: ((UnsafeRawBufferPointer) -> Void)?) throws(DocxError) {
        guard let buffer else { return }
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_source_stat(buffer, &stat) == 0, zip_source_open(buffer) == 0 else {
            throw DocxError(file: path, message: "cannot write: \(ZipErrorText.describe(zip_source_error(buffer)))")
        }
        defer { zip_source_close(buffer) }
        let size = Int(stat.size)
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { storage, count in
            guard let base = storage.baseAddress else { return }
            count = zip_source_read(buffer, base, UInt64(size)) == Int64(size) ? size : 0
        }
        guard bytes.count == size else {
            throw DocxError(file: path, message: "cannot write: \(ZipErrorText.describe(zip_source_error(buffer)))")
        }
        let written = bytes.withUnsafeBytes { raw in
            finished?(raw)
            return Result { () throws(DocxError) in try AtomicFile.write(raw, to: path) }
        }
        try written.get()
    }

    private func failure(part: String?) -> DocxError {
        let error = zip_get_error(handle)
        let text = ZipErrorText.describe(error)
        if zip_error_code_zip(error) == ZIP_ER_EXISTS {
            return DocxError(file: path, part: part, message: "this entry name is used twice; nothing was written")
        }
        return DocxError(file: path, part: part, message: "cannot write: \(text); nothing was written")
    }
}
