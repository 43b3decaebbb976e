import ArgumentParser
import Foundation
import InteractionLog
import MailMergeKit
import Segments

/// Output formats for lists.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read the interaction log; cancel, restore and delete entries.",
        subcommands: [ListEntries.self, Cancel.self, Restore.self, DeleteCanceled.self, SetAttemptFailed.self, Evaluate.self, Resend.self]
    )

    struct ListEntries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List interaction log entries."
        )

        @OptionGroup var filters: LogFilterOptions

        @OptionGroup var list: ListFormatOptions

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let entries = try reportingErrors { try LogReader.entries(try filters.logFilter(), log: database.log) }
            let header = [
                "ENTRY", "DATE", "CONTACT", "COMPANY", "TEMPLATE", "DESCRIPTION", "TYPE", "LANG",
                "SEGMENT", "LOGGED SEG", "SALESPERSON", "COST", "DURATION", "STATUS", "EVALUATION", "DOCUMENT",
            ]
            let rows = entries.map { e in
                [
                    String(e.entryNo), e.date.description, e.contactNo, e.contactCompanyNo, e.templateCode, e.description,
                    e.correspondenceType.rawValue, e.languageCode, e.segmentNo ?? "",
                    e.loggedSegmentEntryNo.map(String.init) ?? "", e.salespersonCode, "\(e.cost)", "\(e.duration)",
                    e.status.rawValue, e.evaluation?.rawValue ?? "", e.documentPath ?? "",
                ]
            }
            try list.print(entries, header: header, rows: rows)
        }
    }
}

/// The options of `log list` that choose its entries.
struct LogFilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only entries of this segment no.")
    var segment: String?

    @Option(name: .long, help: "Only entries of this contact no.")
    var contact: String?

    @Option(name: .long, help: "Only entries with this interaction template code.")
    var template: String?

    @Option(name: .long, help: "Only entries dated on or after this day (yyyy-MM-dd).")
    var from: String?

    @Option(name: .long, help: "Only entries dated on or before this day (yyyy-MM-dd).")
    var to: String?

    @Option(name: .long, help: "Only entries with this status.")
    var status: EntryStatus?

    @Option(name: .long, help: "Only entries of this salesperson code.")
    var salesperson: String?

    /// The filter the options make; a bad day is reported like every input error.
    func logFilter() throws -> LogFilter {
        var filter = LogFilter(
            segmentNo: segment, contactNo: contact, templateCode: template,
            fromDate: try parseDay(from, option: "--from"), toDate: try parseDay(to, option: "--to"),
            status: status)
        filter.salespersonCode = salesperson
        return filter
    }
}

extension EntryStatus: ExpressibleByArgument {}

/// Prints records as a table, JSON or CSV.
enum Output {
    static func print<T: Encodable>(_ records: [T], header: [String], rows: [[String]], format: ListFormat) throws {
        switch format {
        case .table:
            Swift.print(TextTable(header: header, rows: rows).rendered)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            Swift.print(String(decoding: try encoder.encode(records), as: UTF8.self))
        case .csv:
            FileHandle.standardOutput.write(CSVTable.text(header: header, rows: rows))
        }
    }
}
