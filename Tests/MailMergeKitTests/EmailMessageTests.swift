import Foundation
import MailMergeKit
import Testing

/// The `.eml` writer, read back by Python's `email` package.
struct EmailMessageTests {
    @Test func nonASCIIHeadersAndFileNamesRoundTrip() throws {
        let subject = "Réunion d'information: nouveautés pour l'hiver — Zoë Ørsted, Łukasz, Ngozi Okonkwo-Adébáyọ̀, 東京"
        let message = EmailMessage(
            from: EmailAddress(name: "Smith, \"Jones\" & Co", address: "sales@example.com"),
            to: EmailAddress(name: "Zoë Ørsted", address: "zoe@obrien.example"),
            subject: subject, body: "Dear Zoë,\nthe letter is attached.",
            attachment: .init(
                fileName: "0011-CT000011-Ørsted.docx", contentType: "application/octet-stream",
                bytes: Data((0..<1000).map { UInt8($0 % 256) })))
        let data = message.rendered()
        let text = String(decoding: data, as: UTF8.self)
        let headerLines = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(headerLines.allSatisfy { $0.utf8.count <= 78 }, "folded header lines")
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "7-bit message")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF line ends only")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString).eml")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let parsed = try #require(try ExternalCheck.parseEmails([file]).first)
        #expect(parsed.subject == subject)
        #expect(parsed.to == ["zoe@obrien.example"] && parsed.toName == "Zoë Ørsted")
        #expect(parsed.from == "\"Smith, \\\"Jones\\\" & Co\" <sales@example.com>")
        #expect(parsed.body.hasPrefix("Dear Zoë,"))
        #expect(parsed.defects == 0)
        let attachment = try #require(parsed.attachments.first)
        #expect(attachment.filename == "0011-CT000011-Ørsted.docx")
        #expect(attachment.size == 1000)
    }
}

extension EmailMessageTests {
    @Test func lineBreaksInDataCannotAddHeaders() throws {
        let message = EmailMessage(
            from: EmailAddress(address: "sales@example.com"),
            to: EmailAddress(name: "Eve\r\nBcc: name@evil.example", address: "eve@example.com\r\nBcc: addr@evil.example"),
            subject: "Hello\r\nBcc: subject@evil.example", body: "Hi",
            attachment: .init(fileName: "letter.docx", contentType: "application/octet-stream", bytes: Data([1, 2, 3])))
        let text = String(decoding: message.rendered(), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(!lines.contains { $0.lowercased().hasPrefix("bcc:") }, "\(lines.prefix(8))")
    }
}
