/// Fixed names and name arithmetic of Open Packaging Conventions parts.
enum PackagePaths {
    /// The content types part every package must have.
    static let contentTypes = "[Content_Types].xml"
    /// The package-level relationships part.
    static let packageRelationships = "_rels/.rels"

    /// The relationships part of `part`: `word/document.xml` → `word/_rels/document.xml.rels`.
    static func relationships(of part: String) -> String {
        let (folder, file) = split(part)
        return folder.isEmpty ? "_rels/\(file).rels" : "\(folder)/_rels/\(file).rels"
    }

    /// The entry name a relationship target points at, resolved against the folder of the
    /// part that owns the relationship (`""` for the package itself). Absolute targets
    /// (`/word/header1.xml`) start at the package root; `.` and `..` segments and
    /// percent-escapes are resolved. Returns nil when the target climbs above the root.
    static func resolve(target: String, from sourcePart: String?) -> String? {
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
    static func partName(_ entry: String) -> String { "/" + entry }

    private static func split(_ part: String) -> (folder: String, file: String) {
        guard let slash = part.lastIndex(of: "/") else { return ("", part) }
        return (String(part[..<slash]), String(part[part.index(after: slash)...]))
    }

    private static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
