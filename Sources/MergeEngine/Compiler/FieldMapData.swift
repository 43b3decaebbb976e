import WordXML

extension SettingsPart {
    /// The Match Fields Word saved in `w:mailMerge/w:odso`: one `w:fieldMapData` per Match Fields
    /// entry, in Word's fixed order (`MatchFields.odsoNames`; the `w:mappedName` is in Word's UI
    /// language, so the position decides), `w:type="dbColumn"` with the column in `w:name`.
    static func matchFields(_ bytes: [UInt8], file: String) throws(TemplateError) -> MatchFields {
        let xml: XMLPart
        do { xml = try XMLPart(bytes: bytes) } catch {
            throw TemplateError(file: file, part: name, message: "cannot read the part: \(error.message)")
        }
        guard let odso = xml.root.firstWordChild("mailMerge")?.firstWordChild("odso") else { return MatchFields() }
        let tokensByName = Dictionary(
            uniqueKeysWithValues: AddressToken.allCases.compactMap { token in
                MatchFields.mappedName(of: token).map { ($0, token) }
            })
        var explicit: [AddressToken: String] = [:]
        var position = 0
        var child = odso.pointee.children
        while let node = child {
            child = node.pointee.next
            guard node.isWord("fieldMapData") else { continue }
            defer { position += 1 }
            guard node.firstWordChild("type")?.wordAttribute("val") == "dbColumn",
                let column = node.firstWordChild("name")?.wordAttribute("val"), !column.isEmpty,
                position < MatchFields.odsoNames.count,
                let token = tokensByName[MatchFields.odsoNames[position]]
            else { continue }
            explicit[token] = column
        }
        return MatchFields(explicit: explicit)
    }
}

extension FieldValue {
    /// The ADDRESSBLOCK and GREETINGLINE fields in this value, in order.
    var matchedUses: [MatchedFieldUse] {
        switch self {
        case .matched(let field): [field.listing]
        case .condition(_, let nested): nested.flatMap(\.matchedUses)
        default: []
        }
    }
}
