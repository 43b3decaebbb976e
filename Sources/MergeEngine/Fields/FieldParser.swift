import Comparison

// # Field language (ECMA-376 Part 1 §17.16)
//
// No XML: the part compiler hands over a field's instruction
// as `[InstructionToken]` (text and `.nested(i)` markers) and gets back a `FieldInstruction`.
//
// | file | job |
// |---|---|
// | `FieldInstruction.swift` | the contract types (`FieldInstruction`, `MergeFieldInstruction`, `IfFieldInstruction`, `FieldText`, `FieldSyntaxError`) |
// | `FieldLexer.swift` | one pass over the tokens: words, quoted texts, switches |
// | `FieldParser.swift` | keyword dispatch; shared switch-argument reading |
// | `MergeFieldParser.swift`, `IfFieldParser.swift` | the two field types we interpret |
// | `AddressBlock.swift`, `GreetingLine.swift`, `AddressFormat.swift`, `AddressFormats.swift`, `MatchFields.swift` | ADDRESSBLOCK, GREETINGLINE, Match Fields |
// | `MergeFieldFormatting.swift` | `format(_:)`: picture → case → `\b`/`\f` |
// | `DateValue.swift`, `DatePicture.swift`, `FieldLanguage.swift` | `\@` |
// | `DecimalNumber.swift`, `NumberPicture.swift` | `\#` (exact decimal digits, no `Double`) |
// | `CaseFormat+Apply.swift` | `\* Upper/Lower/Caps/FirstCap` |
// | `IfComparison.swift` | numeric/text comparison and `*`/`?` wildcards |
//
// ## Choices (where Word is vague or locale-dependent)
//
// - **Keywords** are case-insensitive; `.other(keyword:)` carries them upper-cased (`"="` for
//   formulas). Only `MERGEFIELD` and `IF` are checked; other fields are never rejected.
// - **Quotes**: `"…"`, or `“…”` (a smart-quoted text ends at `“` or `”`). Inside: `\"` and `\\`.
//   Non-breaking and other Unicode spaces separate tokens like spaces.
// - **MERGEFIELD names**: one quoted text, or the bare words up to the first switch
//   (`MERGEFIELD First Name \* Upper` → `First Name`, words joined by one space). Word itself
//   writes quoted names (`test_spaces.docx`: `MERGEFIELD "Hello world"`).
// - **Switches**: `\b \f \* \@ \#` need an argument, `\m \v` are ignored, anything else is an error.
//   Several `\*` are allowed; the last case format wins.
// - **Dates** read: `yyyy-MM-dd[(T| )HH:mm[:ss[.fff]]][Z|±hh:mm]` (zone ignored, time shown as
//   written), day-first `d-M-yyyy` / `d.M.yyyy`, US month-first `M/d/yyyy`. Names: the field's language (`FieldLanguage`,
//   Foundation locale data), set by the compiler from the run, paragraph or document `w:lang`.
// - **Numbers** read: `[+-]digits[,ddd…][.digits]` — `1,234.50` yes, `1.234,50` no (left as is).
// - **Number pictures**: `#` pads with spaces as Word documents (`#,##0.00` on 5 → `   5.00`; write
//   `,0.00` for none); a fractional `#` drops trailing zeros; `%` is literal (no ×100, as Word);
//   rounding half away from zero; without `-`/`+` in the picture a negative value gets `-` right
//   before its first digit (`€ #,##0` → `€ -5`).
// - **Case**: `Caps` upper-cases the first letter of every whitespace-separated word and lower-cases
//   the rest (`JOHN mcDONALD` → `John Mcdonald`, as Word); `FirstCap` only touches the first letter.
// - **IF**: numeric comparison when both sides read as numbers (`007 = 7`), otherwise
//   case-sensitive text comparison (Word's behaviour; `"f" = "F"` is false); `*`/`?` wildcards in
//   the right operand for `=`/`<>`. A missing branch is empty. Only `\*` switches are accepted.
// - **Robustness**: no recursion, one pass per step; wildcard matching is O(len·pattern) worst case.

/// Reads the field type of an instruction and hands the rest to the parser for that type.
enum FieldParser {
    /// The fields whose instruction must lex cleanly (a lexer problem is an error for them).
    private static let strictKeywords: Set<String> = ["MERGEFIELD", "IF", "ADDRESSBLOCK", "GREETINGLINE"]

    static func parse(_ input: [InstructionToken]) throws(FieldSyntaxError) -> FieldInstruction {
        let lexed = FieldLexer.lex(input)
        var tokens = lexed.tokens[...]
        guard let first = tokens.popFirst() else {
            throw FieldSyntaxError("the field instruction is empty; write a field type such as MERGEFIELD Name")
        }
        guard first.kind == .word, case .literal(let word)? = first.text.pieces.first else {
            throw FieldSyntaxError(
                "the field instruction must start with a field type such as MERGEFIELD or IF, not \(first.displayText)")
        }
        if first.text.pieces.count > 1 {
            // `IF{ MERGEFIELD x }…`: the nested field touching the keyword is the next token.
            let rest = FieldText(Array(first.text.pieces.dropFirst()))
            tokens.insert(FieldToken(kind: .word, text: rest), at: tokens.startIndex)
        }
        let keyword = word.hasPrefix("=") ? "=" : word.uppercased()
        let arguments = Array(tokens)
        if let problem = lexed.problem, strictKeywords.contains(keyword) { throw FieldSyntaxError("\(keyword): \(problem.message)") }
        switch keyword {
        case "MERGEFIELD": return .mergeField(try MergeFieldParser.parse(arguments))
        case "IF": return .ifField(try IfFieldParser.parse(arguments))
        case "ADDRESSBLOCK": return .addressBlock(try AddressBlockInstruction.parse(arguments))
        case "GREETINGLINE": return .greetingLine(try GreetingLineInstruction.parse(arguments))
        case _ where RecordFieldInstruction.keywords.contains(keyword):
            return .recordField(try RecordFieldParser.parse(keyword: keyword, tokens: arguments, problem: lexed.problem))
        case _ where MediaFieldParser.keywords.contains(keyword):
            return try MediaFieldParser.parse(keyword: keyword, tokens: arguments).map(FieldInstruction.media) ?? .other(keyword: keyword)
        default:
            return .other(keyword: keyword)
        }
    }
}

extension FieldToken {
    /// The token as it could be written in the instruction, for messages.
    var displayText: String {
        switch kind {
        case .word: text.displayText
        case .quoted: "\"\(text.displayText)\""
        case .switchFlag(let letter): "\\\(letter)"
        }
    }

    var isSwitch: Bool {
        if case .switchFlag = kind { return true }
        return false
    }
}

/// Reads the arguments of `\*`, `\b`, `\@` … switches.
enum SwitchArguments {
    /// The letter of the switch at `tokens[index]`, advancing `index` past it; nil after the last token.
    /// Text where a switch should be is refused with `unexpected(text as written)`.
    static func nextSwitch(
        in tokens: [FieldToken], at index: inout Int, unexpected: (String) -> String
    ) throws(FieldSyntaxError) -> Character? {
        guard index < tokens.count else { return nil }
        guard case .switchFlag(let letter) = tokens[index].kind else { throw FieldSyntaxError(unexpected(tokens[index].displayText)) }
        index += 1
        return letter
    }

    /// The argument of `\l`: a Windows language ID such as 1033.
    static func languageID(in tokens: [FieldToken], at index: inout Int, field: String) throws(FieldSyntaxError) -> Int {
        let text = try self.text(for: "\\l", in: tokens, at: &index, field: field, example: "1033")
        guard let value = Int(text) else { throw FieldSyntaxError("\(field): \\l takes a language ID such as 1033, not \(text)") }
        return value
    }

    /// The text argument of the switch at `tokens[index - 1]`; advances `index` past it.
    static func text(
        for switchName: String, in tokens: [FieldToken], at index: inout Int,
        field: String, example: String
    ) throws(FieldSyntaxError) -> String {
        guard index < tokens.count, !tokens[index].isSwitch else {
            throw FieldSyntaxError("\(field): switch \(switchName) needs an argument, e.g. \(switchName) \(example)")
        }
        guard let text = tokens[index].text.plainText else {
            throw FieldSyntaxError("\(field): the argument of switch \(switchName) cannot contain a nested field")
        }
        index += 1
        return text
    }

    /// The meaning of a `\*` argument.
    enum FormatWord {
        case caseFormat(CaseFormat)
        case resultFormatting(ResultFormatting)
    }

    static func format(_ word: String, field: String) throws(FieldSyntaxError) -> FormatWord {
        switch word.lowercased() {
        case "upper": .caseFormat(.upper)
        case "lower": .caseFormat(.lower)
        case "caps": .caseFormat(.caps)
        case "firstcap": .caseFormat(.firstCap)
        case "mergeformat": .resultFormatting(.mergeFormat)
        case "charformat": .resultFormatting(.charFormat)
        default:
            throw FieldSyntaxError(
                "\(field): unsupported format \\* \(word); use Upper, Lower, Caps, FirstCap, MERGEFORMAT or CHARFORMAT")
        }
    }
}
