import ArgumentParser
import MailMergeKit
import MergeEngine

struct FieldsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fields",
        abstract: "List the merge fields of a Word template.",
        discussion: """
            Shows every merge field (MERGEFIELD, fields nested in IF fields, and {{Name}} \
            placeholders) with the part and paragraph it is in and its field code, so you can \
            check a template before a run. Fails, naming the part and paragraph, when the \
            template has a field that does not parse. Fields a merge would leave unevaluated \
            (DATABASE, a formula over a merge field …) are reported as warnings, and ASK/FILLIN \
            questions are listed with their default answer.
            """
    )

    @Argument(help: "The Word template (.docx).")
    var template: String

    @Flag(name: .long, help: "Print only the distinct field names, one a line.")
    var namesOnly = false

    func run() throws {
        let compiled = try reportingErrors { try MergeRunner.compileTemplate(at: template) }
        printWarnings(compiled.warnings, template: template)
        if namesOnly {
            compiled.fieldNames.forEach { print($0) }
            return
        }
        let rows = compiled.fields.map { [$0.name, $0.part, String($0.paragraph), $0.code] }
        print(TextTable(header: ["FIELD", "PART", "PARAGRAPH", "CODE"], rows: rows).rendered)
        for question in compiled.questions {
            let name = question.bookmark ?? question.prompt
            let answer = question.defaultText.map { "default \"\($0)\"" } ?? "no default: --answer \"\(name)=VALUE\" needed"
            print("question \"\(question.prompt)\" (\(question.use.part), paragraph \(question.use.paragraph)): \(answer)")
        }
        print("\(compiled.fieldNames.count) distinct field\(compiled.fieldNames.count == 1 ? "" : "s"), \(compiled.fields.count) occurrence\(compiled.fields.count == 1 ? "" : "s")")
    }
}
