import ArgumentParser
import Foundation
import InteractionLog
import MailMergeKit

/// Output formats for lists.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Read the interaction log.",
        subcommands: [ListEntries.self]
    )

    struct ListEntries: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List interaction log entries."
        )

        @Option(name: .long, help: "Only entries of this segment no.")
        var segment: String?

        @Option(name: .long, help: "Only entries of this contact no.")
        var contact: String?

        @Option(name: .long, help: "table, json or csv.")
        var format: ListFormat = .table

        @Option(name: .long, help: "The interaction log (SQLite file).")
        var db = "mailmerge.sqlite"

        func run() throws {
            let entries = try reportingErrors {
                try LogReader.entries(database: db, filter: LogFilter(segmentNo: segment, contactNo: contact))
            }
            let header = ["ENTRY", "DATE", "CONTACT", "COMPANY", "TEMPLATE", "DESCRIPTION", "TYPE", "LANG",
                          "SEGMENT", "LOGGED SEG", "COST", "DURATION", "STATUS", "DOCUMENT"]
            let rows = entries.map { e in
                [String(e.entryNo), e.date, e.contactNo, e.contactCompanyNo, e.templateCode, e.description,
                 e.correspondenceType.rawValue, e.languageCode, e.segmentNo ?? "",
                 e.loggedSegmentEntryNo.map(String.init) ?? "", "\(e.cost)", "\(e.duration)",
                 e.status, e.documentPath ?? ""]
            }
            try reportingErrors { try Output.print(entries, header: header, rows: rows, format: format) }
        }
    }
}

struct SegmentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segments",
        abstract: "Logged segments.",
        subcommands: [Logged.self]
    )

    struct Logged: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logged",
            abstract: "List the logged segments."
        )

        @Option(name: .long, help: "table, json or csv.")
        var format: ListFormat = .table

        @Option(name: .long, help: "The interaction log (SQLite file).")
        var db = "mailmerge.sqlite"

        func run() throws {
            let segments = try reportingErrors { try LogReader.loggedSegments(database: db) }
            let header = ["ENTRY", "SEGMENT", "DESCRIPTION", "INTERACTIONS", "CREATED", "USER", "CANCELED"]
            let rows = segments.map { s in
                [String(s.entryNo), s.segmentNo, s.description, String(s.numberOfInteractions),
                 ISO8601DateFormatter().string(from: s.createdAt), s.userID, s.canceled ? "yes" : "no"]
            }
            try reportingErrors { try Output.print(segments, header: header, rows: rows, format: format) }
        }
    }
}

extension InteractionLogEntry {
    /// logged, canceled, postponed or attempt failed.
    var status: String {
        if canceled { return "canceled" }
        if postponed { return "postponed" }
        if attemptFailed { return "attempt failed" }
        return "logged"
    }
}

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
            FileHandle.standardOutput.write(try CSVTable.text(header: header, rows: rows))
        }
    }
}
