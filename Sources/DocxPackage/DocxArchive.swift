import CLibZip

/// An opened .docx (OPC zip) package, read-only.
///
/// Not thread-safe: each worker opens its own `DocxArchive` of the same file.
/// Keep it open while writing documents derived from it (`DocxWriter` copies
/// unchanged entries' compressed bytes straight from it).
public final class DocxArchive {
    /// The path the archive was opened from.
    public let path: String

    /// Opens the package at `path`.
    /// - Throws: `DocxError` when the file is missing, not a zip, or truncated.
    public init(path: String) throws(DocxError) {
        self.path = path
        fatalError("DocxArchive: not implemented yet")
    }

    /// Entry names in archive order.
    public var entryNames: [String] { fatalError("not implemented yet") }

    /// The uncompressed bytes of entry `name`.
    public func read(_ name: String) throws(DocxError) -> [UInt8] { fatalError("not implemented yet") }

    /// The story parts that can hold fields, found through `[Content_Types].xml` and the
    /// package/document relationships: the main document first, then headers, footers,
    /// footnotes and endnotes (entry names, e.g. `word/header1.xml`).
    public func storyParts() throws(DocxError) -> [StoryPart] { fatalError("not implemented yet") }
}

/// A part of the document that holds text (and so, possibly, fields).
public struct StoryPart: Sendable, Hashable {
    public enum Kind: String, Sendable { case document, header, footer, footnotes, endnotes }
    /// Entry name inside the package, e.g. `word/document.xml`.
    public let name: String
    public let kind: Kind
    public init(name: String, kind: Kind) { self.name = name; self.kind = kind }
}
