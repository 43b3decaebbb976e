import InteractionLog
import Segments

/// What `interaction resume ID` may change before the interaction is finished.
public struct ResumeChanges: Sendable {
    public var description: String?
    public var subject: String?
    public var comment: String?
    public var salespersonCode: String?

    public init(description: String? = nil, subject: String? = nil, comment: String? = nil, salespersonCode: String? = nil) {
        self.description = description
        self.subject = subject
        self.comment = comment
        self.salespersonCode = salespersonCode
    }

    func apply(to request: inout PostponedRequest) {
        if let description { request.description = description }
        if let subject { request.subject = subject }
        if let comment { request.comment = comment }
        if let salespersonCode { request.salespersonCode = salespersonCode }
    }
}

extension InteractionRecorder {
    /// The postponed interactions of contact `contactNo` and salesperson `salespersonCode`
    /// (each ignoring case; `nil` matches all), oldest first.
    public static func postponed(contactNo: String?, salespersonCode: String?, log: InteractionLogLocation) throws(MailMergeError) -> [PostponedInteraction] {
        try postponed(log: log).filter { interaction in
            (contactNo.map { $0.uppercased() == interaction.entry.contactNo.uppercased() } ?? true)
                && (salespersonCode.map { $0.uppercased() == interaction.entry.salespersonCode.uppercased() } ?? true)
        }
    }
}
