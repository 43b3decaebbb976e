import Foundation
import Testing

@testable import MergeEngine

/// `AddressFormat.lines(of:)`'s path for text without a line break (every segment line's locality) against cutting the
/// text at CR and LF scalar by scalar, trimming and dropping empty lines, as it did for all text.
@Suite struct AddressLinesTests {
    static func reference(_ text: String) -> [String] {
        text.unicodeScalars.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    @Test func linesAreCutAtBreaksTrimmedAndNonEmpty() {
        let texts = [
            "", " ", "\t", "1012 AB Amsterdam", " 1012 AB  Amsterdam ", "\u{00A0}Zürich\u{00A0}", "75001 PARIS\n", "\nLONDON\r\nSW1A 1AA\r",
            "a\rb", "a\n\n b \n", "\r\n", " \n ", "Kraków\u{2003}", "e\u{301}", "\u{301}x", "日本\u{3000}", "a\u{2028}b", "a\u{85}b",
        ]
        for text in texts {
            #expect(AddressFormat.lines(of: text) == Self.reference(text), "\(text.debugDescription)")
        }
        #expect(AddressFormat.lines(of: " 1012 AB  Amsterdam ") == ["1012 AB  Amsterdam"])
        #expect(AddressFormat.lines(of: "\nLONDON\r\nSW1A 1AA\r") == ["LONDON", "SW1A 1AA"])
        #expect(AddressFormat.lines(of: " \t ").isEmpty)
    }
}
