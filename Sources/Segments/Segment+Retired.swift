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
        // Bytes, not a String per line: a segment file has two YAML lines per contact, and may have millions.
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var text = Data()
        text.reserveCapacity(original.count + 160)
        let newline = UInt8(ascii: "\n")
        let dropped = [Data("logged:".utf8), Data(Self.markComment.utf8)]
        var start = original.startIndex
        while start < original.endIndex {
            let end = original[start...].firstIndex(of: newline) ?? original.endIndex
            let line = original[start..<end]
            if !dropped.contains(where: { line.starts(with: $0) }) {
                text.append(line)
                text.append(newline)
            }
            start = end + 1
        }
        // No empty lines at the end, then the mark.
        while text.count >= 2, text[text.endIndex - 1] == newline, text[text.endIndex - 2] == newline { text.removeLast() }
        if text.count == 1, text.first == newline { text.removeAll() }
        text.append(contentsOf: "\(Self.markComment)\nlogged: {loggedSegment: \(mark.loggedSegment), at: '\(mark.at)'}\n".utf8)
        try text.write(to: URL(fileURLWithPath: path), options: .atomic)
        if (try? loggedMark(path: path)) == mark { return }
        try original.write(to: URL(fileURLWithPath: path), options: .atomic)
        var segment = try Segment.load(path: path)
        segment.logged = mark
        try segment.write(to: path)
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

    private static let markComment = "# Logged: this file is retired; no command changes it. A new mailing is a follow-up segment."
}
