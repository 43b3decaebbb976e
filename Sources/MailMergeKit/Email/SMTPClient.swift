import CLibCurl
import Foundation
import Segments

/// The SMTP server e-mail interactions are sent through (`--smtp`).
///
/// `smtp://host:port` talks SMTP and upgrades with STARTTLS: required when credentials are
/// given (a password never goes out in clear), used when offered otherwise; `smtps://host:port`
/// is TLS from the start (implicit TLS, port 465). The user name and password come from the
/// environment (`MAILMERGE_SMTP_USER`, `MAILMERGE_SMTP_PASSWORD`) and are never printed.
public struct SMTPServer: Sendable {
    public let url: String
    public let user: String?
    let password: String?
    /// Seconds to connect; seconds for one whole message.
    public var connectTimeout = 30
    public var timeout = 120

    public static let userVariable = "MAILMERGE_SMTP_USER"
    public static let passwordVariable = "MAILMERGE_SMTP_PASSWORD"

    /// Checks `url`; the credentials are read from the environment.
    public init(url: String) throws(MailMergeError) {
        let environment = ProcessInfo.processInfo.environment
        try self.init(url: url, user: environment[Self.userVariable], password: environment[Self.passwordVariable])
    }

    public init(url: String, user: String?, password: String?) throws(MailMergeError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://"), URL(string: url)?.host?.isEmpty == false else {
            throw .validation([
                Diagnostic(source: "--smtp \(url)", message: "give the server as smtp://host:port (STARTTLS) or smtps://host:port (implicit TLS)")
            ])
        }
        guard URL(string: url)?.user == nil else {
            throw .validation([
                Diagnostic(source: "--smtp", message: "put no user or password in the URL; set \(Self.userVariable) and \(Self.passwordVariable) instead")
            ])
        }
        self.url = url
        self.user = user.flatMap { $0.isEmpty ? nil : $0 }
        self.password = password
    }

    var implicitTLS: Bool { url.lowercased().hasPrefix("smtps://") }
}

/// What the server answered to one message: accepted or not, and its reply (`250 OK`, `550 5.1.1 …`).
public struct SMTPReply: Sendable, Hashable {
    public var accepted: Bool
    public var text: String
}

/// Sends one message with libcurl's SMTP client (the maintained C implementation; no SMTP of our own).
enum SMTPClient {
    private static let initialized: Bool = mailmerge_curl_global_init() == CURLE_OK

    /// Sends `message` (a rendered RFC 5322 message) from `sender` to `recipient`. Never throws:
    /// a refusal, a connection failure or a timeout comes back as a reply that was not accepted.
    static func send(_ message: Data, from sender: String, to recipient: String, via server: SMTPServer) -> SMTPReply {
        guard initialized, let curl = curl_easy_init() else {
            return SMTPReply(accepted: false, text: "libcurl could not be initialised")
        }
        let transfer = Transfer(message)
        let context = Unmanaged.passRetained(transfer)
        let recipients = curl_slist_append(nil, "<\(recipient)>")
        let errorSize = Int(mailmerge_curl_error_size()) + 1
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: errorSize)
        errorBuffer.initialize(repeating: 0, count: errorSize)
        defer {
            // The session first (its QUIT may still call back), then what the callbacks use.
            curl_easy_cleanup(curl)
            curl_slist_free_all(recipients)
            context.release()
            errorBuffer.deallocate()
        }
        let pointer = context.toOpaque()
        var options: [CURLcode] = [
            mailmerge_curl_setopt_string(curl, CURLOPT_URL, server.url),
            mailmerge_curl_setopt_string(curl, CURLOPT_MAIL_FROM, "<\(sender)>"),
            mailmerge_curl_setopt_pointer(curl, CURLOPT_MAIL_RCPT, UnsafeMutableRawPointer(recipients)),
            mailmerge_curl_setopt_long(curl, CURLOPT_UPLOAD, 1),
            mailmerge_curl_setopt_read(curl) { buffer, size, count, context in
                guard let buffer, let context else { return 0 }
                return Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().read(into: buffer, capacity: size * count)
            },
            mailmerge_curl_setopt_pointer(curl, CURLOPT_READDATA, pointer),
            mailmerge_curl_setopt_long(curl, CURLOPT_INFILESIZE, message.count),
            // The server's replies come through the debug callback (only incoming headers are kept).
            mailmerge_curl_setopt_long(curl, CURLOPT_VERBOSE, 1),
            mailmerge_curl_setopt_debug(curl) { _, type, data, size, context in
                guard type == CURLINFO_HEADER_IN, let data, let context else { return 0 }
                Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue().received(UnsafeRawBufferPointer(start: data, count: size))
                return 0
            },
            mailmerge_curl_setopt_pointer(curl, CURLOPT_DEBUGDATA, pointer),
            mailmerge_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1),
            mailmerge_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT, server.connectTimeout),
            mailmerge_curl_setopt_long(curl, CURLOPT_TIMEOUT, server.timeout),
            mailmerge_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)),
        ]
        if !server.implicitTLS {
            let level = server.user == nil ? CURLUSESSL_TRY : CURLUSESSL_ALL
            options.append(mailmerge_curl_setopt_long(curl, CURLOPT_USE_SSL, Int(level.rawValue)))
        }
        if let user = server.user {
            options.append(mailmerge_curl_setopt_string(curl, CURLOPT_USERNAME, user))
            options.append(mailmerge_curl_setopt_string(curl, CURLOPT_PASSWORD, server.password ?? ""))
        }
        if let failed = options.first(where: { $0 != CURLE_OK }) {
            return SMTPReply(accepted: false, text: "libcurl refused an option: " + String(cString: curl_easy_strerror(failed)))
        }
        let code = curl_easy_perform(curl)
        _ = mailmerge_curl_setopt_long(curl, CURLOPT_VERBOSE, 0)
        if code == CURLE_OK { return SMTPReply(accepted: true, text: transfer.lastReply { $0.hasPrefix("2") && !$0.hasPrefix("221") } ?? "accepted") }
        // The refusal (4xx, 5xx), not a closing "221 Bye" that may follow it.
        if let refusal = transfer.lastReply(where: { $0.hasPrefix("4") || $0.hasPrefix("5") }) { return SMTPReply(accepted: false, text: refusal) }
        let detail = String(cString: errorBuffer)
        let curlText = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return SMTPReply(accepted: false, text: curlText + (transfer.lastReply { _ in true }.map { " (last reply: \($0))" } ?? ""))
    }

    /// The message being uploaded and the server's reply lines.
    private final class Transfer {
        let bytes: [UInt8]
        var offset = 0
        var lines: [String] = []
        init(_ message: Data) { bytes = [UInt8](message) }

        /// Copies the next bytes of the message into libcurl's buffer; 0 at the end.
        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
            let length = min(capacity, bytes.count - offset)
            guard length > 0 else { return 0 }
            bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + offset, byteCount: length)
            }
            offset += length
            return length
        }

        /// Keeps the lines of what the server sent.
        func received(_ data: UnsafeRawBufferPointer) {
            lines += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        }

        /// The server's last reply whose final line matches `matching` (a multi-line reply joined with spaces).
        func lastReply(where matching: (String) -> Bool) -> String? {
            guard
                let last = lines.lastIndex(where: { $0.count >= 4 && $0.prefix(3).allSatisfy(\.isNumber) && $0.dropFirst(3).first == " " && matching($0) })
            else { return nil }
            var start = last
            let code = String(lines[last].prefix(3))
            while start > 0 && lines[start - 1].hasPrefix(code + "-") { start -= 1 }
            return lines[start...last].joined(separator: " ")
        }
    }
}
