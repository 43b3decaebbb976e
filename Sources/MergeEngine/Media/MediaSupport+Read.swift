import DocxPackage

extension MediaSupport {
    /// What `parts` need to show pictures, or nil when none of them has a picture or barcode field.
    static func read(for parts: [CompiledPart], from archive: DocxArchive, mainPart: String?) throws(TemplateError) -> MediaSupport? {
        let withMedia = parts.filter { $0.holes.contains { if case .media = $0.value { true } else { false } } }
        guard !withMedia.isEmpty else { return nil }
        func read(_ name: String) throws(TemplateError) -> [UInt8] {
            do { return try archive.read(name) } catch {
                throw TemplateError(file: archive.path, part: name, message: "cannot read the part: \(error.message)")
            }
        }
        var support = MediaSupport()
        for part in withMedia {
            let rels = relationshipsPart(of: part.name)
            support.relationships[part.name] = archive.contains(rels) ? try read(rels) : nil
        }
        support.contentTypes = try read("[Content_Types].xml")
        if let mainPart, let width = textWidth(mainPart: try read(mainPart)) { support.textWidthEMU = width }
        return support
    }
}
