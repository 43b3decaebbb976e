extension CaseFormat {
    /// `text` converted as Word's `\*` switch does (Unicode case mapping, no locale):
    /// - `upper` / `lower`: every letter.
    /// - `caps`: the first letter of each word (after whitespace) upper case, the rest of the
    ///   word lower case, as Word does (`JOHN mcDONALD` → `John Mcdonald`).
    /// - `firstCap`: the first letter of the text upper case; the rest is left as written.
    public func apply(to text: String) -> String {
        switch self {
        case .upper:
            return text.uppercased()
        case .lower:
            return text.lowercased()
        case .caps:
            var out = ""
            var atWordStart = true
            for character in text {
                if character.isWhitespace {
                    out.append(character)
                    atWordStart = true
                } else if atWordStart {
                    out += character.uppercased()
                    atWordStart = !character.isLetter && !character.isNumber
                } else {
                    out += character.lowercased()
                }
            }
            return out
        case .firstCap:
            guard let index = text.firstIndex(where: { $0.isLetter || $0.isNumber }) else { return text }
            return text[..<index] + text[index].uppercased() + text[text.index(after: index)...]
        }
    }
}
