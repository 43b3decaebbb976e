import Foundation

// White space handling on the per-line paths (contacts, segment lines, address lines), exactly as the Foundation and
// standard library calls it stands for, with an ASCII fast path: at 100,000 lines Foundation's trimming and the
// Unicode property lookups of `Character.isWhitespace` showed in profiles while nearly every value has nothing to trim.

extension String {
    /// `trimmingCharacters(in: .whitespaces)` (tabs and space separators at either end): without Foundation when the
    /// first and last byte are ASCII other than space and tab, that is when there is nothing to trim.
    public var trimmingWhitespace: String {
        guard let head = utf8.first, let tail = utf8.last else { return self }
        if head < 0x80, tail < 0x80, head != 0x20, head != 0x09, tail != 0x20, tail != 0x09 { return self }
        return trimmingCharacters(in: .whitespaces)
    }

    /// Whether `trimmingCharacters(in: .whitespaces)` is empty (the string is only tabs and space separators).
    public var isBlankWhitespace: Bool {
        for byte in utf8 where byte != 0x20 && byte != 0x09 {
            if byte < 0x80 { return false }
            return trimmingCharacters(in: .whitespaces).isEmpty
        }
        return true
    }

    /// `allSatisfy(\.isWhitespace)`: the first character answers it when it is ASCII other than white space.
    public var isAllWhitespaceCharacters: Bool {
        guard let head = utf8.first else { return true }
        if head < 0x80, head != 0x20, !(0x09...0x0D).contains(head) { return false }
        return allSatisfy(\.isWhitespace)
    }

    /// `split(whereSeparator: \.isWhitespace).joined(separator: " ")`: the words separated by single spaces. Returned
    /// as it is, without splitting into characters, when it has no white space but single ASCII spaces between ASCII
    /// characters other than space (a space there is a character of its own, between two words).
    public var collapsingWhitespace: String {
        var previous: UInt8 = 0x20  // a space at the start is not kept
        var plain = true
        for byte in utf8 {
            switch byte {
            case 0x20:
                // Between two non-space ASCII bytes only; the byte after it is checked when it comes.
                if previous == 0x20 || previous >= 0x80 { plain = false }
            case 0x09...0x0D:
                plain = false
            case 0xC2, 0xE1, 0xE2, 0xE3:
                // The lead bytes of the non-ASCII white space (U+0085, U+00A0, U+1680, U+2000…U+205F, U+3000).
                plain = false
            case 0x80...:
                if previous == 0x20 { plain = false }  // a space before a non-ASCII character may be a cluster with it
            default:
                break
            }
            if !plain { break }
            previous = byte
        }
        if plain && previous != 0x20 { return self }
        if plain && utf8.isEmpty { return self }
        return split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
