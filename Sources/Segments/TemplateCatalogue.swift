import Foundation
import Yams

/// The interaction templates of a directory, read from its `templates.yaml`; attachment file
/// names are relative to that directory.
public struct TemplateCatalogue: Sendable {
    /// The catalogue's directory, as an absolute path.
    public let directory: String
    /// The templates by code, as written in the catalogue.
    public let templates: [String: InteractionTemplate]
    private let codesByLowercase: [String: String]
    /// Each attachment file name the templates use → its path (`attachmentPath`), made once instead of through
    /// Foundation's URL for every line.
    private let attachmentPaths: [String: String]

    /// The catalogue file name inside the directory.
    public static let fileName = "templates.yaml"

    /// Creates a catalogue from templates with codes distinct ignoring case (the last one wins).
    public init(directory: String, templates: [InteractionTemplate]) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.templates = Dictionary(templates.map { ($0.code, $0) }) { _, last in last }
        self.codesByLowercase = Dictionary(templates.map { ($0.code.lowercased(), $0.code) }) { _, last in last }
        var paths: [String: String] = [:]
        for template in templates {
            for file in [template.attachment].compactMap({ $0 }) + template.attachments.values where paths[file] == nil {
                paths[file] = Self.path(of: file, in: self.directory)
            }
        }
        attachmentPaths = paths
    }

    /// The template with `code`, ignoring case.
    public subscript(code: String) -> InteractionTemplate? {
        codesByLowercase[code.lowercased()].flatMap { templates[$0] }
    }

    /// The path of `template`'s attachment for `language` (see
    /// `InteractionTemplate.attachment(forLanguage:)`); absolute file names are kept as they are.
    public func attachmentPath(_ template: InteractionTemplate, language: String?) -> String? {
        guard let file = template.attachment(forLanguage: language) else { return nil }
        return attachmentPaths[file] ?? Self.path(of: file, in: directory)
    }

    /// Attachment `file`'s path: absolute file names as they are, others in `directory`.
    private static func path(of file: String, in directory: String) -> String {
        if file.hasPrefix("/") {
            return file
        }
        return URL(fileURLWithPath: directory).appendingPathComponent(file).path
    }

    /// Loads `directory/templates.yaml`: a mapping with key `templates` holding a list of
    /// templates (see `InteractionTemplate`'s keys).
    ///
    /// - Throws: every problem found (invalid YAML, missing or unknown keys, invalid values,
    ///   duplicate codes), each with its line.
    public static func load(directory: String) throws(ValidationFailure) -> TemplateCatalogue {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        let root: Node
        do {
            root = try YAMLSupport.loadNode(path: path, what: "template catalogue")
        } catch {
            throw ValidationFailure(diagnostics: [error])
        }
        guard let mapping = root.mapping, let list = mapping["templates"]?.sequence else {
            throw ValidationFailure(diagnostics: [
                Diagnostic(
                    source: path, line: root.mark?.line,
                    message: "the catalogue must be a mapping with a 'templates' list; see the sample Templates/templates.yaml")
            ])
        }
        var diagnostics = YAMLSupport.unknownKeys(in: mapping, allowed: ["templates"], file: path, context: "the catalogue")
        var templates: [InteractionTemplate] = []
        var lineByCode: [String: Int] = [:]
        let keys = InteractionTemplate.CodingKeys.allCases.map(\.rawValue)
        let decoder = YAMLDecoder()
        for (index, item) in list.enumerated() {
            if let itemMapping = item.mapping {
                diagnostics += YAMLSupport.unknownKeys(in: itemMapping, allowed: keys, file: path, context: "a template")
                if let window = itemMapping["window"]?.mapping {
                    diagnostics += YAMLSupport.unknownKeys(
                        in: window, allowed: AddressWindow.CodingKeys.allCases.map(\.rawValue), file: path, context: "a template's window")
                }
            }
            switch YAMLSupport.decode(InteractionTemplate.self, from: item, file: path, place: "templates[\(index)]", decoder: decoder) {
            case .success(var template):
                let line = item.mark?.line ?? 0
                let rows = ChildRowsDeclaration.located(template.rows, node: item.mapping?["rows"], file: path, context: "template \(template.code)")
                template.rows = rows.0
                diagnostics += rows.1
                if let earlier = lineByCode[template.code.lowercased()] {
                    diagnostics.append(
                        Diagnostic(
                            source: path, line: line,
                            message: "template code '\(template.code)' is already used on line "
                                + "\(earlier); codes must be unique (ignoring case)"))
                } else if template.code.trimmingCharacters(in: .whitespaces).isEmpty {
                    diagnostics.append(Diagnostic(source: path, line: line, message: "the template code is empty"))
                } else if let problem = template.documentlessProblem {
                    diagnostics.append(Diagnostic(source: path, line: line, message: "template \(template.code): " + problem))
                } else {
                    lineByCode[template.code.lowercased()] = line
                    templates.append(template)
                }
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            }
        }
        guard diagnostics.isEmpty else {
            throw ValidationFailure(diagnostics: diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return TemplateCatalogue(directory: directory, templates: templates)
    }
}
