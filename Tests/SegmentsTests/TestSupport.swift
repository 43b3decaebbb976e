import Foundation
// The shared test support (TemporaryDirectory, Paths, …) for every file of this target.
@_exported import MailMergeTestSupport

@testable import Segments

/// The repository's root directory.
let repositoryRoot = Paths.repository.path

/// A catalogue with DIRECTMAIL (EN default, NL) and EVENT (EN only, ignores the contact's
/// correspondence type, fax by default) whose attachment files exist.
func makeCatalogue(in directory: TemporaryDirectory) throws -> TemplateCatalogue {
    try directory.write(
        "templates/templates.yaml",
        """
        templates:
          - code: DIRECTMAIL
            description: Direct mail letter
            attachment: DirectMail_EN.docx
            attachments:
              nl: DirectMail_NL.docx
            unitCost: 1.25
            unitDuration: 2
          - code: EVENT
            description: Event invitation
            attachment: Event_EN.docx
            correspondenceType: fax
            ignoreContactCorrespondenceType: true
            informationFlow: inbound
            initiatedBy: them
            unitCost: 2.10
            unitDuration: 5
        """)
    for name in ["DirectMail_EN.docx", "DirectMail_NL.docx", "Event_EN.docx"] {
        try directory.write("templates/\(name)", "placeholder")
    }
    return try TemplateCatalogue.load(directory: directory.path + "/templates")
}

/// Contacts used by the resolver tests.
func makeContacts() -> ContactDirectory {
    ContactDirectory(contacts: [
        Contact(
            no: "C1", firstName: "Anna", surname: "Jansen", email: "anna@example.com", languageCode: "NL",
            correspondenceType: .email, salespersonCode: "SP1"),
        Contact(no: "C2", firstName: "Bob", surname: "Smith", languageCode: "EN"),
        Contact(no: "C3", type: .company, companyName: "Acme", email: "info@acme.example", languageCode: "FR", correspondenceType: .fax),
    ])
}

/// A valid segment file's header (SM1, template DIRECTMAIL, 2026-11-23, contacts.csv) in YAML: six lines, so
/// in a file that starts with it the next key is on line 7.
let segmentHeaderYAML = """
    header:
      no: SM1
      description: Test
      templateCode: DIRECTMAIL
      date: 2026-11-23
      contacts: contacts.csv
    """

/// A header with the required values (template DIRECTMAIL) and the given overrides.
func makeHeader(subject: String? = nil, languageCode: String? = nil, correspondenceType: CorrespondenceType? = nil) -> SegmentHeader {
    SegmentHeader(
        no: "SM00010", description: "Header description", templateCode: "DIRECTMAIL", subject: subject, languageCode: languageCode,
        correspondenceType: correspondenceType, date: Day("2026-11-23")!, contacts: "contacts.csv")
}

/// Resolves and returns the lines, or records the diagnostics as an issue.
func resolvedLines(_ segment: Segment, catalogue: TemplateCatalogue, contacts: ContactDirectory = makeContacts()) throws -> [ResolvedLine] {
    try SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue).get()
}

/// The diagnostics of a resolution expected to fail (empty if it succeeded).
func resolutionDiagnostics(_ segment: Segment, catalogue: TemplateCatalogue, contacts: ContactDirectory = makeContacts()) -> [Diagnostic] {
    switch SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue) {
    case .success: return []
    case .failure(let failure): return failure.diagnostics
    }
}
