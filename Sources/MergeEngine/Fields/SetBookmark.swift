/// `SET bookmark "text"` (ECMA-376 Part 1 §17.16.5.62): the text (which may hold nested fields,
/// e.g. `{ MERGEFIELD City }`) becomes the bookmark's value for the fields after it, in this
/// record and the following ones, until set again; `REF bookmark` shows it.
enum SetBookmarkParser {
    static func parse(_ tokens: [FieldToken]) throws(FieldSyntaxError) -> RecordFieldInstruction {
        let example = "e.g. SET Region \"North\""
        guard let first = tokens.first, !first.isSwitch, let bookmark = first.text.plainText, !bookmark.isEmpty else {
            throw FieldSyntaxError("SET needs a bookmark name and a text, \(example)")
        }
        guard tokens.count > 1, !tokens[1].isSwitch else {
            throw FieldSyntaxError("SET \(bookmark) needs a text after the bookmark name, \(example)")
        }
        try RecordFieldParser.skipGeneralSwitches(tokens, from: 2, field: "SET")
        return .set(bookmark: bookmark, value: tokens[1].text)
    }

    /// The lowercased bookmark a `SET` or `ASK` field code assigns, or nil: what `REF` may show.
    static func assignedBookmark(inCode code: String) -> String? {
        let words = code.split(whereSeparator: { $0.isWhitespace })
        guard words.count > 1, ["SET", "ASK"].contains(words[0].uppercased()) else { return nil }
        return String(words[1]).trimmingQuotes.lowercased()
    }

    /// The lowercased bookmark a `REF` field code shows, or nil for other fields.
    static func referencedBookmark(inCode code: String) -> String? {
        let words = code.split(whereSeparator: { $0.isWhitespace })
        guard words.count > 1, words[0].uppercased() == "REF" else { return nil }
        return String(words[1]).trimmingQuotes.lowercased()
    }
}

extension String {
    /// The string without leading and trailing straight or smart double quotes.
    fileprivate var trimmingQuotes: String {
        let quotes: Set<Character> = ["\"", "\u{201C}", "\u{201D}"]
        var slice = Substring(self)
        while let first = slice.first, quotes.contains(first) { slice.removeFirst() }
        while let last = slice.last, quotes.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
