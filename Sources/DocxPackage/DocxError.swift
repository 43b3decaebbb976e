/// Something is wrong with a .docx package or with writing one.
public struct DocxError: Error, Sendable, CustomStringConvertible {
    /// The package file involved.
    public let file: String
    /// The part (entry name) involved, if any.
    public let part: String?
    /// What went wrong and what to do, in a user's words.
    public let message: String

    public init(file: String, part: String? = nil, message: String) {
        self.file = file
        self.part = part
        self.message = message
    }

    public var description: String {
        if let part { return "\(file): \(part): \(message)" }
        return "\(file): \(message)"
    }
}
