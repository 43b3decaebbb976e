import Foundation

extension TemplateCatalogue {
    /// The path of a line's own attachment (`attachment:` on a segment line): a relative path
    /// inside the templates folder. An absolute path or one with a `..` component is refused,
    /// so a segment file cannot make mailmerge read documents from elsewhere.
    public func lineAttachmentPath(_ file: String) -> Result<String, Diagnostic> {
        let components = file.split(separator: "/", omittingEmptySubsequences: true)
        if file.hasPrefix("/") || file.hasPrefix("~") || components.contains("..") || file.contains("\\") {
            return .failure(
                Diagnostic(
                    source: file,
                    message: "attachment '\(file)' must be a file inside the templates folder \(directory), "
                        + "named relative to it without '..' (e.g. Letters/Thanks_EN.docx)"))
        }
        return .success(URL(fileURLWithPath: directory).appendingPathComponent(file).standardizedFileURL.path)
    }
}
