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

/// How an e-mail interaction carries its letter (`emailFormat` in `templates.yaml`).
public enum EmailFormat: String, Sendable, Codable, CaseIterable {
    /// The merged .docx attached; the letter's text as the body.
    case docx
    /// The letter converted to PDF (LibreOffice) attached; the letter's text as the body.
    case pdf
    /// No attachment: the letter's paragraphs are the message's HTML body (with a plain-text version).
    case html
}

extension EmailFormat: UserSpelledEnum {
    static let noun = "e-mail format"
}
