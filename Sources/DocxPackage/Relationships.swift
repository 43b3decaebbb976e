/// One internal relationship from a `.rels` part, its target resolved to an entry name.
struct Relationship: Hashable {
    /// The last segment of the relationship type URI, e.g. `officeDocument`, `header`.
    let kind: String
    /// The entry name of the target part, e.g. `word/header1.xml`.
    let target: String
}

extension Relationship {
    /// The relationship type namespaces of transitional and strict Office Open XML.
    private static let typePrefixes = [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/",
    ]

    /// The internal relationships in the `.rels` part `relsPart` of `archive`, whose owner
    /// is `sourcePart` (nil for the package). External targets (hyperlinks) are skipped.
    /// - Throws: `DocxError` for unsafe or malformed XML, or a target outside the package.
    static func parse(_ relsPart: String, ownedBy sourcePart: String?, in archive: DocxArchive) throws(DocxError) -> [Relationship] {
        let bytes = try archive.read(relsPart)
        let elements = try PackageXMLReader.elements(named: ["Relationship"], in: bytes, file: archive.path, part: relsPart)
        var relationships: [Relationship] = []
        for element in elements where element.attributes["TargetMode"] != "External" {
            guard let type = element.attributes["Type"], let target = element.attributes["Target"] else {
                throw DocxError(file: archive.path, part: relsPart,
                                message: "a Relationship lacks its Type or Target attribute; the file is damaged")
            }
            guard let prefix = typePrefixes.first(where: type.hasPrefix) else { continue }
            guard let resolved = PackagePaths.resolve(target: target, from: sourcePart) else {
                throw DocxError(file: archive.path, part: relsPart,
                                message: "the relationship target \"\(target)\" points outside the package; the file is damaged")
            }
            relationships.append(Relationship(kind: String(type.dropFirst(prefix.count)), target: resolved))
        }
        return relationships
    }
}
