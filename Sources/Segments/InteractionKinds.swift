import Comparison
import Foundation

/// How an interaction reaches the contact (Business Central's "Correspondence Type").
public enum CorrespondenceType: String, Sendable, Codable, CaseIterable {
    case hardCopy = "hard-copy"
    case email
    case fax
}

/// Whether the interaction goes to the contact or comes from them.
public enum InformationFlow: String, Sendable, Codable, CaseIterable {
    case outbound
    case inbound
}

/// Who started the interaction.
public enum InitiatedBy: String, Sendable, Codable, CaseIterable {
    case us
    case them
}

/// Parses the documented spellings of these enumerations case-insensitively and explains the
/// allowed values when the input is not one of them.
protocol UserSpelledEnum: RawRepresentable<String>, CaseIterable, Decodable {
    /// The noun used in messages, e.g. "correspondence type".
    static var noun: String { get }
}

extension UserSpelledEnum {
    /// Parses `text` ignoring case and surrounding spaces; `nil` when it is not a known value.
    static func parse(_ text: String) -> Self? {
        // Every contact's CorrespondenceType comes through here: ASCII text (nearly always) is trimmed without Foundation
        // when there is nothing to trim (`trimmingWhitespace`) and compared byte by byte, A–Z folded as `lowercased()`
        // folds them; Foundation's trimming and a lowercased copy per contact showed in log-segment's profiles.
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            let wanted = text.trimmingCharacters(in: .whitespaces).lowercased()
            return allCases.first { $0.rawValue == wanted }
        }
        let trimmed = text.trimmingWhitespace.utf8
        return allCases.first { value in
            value.rawValue.utf8.count == trimmed.count
                && zip(value.rawValue.utf8, trimmed).allSatisfy { raw, byte in raw == (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) }
        }
    }

    /// "hard-copy, email or fax".
    static var allowedValues: String {
        let names = allCases.map(\.rawValue)
        guard names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// The message for a value that is not one of the cases.
    static func invalidMessage(_ text: String) -> String {
        "'\(text)' is not a \(noun); use \(allowedValues)"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.invalidMessage(text))
        }
        self = value
    }
}

extension CorrespondenceType: UserSpelledEnum {
    static let noun = "correspondence type"
}

extension InformationFlow: UserSpelledEnum {
    static let noun = "information flow"
}

extension InitiatedBy: UserSpelledEnum {
    static let noun = "initiated-by value"
}
