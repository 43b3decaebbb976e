import CLibDeflate
import CLibZip
import Synchronization

/// Deflates the parts a merge changes with libdeflate, for `ZipOutput.add(_:bytes:level:mtimeFrom:)`,
/// and hands them to libzip already compressed (`compressedSource`).
///
/// libzip would deflate them with zlib, setting up a new stream for every entry (about 256 KiB
/// allocated and cleared, as costly as deflating a small letter). libdeflate compresses a whole
/// buffer at once, with less CPU than zlib and, at the level `libdeflateLevel(_:)` picks, into no more
/// bytes than zlib at the level asked for (`bench/regions/deflate`): on the statement letters of
/// `bench/regions/cpu`, zlib level 1 takes about 27 µs per document.xml and libdeflate level 4
/// about 22 µs, 3 % smaller; on the flat letters of `bench/gen_segment.py` 102 µs and 64 µs, 10 %
/// smaller. Compressors are kept in a small pool per level, so that any thread can take one.
final class Deflater: @unchecked Sendable {
    // @unchecked: a deflater is used by one thread at a time, the one that took it from `idle`.
    private let compressor: OpaquePointer
    let level: Int

    private init?(level: Int) {
        guard let compressor = libdeflate_alloc_compressor(Self.libdeflateLevel(level)) else { return nil }
        self.compressor = compressor
        self.level = level
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// libdeflate's level for deflate level `level` (1–9, zlib's scale, as `--compression` gives
    /// it): the fastest whose output is no larger than zlib's at `level` on the sample letters
    /// (zlib 1–3 → 4, 4–6 → 7, 7–9 → 8; libdeflate's 10–12 cost ten times as much).
    static func libdeflateLevel(_ level: Int) -> Int32 {
        level <= 3 ? 4 : level <= 6 ? 7 : 8
    }

    /// The largest part deflated here (in one call, into a buffer of its size); larger ones are
    /// left to libzip, which deflates them a block at a time.
    static let largestPart = 4 << 20

    /// Compressors not in use, per level (index 1…9).
    private static let idle = Mutex<[[Deflater]]>(Array(repeating: [], count: 10))
    /// At most this many idle compressors are kept per level (one per worker thread is enough).
    private static let keptPerLevel = 16

    /// Deflates `bytes` at `level` (1–9): the raw deflate data and the CRC-32 of `bytes`; nil
    /// when libdeflate cannot (out of memory), for the caller to let libzip do it.
    static func deflate(_ bytes: UnsafeBufferPointer<UInt8>, level: Int) -> (data: [UInt8], crc: UInt32)? {
        let deflater = idle.withLock { $0[level].popLast() } ?? Deflater(level: level)
        guard let deflater else { return nil }
        let result = deflater.run(bytes)
        idle.withLock { if $0[level].count < keptPerLevel { $0[level].append(deflater) } }
        return result
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>) -> (data: [UInt8], crc: UInt32)? {
        let bound = libdeflate_deflate_compress_bound(compressor, bytes.count)
        let data = [UInt8](unsafeUninitializedCapacity: max(bound, 1)) { buffer, count in
            // 0: the output did not fit, which the bound rules out.
            count = libdeflate_deflate_compress(compressor, bytes.baseAddress, bytes.count, buffer.baseAddress, buffer.count)
        }
        guard !data.isEmpty else { return nil }
        return (data, libdeflate_crc32(0, bytes.baseAddress, bytes.count))
    }

    /// The general purpose bit flags libzip writes for a deflated entry at `level` (bits 1–2:
    /// 2 = maximum for levels 8–9, 4 = fast for levels 1–2, 0 = normal).
    static func bitFlags(level: Int) -> UInt16 {
        level < 3 ? 2 << 1 : level > 7 ? 1 << 1 : 0
    }
}

/// A deflated entry as a libzip source: libzip copies its bytes as they are (its stat says
/// they are deflate data of `size` bytes with `crc`), without compressing them again.
private final class CompressedEntry {
    let data: [UInt8]
    let size: UInt64
    let crc: UInt32
    let bitFlags: UInt16
    var position = 0
    var error = zip_error_t()

    init(data: [UInt8], size: UInt64, crc: UInt32, bitFlags: UInt16) {
        self.data = data
        self.size = size
        self.crc = crc
        self.bitFlags = bitFlags
        zip_error_init(&error)
    }

    deinit { zip_error_fini(&error) }
}

/// A libzip source of `data`, the deflate data of `size` bytes whose CRC-32 is `crc`; the caller
/// frees it only when adding it fails (libzip owns it once added).
func compressedSource(
    data: [UInt8], size: Int, crc: UInt32, level: Int, error: UnsafeMutablePointer<zip_error_t>
) -> OpaquePointer? {
    let entry = CompressedEntry(data: data, size: UInt64(size), crc: crc, bitFlags: Deflater.bitFlags(level: level))
    let context = Unmanaged.passRetained(entry).toOpaque()
    guard let source = zip_source_function_create(compressedSourceCallback, context, error) else {
        Unmanaged<CompressedEntry>.fromOpaque(context).release()
        return nil
    }
    return source
}

private func command(_ command: zip_source_cmd_t) -> Int64 { Int64(1) << Int64(command.rawValue) }

private let compressedSourceCallback: zip_source_callback = { context, data, length, command in
    guard let context else { return -1 }
    let entry = Unmanaged<CompressedEntry>.fromOpaque(context).takeUnretainedValue()
    switch command {
    case ZIP_SOURCE_SUPPORTS:
        return [
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS,
            ZIP_SOURCE_GET_FILE_ATTRIBUTES,
        ].reduce(0) { $0 | DocxPackage.command($1) }
    case ZIP_SOURCE_OPEN:
        entry.position = 0
        return 0
    case ZIP_SOURCE_READ:
        guard let data else { return -1 }
        let count = min(Int(length), entry.data.count - entry.position)
        entry.data.withUnsafeBytes { bytes in
            if count > 0 { data.copyMemory(from: bytes.baseAddress! + entry.position, byteCount: count) }
        }
        entry.position += count
        return Int64(count)
    case ZIP_SOURCE_CLOSE:
        return 0
    case ZIP_SOURCE_STAT:
        guard let data, length >= UInt64(MemoryLayout<zip_stat_t>.size) else { return -1 }
        let stat = data.assumingMemoryBound(to: zip_stat_t.self)
        zip_stat_init(stat)
        stat.pointee.valid = UInt64(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD)
        stat.pointee.size = entry.size
        stat.pointee.comp_size = UInt64(entry.data.count)
        stat.pointee.comp_method = UInt16(ZIP_CM_DEFLATE)
        stat.pointee.encryption_method = UInt16(ZIP_EM_NONE)
        stat.pointee.crc = entry.crc
        return Int64(MemoryLayout<zip_stat_t>.size)
    case ZIP_SOURCE_GET_FILE_ATTRIBUTES:
        // What libzip's own deflate reports: version 2.0 needed, the level's bit flags.
        guard let data, length >= UInt64(MemoryLayout<zip_file_attributes_t>.size) else { return -1 }
        let attributes = data.assumingMemoryBound(to: zip_file_attributes_t.self)
        attributes.pointee.valid |= UInt64(ZIP_FILE_ATTRIBUTES_VERSION_NEEDED | ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS)
        attributes.pointee.version_needed = 20
        attributes.pointee.general_purpose_bit_flags = entry.bitFlags
        attributes.pointee.general_purpose_bit_mask = 0x0836
        return Int64(MemoryLayout<zip_file_attributes_t>.size)
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&entry.error, data, length)
    case ZIP_SOURCE_FREE:
        Unmanaged<CompressedEntry>.fromOpaque(context).release()
        return 0
    default:
        zip_error_set(&entry.error, ZIP_ER_OPNOTSUPP, 0)
        return -1
    }
}
