import ArgumentParser
import MailMergeKit

@main
struct MailMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailmerge",
        abstract: "Personalised Word letters for a segment of contacts, with an interaction log."
    )
}
