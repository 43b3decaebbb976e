import Comparison
import Foundation

/// A Business Central interaction template: what kind of interaction a segment line records
/// and which Word document (per language) is sent.
public struct InteractionTemplate: Sendable, Hashable, Codable {
    /// Unique code, compared ignoring case (e.g. `DIRECTMAIL`).
    public var code: String
    public var description: String
    /// The default attachment's file name, relative to the catalogue's directory; `nil` for an
    /// interaction without a document (a phone call, a meeting, an e-mail whose body is `emailBody`).
    public var attachment: String?
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
    /// How an e-mail carries the letter: attached as .docx (the default) or PDF, or as the HTML body.
    public var emailFormat: EmailFormat
    /// The body of an e-mail without attachment (`{{Field}}`-free plain text, sent as written).
    public var emailBody: String?
    /// The paper the template's letters are printed on (`paper: {weightGrams: 80}`), for the
    /// print manifest's weight per letter; nil: `Paper.standard`.
    public var paper: Paper?
    /// The envelope window the address block must fit (`preflight`); nil: not checked.
    public var window: AddressWindow?
    /// The pages a letter is expected to have (`preflight --pdf`); nil: not checked.
    public var pages: Int?
    /// Child tables for the attachment's repeating regions, by table name (`ChildRowsDeclaration`).
    public var rows: [String: ChildRowsDeclaration] = [:]

    /// Creates a template; only the code, description and default attachment are required.
    public init(
        code: String, description: String, attachment: String?, attachments: [String: String] = [:],
        correspondenceType: CorrespondenceType = .hardCopy, informationFlow: InformationFlow = .outbound,
        initiatedBy: InitiatedBy = .us, unitCost: Decimal = 0, unitDuration: Decimal = 0,
        ignoreContactCorrespondenceType: Bool = false, documentType: AttachmentDocumentType = .letter,
        emailFormat: EmailFormat = .docx, emailBody: String? = nil, paper: Paper? = nil
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
        self.emailFormat = emailFormat
        self.emailBody = emailBody
        self.paper = paper
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, description, attachment, attachments, correspondenceType, informationFlow, initiatedBy,
            unitCost, unitDuration, ignoreContactCorrespondenceType, documentType, emailFormat, emailBody, paper
        case window, pages
        case rows
    }

    /// Decodes a catalogue entry; every key but `code` and `description` is optional.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(String.self, forKey: .code),
            description: try container.decode(String.self, forKey: .description),
            attachment: try container.decodeIfPresent(String.self, forKey: .attachment),
            attachments: try container.decodeIfPresent([String: String].self, forKey: .attachments) ?? [:],
            correspondenceType: try container.decodeIfPresent(CorrespondenceType.self, forKey: .correspondenceType) ?? .hardCopy,
            informationFlow: try container.decodeIfPresent(InformationFlow.self, forKey: .informationFlow) ?? .outbound,
            initiatedBy: try container.decodeIfPresent(InitiatedBy.self, forKey: .initiatedBy) ?? .us,
            unitCost: try container.decodeIfPresent(Decimal.self, forKey: .unitCost) ?? 0,
            unitDuration: try container.decodeIfPresent(Decimal.self, forKey: .unitDuration) ?? 0,
            ignoreContactCorrespondenceType: try container.decodeIfPresent(Bool.self, forKey: .ignoreContactCorrespondenceType) ?? false,
            documentType: try container.decodeIfPresent(AttachmentDocumentType.self, forKey: .documentType) ?? .letter,
            emailFormat: try container.decodeIfPresent(EmailFormat.self, forKey: .emailFormat) ?? .docx,
            emailBody: try container.decodeIfPresent(String.self, forKey: .emailBody),
            paper: try container.decodeIfPresent(Paper.self, forKey: .paper))
        window = try container.decodeIfPresent(AddressWindow.self, forKey: .window)
        pages = try container.decodeIfPresent(Int.self, forKey: .pages)
        rows = try container.decodeIfPresent([String: ChildRowsDeclaration].self, forKey: .rows) ?? [:]
    }

    /// The attachment for `language` (compared ignoring case), or the default attachment when
    /// the language is empty, `nil` or has no attachment of its own; `nil` when the template has none.
    public func attachment(forLanguage language: String?) -> String? {
        // Every line asks: without per-language attachments the answer is the default one, whatever the language.
        guard !attachments.isEmpty, let language = language?.trimmingWhitespace.lowercased(), !language.isEmpty else {
            return attachment
        }
        return attachments.first { $0.key.lowercased() == language }?.value ?? attachment
    }
}

extension InteractionTemplate {
    /// Why the template's keys contradict each other, if they do: per-language attachments or a
    /// label sheet without a default attachment, an `emailBody` beside an attachment (the letter is the body then).
    var documentlessProblem: String? {
        if attachment == nil && !attachments.isEmpty {
            return "'attachments' (per language) needs a default 'attachment' too; add one or remove 'attachments'"
        }
        if attachment == nil && documentType == .labels {
            return "documentType labels needs an 'attachment' (the label sheet)"
        }
        if attachment != nil && emailBody != nil {
            return "'emailBody' is for templates without attachment (the letter is the e-mail's body otherwise); remove one of them"
        }
        return nil
    }
}

/// The paper a template's letters are printed on.
public struct Paper: Sendable, Hashable, Codable {
    /// The paper's grammage in grams per square metre (office paper: 80).
    public var weightGrams: Double

    /// Office paper, 80 g/m², for templates that do not say.
    public static let standard = Paper(weightGrams: 80)

    public init(weightGrams: Double) { self.weightGrams = weightGrams }

    enum CodingKeys: String, CodingKey { case weightGrams }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let grams = try container.decode(Double.self, forKey: .weightGrams)
        guard grams > 0, grams < 1000 else {
            throw DecodingError.dataCorruptedError(
                forKey: .weightGrams, in: container, debugDescription: "paper weightGrams is the grammage in g/m² (e.g. 80); \(grams) is not one")
        }
        weightGrams = grams
    }
}
