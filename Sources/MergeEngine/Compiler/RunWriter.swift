/// Writes a value as WordprocessingML runs: XML-escaped, line breaks as `w:br`, tabs as
/// `w:tab`, characters XML 1.0 forbids dropped, spaces preserved. Inside another field's
/// instruction the value is written as `w:instrText`, line breaks and tabs as spaces.
enum RunWriter {
    // Static strings, not arrays: appending one costs no reference counting (a value is a few runs).
    private static let runStart: StaticString = "<w:r>"
    private static let runEnd: StaticString = "</w:r>"
    private static let textStart: StaticString = "<w:t xml:space=\"preserve\">"
    private static let textEnd: StaticString = "</w:t>"
    private static let instructionStart: StaticString = "<w:instrText xml:space=\"preserve\">"
    private static let instructionEnd: StaticString = "</w:instrText>"
    private static let lineBreak: StaticString = "<w:br/>"
    private static let tab: StaticString = "<w:tab/>"
    private static let ampersand: StaticString = "&amp;"
    private static let lessThan: StaticString = "&lt;"
    private static let greaterThan: StaticString = "&gt;"

    /// Appends one run with `runProperties` holding `text` (as instruction text when
    /// `asInstruction`); nothing for empty text. With `paragraphBreak`, a line end closes the run
    /// and writes those bytes (`</w:p><w:p><w:pPr>…</w:pPr>`), then opens a new run.
    static func append(
        _ text: String, runProperties: [UInt8], asInstruction: Bool = false, paragraphBreak: [UInt8]? = nil,
        to output: inout [UInt8]
    ) {
        guard !text.isEmpty else { return }
        append(runStart, to: &output)
        output.append(contentsOf: runProperties)
        // The usual value has nothing to escape, break or drop: one copy of its bytes.
        var plain = text
        let copied = plain.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == 0xEF {
                return false
            }
            append(asInstruction ? instructionStart : textStart, to: &output)
            output.append(contentsOf: bytes)
            append(asInstruction ? instructionEnd : textEnd, to: &output)
            return true
        }
        if copied {
            append(runEnd, to: &output)
            return
        }
        var inText = false
        var previous: UInt8 = 0
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            defer {
                previous = byte
                index = utf8.index(after: index)
            }
            switch byte {
            case 0x0A where previous == 0x0D:
                continue
            case _ where asInstruction && (byte == 0x09 || byte == 0x0A || byte == 0x0D):
                if !inText {
                    append(instructionStart, to: &output)
                    inText = true
                }
                output.append(0x20)
                continue
            case 0x0A where paragraphBreak != nil, 0x0D where paragraphBreak != nil:
                if inText {
                    append(textEnd, to: &output)
                    inText = false
                }
                append(runEnd, to: &output)
                output.append(contentsOf: paragraphBreak ?? [])
                append(runStart, to: &output)
                output.append(contentsOf: runProperties)
                continue
            case 0x0A, 0x0D, 0x09:
                if inText {
                    append(textEnd, to: &output)
                    inText = false
                }
                append(byte == 0x09 ? tab : lineBreak, to: &output)
                continue
            case 0x00..<0x20:
                continue
            case 0xEF where isNonCharacter(utf8, at: index):
                index = utf8.index(index, offsetBy: 2)
                continue
            default:
                break
            }
            if !inText {
                append(asInstruction ? instructionStart : textStart, to: &output)
                inText = true
            }
            switch byte {
            case UInt8(ascii: "&"): append(ampersand, to: &output)
            case UInt8(ascii: "<"): append(lessThan, to: &output)
            case UInt8(ascii: ">"): append(greaterThan, to: &output)
            default: output.append(byte)
            }
        }
        if inText { append(asInstruction ? instructionEnd : textEnd, to: &output) }
        append(runEnd, to: &output)
    }

    /// The UTF-8 bytes of `text`.
    @inline(__always)
    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        text.withUTF8Buffer { output.append(contentsOf: $0) }
    }

    /// U+FFFE and U+FFFF (EF BF BE / EF BF BF), which XML 1.0 does not allow.
    private static func isNonCharacter(_ utf8: String.UTF8View, at index: String.UTF8View.Index) -> Bool {
        let second = utf8.index(after: index)
        guard second != utf8.endIndex, utf8[second] == 0xBF else { return false }
        let third = utf8.index(after: second)
        return third != utf8.endIndex && (utf8[third] == 0xBE || utf8[third] == 0xBF)
    }
}
