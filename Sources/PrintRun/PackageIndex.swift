import DocxPackage

/// Where the parts of one letter are: its main document and the document's relationships,
/// read with DocxPackage's rules (percent-escapes decoded, a damaged relationship refused).
struct PackageIndex {
    let mainPart: String
    /// The main document's relationships, external ones included (their ids are taken).
    let relationships: [Relationship]

    /// Reads the package relationships and the main document's relationships of `archive`.
    init(_ archive: DocxArchive) throws(PrintRunError) {
        do {
            mainPart = try archive.mainDocument()
            relationships = try archive.relationships(ownedBy: mainPart)
        } catch {
            throw PrintRunError(error)
        }
    }

    /// The first internal target of kind `kind` (e.g. `footnotes`) that the package holds.
    func part(_ kind: String, in archive: DocxArchive) -> String? {
        relationships.first { $0.kind == kind && $0.target != nil }?.target.flatMap { archive.contains($0) ? $0 : nil }
    }
}
