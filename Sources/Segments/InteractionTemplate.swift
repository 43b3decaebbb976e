import Foundation

/// A Business Central interaction template: what kind of interaction a segment line records
/// and which Word document (per language) is sent.
public struct InteractionTemplate: Sendable, Hashable, Codable {
    /// Unique code, compared ignoring case (e.g. `DIRECTMAIL`).
    public var code: String
    public var description: String
    /// The default attachment's file name, relative to the catalogue's directory.
    public var attachment: String
    /// Attachments for specific languages: language code → file name.
    public var attachments: [String: String]
    /// Used when neither the segment nor the contact decides.
    public var correspondenceType: CorrespondenceType
    public var informationFlow: InformationFlow
    public var initiatedBy: InitiatedBy
    /// Cost of one interaction, in the local currency.
    public var unitCost: Decimal
    /// Duration of one interaction, in minutes.
    public var unitDuration: Decimal
    /// When `true`, a contact's preferred correspondence type is not used.
    public var ignoreContactCorrespondenceType: Bool
    /// `letter` (one document per line, the default) or `labels` (one label per line).
    public var documentType: AttachmentDocumentType
    /// The envelope window the address block must fit (`preflight`); nil: not checked.
    public var window: AddressWindow?
    /// The pages a letter is expected to have (`preflight --pdf`); nil: not checked.
    public var pages: Int?

    /// Creates a template; only the code, description and default attachment are required.
    public init(
        code: String, description: String, attachment: String, attachments: [String: String] = [:],
        correspondenceType: CorrespondenceType = .hardCopy, informationFlow: InformationFlow = .outbound,
        initiatedBy: InitiatedBy = .us, unitCost: Decimal = 0, unitDuration: Decimal = 0,
        ignoreContactCorrespondenceType: Bool = false, documentType: AttachmentDocumentType = .letter
    ) {
        self.code = code
        self.description = description
        self.attachment = attachment
        self.attachments = attachments
        self.correspondenceType = correspondenceType
        self.informationFlow = informationFlow
        self.initiatedBy = initiatedBy
        self.unitCost = unitCost
        self.unitDuration = unitDuration
        self.ignoreContactCorrespondenceType = ignoreContactCorrespondenceType
        self.documentType = documentType
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, description, attachment, attachments, correspondenceType, informationFlow, initiatedBy,
            unitCost, unitDuration, ignoreContactCorrespondenceType, documentType
        case window, pages
    }

    /// Decodes a catalogue entry; every key but `code`, `description` and `attachment` is optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            description: try container.decode(String.self, forKey: .description),
            attachment: try container.decode(String.self, forKey: .attachment),
            attachments: try container.decodeIfPresent([String: String].self, forKey: .attachments) ?? [:],
            correspondenceType: try container.decodeIfPresent(CorrespondenceType.self, forKey: .correspondenceType) ?? .hardCopy,
            informationFlow: try container.decodeIfPresent(InformationFlow.self, forKey: .informationFlow) ?? .outbound,
            initiatedBy: try container.decodeIfPresent(InitiatedBy.self, forKey: .initiatedBy) ?? .us,
            unitCost: try container.decodeIfPresent(Decimal.self, forKey: .unitCost) ?? 0,
            unitDuration: try container.decodeIfPresent(Decimal.self, forKey: .unitDuration) ?? 0,
            ignoreContactCorrespondenceType: try container.decodeIfPresent(Bool.self, forKey: .ignoreContactCorrespondenceType) ?? false,
            documentType: try container.decodeIfPresent(AttachmentDocumentType.self, forKey: .documentType) ?? .letter)
        window = try container.decodeIfPresent(AddressWindow.self, forKey: .window)
        pages = try container.decodeIfPresent(Int.self, forKey: .pages)
    }

    /// The attachment for `language` (compared ignoring case), or the default attachment when
    /// the language is empty, `nil` or has no attachment of its own.
    public func attachment(forLanguage language: String?) -> String {
        guard let language = language?.trimmingCharacters(in: .whitespaces).lowercased(), !language.isEmpty else {
            return attachment
        }
        return attachments.first { $0.key.lowercased() == language }?.value ?? attachment
    }
}
