/// The names a part's fields (`REF`, `PAGEREF`, `NOTEREF`, `HYPERLINK \l`, a bare bookmark
/// name, …) and internal hyperlinks (`w:hyperlink w:anchor`) may refer to as bookmarks: every
/// word of every field code, and every anchor, lowercased (Word's bookmark names ignore case).
/// Over-inclusive on purpose: a paragraph holding a bookmark named here is never left out.
enum BookmarkReferences {
    static func names(fields: [ScannedField], anchors: [String]) -> Set<String> {
        var names = Set(anchors.map { $0.lowercased() })
        var pending = fields
        while let field = pending.popLast() {
            for word in field.trimmedCode.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
                names.insert(String(word))
            }
            pending.append(contentsOf: field.nested)
            pending.append(contentsOf: field.inResult)
        }
        return names
    }
}
