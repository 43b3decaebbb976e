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
}
