/// Reads the field type of an instruction and hands the rest to the parser for that type.
enum FieldParser {
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
        switch keyword {
        case "MERGEFIELD":
            if let problem = lexed.problem { throw FieldSyntaxError("MERGEFIELD: \(problem.message)") }
            return .mergeField(try MergeFieldParser.parse(Array(tokens)))
        case "IF":
            if let problem = lexed.problem { throw FieldSyntaxError("IF: \(problem.message)") }
            return .ifField(try IfFieldParser.parse(Array(tokens)))
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
    /// The text argument of the switch at `tokens[index - 1]`; advances `index` past it.
    static func text(for switchName: String, in tokens: [FieldToken], at index: inout Int,
                     field: String, example: String) throws(FieldSyntaxError) -> String {
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
    enum FormatWord { case caseFormat(CaseFormat), resultFormatting(ResultFormatting) }

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
