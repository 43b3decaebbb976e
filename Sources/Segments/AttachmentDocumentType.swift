/// What an interaction template's attachment is (`documentType` in `templates.yaml`).
public enum AttachmentDocumentType: String, Sendable, Codable, CaseIterable {
    /// One document per segment line (a letter, an envelope, an e-mail).
    case letter
    /// A Word label sheet (labels with `{ NEXT }` between them): the segment's lines that use it
    /// fill one label each, sheet after sheet, in ONE document; every line is logged once, with
    /// that document.
    case labels
}

extension AttachmentDocumentType: UserSpelledEnum {
    static let noun = "document type"
}
