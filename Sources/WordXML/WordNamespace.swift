/// Namespace URIs of WordprocessingML packages (transitional OOXML, as Word writes it).
public enum WordNamespace {
    /// WordprocessingML itself, the prefix `w`.
    public static let main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    /// Markup compatibility (`mc:AlternateContent`, `mc:Ignorable`).
    public static let markupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    /// Relationship references inside parts (`r:id`).
    public static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    /// Drawing placement in WordprocessingML (`wp:docPr`).
    public static let wordprocessingDrawing = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    /// Word 2010 extensions (`w14:paraId`, `w14:textId`).
    public static let word2010 = "http://schemas.microsoft.com/office/word/2010/wordml"
}
