import DocxPackage
import WordXML

/// One relationship of the main document part.
struct DocumentRelationship {
    /// `rId7`.
    let id: String
    /// The last segment of the type URI: `header`, `footer`, `footnotes`, `styles`, …
    let kind: String
    /// The target's entry name (`word/footer1.xml`); nil for external targets.
    let part: String?
}

/// Where the parts of one letter are: its main document and the document's relationships.
struct PackageIndex {
    let mainPart: String
    let relationships: [DocumentRelationship]

    /// The relationships part of `part`: `word/document.xml` → `word/_rels/document.xml.rels`.
    static func relationshipsPart(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// Reads the package relationships and the main document's relationships of `archive`.
    init(_ archive: DocxArchive) throws(PrintRunError) {
        let packageRels = try Self.relationships(in: "_rels/.rels", ownedBy: "", archive: archive)
        guard let main = packageRels.first(where: { $0.kind == "officeDocument" })?.part, archive.contains(main) else {
            throw PrintRunError(file: archive.path, part: "_rels/.rels", message: "no main document; this is not a Word document")
        }
        mainPart = main
        let documentRels = Self.relationshipsPart(of: main)
        relationships = archive.contains(documentRels) ? try Self.relationships(in: documentRels, ownedBy: main, archive: archive) : []
    }

    /// The first target of kind `kind` (e.g. `footnotes`) that the package holds.
    func part(_ kind: String, in archive: DocxArchive) -> String? {
        relationships.first { $0.kind == kind }?.part.flatMap { archive.contains($0) ? $0 : nil }
    }

    private static func relationships(in relsPart: String, ownedBy owner: String, archive: DocxArchive) throws(PrintRunError) -> [DocumentRelationship] {
        let bytes: [UInt8]
        do { bytes = try archive.read(relsPart) } catch { throw PrintRunError(error) }
        let tree = try XMLPart.letterPart(bytes, file: archive.path, part: relsPart)
        let folder = owner.split(separator: "/").dropLast().map(String.init)
        return tree.root.elementChildren.filter { $0.localName == "Relationship" }.compactMap { element in
            guard let id = element.attribute("Id", namespace: nil), let type = element.attribute("Type", namespace: nil),
                  let target = element.attribute("Target", namespace: nil) else { return nil }
            let kind = String(type.split(separator: "/").last ?? "")
            let external = element.attribute("TargetMode", namespace: nil) == "External"
            return DocumentRelationship(id: id, kind: kind, part: external ? nil : resolve(target, folder: folder))
        }
    }

    /// `target` resolved against `folder`; nil when it climbs out of the package.
    static func resolve(_ target: String, folder: [String]) -> String? {
        var segments = target.hasPrefix("/") ? [] : folder
        for segment in target.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": guard segments.popLast() != nil else { return nil }
            default: segments.append(String(segment))
            }
        }
        return segments.isEmpty ? nil : segments.joined(separator: "/")
    }
}
