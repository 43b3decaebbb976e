import Foundation

/// The mark `log-segment` appends to a segment file once the segment is logged (a top-level
/// `logged: {loggedSegment: 3, at: '2026-11-23T10:15:00Z'}` at the end, so the line numbers of
/// everything above it stay as they were): the file is retired, and the
/// commands that change a segment (`add-contacts`, `reduce-contacts`, `refine-contacts`,
/// `go-back`, `criteria apply`) refuse it. A new mailing is a follow-up segment.
public struct LoggedMark: Sendable, Codable, Hashable {
    /// The logged segment's entry number (see `segment logged`).
    public var loggedSegment: Int64
    /// When it was logged, ISO 8601 (UTC).
    public var at: String

    public init(loggedSegment: Int64, at: Date) {
        self.loggedSegment = loggedSegment
        self.at = ISO8601DateFormatter().string(from: at)
    }
}

/// The logged segment a follow-up segment follows (`follows: {segmentNo: SM00001, loggedSegment: 1}`).
public struct FollowedSegment: Sendable, Codable, Hashable {
    public var segmentNo: String
    /// The logged segment's entry number, when known.
    public var loggedSegment: Int64?

    public init(segmentNo: String, loggedSegment: Int64?) {
        self.segmentNo = segmentNo
        self.loggedSegment = loggedSegment
    }
}

extension Segment {
    /// A diagnostic refusing to change this segment when it is logged; `nil` when it is not.
    public func refusalToEdit(_ command: String) -> Diagnostic? {
        guard let mark = logged else { return nil }
        return Diagnostic(
            source: path ?? header.no, line: source?.line(ofHeaderKey: "no"),
            message: "segment \(header.no) was logged (logged segment \(mark.loggedSegment), \(mark.at)), so `\(command)` cannot change it; "
                + "make a follow-up segment instead: `mailmerge segment from-logged \(mark.loggedSegment) --contacts CSV` "
                + "(or log with --follow-up next time)")
    }

    /// Marks the segment file at `path` as logged, keeping its text and comments: a top-level
    /// `logged:` key (with a comment line) is appended at the end, replacing an earlier mark
    /// (a rerun after an interrupted run). When the file's layout does not allow that (e.g. a
    /// flow mapping), the segment is written anew.
    public static func markLogged(path: String, as mark: LoggedMark) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try PreparedLoggedMark.writeMarked(atomicallyAt: path, mark: mark)
        if (try? loggedMark(path: path)) == mark { return }
        try original.write(to: URL(fileURLWithPath: path), options: .atomic)
        var segment = try Segment.load(path: path)
        segment.logged = mark
        try segment.write(to: path)
    }

    fileprivate static func markLines(_ mark: LoggedMark) -> String {
        "\(Self.markComment)\nlogged: {loggedSegment: \(mark.loggedSegment), at: '\(mark.at)'}\n"
    }

    /// The `logged:` mark of the segment file at `path` (nil when it has none), read without keeping its lines.
    static func loggedMark(path: String) throws(ValidationFailure) -> LoggedMark? {
        try read(path: path) { _, _ in
        } finish: { root, _ throws(ValidationFailure) in
            guard let node = root.mapping?["logged"] else { return nil }
            switch YAMLSupport.decode(LoggedMark.self, from: node, file: path, place: "logged") {
            case .success(let mark): return mark
            case .failure(let diagnostic): throw ValidationFailure(diagnostics: [diagnostic])
            }
        }
    }

    fileprivate static let markComment = "# Logged: this file is retired; no command changes it. A new mailing is a follow-up segment."
}

/// Marking a segment file logged (`Segment.markLogged`), prepared while the segment is being logged: the mark is checked
/// to read back beforehand (in a copy with a stand-in mark of the same form), so marking the file once logged streams
/// the same bytes `markLogged` writes without parsing the whole file again; neither holds the file's text (a segment may
/// have millions of lines). When the file changed since, or the mark would not read back (a layout `markLogged` writes
/// anew), `write` is `markLogged`.
public struct PreparedLoggedMark: Sendable {
    private let path: String
    private let readsBack: Bool
    private let stamp: FileStamp?

    /// Checks the mark reads back, in a temporary copy of the segment file at `path`.
    public init(path: String) throws {
        self.path = path
        stamp = FileStamp(path: path)
        let probe = LoggedMark(loggedSegment: 1, at: Date())
        let copy = NSTemporaryDirectory() + "/mailmerge-mark-\(UUID().uuidString).yaml"
        defer { unlink(copy) }
        try Self.writeMarked(from: path, mark: probe, to: copy)
        readsBack = (try? Segment.loggedMark(path: copy)) == probe
    }

    /// Marks the file logged as `mark` (the bytes `Segment.markLogged` writes), atomically.
    public func write(_ mark: LoggedMark) throws {
        guard readsBack, let stamp, FileStamp(path: path) == stamp else { return try Segment.markLogged(path: path, as: mark) }
        try Self.writeMarked(atomicallyAt: path, mark: mark)
    }

    /// Replaces the file at `path` by its text with `mark` (`writeMarked`), atomically.
    static func writeMarked(atomicallyAt path: String, mark: LoggedMark) throws {
        let temporary =
            (path as NSString).deletingLastPathComponent.nonEmptyFolder + "/." + (path as NSString).lastPathComponent + "."
            + UUID().uuidString + ".tmp"
        do {
            try writeMarked(from: path, mark: mark, to: temporary)
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Streams the file at `path` without an earlier mark and without empty lines at the end, then `mark`'s lines, into
    /// `target`, a megabyte at a time: the text every way of marking a file logged writes. The lines are found and
    /// copied as bytes in place (a `Data` made per line cost about 3 µs a line, twice per run: the check and the mark).
    static func writeMarked(from path: String, mark: LoggedMark, to target: String) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? input.close() }
        guard FileManager.default.createFile(atPath: target, contents: nil), let output = FileHandle(forWritingAtPath: target) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        defer { try? output.close() }
        let newline = UInt8(ascii: "\n")
        let dropped = [Array("logged:".utf8), Array(Segment.markComment.utf8)]
        var pending: [UInt8] = []
        var text: [UInt8] = []
        // Empty lines held back: written before the next line kept, dropped at the end.
        var emptyLines = 0
        // `line`: a line's bytes without its newline.
        func take(_ line: UnsafeBufferPointer<UInt8>) throws {
            if line.isEmpty {
                emptyLines += 1
                return
            }
            if dropped.contains(where: { line.starts(with: $0) }) { return }
            text.append(contentsOf: repeatElement(newline, count: emptyLines))
            emptyLines = 0
            text.append(contentsOf: line)
            text.append(newline)
            if text.count >= 1 << 20 {
                try output.write(contentsOf: text)
                text.removeAll(keepingCapacity: true)
            }
        }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            let consumed = try pending.withUnsafeBufferPointer { buffer throws -> Int in
                var start = 0
                while start < buffer.count, let found = memchr(buffer.baseAddress! + start, Int32(newline), buffer.count - start) {
                    let end = buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    try take(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                    start = end + 1
                }
                return start
            }
            pending.removeFirst(consumed)
        }
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try take($0) } }
        text.append(contentsOf: Segment.markLines(mark).utf8)
        try output.write(contentsOf: text)
    }

    /// A file's size, modification time and inode: changed when the file is written.
    private struct FileStamp: Equatable, Sendable {
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            size = Int64(info.st_size)
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
            inode = UInt64(info.st_ino)
        }
    }
}

extension String {
    /// The folder itself, or `.` when empty (a path without a folder).
    fileprivate var nonEmptyFolder: String { isEmpty ? "." : self }
}
