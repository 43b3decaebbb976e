import ArgumentParser

@main
struct MailMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailmerge",
        abstract: "Personalised Word letters for a segment of contacts, with an interaction log.",
        discussion: """
            Check a template with `fields`, merge a CSV with `merge`, or log a whole segment \
            (letters + interaction log entries) with `log-segment`.
            """,
        subcommands: [
            FieldsCommand.self, MergeCommand.self, LogSegmentCommand.self, PreviewCommand.self, LogCommand.self, SegmentCommand.self,
            InteractionCommand.self, TemplatesCommand.self, CheckCommand.self, WorkerCommand.self, StatusCommand.self, FinishCommand.self,
            ServeCommand.self,
        ]
    )

    static func main() {
        ProcessSetup.apply()
        main(nil)
    }
}
