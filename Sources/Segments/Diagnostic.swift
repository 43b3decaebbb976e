/// One problem found in an input file, located as precisely as possible.
///
/// Printed as `file:line: message` (or `file: message` when the line is unknown), the format
/// editors and terminals recognise as a jump target.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in, as the user named it.
    public var file: String
    /// The 1-based line in `file`, when known.
    public var line: Int?
    /// What is wrong and, where possible, what to do about it.
    public var message: String

    /// Creates a diagnostic for `file`, optionally at `line`.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line {
            return "\(file):\(line): \(message)"
        }
        return "\(file): \(message)"
    }
}

/// Every problem found while loading or validating an input, reported together so the user
/// can fix them all in one go.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    /// The problems, in the order they were found (by file, then line).
    public var diagnostics: [Diagnostic]

    /// Creates a failure from one or more diagnostics.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// One diagnostic per line.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
