import Foundation

/// A mailbox: a display name (may be empty) and an address.
public struct EmailAddress: Sendable, Hashable {
    public var name: String
    public var address: String
    public init(name: String = "", address: String) {
        self.name = name
        self.address = address
    }
}

/// An RFC 5322 / MIME message with a plain-text body (and an HTML one, if any) and at most one
/// attachment, written as an `.eml` file and sent as it is: `multipart/mixed` when there is an
/// attachment, every part base64 (lines of 76), non-ASCII header text as
/// RFC 2047 encoded words, a non-ASCII file name as an RFC 2231 parameter.
public struct EmailMessage: Sendable {
    /// A file attached to the message.
    public struct Attachment: Sendable {
        public var fileName: String
        public var contentType: String
        public var bytes: Data
        public init(fileName: String, contentType: String, bytes: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.bytes = bytes
        }
    }

    public var from: EmailAddress
    public var to: EmailAddress
    public var subject: String
    public var date: Date
    /// The plain-text body.
    public var body: String
    /// An HTML version of the body (sent as `multipart/alternative` with the plain text), if any.
    public var htmlBody: String?
    /// The attached file, if any.
    public var attachment: Attachment?
    /// The `Message-ID` (without angle brackets): one per message, kept when it is sent again.
    public var messageID: String

    public init(
        from: EmailAddress, to: EmailAddress, subject: String, date: Date = Date(), body: String, htmlBody: String? = nil,
        attachment: Attachment?, messageID: String = UUID().uuidString + "@mailmerge.invalid"
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.body = body
        self.htmlBody = htmlBody
        self.attachment = attachment
        self.messageID = messageID
    }

    /// The message as bytes, CRLF line ends.
    public func rendered() -> Data {
        var lines = [
            "From: " + Self.mailbox(from),
            "To: " + Self.mailbox(to),
            "Subject: " + Self.encodedText(subject),
            "Date: " + Self.dateFormatter.string(from: date),
            "Message-ID: <\(messageID.filter { !"<>".contains($0) && !$0.isWhitespace })>",
            "MIME-Version: 1.0",
        ]
        var bodyPart = Self.textPart("text/plain", body)
        if let htmlBody {
            let boundary = "mailmerge-alt-" + UUID().uuidString
            bodyPart = Self.multipart("alternative", boundary: boundary, parts: [bodyPart, Self.textPart("text/html", htmlBody)])
        }
        if let attachment {
            let boundary = "mailmerge-" + UUID().uuidString
            var file = [
                "Content-Type: \(attachment.contentType); " + Self.parameter("name", attachment.fileName),
                "Content-Disposition: attachment; " + Self.parameter("filename", attachment.fileName),
                "Content-Transfer-Encoding: base64",
                "",
            ]
            file += Self.base64Lines(attachment.bytes)
            lines += Self.multipart("mixed", boundary: boundary, parts: [bodyPart, file])
        } else {
            lines += bodyPart
        }
        lines.append("")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// A text part's headers and base64 content.
    private static func textPart(_ type: String, _ text: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + base64Lines(Data(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    /// A multipart entity: its Content-Type header, a preamble and `parts` between boundaries.
    private static func multipart(_ subtype: String, boundary: String, parts: [[String]]) -> [String] {
        var lines = ["Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"", "", "This is a multi-part message in MIME format."]
        for part in parts { lines += ["--" + boundary] + part }
        lines.append("--" + boundary + "--")
        return lines
    }

    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()

    /// `Name <address>`, the name quoted or encoded as needed.
    static func mailbox(_ mailbox: EmailAddress) -> String {
        let name = mailbox.name.trimmingCharacters(in: .whitespaces)
        // Line breaks or brackets in an address from the data must not start a new header.
        let address = String(mailbox.address.filter { !"<>".contains($0) && !$0.isWhitespace })
        guard !name.isEmpty else { return address }
        let shown: String
        if !isPlainASCII(name) {
            shown = encodedText(name)
        } else if name.allSatisfy({ $0.isLetter || $0.isNumber || " !#$%&'*+-/=?^_`{|}~".contains($0) }) {
            shown = name
        } else {
            shown = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        // An encoded name may fill a line: the address then goes on a continuation line.
        return shown.hasPrefix("=?") ? "\(shown)\r\n <\(address)>" : "\(shown) <\(address)>"
    }

    /// `text` as is when it is printable ASCII, else as RFC 2047 `=?UTF-8?B?…?=` words (64
    /// characters, so a header line stays within 78), split between characters and folded
    /// onto continuation lines.
    static func encodedText(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard !isPlainASCII(oneLine) else { return oneLine }
        var words: [String] = []
        var chunk = ""
        for character in oneLine {
            // 39 bytes of UTF-8 encode to 52 base64 characters: 64 with `=?UTF-8?B?` and `?=`.
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// `name="value"`, or for a non-ASCII value the RFC 2231 form `name*=utf-8''%C3%98…`.
    static func parameter(_ name: String, _ value: String) -> String {
        if isPlainASCII(value) {
            return "\(name)=\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        return "\(name)*=utf-8''" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
    }

    private static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    }

    /// Base64 in lines of 76 characters.
    private static func base64Lines(_ data: Data) -> [String] {
        data.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
            .split(separator: "\n").map(String.init)
    }
}
