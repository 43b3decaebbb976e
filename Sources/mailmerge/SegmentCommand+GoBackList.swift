import ArgumentParser
import Foundation
import MailMergeKit
import Segments

extension SegmentCommand {
    struct GoBack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "go-back",
            abstract: "Undo the last add-contacts, reduce-contacts or refine-contacts of a segment.",
            discussion: """
                Business Central's Go Back: removes the lines the last criteria action added, or \
                puts back (with their overrides) the lines it removed, and drops the action from \
                `criteria`. Repeat to go further back. What undoes each action is recorded in the \
                segment file under `goBack`. A logged segment is refused.
                """
        )

        @Argument(help: "The segment file (YAML).")
        var segment: String

        func run() throws {
            let result = try reportingErrors { try SegmentBuilder.goBack(segment) }
            print(
                "went back: undid \(result.step.action.rawValue) where \(result.step.expression); \(result.lines) "
                    + "line\(result.lines == 1 ? "" : "s") now, \(result.left) step\(result.left == 1 ? "" : "s") left to go back")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the active (not yet logged) segment files of a folder.",
            discussion: "Segment files whose header has no `logged:` mark, by number; other YAML files (criteria.yaml …) are skipped."
        )

        @Option(name: .long, help: "The folder with the segment files.")
        var folder = "."

        @OptionGroup var list: ListFormatOptions

        func run() throws {
            let (segments, problems) = try reportingErrors { try SegmentBuilder.activeSegments(in: folder) }
            for problem in problems { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
            let rows = segments.map { active in
                let header = active.segment.header
                return [
                    header.no, header.description, header.templateCode, header.date.description, String(active.segment.lines.count),
                    header.follows?.segmentNo ?? "", active.path,
                ]
            }
            try list.print(
                segments.map(\.segment.header), header: ["SEGMENT", "DESCRIPTION", "TEMPLATE", "DATE", "LINES", "FOLLOWS", "FILE"], rows: rows)
        }
    }
}
