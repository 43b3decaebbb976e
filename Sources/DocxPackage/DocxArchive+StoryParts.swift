extension DocxArchive {
    /// The story parts that can hold fields, found through `[Content_Types].xml` and the
    /// package/document relationships: the main document first, then headers, footers,
    /// footnotes and endnotes, each group in relationship order, without duplicates
    /// (entry names, e.g. `word/header1.xml`).
    /// - Throws: `DocxError` when there is no main document, its content type is not a
    ///   Word document's, a relationship points at a missing part, or a part is unsafe XML.
    public func storyParts() throws(DocxError) -> [StoryPart] {
        let main = try mainDocument()
        let relsPart = PackagePaths.relationships(of: main)
        let relationships = try relationships(ownedBy: main)
        var parts = [StoryPart(name: main, kind: .document)]
        var seen: Set<String> = [main]
        let order: [StoryPart.Kind] = [.header, .footer, .footnotes, .endnotes]
        for kind in order {
            for relationship in relationships where relationship.kind == kind.rawValue {
                guard let target = relationship.target else { continue }
                guard contains(target) else {
                    throw DocxError(
                        file: path, part: relsPart,
                        message: "the \(kind.rawValue) relationship points at \(target), which is not in the package; "
                            + "the file is damaged (save it again in Word)")
                }
                if seen.insert(target).inserted {
                    parts.append(StoryPart(name: target, kind: kind))
                }
            }
        }
        return parts
    }

    /// The relationships of part `part` (nil: of the package, `_rels/.rels`), in document
    /// order, external ones with a nil target; empty when the part has no relationships part.
    /// - Throws: `DocxError` when the relationships part is unsafe or malformed XML, a
    ///   relationship lacks an attribute, or a target points outside the package.
    public func relationships(ownedBy part: String?) throws(DocxError) -> [Relationship] {
        let relsPart = part.map(PackagePaths.relationships(of:)) ?? PackagePaths.packageRelationships
        guard contains(relsPart) else { return [] }
        return try Relationship.parse(relsPart, ownedBy: part, in: self)
    }

    /// The entry name of the main document part (`word/document.xml`), found through the
    /// package relationships and checked against `[Content_Types].xml`.
    /// - Throws: `DocxError` when there is no main document, it is missing, or its content
    ///   type is not a Word document's.
    public func mainDocument() throws(DocxError) -> String {
        let rels = PackagePaths.packageRelationships
        guard contains(rels) else {
            throw DocxError(file: path, part: rels, message: "missing, so the main document cannot be found; this is not a Word document")
        }
        let relationships = try relationships(ownedBy: nil)
        guard let main = relationships.first(where: { $0.kind == "officeDocument" && $0.target != nil })?.target else {
            throw DocxError(file: path, part: rels, message: "no officeDocument relationship, so there is no main document; this is not a Word document")
        }
        guard contains(main) else {
            throw DocxError(
                file: path, part: rels,
                message: "the officeDocument relationship points at \(main), which is not in the package; the file is damaged")
        }
        let contentTypes = try ContentTypes(from: self)
        guard let type = contentTypes.type(of: main), ContentTypes.mainDocumentTypes.contains(type) else {
            throw DocxError(
                file: path, part: PackagePaths.contentTypes,
                message: "\(main) is not declared as a Word main document (content type \(contentTypes.type(of: main) ?? "none")); "
                    + "this is not a Word document")
        }
        return main
    }
}
