/// The `[Content_Types].xml` part: content types by part name and by extension.
struct ContentTypes {
    /// Override content types by lower-cased part name (`/word/document.xml`).
    private var overrides: [String: String] = [:]
    /// Default content types by lower-cased extension (`xml`).
    private var defaults: [String: String] = [:]

    /// The content types main document parts may have (document, macro-enabled, templates).
    static let mainDocumentTypes: Set<String> = [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    ]

    /// Reads `[Content_Types].xml` from `archive`.
    init(from archive: DocxArchive) throws(DocxError) {
        let part = PackagePaths.contentTypes
        let bytes = try archive.read(part)
        for element in try PackageXMLReader.elements(named: ["Override", "Default"], in: bytes, file: archive.path, part: part) {
            guard let type = element.attributes["ContentType"] else { continue }
            if element.name == "Override", let name = element.attributes["PartName"] {
                overrides[name.lowercased()] = type
            } else if element.name == "Default", let ext = element.attributes["Extension"] {
                defaults[ext.lowercased()] = type
            }
        }
    }

    /// The content type of entry `entry` (part names compare case-insensitively).
    func type(of entry: String) -> String? {
        if let type = overrides[PackagePaths.partName(entry).lowercased()] { return type }
        guard let dot = entry.lastIndex(of: "."), !entry[dot...].contains("/") else { return nil }
        return defaults[entry[entry.index(after: dot)...].lowercased()]
    }
}
