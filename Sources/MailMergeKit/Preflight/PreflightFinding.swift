import Segments

/// How bad a preflight finding is. `error`: the letter must not go out as it is (the run fails);
/// `warning`: probably wrong, look at it (fails with `--fail-on warning`); `info`: worth knowing.
public enum PreflightSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where in a letter (or its line) a finding is.
public enum PreflightArea: String, Sendable, Codable {
    case addressBlock = "address block"
    case window
    /// The letter's page count (`check --pdf`).
    case pages
    /// A table cell a merged value overflows (`check --pdf`).
    case tableCell = "table cell"
    case greeting
    case value
    case runningText = "running text"
    case household
    case duplicate
    case email = "e-mail"
}

/// One thing preflight found on a segment line, with what to do about it.
public struct PreflightFinding: Sendable, Codable, Hashable {
    public var severity: PreflightSeverity
    /// The segment line's `lineNo`.
    public var lineNo: Int
    /// The line in the segment file (YAML), when known.
    public var fileLine: Int?
    public var contactNo: String
    public var area: PreflightArea
    /// The merge field concerned, if one is.
    public var field: String?
    /// What is wrong and what to do.
    public var message: String

    public init(severity: PreflightSeverity, lineNo: Int, fileLine: Int?, contactNo: String, area: PreflightArea, field: String?, message: String) {
        self.severity = severity
        self.lineNo = lineNo
        self.fileLine = fileLine
        self.contactNo = contactNo
        self.area = area
        self.field = field
        self.message = message
    }
}

/// Everything preflight found in a segment.
public struct PreflightReport: Sendable, Codable {
    /// The segment file checked.
    public var segmentPath: String
    /// The lines checked.
    public var lines: Int
    /// In line order, then severity (errors first).
    public var findings: [PreflightFinding]
    /// How the checks were made, e.g. that line widths were estimated from character counts.
    public var notes: [String]
    /// Wall-clock seconds.
    public var seconds: Double

    /// The findings at `severity` or worse.
    public func findings(atLeast severity: PreflightSeverity) -> [PreflightFinding] { findings.filter { $0.severity >= severity } }

    /// Whether the run fails when `failOn` and worse count.
    public func fails(on failOn: PreflightSeverity) -> Bool { findings.contains { $0.severity >= failOn } }
}

extension PreflightFinding {
    /// A finding on segment line `line` (at `fileLine` in the segment file).
    init(_ severity: PreflightSeverity, _ area: PreflightArea, _ field: String?, _ message: String, on line: ResolvedLine, fileLine: Int?) {
        self.init(severity: severity, lineNo: line.lineNo, fileLine: fileLine, contactNo: line.contact.no, area: area, field: field, message: message)
    }
}
