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
    /// - Throws: `DocxError` when the file is missing or unreadable, not a zip, truncated or
    ///   inconsistent, holds an encrypted entry or a duplicate entry name, or has no
    ///   `[Content_Types].xml`.
    public init(path: String, limits: Limits = .default) throws(DocxError) {
        self.path = path
        self.limits = limits
        let handle = try Self.open(path)
        do {
            (entryNames, indexByName) = try Self.listEntries(handle, path: path)
        } catch {
            zip_discard(handle)
            throw error
        }
        self.handle = handle
        guard indexByName[PackagePaths.contentTypes] != nil else {
            throw DocxError(file: path, part: PackagePaths.contentTypes,
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
        DocxError(file: path, part: name,
                  message: "larger than the limit of \(limits.maxPartSize) bytes when uncompressed; refusing to read it (possible zip bomb)")
    }

    private func sizeMismatch(_ name: String) -> DocxError {
        DocxError(file: path, part: name,
                  message: "its size does not match the size the zip declares; the file is damaged")
    }

    /// Reads the file into memory (templates are small and read many times) and opens it.
    private static func open(_ path: String) throws(DocxError) -> OpaquePointer {
        let bytes = try FileBytes.read(path)
        guard bytes.count > 0 else {
            free(bytes.baseAddress)
            throw DocxError(file: path, message: "the file is empty; a .docx file is a zip archive, so it is damaged or not a Word document")
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
        if let handle = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error) { return handle }
        zip_source_free(source)
        if zip_error_code_zip(&error) == ZIP_ER_NOZIP && looksLikeZip {
            throw DocxError(file: path, message: "the zip archive is truncated or damaged (its central directory is missing); get a fresh copy of the file")
        }
        throw DocxError(file: path, message: ZipErrorText.describe(&error))
    }

    private static func listEntries(_ handle: OpaquePointer, path: String) throws(DocxError) -> ([String], [String: UInt64]) {
        let count = zip_get_num_entries(handle, 0)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        var indexByName: [String: UInt64] = [:]
        var lowercasedNames: Set<String> = []  // part names compare case-insensitively in OPC
        for index in 0..<UInt64(max(count, 0)) {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            guard zip_stat_index(handle, index, 0, &stat) == 0, let rawName = stat.name else {
                throw DocxError(file: path, message: ZipErrorText.describe(zip_get_error(handle)))
            }
            let name = String(cString: rawName)
            if stat.valid & UInt64(ZIP_STAT_ENCRYPTION_METHOD) != 0, stat.encryption_method != UInt16(ZIP_EM_NONE) {
                throw DocxError(file: path, part: name,
                                message: "the entry is encrypted; remove the password protection in Word and save again")
            }
            guard indexByName.updateValue(index, forKey: name) == nil else {
                throw DocxError(file: path, part: name,
                                message: "the zip archive holds this entry name twice; the file is damaged or was tampered with")
            }
            guard lowercasedNames.insert(name.lowercased()).inserted else {
                throw DocxError(file: path, part: name,
                                message: "two entries have this name, differing only in letter case; the file is damaged or was tampered with")
            }
            names.append(name)
        }
        return (names, indexByName)
    }
}
