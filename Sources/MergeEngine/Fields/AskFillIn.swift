/// `ASK bookmark "prompt"` and `FILLIN "prompt"` (ECMA-376 Part 1 §17.16.5.3, .19): Word asks the
/// user while merging; mailmerge takes the answers from `--answer NAME=VALUE` (NAME: ASK's
/// bookmark or either field's prompt), else the `\d` default. A question with neither stops the
/// merge before anything is written (`CompiledTemplate.unansweredQuestions`). `\o` (ask once) is
/// accepted: an answer given on the command line is the same for every record.
enum AskFillInParser {
    static func parseAsk(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> RecordFieldInstruction {
        guard let first = tokens.first, !first.isSwitch, let bookmark = first.text.plainText, !bookmark.isEmpty else {
            throw FieldSyntaxError("ASK needs a bookmark name and a prompt, e.g. ASK Discount \"Discount this month?\" \\d \"5%\"")
        }
        let (prompt, defaultText) = try promptAndDefault(tokens, from: 1, field: "ASK")
        return .ask(bookmark: bookmark, prompt: prompt ?? bookmark, defaultText: defaultText)
    }

    static func parseFillIn(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> RecordFieldInstruction {
        let (prompt, defaultText) = try promptAndDefault(tokens, from: 0, field: "FILLIN")
        return .fillIn(prompt: prompt ?? "", defaultText: defaultText)
    }

    private static func promptAndDefault(_ tokens: [FieldToken], from start: Int, field: String)
        throws(FieldSyntaxError) -> (prompt: String?, defaultText: String?)
    {
        var index = start
        var prompt: String?
        if index < tokens.count, !tokens[index].isSwitch {
            guard let text = tokens[index].text.plainText else {
                throw FieldSyntaxError("\(field): the prompt cannot contain a nested field")
            }
            prompt = text
            index += 1
        }
        var defaultText: String?
        while let letter = try SwitchArguments.nextSwitch(
            in: tokens, at: &index, unexpected: { "\(field): unexpected \($0); quote a prompt that contains spaces" })
        {
            switch letter {
            case "d": defaultText = try SwitchArguments.text(for: "\\d", in: tokens, at: &index, field: field, example: "\"answer\"")
            case "o": continue
            case "*": _ = try SwitchArguments.text(for: "\\*", in: tokens, at: &index, field: field, example: "MERGEFORMAT")
            default: throw FieldSyntaxError("\(field): switch \\\(letter) is not supported; use \\d \"default\" or \\o")
            }
        }
        return (prompt, defaultText)
    }
}
