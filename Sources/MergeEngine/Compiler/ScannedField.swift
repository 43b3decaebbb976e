import WordXML

/// A field as found in a part's XML (complex `w:fldChar` field or `w:fldSimple`),
/// before its instruction is parsed. Reference type: the scanner fills it in as it walks.
final class ScannedField {
    enum State { case instruction, result }

    /// The `begin` `w:fldChar`, or the `w:fldSimple` element.
    let begin: XMLNodePointer
    /// The `end` `w:fldChar`; nil for `w:fldSimple`.
    var end: XMLNodePointer?
    /// 1-based paragraph number where the field begins.
    let paragraph: Int
    /// False inside `mc:Fallback` (a copy of content already listed from `mc:Choice`).
    let listed: Bool
    var state: State = .instruction
    /// The instruction: text and nested fields, in order.
    private(set) var tokens: [InstructionToken] = []
    /// The field code as written, nested fields shown as `{ … }`.
    private(set) var code = ""
    /// Fields nested in the instruction, numbered as in `tokens`.
    private(set) var nested: [ScannedField] = []
    /// Fields inside this field's result (kept when this field is left as it is).
    var inResult: [ScannedField] = []
    /// `w:rPr` of the first instruction run, and of the first result run with text.
    var instructionRunProperties: [UInt8]?
    var resultRunProperties: [UInt8]?
    /// The current result text, as Word last computed it.
    var resultText = ""

    init(begin: XMLNodePointer, paragraph: Int, listed: Bool) {
        self.begin = begin
        self.paragraph = paragraph
        self.listed = listed
    }

    /// A `w:fldSimple` with instruction `instruction`.
    convenience init(simple element: XMLNodePointer, instruction: String, paragraph: Int, listed: Bool) {
        self.init(begin: element, paragraph: paragraph, listed: listed)
        appendInstruction(instruction)
        state = .result
    }

    var isSimple: Bool { end == nil }
    var trimmedCode: String { code.trimmingSpaces }

    func appendInstruction(_ text: String) {
        code += text
        if case .text(let previous)? = tokens.last {
            tokens[tokens.count - 1] = .text(previous + text)
        } else {
            tokens.append(.text(text))
        }
    }

    func appendNested(_ field: ScannedField) {
        tokens.append(.nested(nested.count))
        nested.append(field)
        code += "{ \(field.trimmedCode) }"
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
