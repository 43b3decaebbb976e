import Foundation
import Yams

/// A named list of criteria actions that can be applied to any segment.
public struct SavedCriteria: Sendable, Hashable, Codable {
    /// Unique in its file, compared ignoring case.
    public var name: String
    public var description: String?
    public var steps: [CriteriaStep]

    /// Creates saved criteria.
    public init(name: String, description: String? = nil, steps: [CriteriaStep]) {
        self.name = name
        self.description = description
        self.steps = steps
    }
}

/// A YAML file of saved criteria (by default `criteria.yaml` beside the segment files):
///
/// ```yaml
/// criteria:
///   - name: AMSTERDAM
///     description: Dutch contacts in Amsterdam
///     steps:
///       - action: add-contacts
///         where: Country=NL AND City=Amst*
/// ```
public struct CriteriaLibrary: Sendable, Hashable, Codable {
    /// The saved criteria, in file order.
    public var criteria: [SavedCriteria]

    /// The default file name.
    public static let defaultFileName = "criteria.yaml"

    /// Creates a library.
    public init(criteria: [SavedCriteria] = []) {
        self.criteria = criteria
    }

    /// The saved criteria called `name`, ignoring case.
    public subscript(name: String) -> SavedCriteria? {
        criteria.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Adds `saved`, replacing criteria of the same name (ignoring case).
    public mutating func save(_ saved: SavedCriteria) {
        if let index = criteria.firstIndex(where: { $0.name.lowercased() == saved.name.lowercased() }) {
            criteria[index] = saved
        } else {
            criteria.append(saved)
        }
    }

    /// Loads the library at `path`; a missing file is an empty library.
    ///
    /// - Throws: a `Diagnostic` (with its line) when the file is not valid.
    public static func load(path: String) throws(Diagnostic) -> CriteriaLibrary {
        guard FileManager.default.fileExists(atPath: path) else { return CriteriaLibrary() }
        let root = try YAMLSupport.loadNode(path: path, what: "criteria file")
        if let mapping = root.mapping,
            let diagnostic = YAMLSupport.unknownKeys(in: mapping, allowed: ["criteria"], file: path, context: "the criteria file").first
        {
            throw diagnostic
        }
        switch YAMLSupport.decode(CriteriaLibrary.self, from: root, file: path, place: "criteria file") {
        case .success(let library): return library
        case .failure(let diagnostic): throw diagnostic
        }
    }

    /// Writes the library as YAML to `path`, atomically.
    public func write(to path: String) throws {
        let yaml = try YAMLEncoder().encode(self)
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
