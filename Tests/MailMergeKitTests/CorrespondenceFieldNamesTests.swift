import Foundation
import MailMergeTestSupport
import Testing

@testable import MailMergeKit
@testable import Segments

/// `ResolvedLine` keeps the lowercased names of the correspondence fields `CorrespondenceFields` makes
/// (`foldedCorrespondenceNames`, so a line's are not lowercased again per line). Segments cannot see MailMergeKit's
/// list, so the two are kept apart: this test fails when `CorrespondenceFields` makes a name the other list lacks
/// (the record would still be right, the name lowercased as it comes, but the saving silently lost).
struct CorrespondenceFieldNamesTests {
    @Test func everyCorrespondenceFieldMadeIsOneResolvedLineKnows() throws {
        let path = Paths.sampleSegments.appendingPathComponent("SM00001.yaml").path
        let segment = try Segment.load(path: path)
        let contacts = try ContactDirectory.load(csv: segment.contactsPath)
        let catalogue = try TemplateCatalogue.load(directory: Paths.templates.path)
        var lines = try SegmentResolver.resolve(segment, contacts: contacts, catalogue: catalogue).get()
        try CorrespondenceFields.apply(to: &lines, templatesDirectory: Paths.templates.path, source: path)
        let made = Set(lines.flatMap(\.correspondenceFields.keys))
        #expect(made.contains("FormalSalutation") && made.contains("AddressLine1"))
        let known = Set(ResolvedLine.foldedCorrespondenceNames.keys)
        #expect(made.subtracting(known).isEmpty, "made but not in ResolvedLine.foldedCorrespondenceNames: \(made.subtracting(known).sorted())")
        for (name, folded) in ResolvedLine.foldedCorrespondenceNames { #expect(folded == name.lowercased()) }
    }
}
