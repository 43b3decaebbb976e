import CLibZip
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An opened .docx (OPC zip) package, read-only.
///
/// Not thread-safe: each worker opens its own `DocxArchive` of the same file.
/// Keep it open while writing documents derived from it (`DocxWriter` copies
/// unchanged entries' compressed bytes straight from it).
public final class DocxArchive {
    /// Bounds that protect against zip bombs.
    public struct Limits: Sendable, Hashable {
        /// The largest uncompressed size accepted for one part, in bytes.
        public var maxPartSize: Int
        /// 256 MiB per part, or the number of MiB in the environment variable
        /// `MAILMERGE_MAX_PART_MB` (read once; ignored unless a positive whole number).
        public static let `default` = Limits(environment: ProcessInfo.processInfo.environment)
        public init(maxPartSize: Int) { self.maxPartSize = maxPartSize }

        /// The limits `environment` asks for (see `default`).
        public init(environment: [String: String]) {
            if let text = environment["MAILMERGE_MAX_PART_MB"], let megabytes = Int(text), (1...(1 << 20)).contains(megabytes) {
                maxPartSize = megabytes << 20
            } else {
                maxPartSize = 256 << 20
            }
        }
    }

    /// The path the archive was opened from.
    public let path: String
    /// The bounds `read(_:)` enforces.
    public let limits: Limits
    /// Entry names in archive order.
    public let entryNames: [String]
    /// The libzip handle; owned, closed in `deinit`.
    let handle: OpaquePointer
    /// Entry name → libzip index.
    let indexByName: [String: UInt64]

    /// Opens the package at `path` read-only and checks its zip structure.
    /// - Throws: `DocxError` when the file is missing or unreadable, not a zip (a
    ///   password-protected document or a Word 97–2003 .doc is named as such), truncated or
    ///   inconsistent, holds an encrypted entry or two entries that read as the same name
    ///   (see `ZipEntryNames`), or has no `[Content_Types].xml`.
    public init(path: String, limits: Limits = .default) throws(DocxError) {
        self.path = path
        self.limits = limits
        let (handle, bytes) = try Self.open(path)
        do {
            try Self.checkNamesAgree(bytes, entryCount: Int(zip_get_num_entries(handle, 0)), path: path)
            (entryNames, indexByName) = try Self.listEntries(handle, path: path)
        } catch {
            zip_discard(handle)
            throw error
        }
        self.handle = handle
        guard indexByName[PackagePaths.contentTypes] != nil else {
            throw DocxError(
                file: path, part: PackagePaths.contentTypes,
                message: "missing; this zip is not a Word package (save it again as .docx in Word)")
        }
    }

    deinit { zip_discard(handle) }

    /// Whether the package has an entry called `name`.
    public func contains(_ name: String) -> Bool { indexByName[name] != nil }

    /// The uncompressed bytes of entry `name`.
    /// - Throws: `DocxError` naming the part when it is absent, larger than
    ///   `limits.maxPartSize` (declared or while inflating), or damaged.
    public func read(_ name: String) throws(DocxError) -> [UInt8] {
        guard let index = indexByName[name] else {
            throw DocxError(file: path, part: name, message: "no such part in the package")
        }
        return try read(index: index, name: name)
    }

    private func read(index: UInt64, name: String) throws(DocxError) -> [UInt8] {
        var stat = zip_stat_t()
        zip_stat_init(&stat)
        guard zip_stat_index(handle, index, 0, &stat) == 0 else {
            throw DocxError(file: path, part: name, message: ZipErrorText.describe(zip_get_error(handle)))
        }
        let limit = limits.maxPartSize
        guard stat.size <= UInt64(limit) else { throw tooLarge(name) }
        guard let file = zip_fopen_index(handle, index, 0) else {
            throw DocxError(file: path, part: name, message: ZipErrorText.describe(zip_get_error(handle)))
        }
        defer { zip_fclose(file) }
        // Read one byte past the declared size so an entry that lies about its size is caught
        // before more than the declared size (itself within the limit) is inflated.
        var bytes = [UInt8](repeating: 0, count: Int(stat.size))
        var count = 0
        var overflow: UInt8 = 0
        while true {
            let got: Int64
            if count < bytes.count {
                got = bytes.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress! + count, UInt64($0.count - count)) }
            } else {
                got = zip_fread(file, &overflow, 1)
                if got > 0 { throw count >= limit ? tooLarge(name) : sizeMismatch(name) }
            }
            if got < 0 {
                throw DocxError(file: path, part: name, message: ZipErrorText.describe(zip_file_get_error(file)))
            }
            if got == 0 { break }
            count += Int(got)
        }
        guard count == bytes.count else { throw sizeMismatch(name) }
        return bytes
    }

    private func tooLarge(_ name: String) -> DocxError {
        DocxError(
            file: path, part: name,
            message: "larger than the limit of \(limits.maxPartSize) bytes when uncompressed; refusing to read it (possible zip bomb)")
    }

    private func sizeMismatch(_ name: String) -> DocxError {
        DocxError(
            file: path, part: name,
            message: "its size does not match the size the zip declares; the file is damaged")
    }

    /// Reads the file into memory (templates are small and read many times) and opens it.
    /// Returns the handle and the file's bytes, which live as long as the handle (libzip frees them).
    private static func open(_ path: String) throws(DocxError) -> (OpaquePointer, UnsafeRawBufferPointer) {
        let bytes = try FileBytes.read(path)
        guard bytes.count > 0 else {
            free(bytes.baseAddress)
            throw DocxError(file: path, message: "the file is empty; a .docx file is a zip archive, so it is damaged or not a Word document")
        }
        if CompoundFile.startsLikeCompoundFile(UnsafeRawBufferPointer(bytes)) {
            let content = CompoundFile.content(of: UnsafeRawBufferPointer(bytes))
            free(bytes.baseAddress)
            throw compoundFileError(content, path: path)
        }
        let looksLikeZip = ZipSignature.startsLikeZip(UnsafeRawBufferPointer(bytes))
        var error = zip_error_t()
        zip_error_init(&error)
        defer { zip_error_fini(&error) }
        // freep = 1: libzip frees the bytes when the source goes.
        guard let source = zip_source_buffer_create(bytes.baseAddress, UInt64(bytes.count), 1, &error) else {
            free(bytes.baseAddress)
            throw DocxError(file: path, message: ZipErrorText.describe(&error))
        }
        if let handle = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) { return (handle, UnsafeRawBufferPointer(bytes)) }
        zip_source_free(source)
        if zip_error_code_zip(&error) == ZIP_ER_NOZIP && looksLikeZip {
            throw DocxError(file: path, message: "the zip archive is truncated or damaged (its central directory is missing); get a fresh copy of the file")
        }
        throw DocxError(file: path, message: ZipErrorText.describe(&error))
    }

    /// Why an OLE compound file is not opened, by what it holds.
    private static func compoundFileError(_ content: CompoundFile.Content, path: String) -> DocxError {
        switch content {
        case .encryptedPackage:
            DocxError(
                file: path,
                message: "the document is password-protected (encrypted); open it in Word, remove the password "
                    + "(File ▸ Info ▸ Protect Document ▸ Encrypt with Password, clear it) and save it again")
        case .wordDocument:
            DocxError(
                file: path,
                message: "this is a Word 97–2003 .doc, not a .docx; open it in Word and save it as .docx "
                    + "(File ▸ Save As ▸ Word Document)")
        case .other:
            DocxError(
                file: path,
                message: "this is an OLE compound file (an Office 97–2003 format), not a .docx; "
                    + "open it in Word and save it as .docx")
        }
    }

    /// Refuses a package where two entries read as the same name (ignoring case) under any of
    /// the readings zip readers use (`ZipEntryNames`): programs would disagree about its parts.
    private static func checkNamesAgree(_ bytes: UnsafeRawBufferPointer, entryCount: Int, path: String) throws(DocxError) {
        guard let readings = ZipEntryNames.readings(bytes), readings.count == entryCount else {
            throw DocxError(file: path, message: "the zip archive's central directory cannot be read entry by entry; the file is damaged (get a fresh copy)")
        }
        var owners: [String: (entry: Int, reading: ZipEntryNames.Reading)] = [:]
        for (entry, entryReadings) in readings.enumerated() {
            for reading in entryReadings {
                let key = reading.name.lowercased()
                guard let owner = owners[key] else {
                    owners[key] = (entry, reading)
                    continue
                }
                guard owner.entry != entry else { continue }
                if owner.reading.source == .name && reading.source == .name {
                    throw DocxError(
                        file: path, part: reading.name,
                        message: owner.reading.name == reading.name
                            ? "the zip archive holds this entry name twice; the file is damaged or was tampered with"
                            : "two entries have this name, differing only in letter case; the file is damaged or was tampered with")
                }
                throw DocxError(
                    file: path, part: reading.name,
                    message: "two zip entries read as this name (entry \(owner.entry + 1) by \(owner.reading.source.phrase), "
                        + "entry \(entry + 1) by \(reading.source.phrase)), so programs disagree about which one is the part; "
                        + "the file is damaged or was tampered with (save it again in Word)")
            }
        }
    }

    private static func listEntries(_ handle: OpaquePointer, path: String) throws(DocxError) -> ([String], [String: UInt64]) {
        let count = zip_get_num_entries(handle, 0)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        var indexByName: [String: UInt64] = [:]
        for index in 0..<UInt64(max(count, 0)) {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            guard zip_stat_index(handle, index, 0, &stat) == 0, let rawName = stat.name else {
                throw DocxError(file: path, message: ZipErrorText.describe(zip_get_error(handle)))
            }
            let name = String(cString: rawName)
            if stat.valid & UInt64(ZIP_STAT_ENCRYPTION_METHOD) != 0, stat.encryption_method != UInt16(ZIP_EM_NONE) {
                throw DocxError(
                    file: path, part: name,
                    message: "the entry is encrypted; remove the password protection in Word and save again")
            }
            // `checkNamesAgree` has refused every duplicate already; this keeps the index sound regardless.
            guard indexByName.updateValue(index, forKey: name) == nil else {
                throw DocxError(
                    file: path, part: name,
                    message: "the zip archive holds this entry name twice; the file is damaged or was tampered with")
            }
            names.append(name)
        }
        return (names, indexByName)
    }
}
