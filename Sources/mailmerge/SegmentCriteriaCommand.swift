import ArgumentParser
import MailMergeKit
import Segments

/// `--criteria-file` of `segment criteria save` and `segment criteria apply`.
struct CriteriaFileOptions: ParsableArguments {
    @Option(name: .long, help: "The criteria file (default: criteria.yaml beside the segment).")
    var criteriaFile: String?
}

/// `segment criteria save|apply|list`.
struct CriteriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Save a segment's criteria by name and re-apply them to another segment.",
        discussion: """
            Saved criteria live in a YAML file, by default criteria.yaml beside the segment \
            file (or --criteria-file):

              criteria:
                - name: AMSTERDAM
                  description: Dutch contacts in Amsterdam
                  steps:
                    - action: add-contacts
                      where: Country=NL AND City=Amst*
            """,
        subcommands: [Save.self, Apply.self, List.self]
    )

    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "save",
            abstract: "Save the criteria actions recorded in a segment file under NAME.")

        @Argument(help: "The name to save the criteria under.")
        var name: String

        @Option(name: .long, help: "The segment file whose criteria are saved.")
        var from: String

        @Option(name: .long, help: "A description of the saved criteria.")
        var description: String?

        @OptionGroup var library: CriteriaFileOptions

        @Flag(name: .long, help: "Replace saved criteria of the same name.")
        var replace = false

        func run() throws {
            let result = try reportingErrors {
                try SegmentBuilder.saveCriteria(
                    name: name, description: description, from: from,
                    criteriaFile: library.criteriaFile, replace: replace)
            }
            print("saved criteria \(result.saved.name) (\(result.saved.steps.count) step\(result.saved.steps.count == 1 ? "" : "s")) in \(result.path)")
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Apply saved criteria NAME, step by step, to a segment file.",
            discussion: "Each step is recorded in the segment file; a step that matches no contact changes nothing.")

        @Argument(help: "The saved criteria's name.")
        var name: String

        @Option(name: .long, help: "The segment file to change.")
        var to: String

        @OptionGroup var library: CriteriaFileOptions

        func run() throws {
            let results = try reportingErrors { try SegmentBuilder.applyCriteria(name: name, to: to, criteriaFile: library.criteriaFile) }
            for (step, outcome) in results {
                print(CriteriaReport.line(step.action, outcome) + " (where \(step.expression))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List saved criteria.")

        @Option(name: .long, help: "The criteria file.")
        var criteriaFile = CriteriaLibrary.defaultFileName

        func run() throws {
            let library = try reportingErrors { try SegmentBuilder.savedCriteria(file: criteriaFile) }
            for saved in library.criteria {
                print(saved.name + (saved.description.map { " — \($0)" } ?? ""))
                for step in saved.steps { print("  \(step.action.rawValue) where \(step.expression)") }
            }
        }
    }
}
