import ArgumentParser
import InteractionLog
import MailMergeKit

extension LogCommand {
    struct SetAttemptFailed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-attempt-failed",
            abstract: "Mark interaction log entries as attempt failed (the letter came back, the call was not answered …).",
            discussion: "All or nothing; canceled and postponed entries are refused. `log list --status attempt-failed` lists them."
        )

        @Argument(help: "Interaction log entry numbers (see `log list`).")
        var entries: [Int64]

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if entries.isEmpty { throw ValidationError("name at least one entry number") }
        }

        func run() throws {
            let changed = try reportingErrors { try LogLifecycle.setAttemptFailed(entries: entries, log: database.log) }
            print(
                "set attempt failed on \(changed.count) entr\(changed.count == 1 ? "y" : "ies"): "
                    + changed.map { String($0.entryNo) }.joined(separator: ", "))
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Record how an interaction went (its evaluation).")

        @Argument(help: "The interaction log entry number (see `log list`).")
        var entry: Int64

        @Option(name: .long, help: "very-positive, positive, neutral, negative or very-negative.")
        var evaluation: Evaluation

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let changed = try reportingErrors { try LogLifecycle.evaluate(entry: entry, as: evaluation, log: database.log) }
            print("evaluated interaction log entry \(changed.entryNo) (contact \(changed.contactNo)): \(evaluation.rawValue)")
        }
    }
}

extension Evaluation: ExpressibleByArgument {}
