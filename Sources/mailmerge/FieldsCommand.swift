import ArgumentParser
import Foundation
import MailMergeKit
import MergeEngine

struct FieldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List the merge fields of a Word template.",
        discussion: """
            Shows every merge field (MERGEFIELD, fields nested in IF fields, and {{Name}} \
            placeholders) with the part and paragraph it is in and its field code, so you can \
            check a template before a run. ADDRESSBLOCK and GREETINGLINE fields are listed with \
            the column each of their tokens reads (Match Fields: --map, the template's own, or \
            automatically by name); a token no contact field matches is reported on stderr. \
            Fails, naming the part and paragraph, when the template has a field that does not parse. \
            Fields a merge would leave unevaluated (DATABASE, a formula over a merge field …) are \
            reported as warnings, and ASK/FILLIN questions are listed with their default answer.
            """
    )

    @Argument(help: "The Word template (.docx).")
    var template: String

    @Flag(name: .long, help: "Print only the distinct field names, one a line.")
    var namesOnly = false

    @OptionGroup var matchFields: MatchFieldsOptions

    func validate() throws { _ = try matchFields.overrides() }

    func run() throws {
        let compiled = try reportingErrors { try Templates.compile(at: template, fieldMap: try matchFields.overrides()) }
        printWarnings(compiled.warnings, template: template)
        if namesOnly {
            for name in compiled.fieldNames { print(name) }
            return
        }
        let rows = compiled.fields.map { [$0.name, $0.part, String($0.paragraph), $0.code] }
        print(TextTable(header: ["FIELD", "PART", "PARAGRAPH", "CODE"], rows: rows).rendered)
        for question in compiled.questions {
            let name = question.bookmark ?? question.prompt
            let answer = question.defaultText.map { "default \"\($0)\"" } ?? "no default: --answer \"\(name)=VALUE\" needed"
            print("question \"\(question.prompt)\" (\(question.use.part), paragraph \(question.use.paragraph)): \(answer)")
        }
        print(
            "\(compiled.fieldNames.count) distinct field\(compiled.fieldNames.count == 1 ? "" : "s"), \(compiled.fields.count) "
                + "occurrence\(compiled.fields.count == 1 ? "" : "s")")
        guard !compiled.matchedFields.isEmpty else { return }
        var matchRows: [[String]] = []
        var warnings: [String] = []
        for use in compiled.matchedFields {
            for token in use.tokens {
                let column: String
                if token.explicit {
                    column = "\(token.columns.first ?? "") (mapped)"
                } else if let contactField = MatchFields.contactField(for: token.token) {
                    column = "\(contactField) (automatic)"
                } else {
                    column = "— (none)"
                    let names = token.columns.isEmpty ? "" : " unless the data has a column " + token.columns.map { "\"\($0)\"" }.joined(separator: " or ")
                    let mapName = MatchFields.mappedName(of: token.token) ?? token.token.written
                    warnings.append(
                        "warning: \(template): \(use.part), paragraph \(use.paragraph): \(use.keyword) token \(token.token.written) "
                            + "has no contact field; it stays empty\(names) (map one with --map \"\(mapName)=COLUMN\")")
                }
                matchRows.append([use.keyword, use.part, String(use.paragraph), token.token.written, column])
            }
        }
        print("")
        print(TextTable(header: ["FIELD", "PART", "PARAGRAPH", "TOKEN", "COLUMN"], rows: matchRows).rendered)
        for warning in warnings { FileHandle.standardError.write(Data((warning + "\n").utf8)) }
    }
}
