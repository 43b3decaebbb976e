// Record-navigation and merge-state fields (ECMA-376 Part 1 §17.16.5): the fields that move
// through the data source or keep values from one record to the next. Each kind is parsed in its
// own file (`NextRecord.swift`, `SkipIf.swift`, `MergeRecordNumber.swift`, `SetBookmark.swift`,
// `AskFillIn.swift`, `Compare.swift`); the compiler evaluates them with a record cursor
// (`Compiler/RecordCursor.swift`). `REF` stays `.other`: it becomes a hole only when the template
// sets its bookmark with SET or ASK (`Compiler/RecordFieldCompiler.swift`).

/// A field that moves through the records or keeps merge state.
public enum RecordFieldInstruction: Sendable, Equatable {
    /// `NEXT`: the next record is merged into the same document (labels, directories).
    case next
    /// `NEXTIF left op right`: `NEXT` when the comparison holds.
    case nextIf(IfFieldInstruction)
    /// `SKIPIF left op right`: when it holds, the current record's document is dropped and the
    /// merge goes on with the next record.
    case skipIf(IfFieldInstruction)
    /// `MERGEREC`: the record's number in the data source (1-based).
    case mergeRecord
    /// `MERGESEQ`: how many records have been merged so far, this one included (records skipped
    /// by SKIPIF are not counted).
    case mergeSequence
    /// `SET bookmark "text"`: assigns the text to the bookmark; shows nothing.
    case set(bookmark: String, value: FieldText)
    /// `ASK bookmark "prompt" [\d "default"] [\o]`: assigns the answer to the bookmark; shows nothing.
    case ask(bookmark: String, prompt: String, defaultText: String?)
    /// `FILLIN ["prompt"] [\d "default"] [\o]`: shows the answer.
    case fillIn(prompt: String, defaultText: String?)
    /// `COMPARE left op right`: `1` when the comparison holds, else `0`.
    case compare(IfFieldInstruction)

    /// The upper-cased field types parsed as record fields.
    static let keywords: Set<String> = ["NEXT", "NEXTIF", "SKIPIF", "MERGEREC", "MERGESEQ", "SET", "ASK", "FILLIN", "COMPARE"]
}

/// Dispatches a record field's tokens (after the keyword) to the parser of its kind.
enum RecordFieldParser {
    static func parse(keyword: String, tokens: [FieldToken], problem: FieldSyntaxError?) throws(FieldSyntaxError) -> RecordFieldInstruction {
        if let problem { throw FieldSyntaxError("\(keyword): \(problem.message)") }
        switch keyword {
        case "NEXT": return try NextRecordParser.parseNext(tokens)
        case "NEXTIF": return .nextIf(try condition(of: "NEXTIF", tokens))
        case "SKIPIF": return .skipIf(try condition(of: "SKIPIF", tokens))
        case "MERGEREC", "MERGESEQ": return try MergeRecordNumberParser.parse(keyword: keyword, tokens)
        case "SET": return try SetBookmarkParser.parse(tokens)
        case "ASK": return try AskFillInParser.parseAsk(tokens)
        case "FILLIN": return try AskFillInParser.parseFillIn(tokens)
        default: return .compare(try condition(of: "COMPARE", tokens))
        }
    }

    /// The comparison of NEXTIF, SKIPIF and COMPARE: written as IF's, without the two texts.
    static func condition(of keyword: String, _ tokens: [FieldToken]) throws(FieldSyntaxError) -> IfFieldInstruction {
        let example = "e.g. \(keyword) { MERGEFIELD Country } = \"NL\""
        let parsed: IfFieldInstruction
        do { parsed = try IfFieldParser.parse(tokens) } catch {
            let message = error.message.hasPrefix("IF") ? String(error.message.dropFirst(2)) : ": " + error.message
            throw FieldSyntaxError("\(keyword)\(message) (\(example))")
        }
        guard parsed.whenTrue.pieces.isEmpty, parsed.whenFalse.pieces.isEmpty else {
            throw FieldSyntaxError("\(keyword) takes a comparison only, no texts after it; \(example)")
        }
        return parsed
    }

    /// The switches Word allows on every field (`\* MERGEFORMAT`, `\* Upper` …), skipped; anything else is refused.
    static func skipGeneralSwitches(_ tokens: [FieldToken], from start: Int, field: String) throws(FieldSyntaxError) {
        var index = start
        while index < tokens.count {
            guard case .switchFlag(let letter) = tokens[index].kind, letter == "*" || letter == "#" || letter == "@" else {
                throw FieldSyntaxError("\(field): unexpected \(tokens[index].displayText); \(field) takes no other text or switch")
            }
            index += 1
            _ = try SwitchArguments.text(for: "\\\(letter)", in: tokens, at: &index, field: field, example: "MERGEFORMAT")
        }
    }
}
