import Comparison

/// Parses the part of an `IF` instruction after the keyword:
/// `left operator right ["when true" ["when false"]] [\* format]`.
enum IfFieldParser {
    private static let comparisonHelp = "IF needs a comparison: left operator right"
    private static let example = "e.g. IF { MERGEFIELD Gender } = \"F\" \"Dear Ms.\" \"Dear Sir\""

    /// A piece of the comparison: an operand or an operator.
    private enum Part {
        case operand(FieldText)
        case op(String)

        var display: String {
            switch self {
            case .operand(let text): "\"\(text.displayText)\""
            case .op(let op): op
            }
        }
    }

    static func parse(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> IfFieldInstruction {
        var index = 0
        var parts: [Part] = []
        while index < tokens.count, parts.count < 3, !tokens[index].isSwitch {
            let token = tokens[index]
            if token.kind == .quoted {
                parts.append(.operand(token.text))
            } else {
                parts.append(contentsOf: splitOperators(token.text))
            }
            index += 1
        }
        let (left, comparison, right) = try comparisonParts(parts)

        var branches: [FieldText] = []
        while index < tokens.count, !tokens[index].isSwitch {
            guard branches.count < 2 else {
                throw FieldSyntaxError(
                    "IF: unexpected text \(tokens[index].displayText) after the false text; quote texts that contain spaces")
            }
            branches.append(tokens[index].text)
            index += 1
        }

        var caseFormat: CaseFormat?
        while index < tokens.count {
            guard case .switchFlag(let letter) = tokens[index].kind, letter == "*" else {
                throw FieldSyntaxError(
                    "IF: switch \(tokens[index].displayText) is not supported here; IF takes only \\* switches, e.g. \\* Upper")
            }
            index += 1
            let word = try SwitchArguments.text(for: "\\*", in: tokens, at: &index, field: "IF", example: "Upper")
            if case .caseFormat(let format) = try SwitchArguments.format(word, field: "IF") {
                caseFormat = format
            }
        }
        return IfFieldInstruction(
            left: left, comparison: comparison, right: right,
            whenTrue: branches.first ?? FieldText([]),
            whenFalse: branches.count > 1 ? branches[1] : FieldText([]),
            caseFormat: caseFormat)
    }

    private static func comparisonParts(_ parts: [Part]) throws(FieldSyntaxError)
        -> (FieldText, ComparisonOperator, FieldText)
    {
        guard let first = parts.first else {
            throw FieldSyntaxError("\(comparisonHelp), \(example)")
        }
        guard case .operand(let left) = first else {
            throw FieldSyntaxError("\(comparisonHelp); nothing is written before the operator \(first.display)")
        }
        guard parts.count > 1, case .op(let opText) = parts[1] else {
            let found = parts.count > 1 ? "found \(parts[1].display) where" : "nothing after \(first.display), but"
            throw FieldSyntaxError("\(comparisonHelp); \(found) an operator (= <> < > <= >=) belongs")
        }
        guard let comparison = ComparisonOperator(rawValue: opText) else {
            throw FieldSyntaxError("IF: unknown operator \(opText); use = <> < > <= or >=")
        }
        guard parts.count > 2 else {
            throw FieldSyntaxError("\(comparisonHelp); nothing is written after the operator \(opText)")
        }
        guard case .operand(let right) = parts[2] else {
            throw FieldSyntaxError(
                "\(comparisonHelp); a second operator \(parts[2].display) follows \(opText); quote an operand that is an operator")
        }
        guard parts.count == 3 else {
            throw FieldSyntaxError("IF: more than one operator in the comparison; quote operands that contain < > or =")
        }
        return (left, comparison, right)
    }

    /// Splits an unquoted word such as `a<>b` or `{ … }=F` into operands and operator runs.
    private static func splitOperators(_ word: FieldText) -> [Part] {
        var parts: [Part] = []
        var operand = FieldTextBuilder()
        var op = String.UnicodeScalarView()
        func flushOperand() {
            if !operand.isEmpty { parts.append(.operand(operand.build())) }
            operand = FieldTextBuilder()
        }
        func flushOperator() {
            if !op.isEmpty { parts.append(.op(String(op))) }
            op = String.UnicodeScalarView()
        }
        for piece in word.pieces {
            switch piece {
            case .literal(let text):
                for scalar in text.unicodeScalars {
                    if scalar == "<" || scalar == ">" || scalar == "=" {
                        flushOperand()
                        op.append(scalar)
                    } else {
                        flushOperator()
                        operand.append(scalar)
                    }
                }
            case .nested(let index):
                flushOperator()
                operand.appendNested(index)
            }
        }
        flushOperand()
        flushOperator()
        return parts
    }
}
