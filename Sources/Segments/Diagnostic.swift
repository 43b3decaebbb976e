/// One problem found in an input file, located as precisely as possible.
///
/// Printed as `source:line: message` (or `source: message` when the line is unknown), the format
/// editors and terminals recognise as a jump target.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is: a file as the user named it, or a command-line option such as `--date`.
    public var source: String
    /// The 1-based line in `source`, when known.
    public var line: Int?
    /// What is wrong and, where possible, what to do about it.
    public var message: String

    /// Creates a diagnostic for `source`, optionally at `line`.
    public init(source: String, line: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line {
            return "\(source):\(line): \(message)"
        }
        return "\(source): \(message)"
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
