import Foundation
import InteractionLog

/// What `log resend` (and `--send-email`) should send.
public struct EmailDeliveryRequest: Sendable {
    public var server: SMTPServer
    /// Only the e-mails of this segment no.
    public var segmentNo: String?
    /// Only these entries; all pending e-mails (of `segmentNo`) when empty.
    public var entries: [Int64] = []

    public init(server: SMTPServer) { self.server = server }
}

/// What a delivery run did.
public struct EmailDeliveryResult: Sendable {
    /// The entries whose message the server accepted now.
    public var sent: [InteractionLogEntry] = []
    /// The entries whose message was refused (or could not be delivered): "attempt failed", with the reply.
    public var refused: [InteractionLogEntry] = []
    /// Entries asked for by number that were sent already: not sent again.
    public var alreadySent: [InteractionLogEntry] = []
}

/// The e-mail delivery use case: sends the queued or refused e-mail interactions through SMTP
/// and records each attempt on its entry.
///
/// Each e-mail entry is recorded ONCE, when its segment (or interaction) is logged, with its
/// message file and delivery status `queued`; a delivery run only updates that status (`sent`,
/// or `refused` with "attempt failed" and the server's reply). Rerunning it therefore sends only
/// what has not been accepted yet and never logs anything twice. The message file is sent byte
/// for byte, so a message sent again keeps its Message-ID (if a run is killed between the
/// server's acceptance and the update, the next run sends that one message again, and the
/// receiving side can tell it is the same).
public enum EmailDelivery {
    public static func run(_ request: EmailDeliveryRequest, log: InteractionLogLocation) throws(MailMergeError) -> EmailDeliveryResult {
        let store = try log.opened()
        let all = try logOperation { try store.entries(LogFilter(segmentNo: request.segmentNo)) }
        var result = EmailDeliveryResult()
        var pending: [InteractionLogEntry]
        if request.entries.isEmpty {
            pending = all.filter { $0.deliveryStatus?.isPending == true && !$0.canceled && !$0.postponed }
        } else {
            let byNumber = Dictionary(all.map { ($0.entryNo, $0) }) { first, _ in first }
            pending = []
            for number in request.entries {
                guard let entry = byNumber[number] else {
                    throw .log(
                        request.segmentNo == nil
                            ? .unknownEntry(number) : .failed(reason: "entry \(number) is not an entry of segment \(request.segmentNo ?? "")"))
                }
                guard let status = entry.deliveryStatus else { throw .log(.notAnEmail(number)) }
                if entry.canceled { throw .log(.alreadyCanceled(what: "interaction log entry \(number)")) }
                if status.isPending { pending.append(entry) } else { result.alreadySent.append(entry) }
            }
        }
        for entry in pending {
            guard let path = entry.emailMessagePath, let sender = entry.emailSender, let recipient = entry.emailRecipient else {
                throw .log(.notAnEmail(entry.entryNo))
            }
            guard let message = FileManager.default.contents(atPath: path) else {
                throw .io(path: path, message: "the message of interaction log entry \(entry.entryNo) cannot be read; it was written when the entry was logged")
            }
            let reply = SMTPClient.send(message, from: sender, to: recipient, via: request.server)
            let updated = try logOperation {
                try store.recordDelivery(entry: entry.entryNo, status: reply.accepted ? .sent : .refused, reply: reply.text)
            }
            if reply.accepted { result.sent.append(updated) } else { result.refused.append(updated) }
        }
        return result
    }
}
