import Comparison
import Foundation
import Yams

/// Business Central's salutation formulas, country/region table and own country, read from the
/// templates folder: `salutations.yaml`, `countries.yaml` and `setup.yaml` (key `ownCountry`).
/// Each file is optional; without them salutations are empty and countries use the postal
/// layouts and Foundation's country names.
public struct CorrespondenceSetup: Sendable {
    /// One salutation code's formulas for one language.
    public struct Formula: Sendable, Hashable, Codable {
        public var formal: String
        public var informal: String
    }

    /// How a country lays out post code, city and county (Business Central's "Address Format").
    public enum AddressLayout: String, Sendable, Hashable, Codable, CaseIterable {
        /// As the country's postal service asks (the ADDRESSBLOCK `\d` table; post code and city otherwise).
        case postal
        case postCodeCity = "post-code+city"
        case cityPostCode = "city+post-code"
        case cityCountyPostCode = "city+county+post-code"
    }

    /// A country/region: names per language, address layout, whether the county line is printed.
    public struct Country: Sendable, Hashable, Codable {
        public var code: String
        public var names: [String: String]
        public var addressFormat: AddressLayout
        public var printCounty: Bool

        public init(code: String, names: [String: String] = [:], addressFormat: AddressLayout = .postal, printCounty: Bool = false) {
            self.code = code
            self.names = names
            self.addressFormat = addressFormat
            self.printCounty = printCounty
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case code, names, addressFormat, printCounty }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                code: try container.decode(String.self, forKey: .code),
                names: try container.decodeIfPresent([String: String].self, forKey: .names) ?? [:],
                addressFormat: try container.decodeIfPresent(AddressLayout.self, forKey: .addressFormat) ?? .postal,
                printCounty: try container.decodeIfPresent(Bool.self, forKey: .printCounty) ?? false)
        }

        /// The name in `language` (ignoring case), if the table has one.
        public func name(in language: String) -> String? {
            names.first { Self.sameIgnoringCase($0.key, language) }?.value
        }

        /// `left.caseInsensitiveCompare(right) == .orderedSame`, byte by byte when both are ASCII (every line asks for
        /// its country's name; Foundation's comparison showed in profiles).
        static func sameIgnoringCase(_ left: String, _ right: String) -> Bool {
            guard left.utf8.allSatisfy({ $0 < 0x80 }), right.utf8.allSatisfy({ $0 < 0x80 }) else {
                return left.caseInsensitiveCompare(right) == .orderedSame
            }
            func folded(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
            return left.utf8.count == right.utf8.count && zip(left.utf8, right.utf8).allSatisfy { folded($0) == folded($1) }
        }
    }

    /// Salutation code (upper case) → language (upper case, or `DEFAULT`) → formulas.
    public var salutations: [String: [String: Formula]] {
        didSet { filling = Self.filling(salutations) }
    }
    /// `salutations` with each formula split at its placeholders (`FormulaPiece`), made whenever they change: every line
    /// fills its contact's, and finding the placeholders character by character per line showed in log-segment's profiles.
    private var filling: [String: [String: (formal: [FormulaPiece], informal: [FormulaPiece])]] = [:]
    /// Country code (upper case) → country.
    public var countries: [String: Country]
    /// Our own country: addresses there get no country line.
    public var ownCountry: String
    /// Whether the folder has a salutations file (without one, no salutation is merged and no code is checked).
    public var hasSalutations = false

    public static let salutationsFile = "salutations.yaml"
    public static let countriesFile = "countries.yaml"
    /// The placeholders a formula may use, and the contact value each stands for.
    public static let placeholders = ["%courtesyTitle", "%firstName", "%middleName", "%surname", "%companyName"]

    public init(salutations: [String: [String: Formula]] = [:], countries: [String: Country] = [:], ownCountry: String = "") {
        self.salutations = salutations
        filling = Self.filling(salutations)
        self.countries = countries
        self.ownCountry = ownCountry
    }

    /// Loads the three files from `directory` (each only when present), reporting every problem at once.
    public static func load(directory: String) throws(ValidationFailure) -> CorrespondenceSetup {
        var setup = CorrespondenceSetup()
        var diagnostics: [Diagnostic] = []
        let decoder = YAMLDecoder()
        func root(_ name: String, list: String, what: String) -> (String, [Node])? {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            do {
                let node = try YAMLSupport.loadNode(path: path, what: what)
                guard let mapping = node.mapping, let items = mapping[list]?.sequence else {
                    diagnostics.append(Diagnostic(source: path, line: node.mark?.line, message: "the \(what) must be a mapping with a '\(list)' list"))
                    return nil
                }
                diagnostics += YAMLSupport.unknownKeys(in: mapping, allowed: [list], file: path, context: "the \(what)")
                return (path, Array(items))
            } catch {
                diagnostics.append(error)
                return nil
            }
        }

        if let (path, items) = root(salutationsFile, list: "salutations", what: "salutations file") {
            setup.hasSalutations = true
            struct Entry: Decodable {
                var code: String
                var description: String?
                var formulas: [String: Formula]
            }
            for (index, item) in items.enumerated() {
                if let mapping = item.mapping {
                    diagnostics += YAMLSupport.unknownKeys(in: mapping, allowed: ["code", "description", "formulas"], file: path, context: "a salutation")
                }
                switch YAMLSupport.decode(Entry.self, from: item, file: path, place: "salutations[\(index)]", decoder: decoder) {
                case .success(let entry):
                    let code = entry.code.uppercased()
                    if setup.salutations[code] != nil {
                        diagnostics.append(
                            Diagnostic(source: path, line: item.mark?.line, message: "salutation code '\(entry.code)' appears twice; codes must be unique"))
                    }
                    var formulas: [String: Formula] = [:]
                    for (language, formula) in entry.formulas {
                        for text in [formula.formal, formula.informal] {
                            for placeholder in Self.placeholderNames(in: text) where !placeholders.contains(placeholder) {
                                diagnostics.append(
                                    Diagnostic(
                                        source: path, line: item.mark?.line,
                                        message: "salutation '\(entry.code)', language \(language): unknown placeholder \(placeholder); "
                                            + "use \(placeholders.joined(separator: ", "))"))
                            }
                        }
                        formulas[language.uppercased()] = formula
                    }
                    setup.salutations[code] = formulas
                case .failure(let diagnostic):
                    diagnostics.append(diagnostic)
                }
            }
        }

        if let (path, items) = root(countriesFile, list: "countries", what: "country/region table") {
            let keys = Country.CodingKeys.allCases.map(\.rawValue)
            for (index, item) in items.enumerated() {
                if let mapping = item.mapping { diagnostics += YAMLSupport.unknownKeys(in: mapping, allowed: keys, file: path, context: "a country") }
                switch YAMLSupport.decode(Country.self, from: item, file: path, place: "countries[\(index)]", decoder: decoder) {
                case .success(let country):
                    if setup.countries[country.code.uppercased()] != nil {
                        diagnostics.append(Diagnostic(source: path, line: item.mark?.line, message: "country code '\(country.code)' appears twice"))
                    }
                    setup.countries[country.code.uppercased()] = country
                case .failure(let diagnostic):
                    diagnostics.append(diagnostic)
                }
            }
        }

        // Our own country comes from setup.yaml, read by its one loader.
        do {
            if let own = try MarketingSetup.load(directory: directory)?.ownCountry { setup.ownCountry = own }
        } catch {
            diagnostics += error.diagnostics
        }
        guard diagnostics.isEmpty else { throw ValidationFailure(diagnostics: diagnostics) }
        return setup
    }

    /// `%name` words in `text`.
    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var index = text.startIndex
        while let percent = text[index...].firstIndex(of: "%") {
            let start = text.index(after: percent)
            let end = text[start...].firstIndex { !$0.isLetter } ?? text.endIndex
            names.append("%" + text[start..<end])
            index = end == start ? start : end
            if index == text.endIndex { break }
        }
        return names
    }

    /// `placeholders`, longest first.
    private static let placeholdersLongestFirst = placeholders.sorted { $0.count > $1.count }

    /// A formula's text between placeholders, or a placeholder (one of `placeholders`) to be filled from the contact.
    enum FormulaPiece: Equatable {
        case text(String)
        case placeholder(String)
    }

    /// `formula` split into its text and placeholders, in one pass: at each `%`, the longest placeholder that starts
    /// there (so no placeholder is taken for the start of another); a `%` that starts none is text.
    static func pieces(of formula: String) -> [FormulaPiece] {
        var pieces: [FormulaPiece] = []
        var text = ""
        var rest = Substring(formula)
        while let percent = rest.firstIndex(of: "%") {
            text += rest[..<percent]
            let tail = rest[percent...]
            if let name = placeholdersLongestFirst.first(where: { tail.hasPrefix($0) }) {
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                pieces.append(.placeholder(name))
                rest = tail.dropFirst(name.count)
            } else {
                text += "%"
                rest = tail.dropFirst()
            }
        }
        text += rest
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// Every formula of `salutations` split into pieces, by code and language as there.
    private static func filling(_ salutations: [String: [String: Formula]]) -> [String: [String: (formal: [FormulaPiece], informal: [FormulaPiece])]] {
        salutations.mapValues { formulas in formulas.mapValues { (formal: pieces(of: $0.formal), informal: pieces(of: $0.informal)) } }
    }

    /// The formal and informal salutation of `contact` with salutation `code` in `language`
    /// (else the `DEFAULT` formulas); `nil` when the code is unknown. Empty when it has no formulas for the language.
    public func salutation(code: String, for contact: Contact, language: String) -> (formal: String, informal: String)? {
        guard let formulas = filling[code.uppercased()] else { return nil }
        guard let formula = formulas[language.uppercased()] ?? formulas["DEFAULT"] else { return ("", "") }
        func value(_ placeholder: String) -> String {
            switch placeholder {
            case "%courtesyTitle": contact.salutation
            case "%firstName": contact.firstName
            case "%middleName": contact.middleName
            case "%surname": contact.surname
            case "%companyName": contact.companyName
            default: ""
            }
        }
        // The pieces one after another: a value is never read as a placeholder itself.
        func fill(_ pieces: [FormulaPiece]) -> String {
            var result = ""
            for piece in pieces {
                switch piece {
                case .text(let text): result += text
                case .placeholder(let name): result += value(name)
                }
            }
            return result.collapsingWhitespace
        }
        return (fill(formula.formal), fill(formula.informal))
    }
}

extension CorrespondenceSetup.AddressLayout: UserSpelledEnum {
    static let noun = "address format"
}
