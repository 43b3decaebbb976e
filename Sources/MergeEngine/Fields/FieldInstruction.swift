import Comparison

// CONTRACT between the field language (Sources/MergeEngine/Fields) and the part compiler
// (Sources/MergeEngine/Compiler). Signatures may grow; do not rename without updating both.

/// One token of a field's instruction as the compiler collected it from the XML:
/// literal instruction text, or the position of a nested field (`{ MERGEFIELD x }` inside
/// an `IF`), numbered 0, 1, 2 … in document order within this field.
public enum InstructionToken: Sendable, Equatable {
    case text(String)
    case nested(Int)
}

/// A parsed field instruction (ECMA-376 Part 1 §17.16).
public enum FieldInstruction: Sendable, Equatable {
    /// `MERGEFIELD name [switches]`
    case mergeField(MergeFieldInstruction)
    /// `IF left op right "true text" "false text"`
    case ifField(IfFieldInstruction)
    /// `ADDRESSBLOCK` with its switches (`AddressBlock.swift`).
    case addressBlock(AddressBlockInstruction)
    /// `GREETINGLINE` with its switches (`GreetingLine.swift`).
    case greetingLine(GreetingLineInstruction)
    /// NEXT, NEXTIF, SKIPIF, MERGEREC, MERGESEQ, SET, ASK, FILLIN, COMPARE (`RecordFieldInstruction.swift`).
    case recordField(RecordFieldInstruction)
    /// A picture or barcode per record: INCLUDEPICTURE with a nested merge field, MERGEBARCODE,
    /// DISPLAYBARCODE (`Media/MediaInstruction.swift`; `MERGEFIELD Image:Name` is found by the compiler).
    case media(MediaInstruction)
    /// Any other field (DATE, PAGE, NUMPAGES, TOC, …): left untouched for Word to update.
    case other(keyword: String)

    /// Parses an instruction made of text and nested-field tokens.
    ///
    /// The field type is matched case-insensitively; `.other` carries it upper-cased (`"DATE"`,
    /// `"="` for formulas). Only `MERGEFIELD` and `IF` instructions are checked further.
    /// - Throws: `FieldSyntaxError` for an empty instruction, or a `MERGEFIELD`/`IF` whose
    ///   name, comparison, quotes or switches are wrong; the message says what to write instead.
    public static func parse(_ tokens: [InstructionToken]) throws(FieldSyntaxError) -> FieldInstruction {
        try FieldParser.parse(tokens)
    }

    /// Parses an instruction with no nested fields, e.g. ` MERGEFIELD "First Name" \* Upper `.
    public static func parse(_ text: String) throws(FieldSyntaxError) -> FieldInstruction {
        try parse([.text(text)])
    }
}

/// `MERGEFIELD` with its switches.
public struct MergeFieldInstruction: Sendable, Equatable {
    /// The field name as written (quotes removed). Matched case-insensitively to data.
    public var name: String
    /// `\b` text inserted before the value when the value is not blank.
    public var textBefore: String?
    /// `\f` text inserted after the value when the value is not blank.
    public var textAfter: String?
    /// `\* Upper | Lower | Caps | FirstCap`.
    public var caseFormat: CaseFormat?
    /// `\* MERGEFORMAT` / `\* CHARFORMAT`: which run formatting the result keeps.
    public var resultFormatting: ResultFormatting
    /// `\@ "picture"` date-time picture.
    public var datePicture: String?
    /// `\# "picture"` numeric picture.
    public var numberPicture: String?
    /// The language of the field's result (`w:lang` of its run, paragraph or document), set by the
    /// compiler once per field: month and day names, AM/PM, decimal and group separators.
    public var language: FieldLanguage = .english

    public init(
        name: String, textBefore: String? = nil, textAfter: String? = nil,
        caseFormat: CaseFormat? = nil, resultFormatting: ResultFormatting = .none,
        datePicture: String? = nil, numberPicture: String? = nil
    ) {
        self.name = name
        self.textBefore = textBefore
        self.textAfter = textAfter
        self.caseFormat = caseFormat
        self.resultFormatting = resultFormatting
        self.datePicture = datePicture
        self.numberPicture = numberPicture
    }

    /// The text Word shows for `value`: picture (if the value parses as a date/number),
    /// then case, then `\b`/`\f` around it when the value is not blank.
    /// Month and day names and separators are those of `language`; see `format(_:language:)`.
    public func format(_ value: String) -> String {
        format(value, language: language)
    }
}

/// `\*` case conversions.
public enum CaseFormat: String, Sendable, Equatable { case upper, lower, caps, firstCap }

/// Which formatting a field's result keeps.
public enum ResultFormatting: Sendable, Equatable {
    /// No switch: the result takes the formatting of the field's first instruction run.
    case none
    /// `\* MERGEFORMAT`: keep the formatting of the existing result runs.
    case mergeFormat
    /// `\* CHARFORMAT`: the formatting of the first character of the field code.
    case charFormat
}

/// Text made of literals and nested-field results (an IF operand or branch).
public struct FieldText: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case literal(String)
        case nested(Int)
    }
    public var pieces: [Piece]
    public init(_ pieces: [Piece]) { self.pieces = pieces }

    /// The text with nested field `i` replaced by `nestedValues[i]`.
    public func resolve(_ nestedValues: [String]) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let s): out += s
            case .nested(let i): out += i < nestedValues.count ? nestedValues[i] : ""
            }
        }
        return out
    }
}

/// `IF left op right "when true" "when false"`.
public struct IfFieldInstruction: Sendable, Equatable {
    public var left: FieldText
    public var comparison: ComparisonOperator
    public var right: FieldText
    public var whenTrue: FieldText
    public var whenFalse: FieldText
    /// `\*` case switch applied to the result, if any.
    public var caseFormat: CaseFormat?

    public init(
        left: FieldText, comparison: ComparisonOperator, right: FieldText,
        whenTrue: FieldText, whenFalse: FieldText, caseFormat: CaseFormat? = nil
    ) {
        self.left = left
        self.comparison = comparison
        self.right = right
        self.whenTrue = whenTrue
        self.whenFalse = whenFalse
        self.caseFormat = caseFormat
    }

    /// The chosen branch's text, given the results of the nested fields (in token order).
    /// Numeric comparison when both sides are numbers; otherwise text comparison, with
    /// `*` and `?` wildcards in the right operand for `=` and `<>`, as Word does.
    /// Text comparison is case-sensitive (`"f" = "F"` is false), as in Word.
    public func evaluate(nestedValues: [String]) -> String {
        let holds = IfComparison.holds(left.resolve(nestedValues), comparison, right.resolve(nestedValues))
        let result = (holds ? whenTrue : whenFalse).resolve(nestedValues)
        return caseFormat?.apply(to: result) ?? result
    }
}

/// An instruction that does not parse.
public struct FieldSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. `IF needs an operator after "Gender"`.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
