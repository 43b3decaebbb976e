import Foundation

/// The value tests of `preflight`, each in one place.
enum PreflightRules {
    /// Values a person typed for "unknown" or a test: a letter must not print them.
    private static let placeholderValues: Set<String> = ["n/a", "n.a.", "null", "nil", "none", "test", "tbd", "todo", "unknown", "dummy"]
    /// Text left over from a template or another tool's placeholders.
    private static let placeholderMarks = ["<<", ">>", "{{", "}}", "«", "»"]

    /// Why `value` looks like a placeholder (`which stands for a missing value`), or nil when it does not.
    static func placeholder(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if placeholderValues.contains(trimmed.lowercased()) { return "which stands for a missing value" }
        if trimmed.count >= 3, trimmed.lowercased().allSatisfy({ $0 == "x" }) { return "which stands for a missing value" }
        if let mark = placeholderMarks.first(where: { trimmed.contains($0) }) { return "with the placeholder mark \(mark)" }
        return nil
    }

    /// Whether `address` is a plausible e-mail address: one `@`, a local part of printable
    /// characters without spaces, a domain of at least two dot-separated labels of letters,
    /// digits and hyphens (not at a label's ends), the last one at least two letters.
    static func isValidEmail(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.count <= 64, domain.count <= 253 else {
            return false
        }
        let localAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+/=?^_`{|}~.-"))
        guard local.unicodeScalars.allSatisfy({ localAllowed.contains($0) && $0.isASCII || $0.value > 127 && !CharacterSet.whitespaces.contains($0) }),
            !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// Street words and their abbreviations, compared as one (after case and accents are folded).
    private static let streetWords: [String: String] = [
        "street": "st", "str": "st", "strasse": "st", "straße": "st", "straat": "st", "road": "rd", "avenue": "ave", "av": "ave",
        "boulevard": "blvd", "bd": "blvd", "drive": "dr", "lane": "ln", "place": "pl", "square": "sq", "court": "ct",
        "weg": "wg", "laan": "ln", "plein": "pl", "gracht": "gr", "rue": "r", "north": "n", "south": "s", "east": "e", "west": "w",
    ]

    /// `text` compared loosely: case, accents, punctuation and white space folded, street words
    /// abbreviated (`Main Street` = `main st.`), a street word glued to its name split off
    /// (`Hauptstraße` = `Haupt Str.`).
    static func normalized(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
            .replacingOccurrences(of: "ß", with: "ss")
        let words = folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        var result: [String] = []
        for word in words {
            if let short = streetWords[word] {
                result.append(short)
                continue
            }
            if let suffix = ["strasse", "straat", "street", "str"].first(where: { word.count > $0.count && word.hasSuffix($0) }) {
                result.append(String(word.dropLast(suffix.count)))
                result.append("st")
                continue
            }
            result.append(word)
        }
        return result.joined(separator: " ")
    }
}
