import ArgumentParser
import InteractionLog
import MailMergeKit
import Segments

/// Entries or a logged segment, as `log cancel` and `log restore` take them.
struct LogSelection: ParsableArguments {
    @Argument(help: "Interaction log entry numbers (see `log list`).")
    var entries: [Int64] = []

    @Option(name: .long, help: "A logged segment's entry number (see `segment logged`): all its entries.")
    var loggedSegment: Int64?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if entries.isEmpty == (loggedSegment == nil) {
            throw ValidationError("name entry numbers or --logged-segment NO (not both)")
        }
    }

    /// Changes the logged segment with `changeSegment`, else the entries with `changeEntries`,
    /// and says what was `done` (canceled, restored).
    func change(
        _ done: String,
        segment changeSegment: (Int64, InteractionLogLocation) throws(MailMergeError) -> LoggedSegment,
        entries changeEntries: ([Int64], InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry]
    ) throws {
        if let number = loggedSegment {
            let segment = try reportingErrors { try changeSegment(number, database.log) }
            let count = segment.numberOfInteractions
            print("\(done) logged segment \(segment.entryNo) (segment \(segment.segmentNo)) and its \(count) entr\(count == 1 ? "y" : "ies")")
        } else {
            let changed = try reportingErrors { try changeEntries(entries, database.log) }
            print("\(done) \(changed.count) entr\(changed.count == 1 ? "y" : "ies"): \(changed.map { String($0.entryNo) }.joined(separator: ", "))")
        }
    }
}

extension LogCommand {
    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Mark interaction log entries, or a logged segment and all its entries, canceled.",
            discussion: """
                All or nothing: if one entry is unknown, canceled already or postponed, nothing \
                changes. A canceled logged segment's number is still used: it is never logged \
                again (a new mailing is a follow-up segment). Undo with `log restore`; remove for \
                good with `log delete-canceled`.
                """
        )

        @OptionGroup var selection: LogSelection

        func run() throws {
            try selection.change("canceled", segment: LogLifecycle.cancel(loggedSegment:log:), entries: LogLifecycle.cancel(entries:log:))
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Undo `log cancel` for entries or a logged segment.",
            discussion: """
                All or nothing. An entry of a canceled logged segment is restored with the \
                logged segment (--logged-segment).
                """
        )

        @OptionGroup var selection: LogSelection

        func run() throws {
            try selection.change("restored", segment: LogLifecycle.restore(loggedSegment:log:), entries: LogLifecycle.restore(entries:log:))
        }
    }

    struct DeleteCanceled: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete-canceled",
            abstract: "Delete canceled interaction log entries for good.",
            discussion: """
                Deletes every canceled entry (dated before --before, when given), or exactly \
                the entries named, refusing (and deleting nothing) if one is not canceled. \
                A logged segment's number of interactions follows its entries; logged segments \
                left without entries are deleted (their numbers stay used). An entry that is not \
                canceled is never deleted.
                """
        )

        @Argument(help: "Canceled entry numbers to delete (default: all canceled entries).")
        var entries: [Int64] = []

        @Option(name: .long, help: "Only entries dated before this day (yyyy-MM-dd).")
        var before: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            if !entries.isEmpty && before != nil {
                throw ValidationError("name entry numbers or --before DATE (not both)")
            }
        }

        func run() throws {
            let day = try parseDay(before, option: "--before")
            let deleted = try reportingErrors {
                entries.isEmpty
                    ? try LogLifecycle.deleteCanceled(before: day, log: database.log)
                    : try LogLifecycle.deleteCanceled(entries: entries, log: database.log)
            }
            print(
                "deleted \(deleted.entries) canceled entr\(deleted.entries == 1 ? "y" : "ies") and \(deleted.loggedSegments) logged "
                    + "segment\(deleted.loggedSegments == 1 ? "" : "s")")
        }
    }
}
