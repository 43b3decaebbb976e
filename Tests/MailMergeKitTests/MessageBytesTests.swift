import Foundation
import Testing

@testable import MailMergeKit

/// `MessageBytes` encodes base64 in place at the end of what the message holds so far.
@Suite struct MessageBytesTests {
    @Test func base64AfterHeadersKeepsTheHeadersAndIsFoundations() {
        for count in [0, 1, 2, 3, 56, 57, 58, 114, 1000, 57 * 40 + 2] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var output = MessageBytes()
            output.line("Content-Transfer-Encoding: base64")
            output.line("")
            output.base64Lines(bytes)
            output.line("--end")
            let expected = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            let text = "Content-Transfer-Encoding: base64\r\n\r\n" + (count == 0 ? "" : expected + "\r\n") + "--end\r\n"
            #expect(String(decoding: output.bytes, as: UTF8.self) == text, "\(count) bytes")
        }
    }

    /// A text part is its text with CRLF line ends (a lone LF gets a CR, CRLF and a lone CR stay) in base64 lines, as
    /// Foundation encodes it, at every length around a line's 57 bytes.
    @Test func textPartIsTheCRLFTextInBase64() {
        let pieces = ["a", "\n", "\r\n", "\r", "ü", "😀", "line of text "]
        for count in [0, 1, 2, 55, 56, 57, 58, 113, 114, 115, 400] {
            var body = ""
            var seed = count
            while body.utf8.count < count {
                seed = (seed &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
                body += pieces[seed % pieces.count]
            }
            let message = EmailMessage(
                from: EmailAddress(address: "a@example.com"), to: EmailAddress(address: "b@example.com"), subject: "s", body: body,
                attachment: nil)
            let text = String(decoding: message.renderedBytes(), as: UTF8.self)
            var crlf: [UInt8] = []
            var previous: UInt8 = 0
            for byte in body.utf8 {
                if byte == 0x0A && previous != 0x0D { crlf.append(0x0D) }
                crlf.append(byte)
                previous = byte
            }
            let encoded = Data(crlf).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(text.hasSuffix("Content-Transfer-Encoding: base64\r\n\r\n" + (crlf.isEmpty ? "" : encoded + "\r\n")), "\(count) bytes")
        }
    }

    /// `renderedBytes` reserves at least what the message takes, so its buffer is never copied to grow: long and
    /// non-ASCII headers and file names, an HTML body, text of line feeds only, an attachment.
    @Test func reservedSizeHoldsTheMessage() {
        let long = String(repeating: "Zoë Ørsted, Łukasz 東京 ", count: 20)
        for html in [nil, "<p>" + long + "</p>"] {
            for attachment in [nil, EmailMessage.Attachment(fileName: long + ".docx", contentType: "application/pdf", bytes: Data(count: 14855))] {
                for body in ["", String(repeating: "\n", count: 500), long] {
                    let message = EmailMessage(
                        from: EmailAddress(name: long, address: "sales@example.com"), to: EmailAddress(name: long, address: "zoe@example.com"),
                        subject: long, body: body, htmlBody: html, attachment: attachment)
                    let count = message.renderedBytes().count
                    #expect(count <= message.reservedSize, "\(count) bytes, \(message.reservedSize) reserved")
                }
            }
        }
    }
}
