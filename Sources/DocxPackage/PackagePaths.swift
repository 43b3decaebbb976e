/// Fixed names and name arithmetic of Open Packaging Conventions parts.
public enum PackagePaths {
    /// The content types part every package must have.
    public static let contentTypes = "[Content_Types].xml"
    /// The package-level relationships part.
    public static let packageRelationships = "_rels/.rels"

    /// The relationships part of `part`: `word/document.xml` → `word/_rels/document.xml.rels`.
    public static func relationships(of part: String) -> String {
        let (folder, file) = split(part)
        return folder.isEmpty ? "_rels/\(file).rels" : "\(folder)/_rels/\(file).rels"
    }

    /// The entry name a relationship target points at, resolved against the folder of the
    /// part that owns the relationship (`""` for the package itself). Absolute targets
    /// (`/word/header1.xml`) start at the package root; `.` and `..` segments and
    /// percent-escapes are resolved. Returns nil when the target climbs above the root.
    public static func resolve(target: String, from sourcePart: String?) -> String? {
        let decoded = percentDecoded(target)
        var segments: [Substring] = []
        if !decoded.hasPrefix("/"), let sourcePart {
            segments = split(sourcePart).folder.split(separator: "/")
        }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard segments.popLast() != nil else { return nil }
            default: segments.append(segment)
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }

    /// The name of the part as a content-types `PartName`: `/word/document.xml`.
    public static func partName(_ entry: String) -> String { "/" + entry }

    /// The relationship target that points from `sourcePart` (its folder) at entry `part`:
    /// relative when `part` is in that folder or below it, else absolute (`/customXml/item1.xml`);
    /// characters a URI cannot hold as they are (spaces, `%`, non-ASCII) percent-escaped.
    /// `resolve(target:from:)` turns it back into `part`.
    public static func target(of part: String, from sourcePart: String) -> String {
        let folder = split(sourcePart).folder
        let relative = !folder.isEmpty && part.hasPrefix(folder + "/") ? String(part.dropFirst(folder.count + 1)) : "/" + part
        return percentEncoded(relative)
    }

    private static func split(_ part: String) -> (folder: String, file: String) {
        guard let slash = part.lastIndex(of: "/") else { return ("", part) }
        return (String(part[..<slash]), String(part[part.index(after: slash)...]))
    }

    /// `text` with every byte outside RFC 3986's unreserved characters, `/` and the
    /// sub-delimiters Word leaves alone percent-escaped.
    private static func percentEncoded(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/!$&'()*+,;=:@".utf8)
        var result = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
