import ArgumentParser
import Foundation
import MailMergeKit
import Segments

struct SegmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Build segment files and list logged segments.",
        discussion: """
            Create a segment with `new`, select its contacts from its contacts CSV with \
            `add-contacts`, `reduce-contacts` and `refine-contacts --where EXPR`, save the \
            criteria by name and re-apply them to another segment with `criteria`, or start \
            from the contacts of a logged segment with `from-logged`. Log it with `log-segment`.

            Criteria (EXPR): FIELD=VALUE tests joined by AND, OR, NOT and parentheses, e.g. \
            "Country=NL AND City=Amst*". Fields are the contacts CSV's columns, any case \
            (Country means CountryRegionCode, Language means LanguageCode). Operators: = and \
            <> (with * and ? wildcards, ignoring case), <, >, <=, >=, and ranges such as \
            PostCode=1000..1999, 1000.. or ..1999 (numbers compare as numbers). Quote values \
            with spaces: City='New York'. Every action is recorded under `criteria` in the \
            segment file; lines are numbered in steps of 10000 and a contact is never added twice.
            """,
        subcommands: [
            New.self, AddContacts.self, ReduceContacts.self, RefineContacts.self,
            CriteriaCommand.self, GoBack.self, FromLogged.self, List.self, Logged.self,
        ],
        aliases: ["segments"]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Create a segment file with no lines.",
            discussion: """
                Writes NO.yaml (or --file); the template code is checked against the catalogue and \
                the contacts CSV must be readable. Without NO the next number of the number series \
                (segmentNos in setup.yaml in the templates folder) is taken and reserved in the \
                interaction log (--db), so two people never get the same number.
                """
        )

        @Argument(help: "The segment number, e.g. SM00010 (default: the next number of the number series).")
        var no: String?

        @Option(name: .long, help: "The segment's description.")
        var description: String

        @Option(name: .long, help: "The interaction template code for every line.")
        var template: String

        @Option(name: .long, help: "The contacts CSV the segment's lines come from.")
        var contacts: String

        @Option(name: .long, help: "The interaction date, yyyy-MM-dd (default: today).")
        var date: String?

        @Option(name: .long, help: "The default subject.")
        var subject: String?

        @Option(name: .long, help: "One language for every line.")
        var language: String?

        @Option(name: .long, help: "hard-copy, email or fax for every line.")
        var correspondenceType: CorrespondenceType?

        @Option(name: .long, help: "The salesperson code for every line.")
        var salesperson: String?

        @Option(name: .long, help: "The salesperson's name (merged as SalespersonName).")
        var salespersonName: String?

        @Option(name: .long, help: "The campaign no.")
        var campaign: String?

        @Option(name: .long, help: "The segment file to write (default: NO.yaml).")
        var file: String?

        @Option(name: .long, help: "The folder with templates.yaml and setup.yaml.")
        var templates = Defaults.templatesDirectory

        @OptionGroup var database: RecordingDatabaseOptions

        func run() throws {
            var request = NewSegmentRequest(no: no, description: description, templateCode: template, contactsPath: contacts)
            request.date = try parseDay(date, option: "--date")
            request.subject = subject
            request.languageCode = language
            request.correspondenceType = correspondenceType
            request.salespersonCode = salesperson
            request.salespersonName = salespersonName
            request.campaignNo = campaign
            request.path = file
            request.templatesDirectory = templates
            let created = try reportingErrors { try SegmentBuilder.create(request, log: database.log) }
            print("created segment \(created.segment.header.no): \(created.path)")
        }
    }

    struct AddContacts: CriteriaActionCommand {
        static let action = CriteriaAction.add
        static let abstract = "Add the contacts matching the criteria that are not in the segment yet."
        @OptionGroup var options: CriteriaActionOptions
    }

    struct ReduceContacts: CriteriaActionCommand {
        static let action = CriteriaAction.reduce
        static let abstract = "Remove the lines whose contact matches the criteria."
        @OptionGroup var options: CriteriaActionOptions
    }

    struct RefineContacts: CriteriaActionCommand {
        static let action = CriteriaAction.refine
        static let abstract = "Keep only the lines whose contact matches the criteria."
        @OptionGroup var options: CriteriaActionOptions
    }

    struct FromLogged: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "from-logged",
            abstract: "Create a segment with the contacts of a logged segment.",
            discussion: """
                One line per contact of the logged segment, in the order they were logged; a \
                line keeps its template, language and correspondence type. The header is the \
                logged one's (campaign, salesperson, subject, language) with a new number, today's \
                date (or --date) and `follows:` naming the logged segment; the lines' one-off values \
                (comment, description, subject, attachment) are dropped unless \
                --keep-line-overrides. The number is the next of the number series (setup.yaml; \
                without one, the next after the logged segment's number) unless --no is given.
                """
        )

        @Argument(help: "The logged segment's entry number (see `segment logged`).")
        var loggedSegment: Int64

        @Option(name: .long, help: "The contacts CSV of the new segment (every contact must be in it).")
        var contacts: String

        @Option(name: .long, help: "The new segment's number.")
        var no: String?

        @Option(name: .long, help: "The new segment's description (default: the logged segment's).")
        var description: String?

        @Option(name: .long, help: "The template code (default: the one most entries used).")
        var template: String?

        @Option(name: .long, help: "The interaction date, yyyy-MM-dd (default: today).")
        var date: String?

        @Option(name: .long, help: "The segment file to write (default: NO.yaml).")
        var file: String?

        @Flag(name: .long, help: "Also copy the lines' one-off values: comment, description, subject, attachment.")
        var keepLineOverrides = false

        @OptionGroup var catalogue: TemplatesOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            var request = ReuseLoggedSegmentRequest(loggedSegmentEntryNo: loggedSegment, contactsPath: contacts)
            request.keepLineOverrides = keepLineOverrides
            request.templatesDirectory = catalogue.templates
            request.no = no
            request.description = description
            request.templateCode = template
            request.date = try parseDay(date, option: "--date")
            request.path = file
            let created = try reportingErrors { try SegmentBuilder.fromLogged(request, log: database.log) }
            print(
                "created segment \(created.segment.header.no) with \(created.segment.lines.count) "
                    + "line\(created.segment.lines.count == 1 ? "" : "s"): \(created.path)")
        }
    }

    struct Logged: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logged",
            abstract: "List the logged segments."
        )

        @OptionGroup var list: ListFormatOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let segments = try reportingErrors { try LogReader.loggedSegments(log: database.log) }
            let header = ["ENTRY", "SEGMENT", "DESCRIPTION", "INTERACTIONS", "CREATED", "USER", "CANCELED"]
            var rows = segments.map { s in
                [
                    String(s.entryNo), s.segmentNo, s.description, String(s.numberOfInteractions),
                    ISO8601DateFormatter().string(from: s.createdAt), s.userID, s.canceled ? "yes" : "no",
                ]
            }
            // Distributed runs not logged yet (PostgreSQL only): in progress, with chunks done/total.
            for progress in try reportingErrors({ try DistributedRun.runs(log: database.log) }) where ["planned", "merged"].contains(progress.run.status) {
                let run = progress.run
                let state =
                    run.status == "merged"
                    ? "merged, print run not joined yet (mailmerge finish \(run.id))" : "in progress (chunks \(progress.chunksDone)/\(run.chunkCount))"
                rows.append([
                    "run \(run.id)", run.segmentNo, run.description, "\(progress.linesDone)/\(run.lineCount)",
                    ISO8601DateFormatter().string(from: run.createdAt), "", state,
                ])
            }
            try list.print(segments, header: header, rows: rows)
        }
    }
}

/// add-contacts, reduce-contacts and refine-contacts: each is named after its criteria action and applies it to a segment file.
protocol CriteriaActionCommand: ParsableCommand {
    static var action: CriteriaAction { get }
    static var abstract: String { get }
    var options: CriteriaActionOptions { get }
}

extension CriteriaActionCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: action.rawValue, abstract: abstract) }

    func run() throws { try options.run(Self.action) }
}

/// The arguments of add-contacts, reduce-contacts and refine-contacts.
struct CriteriaActionOptions: ParsableArguments {
    @Argument(help: "The segment file (YAML).")
    var segment: String

    @Option(name: .long, help: "The criteria, e.g. \"Country=NL AND City=Amst*\" (see `segment --help`).")
    var `where`: String

    func run(_ action: CriteriaAction) throws {
        let outcome = try reportingErrors { try SegmentBuilder.apply(action, criteria: `where`, to: segment) }
        print(CriteriaReport.line(action, outcome))
    }
}

/// One line saying what a criteria action did.
enum CriteriaReport {
    static func line(_ action: CriteriaAction, _ outcome: CriteriaOutcome) -> String {
        let matched = "\(outcome.matched) contact\(outcome.matched == 1 ? "" : "s") matched"
        switch action {
        case .add:
            return "\(action.rawValue): \(matched); added \(outcome.added), \(outcome.alreadyPresent) already in the segment"
        case .reduce, .refine:
            return "\(action.rawValue): \(matched); removed \(outcome.removed) line\(outcome.removed == 1 ? "" : "s")"
        }
    }
}
