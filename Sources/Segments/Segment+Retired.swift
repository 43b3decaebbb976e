import Foundation

/// The mark `log-segment` writes into a segment file's header once the segment is logged
/// (`logged: {loggedSegment: 3, at: '2026-11-23T10:15:00Z'}`): the file is retired, and the
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
        guard let mark = header.logged else { return nil }
        return Diagnostic(
            source: path ?? header.no, line: source?.line(ofHeaderKey: "logged"),
            message: "segment \(header.no) was logged (logged segment \(mark.loggedSegment), \(mark.at)), so `\(command)` cannot change it; "
                + "make a follow-up segment instead: `mailmerge segment from-logged \(mark.loggedSegment) --contacts CSV` "
                + "(or log with --follow-up next time)")
    }

    /// Marks the segment file at `path` as logged (`header.logged`), keeping its comments: the
    /// `logged:` key is written as the header's first key (replacing an earlier mark). When the
    /// file's layout does not allow that (no block `header:` line), the segment is written anew.
    public static func markLogged(path: String, as mark: LoggedMark) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if let headerIndex = lines.firstIndex(where: { $0.hasPrefix("header:") && $0.dropFirst(7).trimmingCharacters(in: .whitespaces).isEmpty }) {
            let body = lines[(headerIndex + 1)...].prefix { $0.isEmpty || $0.first == " " || $0.first == "\t" || $0.first == "#" }
            let indent =
                body.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && ($0.first == " " || $0.first == "\t") }
                .map { String($0.prefix { $0 == " " || $0 == "\t" }) } ?? "  "
            // An earlier mark (a rerun after an interrupted run) is replaced.
            let end = headerIndex + 1 + body.count
            lines[(headerIndex + 1)..<end].removeAll { $0.hasPrefix(indent + "logged:") || $0.hasPrefix(indent + "# Logged:") }
            lines.insert(
                contentsOf: [
                    indent + "# Logged: this file is retired; no command changes it. A new mailing is a follow-up segment.",
                    indent + "logged: {loggedSegment: \(mark.loggedSegment), at: '\(mark.at)'}",
                ], at: headerIndex + 1)
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            if let reloaded = try? Segment.load(path: path), reloaded.header.logged == mark { return }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        var segment = try Segment.load(path: path)
        segment.header.logged = mark
        try segment.write(to: path)
    }
}
