import ArgumentParser
import Foundation
import MailMergeKit
import MergeEngine

/// `--type`: Word's main document types, by the names of Word's Mailings tab.
enum DocumentTypeOption: String, ExpressibleByArgument, CaseIterable {
    case letters, labels, envelopes, directory, catalog, email

    var mainDocumentType: MainDocumentType {
        switch self {
        case .letters: .formLetters
        case .labels: .mailingLabels
        case .envelopes: .envelopes
        case .directory, .catalog: .catalog
        case .email: .email
        }
    }
}

/// The merge options of issue 11: document type, answers, strictness.
struct MergeTypeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            Main document type: letters, labels, envelopes, directory (catalog) or email; \
            default: the template's (Word's Mailings > Start Mail Merge), else letters.
            """)
    var type: DocumentTypeOption?

    @Flag(name: .long, help: "Form letters as ONE .docx, a section per record (Word's \"Edit individual documents\").")
    var singleDocument = false

    @Option(name: .long, parsing: .singleValue, help: "An answer for an ASK or FILLIN field: NAME=VALUE (NAME: ASK's bookmark or the prompt); repeatable.")
    var answer: [String] = []

    @Flag(name: .long, help: "Stop (write nothing) when the template has fields mailmerge does not evaluate, instead of warning.")
    var strict = false

    @Option(name: .long, help: "The sender of an e-mail merge's messages.")
    var from = "mailmerge@localhost"

    func validate() throws {
        for item in answer where !item.contains("=") {
            throw ValidationError("--answer \"\(item)\": write NAME=VALUE, e.g. --answer \"Discount=5%\"")
        }
    }

    /// `--answer` as NAME → VALUE (the last one for a name wins).
    var answers: [String: String] {
        var answers: [String: String] = [:]
        for item in answer {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            answers[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return answers
    }

    func apply(to request: inout MergeRequest) {
        request.type = type?.mainDocumentType
        request.singleDocument = singleDocument
        request.answers = answers
        request.strict = strict
        request.emailFrom = from
    }
}

/// Prints each warning to standard error as one line.
func printWarnings(_ warnings: [FieldWarning], template: String) {
    for warning in warnings {
        FileHandle.standardError.write(Data("warning: \(template): \(warning)\n".utf8))
    }
}
