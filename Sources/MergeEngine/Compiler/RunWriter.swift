/// Writes a value as WordprocessingML runs: XML-escaped, line breaks as `w:br`, tabs as
/// `w:tab`, characters XML 1.0 forbids dropped, spaces preserved. Inside another field's
/// instruction the value is written as `w:instrText`, line breaks and tabs as spaces.
enum RunWriter {
    private static let runStart = Array("<w:r>".utf8)
    private static let runEnd = Array("</w:r>".utf8)
    private static let textStart = Array("<w:t xml:space=\"preserve\">".utf8)
    private static let textEnd = Array("</w:t>".utf8)
    private static let instructionStart = Array("<w:instrText xml:space=\"preserve\">".utf8)
    private static let instructionEnd = Array("</w:instrText>".utf8)
    private static let lineBreak = Array("<w:br/>".utf8)
    private static let tab = Array("<w:tab/>".utf8)
    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)

    /// Appends one run with `runProperties` holding `text` (as instruction text when
    /// `asInstruction`); nothing for empty text. With `paragraphBreak`, a line end closes the run
    /// and writes those bytes (`</w:p><w:p><w:pPr>…</w:pPr>`), then opens a new run.
    static func append(
        _ text: String, runProperties: [UInt8], asInstruction: Bool = false, paragraphBreak: [UInt8]? = nil,
        to output: inout [UInt8]
    ) {
        guard !text.isEmpty else { return }
        output.append(contentsOf: runStart)
        output.append(contentsOf: runProperties)
        // The usual value has nothing to escape, break or drop: one copy of its bytes.
        var plain = text
        let copied = plain.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == 0xEF {
                return false
            }
            output.append(contentsOf: asInstruction ? instructionStart : textStart)
            output.append(contentsOf: bytes)
            output.append(contentsOf: asInstruction ? instructionEnd : textEnd)
            return true
        }
        if copied {
            output.append(contentsOf: runEnd)
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
                    output.append(contentsOf: instructionStart)
                    inText = true
                }
                output.append(0x20)
                continue
            case 0x0A where paragraphBreak != nil, 0x0D where paragraphBreak != nil:
                if inText {
                    output.append(contentsOf: textEnd)
                    inText = false
                }
                output.append(contentsOf: runEnd)
                output.append(contentsOf: paragraphBreak ?? [])
                output.append(contentsOf: runStart)
                output.append(contentsOf: runProperties)
                continue
            case 0x0A, 0x0D, 0x09:
                if inText {
                    output.append(contentsOf: textEnd)
                    inText = false
                }
                output.append(contentsOf: byte == 0x09 ? tab : lineBreak)
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
                output.append(contentsOf: asInstruction ? instructionStart : textStart)
                inText = true
            }
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: ampersand)
            case UInt8(ascii: "<"): output.append(contentsOf: lessThan)
            case UInt8(ascii: ">"): output.append(contentsOf: greaterThan)
            default: output.append(byte)
            }
        }
        if inText { output.append(contentsOf: asInstruction ? instructionEnd : textEnd) }
        output.append(contentsOf: runEnd)
    }

    /// U+FFFE and U+FFFF (EF BF BE / EF BF BF), which XML 1.0 does not allow.
    private static func isNonCharacter(_ utf8: String.UTF8View, at index: String.UTF8View.Index) -> Bool {
        let second = utf8.index(after: index)
        guard second != utf8.endIndex, utf8[second] == 0xBF else { return false }
        let third = utf8.index(after: second)
        return third != utf8.endIndex && (utf8[third] == 0xBE || utf8[third] == 0xBF)
    }
}
