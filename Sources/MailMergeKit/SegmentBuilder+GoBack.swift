import Foundation
import Segments

/// An active (not yet logged) segment file, as `segment list` shows it.
public struct ActiveSegment: Sendable {
    public var segment: Segment
    public var path: String
}

extension SegmentBuilder {
    /// Undoes the last criteria action recorded in the segment file at `segmentPath`
    /// (Business Central's "Go Back"); repeatable until no recorded action is left.
    ///
    /// - Returns: the action undone and how many lines the segment has now.
    public static func goBack(_ segmentPath: String) throws(MailMergeError) -> (step: CriteriaStep, lines: Int, left: Int) {
        var segment = try loadSegment(segmentPath)
        if let refusal = segment.refusalToEdit("go-back") { throw .validation([refusal]) }
        guard let step = segment.goBackOneStep() else {
            let why =
                segment.criteria.isEmpty
                ? "the segment has no criteria actions to undo"
                : "its criteria actions were recorded without what undoes them (before go-back existed)"
            throw .validation([Diagnostic(source: segmentPath, message: "nothing to go back to: \(why)")])
        }
        try write(segment, to: segmentPath)
        return (step, segment.lines.count, segment.stepsToGoBack)
    }

    /// The segment files in `folder` (not its subfolders) that are not logged, by number.
    /// YAML files that are not segments (no `header`, e.g. criteria.yaml) are skipped; a
    /// segment file that does not load is reported in `problems`.
    public static func activeSegments(in folder: String) throws(MailMergeError) -> (segments: [ActiveSegment], problems: [Diagnostic]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .io(path: folder, message: "cannot list the folder (\(error.localizedDescription))")
        }
        var segments: [ActiveSegment] = []
        var problems: [Diagnostic] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = folder == "." ? name : (folder as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                text.split(separator: "\n").contains(where: { $0.hasPrefix("header:") })
            else { continue }
            do {
                let segment = try Segment.load(path: path)
                if segment.logged == nil { segments.append(ActiveSegment(segment: segment, path: path)) }
            } catch {
                problems += error.diagnostics
            }
        }
        return (segments.sorted { $0.segment.header.no < $1.segment.header.no }, problems)
    }

    /// The interaction templates of `templatesDirectory`, by code.
    public static func templates(in templatesDirectory: String) throws(MailMergeError) -> [InteractionTemplate] {
        do { return try TemplateCatalogue.load(directory: templatesDirectory).templates.values.sorted { $0.code < $1.code } } catch {
            throw .validation(error.diagnostics)
        }
    }
}
