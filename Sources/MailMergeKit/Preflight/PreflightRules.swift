import Foundation

/// The value tests of `preflight`, each in one place.
enum PreflightRules {
    /// Values a person typed for "unknown" or a test: a letter must not print them.
    private static let placeholderValues: Set<String> = ["n/a", "n.a.", "null", "nil", "none", "test", "tbd", "todo", "unknown", "dummy"]

    /// Why `value` looks like a placeholder (`which stands for a missing value`), or nil when it does not.
    /// Runs for every field of every line: one pass over the bytes, Foundation only for short values.
    static func placeholder(_ value: String) -> String? {
        var previous: UInt8 = 0
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                if previous == byte { return "with the placeholder mark \(Character(Unicode.Scalar(byte)))\(Character(Unicode.Scalar(byte)))" }
            case 0xAB, 0xBB:
                if previous == 0xC2 { return "with the placeholder mark \(byte == 0xAB ? "«" : "»")" }
            default: break
            }
            previous = byte
        }
        guard value.utf8.count <= 16, !isBlank(value) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if placeholderValues.contains(trimmed) { return "which stands for a missing value" }
        if trimmed.count >= 3, trimmed.allSatisfy({ $0 == "x" }) { return "which stands for a missing value" }
        return nil
    }

    /// Whether `value` is empty or white space only.
    static func isBlank(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } || value.allSatisfy(\.isWhitespace)
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
