import Foundation
import Yams

extension Segment {
    /// Loads the segment YAML file at `path`: a mapping with a `header` (see `SegmentHeader`'s
    /// keys) and a `lines` list (see `SegmentLine`'s keys). The sample `SampleSegments/SM00001.yaml`
    /// documents the format.
    ///
    /// Checks the file's own consistency only (YAML syntax, keys, value types, date, unique line
    /// numbers); `SegmentResolver` checks it against the contacts and the template catalogue.
    ///
    /// - Throws: every problem found, each with its YAML line.
    public static func load(path: String) throws(ValidationFailure) -> Segment {
        let root: Node
        do {
            root = try YAMLSupport.loadNode(path: path, what: "segment file")
        } catch {
            throw ValidationFailure(diagnostics: [error])
        }
        guard let mapping = root.mapping, let headerNode = mapping["header"] else {
            throw ValidationFailure(diagnostics: [
                Diagnostic(
                    source: path, line: root.mark?.line,
                    message: "a segment file must be a mapping with a 'header' and a 'lines' list; see SampleSegments/SM00001.yaml")
            ])
        }
        var diagnostics = YAMLSupport.unknownKeys(in: mapping, allowed: CodingKeys.allCases.map(\.rawValue), file: path, context: "the segment file")

        var headerKeyLines: [String: Int] = [:]
        var headerLine: Int?
        var linesKeyLine: Int?
        for (key, _) in mapping {
            switch key.string {
            case "header": headerLine = key.mark?.line
            case "lines": linesKeyLine = key.mark?.line
            default: break
            }
        }
        if let headerMapping = headerNode.mapping {
            diagnostics += YAMLSupport.unknownKeys(
                in: headerMapping, allowed: SegmentHeader.CodingKeys.allCases.map(\.rawValue),
                file: path, context: "the header")
            for (key, _) in headerMapping {
                if let name = key.string, let line = key.mark?.line {
                    headerKeyLines[name] = line
                }
            }
        }
        var header: SegmentHeader?
        switch YAMLSupport.decode(SegmentHeader.self, from: headerNode, file: path, place: "header") {
        case .success(let decoded):
            header = decoded
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
        }

        let (lines, lineLines, lineDiagnostics) = loadLines(mapping["lines"], file: path)
        diagnostics += lineDiagnostics
        var criteria: [CriteriaStep] = []
        if let node = mapping["criteria"] {
            switch YAMLSupport.decode([CriteriaStep].self, from: node, file: path, place: "criteria") {
            case .success(let steps): criteria = steps
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }

        var goBack: [GoBackStep] = []
        if let node = mapping["goBack"] {
            switch YAMLSupport.decode([GoBackStep].self, from: node, file: path, place: "goBack") {
            case .success(let steps): goBack = steps
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }

        var logged: LoggedMark?
        if let node = mapping["logged"] {
            switch YAMLSupport.decode(LoggedMark.self, from: node, file: path, place: "logged") {
            case .success(let mark): logged = mark
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }

        guard diagnostics.isEmpty, let header else {
            throw ValidationFailure(diagnostics: diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return Segment(
            header: header, lines: lines, criteria: criteria, goBack: goBack, logged: logged,
            source: SegmentSource(
                path: path, headerLine: headerLine, headerKeyLines: headerKeyLines,
                linesKeyLine: linesKeyLine, lineLines: lineLines))
    }

    /// Writes the segment as YAML to `path`, atomically.
    public func write(to path: String) throws {
        let yaml = try YAMLEncoder().encode(self)
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func loadLines(_ node: Node?, file: String) -> ([SegmentLine], [Int], [Diagnostic]) {
        guard let node, node.null == nil else {
            return ([], [], [])
        }
        guard let sequence = node.sequence else {
            return ([], [], [Diagnostic(source: file, line: node.mark?.line, message: "'lines' must be a list of lines, each starting with '- lineNo:'")])
        }
        var lines: [SegmentLine] = []
        var lineLines: [Int] = []
        var diagnostics: [Diagnostic] = []
        var yamlLineByLineNo: [Int: Int] = [:]
        let keys = SegmentLine.CodingKeys.allCases.map(\.rawValue)
        let decoder = YAMLDecoder()
        for (index, item) in sequence.enumerated() {
            let yamlLine = item.mark?.line ?? 0
            if let itemMapping = item.mapping {
                diagnostics += YAMLSupport.unknownKeys(in: itemMapping, allowed: keys, file: file, context: "a line")
            }
            switch YAMLSupport.decode(SegmentLine.self, from: item, file: file, place: "lines[\(index)]", decoder: decoder) {
            case .success(let line):
                if let earlier = yamlLineByLineNo[line.lineNo] {
                    diagnostics.append(
                        Diagnostic(
                            source: file, line: yamlLine,
                            message: "lineNo \(line.lineNo) is already used on line \(earlier); "
                                + "line numbers must be unique"))
                } else if line.lineNo <= 0 {
                    diagnostics.append(Diagnostic(source: file, line: yamlLine, message: "lineNo must be a positive whole number (e.g. 10000, 20000, …)"))
                } else {
                    yamlLineByLineNo[line.lineNo] = yamlLine
                    lines.append(line)
                    lineLines.append(yamlLine)
                }
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            }
        }
        return (lines, lineLines, diagnostics)
    }
}
