import Foundation
import Yams

/// A salesperson (Business Central's Salesperson/Purchaser): code, name, e-mail and phone,
/// merged as `SalespersonName`, `SalespersonEmail`, `SalespersonPhone`.
public struct Salesperson: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var email: String?
    public var phone: String?

    public init(code: String, name: String, email: String? = nil, phone: String? = nil) {
        self.code = code
        self.name = name
        self.email = email
        self.phone = phone
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, name, email, phone
    }
}

/// The salespeople of `salespeople.yaml` in the templates folder, by code (ignoring case).
public struct Salespeople: Sendable {
    /// The file name inside the templates folder.
    public static let fileName = "salespeople.yaml"

    public let salespeople: [Salesperson]
    private let byCode: [String: Salesperson]

    public init(_ salespeople: [Salesperson]) {
        self.salespeople = salespeople
        byCode = Dictionary(salespeople.map { ($0.code.uppercased(), $0) }) { first, _ in first }
    }

    /// The salesperson with `code`, ignoring case.
    public subscript(code: String) -> Salesperson? { byCode[code.uppercased()] }

    /// Loads `directory/salespeople.yaml` (a `salespeople` list); none when there is no such file.
    ///
    /// - Throws: every problem found (YAML, keys, duplicate codes), each with its line.
    public static func load(directory: String) throws(ValidationFailure) -> Salespeople {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return Salespeople([]) }
        let root: Node
        do { root = try YAMLSupport.loadNode(path: path, what: "salespeople file") } catch { throw ValidationFailure(diagnostics: [error]) }
        guard let mapping = root.mapping, let list = mapping["salespeople"]?.sequence else {
            throw ValidationFailure(diagnostics: [
                Diagnostic(
                    source: path, line: root.mark?.line,
                    message: "the salespeople file must be a mapping with a 'salespeople' list; see Templates/salespeople.yaml")
            ])
        }
        var diagnostics = YAMLSupport.unknownKeys(in: mapping, allowed: ["salespeople"], file: path, context: "the salespeople file")
        var people: [Salesperson] = []
        var lineByCode: [String: Int] = [:]
        for (index, item) in list.enumerated() {
            if let itemMapping = item.mapping {
                diagnostics += YAMLSupport.unknownKeys(
                    in: itemMapping, allowed: Salesperson.CodingKeys.allCases.map(\.rawValue), file: path, context: "a salesperson")
            }
            switch YAMLSupport.decode(Salesperson.self, from: item, file: path, place: "salespeople[\(index)]") {
            case .success(let person):
                let line = item.mark?.line ?? 0
                if let earlier = lineByCode[person.code.uppercased()] {
                    diagnostics.append(
                        Diagnostic(
                            source: path, line: line, message: "salesperson code '\(person.code)' is already used on line \(earlier); codes must be unique"))
                } else {
                    lineByCode[person.code.uppercased()] = line
                    people.append(person)
                }
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            }
        }
        guard diagnostics.isEmpty else { throw ValidationFailure(diagnostics: diagnostics) }
        return Salespeople(people)
    }

    /// `line` with its salesperson's name (unless the segment gave one), e-mail and phone.
    public func apply(to line: ResolvedLine) -> ResolvedLine {
        var line = line
        apply(to: &line)
        return line
    }

    /// Gives `line` its salesperson's name (unless the segment gave one), e-mail and phone, in place (a line just
    /// resolved is not copied for it).
    public func apply(to line: inout ResolvedLine) {
        guard let person = self[line.salespersonCode] else { return }
        if line.salespersonName.isEmpty { line.salespersonName = person.name }
        line.salespersonEmail = person.email ?? ""
        line.salespersonPhone = person.phone ?? ""
    }
}
