import ArgumentParser
import Foundation
import InteractionLog
import MailMergeKit

/// `--send-email` and `--smtp` of the commands that log e-mail interactions.
struct SendEmailOptions: ParsableArguments {
    @Flag(name: .long, help: "Send each e-mail line's message now through --smtp (else it stays queued for `log resend`).")
    var sendEmail = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SMTP server: smtp://host:port (STARTTLS; required when a user is set) or smtps://host:port (implicit TLS). "
                + "User and password come from \(SMTPServer.userVariable) and \(SMTPServer.passwordVariable).",
            valueName: "url"))
    var smtp: String?

    func validate() throws {
        if sendEmail && smtp == nil { throw ValidationError("--send-email needs the server: --smtp smtp://host:port") }
        if !sendEmail && smtp != nil { throw ValidationError("--smtp names the server for --send-email; add --send-email") }
    }

    /// The server, checked before anything is done; `nil` without `--send-email`.
    func server() throws -> SMTPServer? {
        guard sendEmail, let smtp else { return nil }
        return try reportingErrors { try SMTPServer(url: smtp) }
    }
}

/// Sends the pending e-mails `request` selects and prints one line per message; exits with
/// status 1 when the server refused one (each is "attempt failed" in the log, with its reply).
func deliverEmails(_ request: EmailDeliveryRequest, log: InteractionLogLocation, retry: String) throws {
    let result = try reportingErrors { try EmailDelivery.run(request, log: log) }
    for entry in result.alreadySent {
        print("entry \(entry.entryNo) to \(entry.emailRecipient ?? ""): sent already, not sent again")
    }
    for entry in result.sent {
        print("entry \(entry.entryNo) to \(entry.emailRecipient ?? ""): sent (\(entry.deliveryReply ?? ""))")
    }
    for entry in result.refused {
        printError("entry \(entry.entryNo) to \(entry.emailRecipient ?? ""): attempt failed: \(entry.deliveryReply ?? "")")
    }
    print("e-mails sent: \(result.sent.count), attempt failed: \(result.refused.count)")
    if !result.refused.isEmpty {
        printError(
            "\(result.refused.count) e-mail\(result.refused.count == 1 ? " was" : "s were") not accepted; fix the cause, then send only those again: \(retry)")
        throw ExitCode(1)
    }
}

extension LogCommand {
    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resend",
            abstract: "Send the e-mail interactions not accepted yet (queued or attempt failed) through SMTP.",
            discussion: """
                Every e-mail interaction is logged once, with its message (.eml) and delivery status queued; \
                `log-segment --send-email` sends them at once, and this command sends those not accepted \
                since: queued ones and those the server refused (status attempt-failed, with the server's \
                reply). An accepted message is never sent again, and nothing is logged twice: a delivery \
                only updates its entry (sent, or attempt failed with the reply). Canceled entries are left alone.
                """
        )

        @Argument(help: "Entry numbers; default: every pending e-mail (of --segment).")
        var entries: [Int64] = []

        @Option(name: .long, help: "Only the e-mails of this segment no.")
        var segment: String?

        @Option(name: .long, help: "The SMTP server, as for log-segment --smtp.")
        var smtp: String

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            var request = EmailDeliveryRequest(server: try reportingErrors { try SMTPServer(url: smtp) })
            request.segmentNo = segment
            request.entries = entries
            let again = ["mailmerge log resend"] + (segment.map { ["--segment", $0] } ?? []) + ["--smtp", smtp, "--db", database.db]
            try deliverEmails(request, log: database.log, retry: again.joined(separator: " "))
        }
    }
}
