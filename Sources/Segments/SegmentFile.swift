import CYaml
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
        var lines = SegmentLines()
        var lineLines = YAMLLineNumbers()
        return try read(path: path) { line, yamlLine in
            lines.append(line)
            lineLines.append(yamlLine)
        } finish: { root, lineDiagnostics throws(ValidationFailure) in
            lines.shrink()
            lineLines.shrink()
            let repeated = LineChecker.repeatedLineNos(lines, yamlLines: lineLines, file: path)
            return try segment(root, path: path, lines: lines, lineLines: lineLines, lineDiagnostics: lineDiagnostics + repeated)
        }
    }

    /// Reads the segment file at `path` with its lines one at a time: `line` gets each valid line (and the YAML
    /// line it starts on) as it is read (a line number used twice is not checked here: `LineChecker.repeatedLineNos`), `finish` the root mapping without the lines (its `lines` value is an empty
    /// list) and the problems found in the lines, once the file is read. Memory does not grow with the lines.
    static func read<T>(
        path: String, line visit: (SegmentLine, Int) -> Void,
        finish: (_ root: Node, _ lineDiagnostics: [Diagnostic]) throws(ValidationFailure) -> T
    ) throws(ValidationFailure) -> T {
        let root: Node
        var lineDiagnostics: [Diagnostic] = []
        do throws(Diagnostic) {
            let reader = try YAMLEventReader(path: path, what: "segment file")
            guard let first = try reader.root() else { throw Diagnostic(source: path, message: "the segment file is empty") }
            guard first.type == YAML_MAPPING_START_EVENT else {
                throw Diagnostic(
                    source: path, line: try reader.node(from: first).mark?.line,
                    message: "a segment file must be a mapping with a 'header' and a 'lines' list; see SampleSegments/SM00001.yaml")
            }
            var pairs: [(Node, Node)] = []
            var lines = LineChecker(file: path)
            try reader.mapping { key, value throws(Diagnostic) in
                guard key.string == "lines", value.type == YAML_SEQUENCE_START_EVENT else {
                    pairs.append((key, try reader.node(from: value)))
                    return
                }
                pairs.append((key, Node.sequence(.init([], .init(.implicit), .any, value.mark))))
                try reader.sequence { index, first throws(Diagnostic) in
                    if let line = try reader.flatMapping(from: first, limit: SegmentLine.CodingKeys.allCases.count, { SegmentLine.plain(scalars: $0) }) {
                        visit(line, first.mark?.line ?? 0)
                        return
                    }
                    let item = try reader.node(from: first)
                    if let line = lines.check(item, index: index) { visit(line, item.mark?.line ?? 0) }
                }
            }
            lineDiagnostics = lines.diagnostics
            root = Node.mapping(.init(pairs, .init(.implicit), .any, first.mark))
        } catch {
            throw ValidationFailure(diagnostics: [error])
        }
        return try finish(root, lineDiagnostics)
    }

    /// The segment of `root` (read by `read(path:line:finish:)`) with `lines`.
    private static func segment(_ root: Node, path: String, lines: SegmentLines, lineLines: YAMLLineNumbers, lineDiagnostics: [Diagnostic] = [])
        throws(ValidationFailure) -> Segment
    {
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
        case .success(var decoded):
            if let rows = decoded.rows {
                let located = ChildRowsDeclaration.located(rows, node: headerNode.mapping?["rows"], file: path, context: "the header")
                decoded.rows = located.0
                diagnostics += located.1
            }
            header = decoded
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
        }

        diagnostics += lineDiagnostics
        if let node = mapping["lines"], node.sequence == nil, node.null == nil {
            diagnostics.append(Diagnostic(source: path, line: node.mark?.line, message: "'lines' must be a list of lines, each starting with '- lineNo:'"))
        }
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
        try Data(yamlText().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The segment as YAML, the text `YAMLEncoder().encode(self)` makes. Yams's encoder copies a list on every element
    /// it appends to it, so a segment's long lists (its lines, the line numbers and lines of its go-back steps) took
    /// time growing with the square of their length (20,000 lines: a minute; 40,000: four): they are encoded here a
    /// slice at a time and joined as nodes, the rest as it is.
    public func yamlText() throws -> String {
        var pairs: [(Node, Node)] = [("header", try Self.yamlNode(header))]
        if !criteria.isEmpty { pairs.append(("criteria", try Self.yamlNode(criteria))) }
        if !goBack.isEmpty {
            // `GoBackStep`'s own keys, in its declaration order (its synthesized `encode(to:)` leaves out nil values).
            let steps = try goBack.map { step in
                var keys: [(Node, Node)] = []
                if let added = step.added { keys.append(("added", try Self.yamlList(added))) }
                if let removed = step.removed { keys.append(("removed", try Self.yamlList(removed))) }
                return Node(keys)
            }
            pairs.append(("goBack", Node(steps)))
        }
        pairs.append(("lines", try Self.yamlList(Array(lines))))
        if let logged { pairs.append(("logged", try Self.yamlNode(logged))) }
        return try Yams.serialize(node: Node(pairs))
    }

    /// `value` as the node `YAMLEncoder` makes of it (the encoder's text read back: the scalars keep the style it chose).
    private static func yamlNode(_ value: some Encodable) throws -> Node {
        guard let node = try Yams.compose(yaml: YAMLEncoder().encode(value)) else {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: "YAMLEncoder made no YAML"))
        }
        return node
    }

    /// The list `items` as a sequence node, encoded 256 items at a time.
    private static func yamlList<Item: Encodable>(_ items: [Item]) throws -> Node {
        var nodes: [Node] = []
        nodes.reserveCapacity(items.count)
        for start in stride(from: 0, to: items.count, by: 256) {
            let slice = Array(items[start..<min(start + 256, items.count)])
            guard let sequence = try yamlNode(slice).sequence else {
                throw EncodingError.invalidValue(slice, EncodingError.Context(codingPath: [], debugDescription: "a list encoded as no YAML list"))
            }
            nodes.append(contentsOf: sequence)
        }
        return Node(nodes)
    }

}

/// Checks a segment file's lines one at a time (keys, values, positive line numbers), keeping nothing of them;
/// `repeatedLineNos` then finds the line numbers used twice.
struct LineChecker {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private let keys = SegmentLine.CodingKeys.allCases.map(\.rawValue)
    private let decoder = YAMLDecoder()

    init(file: String) { self.file = file }

    /// The line `item` (item `index` of the list) holds, or nil after recording its problems.
    mutating func check(_ item: Node, index: Int) -> SegmentLine? {
        let yamlLine = item.mark?.line ?? 0
        if let itemMapping = item.mapping {
            diagnostics += YAMLSupport.unknownKeys(in: itemMapping, allowed: keys, file: file, context: "a line")
        }
        let decoded = SegmentLine.plain(item).map { Result<SegmentLine, Diagnostic>.success($0) }
        switch decoded ?? YAMLSupport.decode(SegmentLine.self, from: item, file: file, place: "lines[\(index)]", decoder: decoder) {
        case .success(let line):
            guard line.lineNo > 0 else {
                diagnostics.append(Diagnostic(source: file, line: yamlLine, message: "lineNo must be a positive whole number (e.g. 10000, 20000, …)"))
                return nil
            }
            return line
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
        }
        return nil
    }

    /// A problem for each line whose line number an earlier line has (`yamlLines`: where each line starts). Lines in
    /// increasing order (as every tool writes them) are checked in one pass; others are sorted by number, 8 bytes a
    /// line for the while (a dictionary of every line number took about 40 bytes a line).
    static func repeatedLineNos(_ lines: SegmentLines, yamlLines: YAMLLineNumbers, file: String) -> [Diagnostic] {
        var previous = Int.min
        guard
            !lines.allSatisfy({ line in
                defer { previous = line.lineNo }
                return line.lineNo > previous
            })
        else { return [] }
        let lineNos = lines.map(\.lineNo)
        let order = lineNos.indices.sorted { lineNos[$0] != lineNos[$1] ? lineNos[$0] < lineNos[$1] : $0 < $1 }
        var diagnostics: [Diagnostic] = []
        var first = 0
        for position in order.indices.dropFirst() {
            guard lineNos[order[position]] == lineNos[order[first]] else {
                first = position
                continue
            }
            diagnostics.append(
                Diagnostic(
                    source: file, line: yamlLines[order[position]],
                    message: "lineNo \(lineNos[order[position]]) is already used on line \(yamlLines[order[first]]); line numbers must be unique"))
        }
        return diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) }
    }
}

extension SegmentLine {
    /// The line `node` holds when it is the usual kind: a mapping of known keys to plain or quoted
    /// scalars, `lineNo` in plain digits, a known correspondence type, no null values. Anything
    /// else is nil, and goes through `YAMLDecoder` (with its located diagnostics); for these
    /// lines both give the same line, this one about 10× faster (a segment has 100,000s of lines).
    static func plain(_ node: Node) -> SegmentLine? {
        guard let mapping = node.mapping else { return nil }
        var pairs: [(key: String, value: String, quoted: Bool)] = []
        for (key, value) in mapping {
            guard let name = key.string, let scalar = value.scalar else { return nil }
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: pairs.append((name, scalar.string, true))
            case .plain: pairs.append((name, scalar.string, false))
            default: return nil
            }
        }
        return plain(quoted: pairs)
    }

    /// The line of a mapping's scalar keys and values read as libyaml events (`YAMLEventReader.flatMapping`), by
    /// the rules of `plain(_: Node)`, without composing a node.
    static func plain(scalars pairs: [(key: String, value: String, style: yaml_scalar_style_t)]) -> SegmentLine? {
        var quoted: [(key: String, value: String, quoted: Bool)] = []
        quoted.reserveCapacity(pairs.count)
        for pair in pairs {
            switch pair.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE, YAML_DOUBLE_QUOTED_SCALAR_STYLE: quoted.append((pair.key, pair.value, true))
            case YAML_PLAIN_SCALAR_STYLE: quoted.append((pair.key, pair.value, false))
            default: return nil
            }
        }
        return plain(quoted: quoted)
    }

    private static func plain(quoted pairs: [(key: String, value: String, quoted: Bool)]) -> SegmentLine? {
        var line = SegmentLine(lineNo: 0, contactNo: "")
        var hasLineNo = false
        var hasContact = false
        for (name, text, quoted) in pairs {
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(text) { return nil }
            switch name {
            case "lineNo":
                let digits = text.utf8
                guard !quoted, let first = digits.first, (49...57).contains(first), digits.count <= 15,
                    digits.allSatisfy({ (48...57).contains($0) }), let number = Int(text)
                else { return nil }
                line.lineNo = number
                hasLineNo = true
            case "contactNo":
                line.contactNo = text
                hasContact = true
            case "description": line.description = text
            case "templateCode": line.templateCode = text
            case "languageCode": line.languageCode = text
            case "subject": line.subject = text
            case "comment": line.comment = text
            case "correspondenceType":
                guard let type = CorrespondenceType.parse(text) else { return nil }
                line.correspondenceType = type
            default: return nil
            }
        }
        return hasLineNo && hasContact ? line : nil
    }
}
