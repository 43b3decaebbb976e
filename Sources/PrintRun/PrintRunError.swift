import DocxPackage

/// Why a print-run document could not be built, naming the letter and part involved.
public struct PrintRunError: Error, Sendable, CustomStringConvertible {
    /// The letter (.docx) or output file involved.
    public let file: String
    /// The part (entry name) involved, if any.
    public let part: String?
    /// What went wrong and what to do.
    public let message: String

    public init(file: String, part: String? = nil, message: String) {
        self.file = file
        self.part = part
        self.message = message
    }

    init(_ error: DocxError) {
        self.init(file: error.file, part: error.part, message: error.message)
    }

    public var description: String {
        if let part { return "\(file): \(part): \(message)" }
        return "\(file): \(message)"
    }
}
