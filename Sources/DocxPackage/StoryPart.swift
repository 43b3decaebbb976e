/// A part of the document that holds text (and so, possibly, fields).
public struct StoryPart: Sendable, Hashable {
    /// What role the part plays in the document.
    public enum Kind: String, Sendable { case document, header, footer, footnotes, endnotes }
    /// Entry name inside the package, e.g. `word/document.xml`.
    public let name: String
    /// The part's role.
    public let kind: Kind
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
