import ArgumentParser
import Foundation
import InteractionLog
import MailMergeKit
import Segments

struct InteractionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interaction",
        abstract: "Create, postpone, resume or discard an interaction with one contact.",
        discussion: """
            An interaction for one contact merges one document and records one interaction log \
            entry that belongs to no segment. With --postpone it is saved unfinished instead: it \
            shows in `log list` with status postponed (never counted as sent) until it is \
            resumed or discarded; its ID is its entry number.
            """,
        subcommands: [Create.self, Postponed.self, Resume.self, Discard.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Merge one document for a contact and record the interaction.",
            discussion: """
                The values are decided as for a segment line: the options given here, then the \
                contact (language, correspondence type, salesperson), then the template \
                (description, cost, duration). The document is written to \
                OUT/interactions/<date>-<contact>-<template>.docx. Everything is checked before \
                anything is written.
                """
        )

        @Option(name: .long, help: "The contact no. (ContactNo in the contacts CSV).")
        var contact: String

        @Option(name: .long, help: "The interaction template code (see Templates/templates.yaml).")
        var template: String

        @Option(name: .long, help: "Overrides the template's description.")
        var description: String?

        @Option(name: .long, help: "The subject, merged as Subject.")
        var subject: String?

        @Option(name: .long, help: "Overrides the contact's language (and so the attachment chosen).")
        var language: String?

        @Option(name: .long, help: "hard-copy, email or fax; overrides the contact's and the template's.")
        var correspondenceType: CorrespondenceType?

        @Option(name: .long, help: "A personal note, merged as Comment.")
        var comment: String?

        @Option(name: .long, help: "The salesperson code; overrides the contact's (name, e-mail, phone from salespeople.yaml).")
        var salesperson: String?

        @Option(name: .long, help: "The interaction date, yyyy-MM-dd (default: today).")
        var date: String?

        @Flag(name: .long, help: "Save the interaction unfinished; finish it later with `interaction resume ID`.")
        var postpone = false

        @Option(name: .long, help: "The contacts CSV.")
        var contacts = Defaults.contactsPath

        @OptionGroup var catalogue: TemplatesOptions

        @Option(name: .long, help: "Documents go into OUT/interactions/.")
        var out = Defaults.outputDirectory

        @OptionGroup var database: RecordingDatabaseOptions

        @Option(name: .long, help: "Sender address of an e-mail interaction.")
        var emailFrom = "mailmerge@localhost"

        @OptionGroup var email: SendEmailOptions

        func run() throws {
            let server = try email.server()
            if server != nil && postpone { throw ValidationError("--send-email sends the interaction now; it cannot be postponed too") }
            var request = InteractionRequest(contactNo: contact, templateCode: template)
            request.emailFrom = emailFrom
            request.description = description
            request.subject = subject
            request.languageCode = language
            request.correspondenceType = correspondenceType
            request.comment = comment
            request.salespersonCode = salesperson
            request.date = try parseDay(date, option: "--date")
            request.contactsPath = contacts
            request.templatesDirectory = catalogue.templates
            request.outputDirectory = out
            request.postpone = postpone
            let result = try reportingErrors { try InteractionRecorder.create(request, log: database.log) }
            if result.entry.postponed {
                print(
                    "postponed interaction \(result.entry.entryNo) for contact \(result.entry.contactNo); finish it with `mailmerge interaction "
                        + "resume \(result.entry.entryNo)`")
            } else {
                let written = [result.documentPath, result.emailPath].compactMap { $0 }
                print(
                    "recorded interaction log entry \(result.entry.entryNo) for contact \(result.entry.contactNo): "
                        + (written.isEmpty ? "no document (template \(result.entry.templateCode) has no attachment)" : written.joined(separator: ", ")))
            }
            if let server, result.emailPath != nil {
                var delivery = EmailDeliveryRequest(server: server)
                delivery.entries = [result.entry.entryNo]
                try deliverEmails(
                    delivery, log: database.log, retry: "mailmerge log resend \(result.entry.entryNo) --smtp \(email.smtp ?? "") --db \(database.db)")
            }
        }
    }

    struct Postponed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "postponed",
            abstract: "List the postponed interactions."
        )

        @Option(name: .long, help: "Only the postponed interactions of this contact no.")
        var contact: String?

        @Option(name: .long, help: "Only the postponed interactions of this salesperson code.")
        var salesperson: String?

        @OptionGroup var list: ListFormatOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let postponed = try reportingErrors {
                try InteractionRecorder.postponed(contactNo: contact, salespersonCode: salesperson, log: database.log)
            }
            let header = ["ID", "DATE", "CONTACT", "TEMPLATE", "DESCRIPTION", "SALESPERSON", "POSTPONED AT"]
            let rows = postponed.map { p in
                [
                    String(p.id), p.entry.date.description, p.entry.contactNo, p.entry.templateCode, p.entry.description,
                    p.entry.salespersonCode,
                    ISO8601DateFormatter().string(from: p.entry.createdAt),
                ]
            }
            try list.print(postponed.map(\.entry), header: header, rows: rows)
        }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Finish a postponed interaction: merge its document and record it.",
            discussion: "Uses the contacts CSV, templates folder and output folder named when it was postponed, with their contents as they are now. "
                + "--description, --subject, --comment and --salesperson change those values first. "
                + "The interaction leaves the postponed list; resuming it again is an error."
        )

        @OptionGroup var selection: PostponedSelection

        @Option(name: .long, help: "A new description.")
        var description: String?

        @Option(name: .long, help: "A new subject.")
        var subject: String?

        @Option(name: .long, help: "A new personal note (Comment).")
        var comment: String?

        @Option(name: .long, help: "A new salesperson code.")
        var salesperson: String?

        func run() throws {
            let changes = ResumeChanges(description: description, subject: subject, comment: comment, salespersonCode: salesperson)
            let result = try reportingErrors { try InteractionRecorder.resume(id: selection.id, changing: changes, log: selection.database.log) }
            print("resumed interaction \(result.entry.entryNo) for contact \(result.entry.contactNo): \(result.documentPath ?? "")")
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard",
            abstract: "Delete a postponed interaction."
        )

        @OptionGroup var selection: PostponedSelection

        func run() throws {
            let discarded = try reportingErrors { try InteractionRecorder.discard(id: selection.id, log: selection.database.log) }
            print("discarded postponed interaction \(discarded.id) for contact \(discarded.entry.contactNo)")
        }
    }
}

/// The postponed interaction that `interaction resume` and `interaction discard` act on.
struct PostponedSelection: ParsableArguments {
    @Argument(help: "The postponed interaction's ID (see `interaction postponed`).")
    var id: Int64

    @OptionGroup var database: DatabaseOptions
}

extension CorrespondenceType: ExpressibleByArgument {}
