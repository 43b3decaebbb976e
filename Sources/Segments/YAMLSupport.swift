import Foundation
import Yams

/// Reading YAML files into `Node`s and decoding nodes with located, user-facing diagnostics.
enum YAMLSupport {
    /// Parses the YAML file at `path` into its root node.
    static func loadNode(path: String, what: String) throws(Diagnostic) -> Node {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(source: path, message: "cannot read the \(what); check that the path is right")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(source: path, message: "the \(what) is not valid UTF-8; save it as UTF-8")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw diagnostic(for: error, file: path)
        } catch {
            throw Diagnostic(source: path, message: "cannot parse the \(what): \(error)")
        }
        guard let root else {
            throw Diagnostic(source: path, message: "the \(what) is empty")
        }
        return root
    }

    /// Decodes `node` as `T`; a decoding failure becomes a diagnostic on the line of the
    /// offending value.
    /// `place` names the node's place in the file (e.g. `lines[3]`) for messages. Pass one
    /// `decoder` for many nodes: creating a `YAMLDecoder` reads the whole process environment.
    static func decode<T: Decodable>(
        _ type: T.Type, from node: Node, file: String, place: String,
        decoder: YAMLDecoder = YAMLDecoder()
    ) -> Result<T, Diagnostic> {
        do {
            return .success(try decoder.decode(type, from: node))
        } catch let error as DecodingError {
            return .failure(diagnostic(for: error, in: node, file: file, place: place))
        } catch {
            return .failure(Diagnostic(source: file, line: node.mark?.line, message: "\(error)"))
        }
    }

    /// One diagnostic for each key of `mapping` that is not in `allowed`, naming the allowed keys.
    static func unknownKeys(in mapping: Node.Mapping, allowed: [String], file: String, context: String) -> [Diagnostic] {
        mapping.keys.compactMap { key in
            guard let name = key.string, !allowed.contains(name) else { return nil }
            let suggestion =
                allowed.first { $0.lowercased() == name.lowercased() }
                .map { "did you mean '\($0)'?" } ?? "allowed keys: \(allowed.joined(separator: ", "))"
            return Diagnostic(source: file, line: key.mark?.line, message: "unknown key '\(name)' in \(context); \(suggestion)")
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Diagnostic(source: file, line: mark.line, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(
                source: file, line: context.mark.line,
                message: "key '\(duplicates.joined(separator: "', '"))' appears twice in the "
                    + "same mapping; keep one")
        default:
            return Diagnostic(source: file, message: "invalid YAML: \(error)")
        }
    }

    private static func diagnostic(for error: DecodingError, in root: Node, file: String, place: String) -> Diagnostic {
        switch error {
        case .keyNotFound(let key, let context):
            let (node, path) = locate(context.codingPath, in: root, under: place)
            return Diagnostic(source: file, line: node.mark?.line, message: "\(path): missing required key '\(key.stringValue)'")
        case .typeMismatch(let type, let context):
            let (node, path) = locate(context.codingPath, in: root, under: place)
            let found = node.scalar.map { "'\($0.string)'" } ?? "this value"
            return Diagnostic(source: file, line: node.mark?.line, message: "\(path): \(found) is not \(describe(type))")
        case .valueNotFound(let type, let context):
            let (node, path) = locate(context.codingPath, in: root, under: place)
            return Diagnostic(source: file, line: node.mark?.line, message: "\(path): a value is missing; expected \(describe(type))")
        case .dataCorrupted(let context):
            let (node, path) = locate(context.codingPath, in: root, under: place)
            return Diagnostic(source: file, line: node.mark?.line, message: "\(path): \(context.debugDescription)")
        @unknown default:
            return Diagnostic(source: file, line: root.mark?.line, message: "\(error)")
        }
    }

    /// The deepest node reachable along `codingPath`, and the path as the user would write it.
    private static func locate(_ codingPath: [any CodingKey], in root: Node, under place: String) -> (Node, String) {
        var node = root
        var names = [place]
        for key in codingPath {
            let next: Node?
            if let index = key.intValue {
                next = node.sequence.flatMap { index < $0.count ? $0[index] : nil }
                names.append("[\(index)]")
            } else {
                next = node.mapping?[key.stringValue]
                names.append("." + key.stringValue)
            }
            guard let next else { break }
            node = next
        }
        return (node, names.joined())
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "true or false"
        case is Int.Type: return "a whole number"
        case is Decimal.Type: return "a number (use a dot for decimals)"
        case is String.Type: return "text"
        default: return "a valid \(type)"
        }
    }
}
