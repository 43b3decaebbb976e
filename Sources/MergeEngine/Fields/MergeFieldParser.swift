/// Parses the part of a `MERGEFIELD` instruction after the keyword: the name, then switches.
enum MergeFieldParser {
    static func parse(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> MergeFieldInstruction {
        let nameEnd = tokens.firstIndex(where: \.isSwitch) ?? tokens.count
        let name = try fieldName(tokens[..<nameEnd])
        let field = "MERGEFIELD \(name)"
        var instruction = MergeFieldInstruction(name: name)
        var index = nameEnd
        while let letter = try SwitchArguments.nextSwitch(
            in: tokens, at: &index, unexpected: { "\(field): unexpected text \($0) after a switch argument; quote arguments that contain spaces" })
        {
            switch letter {
            case "b", "B":
                instruction.textBefore = try SwitchArguments.text(
                    for: "\\b", in: tokens, at: &index, field: field, example: "\"Dear \"")
            case "f", "F":
                instruction.textAfter = try SwitchArguments.text(
                    for: "\\f", in: tokens, at: &index, field: field, example: "\", \"")
            case "*":
                let word = try SwitchArguments.text(
                    for: "\\*", in: tokens, at: &index, field: field, example: "Upper")
                switch try SwitchArguments.format(word, field: field) {
                case .caseFormat(let format): instruction.caseFormat = format
                case .resultFormatting(let formatting): instruction.resultFormatting = formatting
                }
            case "@":
                instruction.datePicture = try SwitchArguments.text(
                    for: "\\@", in: tokens, at: &index, field: field, example: "\"dd MMMM yyyy\"")
            case "#":
                instruction.numberPicture = try SwitchArguments.text(
                    for: "\\#", in: tokens, at: &index, field: field, example: "\"#,##0.00\"")
            case "m", "M", "v", "V":
                break  // mapped field / vertical formatting (East Asian): no effect on the text
            default:
                throw FieldSyntaxError(
                    "\(field): unknown switch \\\(letter); MERGEFIELD knows \\b \\f \\* \\@ \\# \\m \\v")
            }
        }
        return instruction
    }

    /// The name: one quoted text, or the words up to the first switch (`MERGEFIELD First Name \* Upper`
    /// names "First Name"; whitespace between the words becomes single spaces).
    private static func fieldName(_ tokens: ArraySlice<FieldToken>) throws(FieldSyntaxError) -> String {
        guard let first = tokens.first else {
            throw FieldSyntaxError("MERGEFIELD needs a field name, e.g. MERGEFIELD FirstName")
        }
        var name = ""
        for (offset, token) in tokens.enumerated() {
            guard let text = token.text.plainText else {
                throw FieldSyntaxError("MERGEFIELD: the field name cannot contain a nested field")
            }
            if first.kind == .quoted && offset > 0 {
                throw FieldSyntaxError(
                    "MERGEFIELD \(name): unexpected text \(token.displayText) after the quoted name; put switches after the name")
            }
            if token.kind == .quoted && offset > 0 {
                throw FieldSyntaxError(
                    "MERGEFIELD: quote the whole field name, not a part of it: \(token.displayText)")
            }
            if !name.isEmpty { name += " " }
            name += text
        }
        guard !name.allSatisfy(\.isWhitespace) else {
            throw FieldSyntaxError("MERGEFIELD needs a field name, found \(first.displayText)")
        }
        return name
    }
}
