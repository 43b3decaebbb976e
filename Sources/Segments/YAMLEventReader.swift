import CYaml
import Foundation
import Yams

/// Reads a YAML file as libyaml events straight from the file, composing `Node`s only for the parts asked
/// for, so a file of a million list items is read in constant memory (`Yams.compose` holds the file's text
/// and a node for every value at once).
///
/// The nodes it composes are the ones `Yams.compose` makes (same tags, styles, marks and anchors), so
/// `YAMLDecoder` and `YAMLSupport`'s located diagnostics work on them unchanged; errors are the same
/// diagnostics `YAMLSupport.loadNode` gives.
final class YAMLEventReader {
    /// One libyaml event, freed with the reader's next step.
    final class Event {
        var event = yaml_event_t()
        deinit { yaml_event_delete(&event) }

        var type: yaml_event_type_t { event.type }
        /// The event's line, from 1.
        var line: Int { Int(event.start_mark.line) + 1 }
        var mark: Mark? { YAMLEventReader.mark(line: event.start_mark.line + 1, column: event.start_mark.column + 1) }
    }

    let path: String
    private let what: String
    private var parser = yaml_parser_t()
    private let file: UnsafeMutablePointer<FILE>
    private var anchors: [String: Node] = [:]
    /// Events read ahead and put back (`flatMapping(from:)`), given again by `next()` before the file's.
    private var pending: [Event] = []

    /// Opens `path`; `what` names the file in messages ("segment file").
    init(path: String, what: String) throws(Diagnostic) {
        guard let file = fopen(path, "rb") else {
            throw Diagnostic(source: path, message: "cannot read the \(what); check that the path is right")
        }
        self.path = path
        self.what = what
        self.file = file
        yaml_parser_initialize(&parser)
        yaml_parser_set_input_file(&parser, file)
    }

    deinit {
        yaml_parser_delete(&parser)
        fclose(file)
    }

    /// The next event; a YAML error becomes the diagnostic `YAMLSupport.loadNode` would give.
    func next() throws(Diagnostic) -> Event {
        if !pending.isEmpty { return pending.removeFirst() }
        let event = Event()
        guard yaml_parser_parse(&parser, &event.event) == 1 else { throw problem() }
        return event
    }

    /// Skips the stream and document start: the first event of the root node, or nil for an empty file.
    func root() throws(Diagnostic) -> Event? {
        var event = try next()
        while event.type == YAML_STREAM_START_EVENT || event.type == YAML_DOCUMENT_START_EVENT { event = try next() }
        return event.type == YAML_STREAM_END_EVENT ? nil : event
    }

    /// The node that starts with `first`, with everything under it.
    func node(from first: Event) throws(Diagnostic) -> Node {
        switch first.type {
        case YAML_SCALAR_EVENT:
            let data = first.event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let tag = data.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(data.tag)
            let style = Node.Scalar.Style(rawValue: numericCast(data.style.rawValue)) ?? .any
            let node = Node.scalar(.init(value, Self.tag(tag), style, first.mark, Self.anchor(data.anchor)))
            register(data.anchor, node)
            return node
        case YAML_SEQUENCE_START_EVENT:
            var items: [Node] = []
            var event = try next()
            while event.type != YAML_SEQUENCE_END_EVENT {
                items.append(try node(from: event))
                event = try next()
            }
            let data = first.event.data.sequence_start
            let style = Node.Sequence.Style(rawValue: numericCast(data.style.rawValue)) ?? .any
            let node = Node.sequence(.init(items, Self.tag(data.implicit != 0 ? nil : Self.string(data.tag)), style, first.mark, Self.anchor(data.anchor)))
            register(data.anchor, node)
            return node
        case YAML_MAPPING_START_EVENT:
            var pairs: [(Node, Node)] = []
            var event = try next()
            while event.type != YAML_MAPPING_END_EVENT {
                let key = try node(from: event)
                pairs.append((key, try node(from: try next())))
                event = try next()
            }
            try checkDuplicates(pairs.map(\.0))
            let data = first.event.data.mapping_start
            let style = Node.Mapping.Style(rawValue: numericCast(data.style.rawValue)) ?? .any
            let node = Node.mapping(.init(pairs, Self.tag(data.implicit != 0 ? nil : Self.string(data.tag)), style, first.mark, Self.anchor(data.anchor)))
            register(data.anchor, node)
            return node
        case YAML_ALIAS_EVENT:
            guard let name = Self.string(first.event.data.alias.anchor), let node = anchors[name] else {
                throw Diagnostic(source: path, line: first.line, message: "invalid YAML: found undefined alias")
            }
            return node
        default:
            throw Diagnostic(source: path, line: first.line, message: "invalid YAML: unexpected \(first.type)")
        }
    }

    /// Reads a mapping's keys one by one (after its start event): `visit` gets each key and the first event of
    /// its value, and must consume the value (e.g. with `node(from:)`). Duplicate keys are refused as
    /// `Yams.compose` refuses them.
    func mapping(_ visit: (_ key: Node, _ value: Event) throws(Diagnostic) -> Void) throws(Diagnostic) {
        var keys: [Node] = []
        var event = try next()
        while event.type != YAML_MAPPING_END_EVENT {
            let key = try node(from: event)
            keys.append(key)
            try visit(key, try next())
            event = try next()
        }
        try checkDuplicates(keys)
    }

    /// Reads a sequence's items one by one (after its start event): `visit` gets each item's first event, and must
    /// consume the item (`node(from:)`, `flatMapping(from:)`).
    func sequence(_ visit: (_ index: Int, _ first: Event) throws(Diagnostic) -> Void) throws(Diagnostic) {
        var index = 0
        var event = try next()
        while event.type != YAML_SEQUENCE_END_EVENT {
            try visit(index, event)
            index += 1
            event = try next()
        }
    }

    /// What `make` makes of the keys and values of the mapping that starts with `first` when it is the plain kind:
    /// at most `limit` pairs of scalars without tags or anchors, no key twice; composing no `Node`. When it is not,
    /// or `make` gives nil, nil, with the events put back so that `node(from: first)` composes the mapping (and
    /// reports its problems) as any other node.
    func flatMapping<T>(
        from first: Event, limit: Int, _ make: ([(key: String, value: String, style: yaml_scalar_style_t)]) -> T?
    ) throws(Diagnostic) -> T? {
        guard first.type == YAML_MAPPING_START_EVENT, first.event.data.mapping_start.anchor == nil else { return nil }
        var read: [Event] = []
        var pairs: [(key: String, value: String, style: yaml_scalar_style_t)] = []
        var made: T?
        while true {
            let key = try next()
            read.append(key)
            if key.type == YAML_MAPPING_END_EVENT {
                made = make(pairs)
                break
            }
            let value = try next()
            read.append(value)
            guard pairs.count < limit, let keyText = Self.plainScalar(key), let valueText = Self.plainScalar(value),
                !pairs.contains(where: { $0.key == keyText })
            else { break }
            pairs.append((keyText, valueText, value.event.data.scalar.style))
        }
        if made == nil { pending = read + pending }
        return made
    }

    /// The text of a scalar event without tag or anchor; nil for any other event.
    private static func plainScalar(_ event: Event) -> String? {
        guard event.type == YAML_SCALAR_EVENT else { return nil }
        let data = event.event.data.scalar
        guard data.anchor == nil, data.tag == nil else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
    }

    private func register(_ anchor: UnsafeMutablePointer<yaml_char_t>?, _ node: Node) {
        if let name = Self.string(anchor) { anchors[name] = node }
    }

    private func checkDuplicates(_ keys: [Node]) throws(Diagnostic) {
        var seen = Set<Node>()
        var duplicates: [Node] = []
        for key in keys where !seen.insert(key).inserted { duplicates.append(key) }
        guard !duplicates.isEmpty else { return }
        let sorted = Set(duplicates).sorted()
        let first = keys.first { $0 == sorted[0] } ?? sorted[0]
        throw Diagnostic(
            source: path, line: first.mark?.line,
            message: "key '\(sorted.map { $0.string ?? "<uncovertable>" }.joined(separator: "', '"))' appears twice in the same mapping; keep one")
    }

    private func problem() -> Diagnostic {
        let text = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            return Diagnostic(source: path, message: "the \(what) is not valid UTF-8 (\(text)); save it as UTF-8")
        case YAML_MEMORY_ERROR:
            return Diagnostic(source: path, message: "cannot parse the \(what): out of memory")
        default:
            return Diagnostic(source: path, line: Int(parser.problem_mark.line) + 1, message: "invalid YAML: \(text)")
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.flatMap { String(validatingCString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    private static func tag(_ name: String?) -> Tag {
        Tag(name.map(Tag.Name.init(rawValue:)) ?? .implicit)
    }

    private static func anchor(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> Anchor? {
        string(pointer).map(Anchor.init(stringLiteral:))
    }

    /// A `Mark` (Yams has no public initialiser for it), made from its two `Int`s by layout; the layout is
    /// checked once against a mark Yams made, else nodes get no mark (diagnostics then name no line).
    static func mark(line: Int, column: Int) -> Mark? {
        guard markLayoutMatches else { return nil }
        return unsafeBitCast((line, column), to: Mark.self)
    }

    private static let markLayoutMatches: Bool = {
        guard MemoryLayout<Mark>.size == MemoryLayout<(Int, Int)>.size,
            let probe = (try? Yams.compose(yaml: "\n\n  x: 1"))?.mapping?.keys.first?.mark
        else { return false }
        let (line, column) = unsafeBitCast(probe, to: (Int, Int).self)
        return line == probe.line && column == probe.column && line == 3 && column == 3
    }()
}
