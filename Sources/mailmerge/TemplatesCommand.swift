import ArgumentParser
import Foundation
import MailMergeKit
import Segments

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "The interaction templates (templates.yaml).",
        subcommands: [List.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the interaction templates: code, description, attachments, correspondence type, cost, duration.")

        @OptionGroup var catalogue: TemplatesOptions

        @OptionGroup var list: ListFormatOptions

        func run() throws {
            let templates = try reportingErrors { try SegmentBuilder.templates(in: catalogue.templates) }
            let rows = templates.map { t in
                [
                    t.code, t.description, t.attachment ?? "(none)",
                    t.attachments.keys.sorted().map { "\($0): \(t.attachments[$0] ?? "")" }.joined(separator: ", "),
                    t.correspondenceType.rawValue, t.documentType.rawValue, "\(t.unitCost)", "\(t.unitDuration)",
                ]
            }
            try list.print(
                templates, header: ["CODE", "DESCRIPTION", "ATTACHMENT", "BY LANGUAGE", "TYPE", "DOCUMENT", "COST", "DURATION"], rows: rows)
        }
    }
}
