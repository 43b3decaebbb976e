import Foundation
import Testing

@testable import MailMergeKit

/// The message headers' fast paths (decided on the bytes when nothing is to be removed, escaped or encoded) give the
/// text the character-wise way gave: addresses and Message-IDs, quoted and encoded names, subjects, file names.
struct EmailHeaderFastPathTests {
    static let texts = [
        "", "p2@example.com", "a b@example.com", "<x@y>", "x\r\ny@z", "tab\t@x", "nbsp\u{A0}@x", "line\u{2028}sep@x", "ü@beispiel.de",
        "Zoë Ærøskøbing", "J. Smith", "O'Brien, Sean", "say \"hi\"", "back\\slash", "日本語", "😀", "e\u{301}", "a\u{85}b", "del\u{7F}x",
        "Subject\r\nBcc: evil@example.com", "only\rcr", "only\nlf", "New products for the winter season", "letter.docx", "brief Ø.docx",
    ]

    @Test(arguments: texts)
    func bracketsAndSpacesAsCharacterWise(_ text: String) {
        #expect(EmailMessage.withoutBracketsAndSpaces(text) == String(text.filter { !"<>".contains($0) && !$0.isWhitespace }))
    }

    @Test(arguments: texts)
    func headersAsBefore(_ text: String) {
        #expect(EmailMessage.encodedText(text) == Self.referenceEncodedText(text), "\(text.debugDescription)")
        #expect(EmailMessage.parameter("filename", text) == Self.referenceParameter("filename", text), "\(text.debugDescription)")
        let mailbox = EmailAddress(name: text, address: text.isEmpty ? "x@example.com" : text)
        #expect(EmailMessage.mailbox(mailbox) == Self.referenceMailbox(mailbox), "\(text.debugDescription)")
    }

    @Test func messageIDWithoutBracketsOrSpaces() {
        let message = EmailMessage(
            from: EmailAddress(address: "a@b"), to: EmailAddress(address: "c@d"), subject: "s", body: "b", attachment: nil, messageID: "<a b>@c\r\n")
        let text = String(decoding: message.rendered(), as: UTF8.self)
        #expect(text.contains("\r\nMessage-ID: <ab@c>\r\n"))
    }

    static func isPlainASCII(_ text: String) -> Bool { text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F } }

    static func referenceEncodedText(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard !isPlainASCII(oneLine) else { return oneLine }
        var words: [String] = []
        var chunk = ""
        for character in oneLine {
            if chunk.utf8.count + String(character).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    static func referenceParameter(_ name: String, _ value: String) -> String {
        if isPlainASCII(value) {
            return "\(name)=\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        return "\(name)*=utf-8''" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
    }

    static func referenceMailbox(_ mailbox: EmailAddress) -> String {
        let name = mailbox.name.trimmingCharacters(in: .whitespaces)
        let address = String(mailbox.address.filter { !"<>".contains($0) && !$0.isWhitespace })
        guard !name.isEmpty else { return address }
        let atom = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&'*+-/=?^_`{|}~")
        let shown: String
        if !isPlainASCII(name) {
            shown = referenceEncodedText(name)
        } else if name.unicodeScalars.allSatisfy({ atom.contains($0) }) {
            shown = name
        } else {
            shown = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return shown.hasPrefix("=?") ? "\(shown)\r\n <\(address)>" : "\(shown) <\(address)>"
    }
}
