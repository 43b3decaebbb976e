/// Turns a parsed record field (`RecordFieldInstruction`) into the value its hole renders.
extension FieldCompiler {
    func value(of instruction: RecordFieldInstruction, field: ScannedField) throws(ScanError) -> FieldValue {
        func nested() throws(ScanError) -> [FieldValue] {
            var values: [FieldValue] = []
            for child in field.nested { values.append(try value(of: child) ?? .fixed(child.resultText)) }
            return values
        }
        let use = { (name: String) in FieldUse(name: name, part: part, paragraph: field.paragraph, code: field.trimmedCode) }
        switch instruction {
        case .next: return .record(.next)
        case .nextIf(let condition): return .record(.nextIf(condition, nested: try nested()))
        case .skipIf(let condition): return .record(.skipIf(condition, nested: try nested()))
        case .compare(let condition): return .record(.compare(condition, nested: try nested()))
        case .mergeRecord: return .record(.mergeRecord)
        case .mergeSequence: return .record(.mergeSequence)
        case .set(let bookmark, let text): return .record(.set(bookmark: bookmark.lowercased(), value: text, nested: try nested()))
        case .ask(let bookmark, let prompt, let defaultText):
            let question = MergeQuestion(bookmark: bookmark, prompt: prompt, defaultText: defaultText, use: use(bookmark))
            return .record(.ask(bookmark: bookmark.lowercased(), question: question))
        case .fillIn(let prompt, let defaultText):
            return .record(.fillIn(MergeQuestion(bookmark: nil, prompt: prompt, defaultText: defaultText, use: use(prompt))))
        }
    }

    /// A REF to a bookmark that a SET or ASK of the part assigns; nil for every other field
    /// (left for Word to update).
    func reference(_ keyword: String, _ field: ScannedField) -> FieldValue? {
        guard keyword == "REF", !assignedBookmarks.isEmpty,
            let bookmark = SetBookmarkParser.referencedBookmark(inCode: field.trimmedCode),
            assignedBookmarks.contains(bookmark)
        else { return nil }
        return .record(.ref(bookmark: bookmark))
    }
}

enum RecordFieldCompiling {
    /// The lowercased bookmarks the SET and ASK fields among `fields` (nested ones too) assign.
    static func assignedBookmarks(_ fields: [ScannedField]) -> Set<String> {
        var names = Set<String>()
        var pending = fields
        while let field = pending.popLast() {
            if let name = SetBookmarkParser.assignedBookmark(inCode: field.trimmedCode) { names.insert(name) }
            pending.append(contentsOf: field.nested)
            pending.append(contentsOf: field.inResult)
        }
        return names
    }
}
