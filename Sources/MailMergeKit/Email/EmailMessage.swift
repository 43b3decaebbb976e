import Foundation
import Synchronization

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
    public func rendered() -> Data { Data(renderedBytes()) }

    /// The message as bytes, CRLF line ends: built in one buffer, the attachment base64-encoded straight into it.
    func renderedBytes() -> [UInt8] {
        var output = MessageBytes()
        output.reserve(reservedSize)
        output.line("From: " + Self.mailbox(from))
        output.line("To: " + Self.mailbox(to))
        output.line("Subject: " + Self.encodedText(subject))
        output.line("Date: " + Self.dateText(date))
        output.line("Message-ID: <" + Self.withoutBracketsAndSpaces(messageID) + ">")
        output.line("MIME-Version: 1.0")
        let bodyPart = { (output: inout MessageBytes) in
            guard let htmlBody else { return Self.textPart("text/plain", body, into: &output) }
            Self.multipart("alternative", boundary: "mailmerge-alt-" + UUID().uuidString, into: &output) { output, part in
                switch part {
                case 0: Self.textPart("text/plain", body, into: &output)
                default: Self.textPart("text/html", htmlBody, into: &output)
                }
            }
        }
        guard let attachment else {
            bodyPart(&output)
            return output.bytes
        }
        Self.multipart("mixed", boundary: "mailmerge-" + UUID().uuidString, into: &output) { output, part in
            switch part {
            case 0: bodyPart(&output)
            default:
                output.line("Content-Type: \(attachment.contentType); " + Self.parameter("name", attachment.fileName))
                output.line("Content-Disposition: attachment; " + Self.parameter("filename", attachment.fileName))
                output.line("Content-Transfer-Encoding: base64")
                output.line("")
                output.base64Lines(attachment.bytes)
            }
        }
        return output.bytes
    }

    /// At least the size of `renderedBytes()`, so that its buffer never grows (a copy of the whole message): the
    /// parts' base64 as `MessageBytes.base64Size` counts it (a text's line feeds counted as CR LF), and room for the
    /// headers, boundaries and part headers, with the header text encoded (RFC 2047 words, RFC 2231 file names).
    var reservedSize: Int {
        func crlfSize(_ text: String) -> Int { text.utf8.count + text.utf8.count(where: { $0 == 0x0A }) }
        let headerText = subject.utf8.count + from.name.utf8.count + to.name.utf8.count + from.address.utf8.count + to.address.utf8.count
        var size = 1024 + 3 * headerText + MessageBytes.base64Size(crlfSize(body)) + messageID.utf8.count
        if let htmlBody { size += 256 + MessageBytes.base64Size(crlfSize(htmlBody)) }
        if let attachment {
            size += 256 + attachment.contentType.utf8.count + 6 * attachment.fileName.utf8.count + MessageBytes.base64Size(attachment.bytes.count)
        }
        return size
    }

    /// A text part's headers and base64 content (CRLF line ends in the text).
    private static func textPart(_ type: String, _ text: String, into output: inout MessageBytes) {
        output.line("Content-Type: \(type); charset=utf-8")
        output.line("Content-Transfer-Encoding: base64")
        output.line("")
        // Converted a base64 line's worth (57 bytes) at a time, each encoded as it is full: no copy of the whole text.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: MessageBytes.lineBytes) { line in
            var count = 0
            var previous: UInt8 = 0
            func put(_ byte: UInt8) {
                line[count] = byte
                count += 1
                if count == line.count {
                    output.base64Lines(UnsafeRawBufferPointer(line))
                    count = 0
                }
            }
            for byte in text.utf8 {
                // "\r\n" stays, a lone "\n" becomes "\r\n" (a lone "\r" stays as it is).
                if byte == 0x0A && previous != 0x0D { put(0x0D) }
                put(byte)
                previous = byte
            }
            output.base64Lines(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[..<count])))
        }
    }

    /// A multipart entity: its Content-Type header, a preamble and two parts (`part` writes part 0 and 1) between boundaries.
    private static func multipart(_ subtype: String, boundary: String, into output: inout MessageBytes, part: (inout MessageBytes, Int) -> Void) {
        output.line("Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"")
        output.line("")
        output.line("This is a multi-part message in MIME format.")
        for index in 0..<2 {
            output.line("--" + boundary)
            part(&output, index)
        }
        output.line("--" + boundary + "--")
    }

    /// The `Date:` header's text of `date`. A run writes many messages a second: the text is made once per second (by ICU
    /// through DateFormatter) and reused within that second.
    static func dateText(_ date: Date) -> String {
        let second = date.timeIntervalSince1970.rounded(.down)
        if let last = lastDate.withLock({ $0 }), last.second == second { return last.text }
        let text = dateFormatter.string(from: Date(timeIntervalSince1970: second))
        lastDate.withLock { $0 = (second, text) }
        return text
    }

    private static let lastDate = Mutex<(second: Double, text: String)?>(nil)

    private static let dateFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }()

    /// `Name <address>`, the name quoted or encoded as needed.
    static func mailbox(_ mailbox: EmailAddress) -> String {
        let name = mailbox.name.trimmingBlanks
        // Line breaks or brackets in an address from the data must not start a new header.
        let address = withoutBracketsAndSpaces(mailbox.address)
        guard !name.isEmpty else { return address }
        let shown: String
        if !isPlainASCII(name) {
            shown = encodedText(name)
        } else if name.utf8.allSatisfy({ atomBytes[Int($0)] }) {
            shown = name
        } else {
            shown = "\"" + escapedQuotes(name) + "\""
        }
        // An encoded name may fill a line: the address then goes on a continuation line.
        return shown.hasPrefix("=?") ? "\(shown)\r\n <\(address)>" : "\(shown) <\(address)>"
    }

    /// `text` as is when it is printable ASCII, else as RFC 2047 `=?UTF-8?B?…?=` words (64
    /// characters, so a header line stays within 78), split between characters and folded
    /// onto continuation lines.
    /// Per ASCII byte: whether a plain ASCII display name made only of these needs no quotes (letters, digits, space and
    /// `!#$%&'*+-/=?^_`{|}~`), looked up by byte instead of by Character for every message.
    private static let atomBytes: [Bool] = (0..<256).map { byte in
        guard byte < 0x80, let scalar = Unicode.Scalar(byte) else { return false }
        let character = Character(scalar)
        return character.isLetter || character.isNumber || " !#$%&'*+-/=?^_`{|}~".contains(character)
    }

    static func encodedText(_ text: String) -> String {
        let oneLine =
            text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A })
            ? text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") : text
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
            return "\(name)=\"" + escapedQuotes(value) + "\""
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        return "\(name)*=utf-8''" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
    }

    /// Whether every scalar of `text` is printable ASCII (decided on its bytes: a byte outside 0x20…0x7E is a control
    /// character or part of a scalar beyond ASCII).
    private static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// `text` without `<`, `>` and whitespace characters (from the data, they must not end the header or start another):
    /// decided on the bytes when nothing is to be removed, else character by character.
    static func withoutBracketsAndSpaces(_ text: String) -> String {
        // Printable ASCII but space and the brackets: no character of it is whitespace or a bracket.
        if text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }) { return text }
        return String(text.filter { !"<>".contains($0) && !$0.isWhitespace })
    }

    /// `text` with `\` and `"` escaped by a backslash, for a quoted string (nothing replaced when it has neither).
    private static func escapedQuotes(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return text }
        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// A message being written: lines ending in CRLF, base64 in lines of 76 characters.
struct MessageBytes {
    private(set) var bytes: [UInt8] = []

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

    /// `text` and CRLF.
    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(0x0D)
        bytes.append(0x0A)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// Per 12 bits, their two base64 characters (the first in the low byte): 3 bytes are encoded with two lookups.
    private static let pairs: [UInt16] = (0..<4096).map { UInt16(alphabet[$0 >> 6]) | UInt16(alphabet[$0 & 0x3F]) << 8 }

    /// The bytes that make a base64 line of 76 characters.
    static let lineBytes = 57

    /// The size of `count` bytes in base64 lines (`base64Lines`).
    static func base64Size(_ count: Int) -> Int { (count + 2) / 3 * 4 + (count + lineBytes - 1) / lineBytes * 2 }

    /// `data` in base64 (RFC 4648, padded), 76 characters and CRLF a line; nothing for no bytes.
    mutating func base64Lines<Bytes: Collection<UInt8>>(_ data: Bytes) {
        let done: Void? = data.withContiguousStorageIfAvailable { base64Lines(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(data).withUnsafeBytes { base64Lines($0) } }
    }

    /// As `base64Lines(_:)`: `input` in base64 lines. Lines are 57 bytes each: encoding a text 57 bytes at a time
    /// gives what encoding it at once gives.
    mutating func base64Lines(_ input: UnsafeRawBufferPointer) {
        let count = input.count
        guard count > 0, let source = input.baseAddress else { return }
        let size = Self.base64Size(count)
        // Encoded in place at the end of the message (reserved by `renderedBytes`), not into an array of its own.
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { whole in
            Self.pairs.withUnsafeBufferPointer { pairs in
                let first = whole.baseAddress! + start
                var out = first
                var position = 0
                // Three bytes as four characters, written at once.
                func group(_ at: UnsafeRawPointer) {
                    let value =
                        UInt32(at.load(as: UInt8.self)) << 16 | UInt32(at.load(fromByteOffset: 1, as: UInt8.self)) << 8
                        | UInt32(at.load(fromByteOffset: 2, as: UInt8.self))
                    out.storeBytes(of: (UInt32(pairs[Int(value >> 12)]) | UInt32(pairs[Int(value & 0xFFF)]) << 16).littleEndian, as: UInt32.self)
                    out += 4
                }
                while position < count {
                    let end = Swift.min(position + 57, count)
                    while position + 3 <= end {
                        group(source + position)
                        position += 3
                    }
                    if position < end {  // the last one or two bytes
                        let hasSecond = position + 1 < end
                        let value =
                            UInt32(source.load(fromByteOffset: position, as: UInt8.self)) << 16
                            | (hasSecond ? UInt32(source.load(fromByteOffset: position + 1, as: UInt8.self)) << 8 : 0)
                        out.storeBytes(of: Self.alphabet[Int(value >> 18)], as: UInt8.self)
                        out.storeBytes(of: Self.alphabet[Int(value >> 12 & 0x3F)], toByteOffset: 1, as: UInt8.self)
                        out.storeBytes(of: hasSecond ? Self.alphabet[Int(value >> 6 & 0x3F)] : UInt8(ascii: "="), toByteOffset: 2, as: UInt8.self)
                        out.storeBytes(of: UInt8(ascii: "="), toByteOffset: 3, as: UInt8.self)
                        out += 4
                        position = end
                    }
                    out.storeBytes(of: 0x0D, as: UInt8.self)
                    out.storeBytes(of: 0x0A, toByteOffset: 1, as: UInt8.self)
                    out += 2
                }
                precondition(out - first == size, "base64 of \(count) bytes in lines of 76 is \(size) bytes")
            }
        }
    }
}
