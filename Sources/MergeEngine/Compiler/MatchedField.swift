/// An ADDRESSBLOCK or GREETINGLINE compiled: its instruction, the column(s) each token reads
/// (`MatchFields`, decided once at compile time) and its language.
struct MatchedField: Sendable {
    enum Kind: Sendable {
        case addressBlock(AddressBlockInstruction)
        case greetingLine(GreetingLineInstruction)
    }

    let kind: Kind
    let language: FieldLanguage
    /// Per token used: where its value comes from.
    let columns: [AddressToken: MatchFields.ColumnChoice]
    /// The explicitly mapped columns, as field uses (the data must have them).
    let uses: [FieldUse]
    let listing: MatchedFieldUse

    init(kind: Kind, matchFields: MatchFields, language: FieldLanguage, part: String, paragraph: Int, code: String) {
        self.kind = kind
        let tokens: [AddressToken]
        var fieldLanguage = language
        switch kind {
        case .addressBlock(let block):
            tokens = block.tokens
            if let id = block.languageID, let chosen = FieldLanguage(lcid: id) { fieldLanguage = chosen }
        case .greetingLine(let greeting):
            tokens = greeting.tokens
            if let id = greeting.languageID, let chosen = FieldLanguage(lcid: id) { fieldLanguage = chosen }
        }
        self.language = fieldLanguage
        var columns: [AddressToken: MatchFields.ColumnChoice] = [:]
        var uses: [FieldUse] = []
        var listed: [MatchedFieldUse.TokenColumn] = []
        for token in tokens {
            let choice = matchFields.columns(for: token)
            columns[token] = choice
            switch choice {
            case .explicit(let column):
                uses.append(FieldUse(name: column, part: part, paragraph: paragraph, code: code))
                listed.append(.init(token: token, columns: [column], explicit: true))
            case .automatic(let keys):
                let names = MatchFields.synonyms[token] ?? []
                listed.append(.init(token: token, columns: keys.isEmpty ? [] : names, explicit: false))
            }
        }
        self.columns = columns
        self.uses = uses
        let keyword = if case .addressBlock = kind { "ADDRESSBLOCK" } else { "GREETINGLINE" }
        listing = MatchedFieldUse(keyword: keyword, part: part, paragraph: paragraph, code: code, tokens: listed)
    }

    /// The text for `record` (lines separated by `\n`), or nil to keep the field (`.keep` and an
    /// explicitly mapped column missing).
    func resolve(_ record: MergeRecord, missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        var values: [AddressToken: String] = [:]
        for (token, choice) in columns {
            switch choice {
            case .explicit(let column):
                if let value = record[column] {
                    values[token] = value
                } else {
                    switch missing {
                    case .error:
                        let use =
                            uses.first { $0.name == column }
                            ?? FieldUse(
                                name: column, part: listing.part,
                                paragraph: listing.paragraph, code: listing.code)
                        throw MissingFieldError(field: use)
                    case .blank: break
                    case .keep: return nil
                    }
                }
            case .automatic(let keys):
                for key in keys {
                    if let value = record[folded: key] {
                        values[token] = value
                        break
                    }
                }
            }
        }
        let lookup: (AddressToken) -> String = { values[$0] ?? "" }
        switch kind {
        case .addressBlock(let block): return block.lines(language: language, lookup).joined(separator: "\n")
        case .greetingLine(let greeting): return greeting.text(lookup)
        }
    }
}

/// An ADDRESSBLOCK or GREETINGLINE in a template, with the column each of its tokens reads.
public struct MatchedFieldUse: Sendable, Hashable {
    public struct TokenColumn: Sendable, Hashable {
        public let token: AddressToken
        /// The mapped column (explicit), or the names tried in order (automatic); empty: none.
        public let columns: [String]
        /// Whether the column comes from `--map` or the template's `w:fieldMapData`.
        public let explicit: Bool
    }

    /// `ADDRESSBLOCK` or `GREETINGLINE`.
    public let keyword: String
    public let part: String
    public let paragraph: Int
    public let code: String
    public let tokens: [TokenColumn]
}
