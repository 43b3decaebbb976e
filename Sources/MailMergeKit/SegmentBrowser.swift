import Foundation
import Segments

/// A segment file in a folder, as a list shows it.
public struct SegmentSummary: Sendable {
    public var no: String
    public var description: String
    public var date: Day
    public var templateCode: String
    public var lineCount: Int
    /// The file's name inside the folder (never a path).
    public var fileName: String
}

/// One resolved line and which of its values the line itself sets (overriding the header and template).
public struct SegmentOverviewLine: Sendable {
    public var line: ResolvedLine
    /// The names of the values the line overrides: `description`, `templateCode`, `languageCode`, `subject`,
    /// `correspondenceType`, `comment`.
    public var overrides: Set<String>
}

/// A segment's header and resolved lines.
public struct SegmentOverview: Sendable {
    public var header: SegmentHeader
    public var lines: [SegmentOverviewLine]
}

/// The segments of one folder, addressed by their number only (`mailmerge serve`): a number is looked
/// up among the files' headers, never turned into a path.
public enum SegmentBrowser {
    /// The segment files (`*.yaml`, `*.yml`) in `directory` that load, by number; files that are not
    /// segments (a criteria file, a broken one) are left out.
    public static func list(directory: String) throws(MailMergeError) -> [SegmentSummary] {
        try files(in: directory).compactMap { name -> SegmentSummary? in
            guard let segment = try? Segment.load(path: directory + "/" + name) else { return nil }
            return SegmentSummary(
                no: segment.header.no, description: segment.header.description, date: segment.header.date,
                templateCode: segment.header.templateCode, lineCount: segment.lines.count, fileName: name)
        }
        .sorted { $0.no.compare($1.no, options: .numeric) == .orderedAscending }
    }

    /// The path of the segment file in `directory` whose header number is `no`; `nil` when there is none.
    public static func path(ofSegment no: String, in directory: String) throws(MailMergeError) -> String? {
        for summary in try list(directory: directory) where summary.no == no {
            return directory + "/" + summary.fileName
        }
        return nil
    }

    /// The segment at `path` with its lines resolved as `log-segment` resolves them.
    public static func overview(at path: String, templatesDirectory: String) throws(MailMergeError) -> SegmentOverview {
        let (segment, resolved) = try Inputs.segment(at: path, templatesDirectory: templatesDirectory)
        let lines = zip(segment.lines, resolved).map { source, line in
            var overrides = Set<String>()
            if source.description != nil { overrides.insert("description") }
            if source.templateCode != nil { overrides.insert("templateCode") }
            if source.languageCode != nil { overrides.insert("languageCode") }
            if source.subject != nil { overrides.insert("subject") }
            if source.correspondenceType != nil { overrides.insert("correspondenceType") }
            if source.comment != nil { overrides.insert("comment") }
            return SegmentOverviewLine(line: line, overrides: overrides)
        }
        return SegmentOverview(header: segment.header, lines: lines)
    }

    private static func files(in directory: String) throws(MailMergeError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            throw .io(path: directory, message: "cannot list the segments folder; name an existing folder with --segments")
        }
    }
}
