/// One relationship from a `.rels` part, its internal target resolved to an entry name.
public struct Relationship: Hashable, Sendable {
    /// The relationship id, e.g. `rId7`, unique in its `.rels` part.
    public let id: String
    /// The full relationship type URI.
    public let type: String
    /// The last segment of an Office Open XML (transitional or strict) relationship type,
    /// e.g. `officeDocument`, `header`; nil for other types (Microsoft extensions and the like).
    public let kind: String?
    /// The entry name of the target part (e.g. `word/header1.xml`, percent-escapes decoded);
    /// nil for an external target (`TargetMode="External"`, e.g. a hyperlink).
    public let target: String?
}

extension Relationship {
    /// The relationship type namespaces of transitional and strict Office Open XML.
    private static let typePrefixes = [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/",
    ]

    /// The relationships in the `.rels` part `relsPart` of `archive`, whose owner is
    /// `sourcePart` (nil for the package), in document order; external ones included with a
    /// nil `target`.
    /// - Throws: `DocxError` for unsafe or malformed XML, a relationship without `Id`, `Type`
    ///   or `Target`, or an internal target outside the package.
    static func parse(_ relsPart: String, ownedBy sourcePart: String?, in archive: DocxArchive) throws(DocxError) -> [Relationship] {
        let bytes = try archive.read(relsPart)
        let elements = try PackageXMLReader.elements(named: ["Relationship"], in: bytes, file: archive.path, part: relsPart)
        var relationships: [Relationship] = []
        for element in elements {
            guard let id = element.attributes["Id"], let type = element.attributes["Type"], let target = element.attributes["Target"] else {
                throw DocxError(
                    file: archive.path, part: relsPart,
                    message: "a Relationship lacks its Id, Type or Target attribute; the file is damaged (save it again in Word)")
            }
            let kind = typePrefixes.first(where: type.hasPrefix).map { String(type.dropFirst($0.count)) }
            guard element.attributes["TargetMode"] != "External" else {
                relationships.append(Relationship(id: id, type: type, kind: kind, target: nil))
                continue
            }
            guard let resolved = PackagePaths.resolve(target: target, from: sourcePart) else {
                throw DocxError(
                    file: archive.path, part: relsPart,
                    message: "the relationship target \"\(target)\" points outside the package; the file is damaged")
            }
            relationships.append(Relationship(id: id, type: type, kind: kind, target: resolved))
        }
        return relationships
    }
}
