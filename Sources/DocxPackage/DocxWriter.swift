import CLibZip

/// Writes packages atomically: the file appears at its path complete or not at all.
/// The package is built in memory, written to a temporary file in the same directory and
/// renamed over the path; on failure the temporary file is removed and an existing file at
/// the path is left untouched.
///
/// Cost per document: the replaced parts are deflated, unchanged entries are copied as
/// compressed bytes, and the file is written with a handful of system calls.
public enum DocxWriter {
    /// Writes `source` to `path` with the entries in `replacements` (entry name → bytes)
    /// replaced. Entries keep the source's order. Unchanged entries are copied with their
    /// compressed bytes as they are; replaced ones are deflated at `compressionLevel`
    /// (1–9; 0 stores them uncompressed). A merge may add two kinds of entries the source lacks
    /// (`isAddable`): media parts (`word/media/…`, pictures per record) and relationships parts
    /// (`…/_rels/….rels`); they follow the source's entries, in name order.
    /// `finished`, when given, sees the package's bytes before they are written (to hash them
    /// without reading the file back).
    /// - Throws: `DocxError` when a replacement names another part the source lacks, the level is
    ///   out of range, or the file cannot be written (missing or read-only directory, disk full…).
    public static func write(
        source: DocxArchive,
        replacing replacements: [String: [UInt8]],
        to path: String,
        compressionLevel: Int = 6,
        finished: ((UnsafeRawBufferPointer) -> Void)? = nil
    ) throws(DocxError) {
        try checkLevel(compressionLevel, path: path)
        var added: [String] = []
        for name in replacements.keys where !source.contains(name) {
            guard isAddable(name) else {
                throw DocxError(file: path, part: name, message: "cannot replace this part: \(source.path) has no such part")
            }
            added.append(name)
        }
        added.sort()
        let pairs = Array(replacements)
        let names = pairs.map(\.key)
        let buffers = pairs.map(\.value)
        try ZipOutput.write(to: path, finished: finished) { output throws(DocxError) in
            try withPinned(buffers) { pinned throws(DocxError) in
                let replaced = Dictionary(uniqueKeysWithValues: zip(names, pinned))
                for (index, name) in source.entryNames.enumerated() {
                    if let buffer = replaced[name] {
                        try output.add(name, bytes: buffer, level: compressionLevel, mtimeFrom: (source.handle, UInt64(index)))
                    } else {
                        try output.copy(name, from: source.handle, index: UInt64(index))
                    }
                }
                for name in added {
                    if let buffer = replaced[name] { try output.add(name, bytes: buffer, level: compressionLevel, mtimeFrom: nil) }
                }
            }
        }
    }

    /// Writes a new package at `path` holding `entries` in the given order, each deflated at
    /// `compressionLevel` (1–9; 0 stores them uncompressed). For building packages from
    /// scratch, including deliberately odd ones (no check that it is a valid .docx).
    /// - Throws: `DocxError` for no entries, a repeated entry name, a level out of range, or
    ///   when the file cannot be written.
    public static func write(
        entries: [(name: String, bytes: [UInt8])],
        to path: String,
        compressionLevel: Int = 6
    ) throws(DocxError) {
        try checkLevel(compressionLevel, path: path)
        guard !entries.isEmpty else {
            throw DocxError(file: path, message: "a package needs at least one entry; nothing was written")
        }
        try ZipOutput.write(to: path) { output throws(DocxError) in
            try withPinned(entries.map(\.bytes)) { pinned throws(DocxError) in
                for (entry, buffer) in zip(entries, pinned) {
                    try output.add(entry.name, bytes: buffer, level: compressionLevel, mtimeFrom: nil)
                }
            }
        }
    }

    /// An entry's content for `write(parts:to:compressionLevel:)`: bytes in memory, or a stretch of a file on disk
    /// (read only while the package is written).
    public enum Content: Sendable {
        case bytes([UInt8])
        case file(path: String, offset: UInt64, length: UInt64)
    }

    /// As `write(entries:to:compressionLevel:)`, with entries that may come from files: for packages too large to
    /// hold in memory part by part (a print run of thousands of letters).
    public static func write(
        parts: [(name: String, content: Content)],
        to path: String,
        compressionLevel: Int = 6
    ) throws(DocxError) {
        try checkLevel(compressionLevel, path: path)
        guard !parts.isEmpty else {
            throw DocxError(file: path, message: "a package needs at least one entry; nothing was written")
        }
        // Only the parts in memory are pinned (one stack frame each); file parts may be many.
        let buffers = parts.compactMap { part -> [UInt8]? in
            if case .bytes(let bytes) = part.content { return bytes }
            return nil
        }
        try ZipOutput.writeFile(to: path) { output throws(DocxError) in
            try withPinned(buffers) { pinned throws(DocxError) in
                var next = 0
                for part in parts {
                    switch part.content {
                    case .bytes:
                        try output.add(part.name, bytes: pinned[next], level: compressionLevel, mtimeFrom: nil)
                        next += 1
                    case .file(let file, let offset, let length):
                        try output.add(part.name, file: file, offset: offset, length: length, level: compressionLevel)
                    }
                }
            }
        }
    }

    /// Whether a merge may add entry `name` to a package: a media part (`word/media/name`) or a
    /// relationships part (`dir/_rels/name.rels`), with no empty, `.` or `..` segment.
    public static func isAddable(_ name: String) -> Bool {
        let segments = name.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count >= 2, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return false }
        if name.hasPrefix("word/media/"), segments.count == 3 { return true }
        return segments[segments.count - 2] == "_rels" && name.hasSuffix(".rels")
    }

    private static func checkLevel(_ level: Int, path: String) throws(DocxError) {
        guard (0...9).contains(level) else {
            throw DocxError(file: path, message: "compression level \(level) is out of range; use 0 (store) to 9 (smallest)")
        }
    }

    /// Calls `body` with stable pointers to every buffer of `buffers`, valid for the whole
    /// call, so libzip can read them up to `zip_close` without copying them.
    private static func withPinned(
        _ buffers: [[UInt8]], from start: Int = 0, collected: [UnsafeBufferPointer<UInt8>] = [],
        _ body: ([UnsafeBufferPointer<UInt8>]) throws(DocxError) -> Void
    ) throws(DocxError) {
        guard start < buffers.count else { return try body(collected) }
        let result: Result<Void, DocxError> = buffers[start].withUnsafeBufferPointer { buffer in
            Result { () throws(DocxError) in
                try withPinned(buffers, from: start + 1, collected: collected + [buffer], body)
            }
        }
        try result.get()
    }
}
