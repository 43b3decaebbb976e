import Foundation
import Testing

@testable import Segments

/// Add, reduce and refine on `Segment` values, and criteria in segment and criteria files.
@Suite struct CriteriaSegmentBuildingTests {
    static let contacts = ContactDirectory(contacts: [
        Contact(no: "C1", city: "Amsterdam", countryRegionCode: "NL"),
        Contact(no: "C2", type: .company, city: "Amstelveen", countryRegionCode: "NL"),
        Contact(no: "C3", city: "Bruxelles", countryRegionCode: "BE"),
        Contact(no: "C4", city: "Antwerpen", countryRegionCode: "BE"),
    ])

    func segment(_ lines: [SegmentLine] = []) -> Segment {
        Segment(header: makeHeader(), lines: lines)
    }

    @Test func addNumbersNewLinesInStepsOf10000AndNeverAddsTwice() throws {
        var segment = segment([SegmentLine(lineNo: 10000, contactNo: "c3"), SegmentLine(lineNo: 15000, contactNo: "X9")])
        let first = segment.apply(.add, try Criteria("country=NL"), contacts: Self.contacts)
        #expect(first == CriteriaOutcome(matched: 2, added: 2, alreadyPresent: 0, removed: 0))
        #expect(segment.lines.map(\.lineNo) == [10000, 15000, 20000, 30000])
        #expect(segment.lines.map(\.contactNo) == ["c3", "X9", "C1", "C2"])

        let second = segment.apply(.add, try Criteria("city=A*"), contacts: Self.contacts)
        #expect(second == CriteriaOutcome(matched: 3, added: 1, alreadyPresent: 2, removed: 0))
        #expect(segment.lines.map(\.contactNo) == ["c3", "X9", "C1", "C2", "C4"])
        #expect(segment.lines.last?.lineNo == 40000)
        #expect(Set(segment.lines.map { $0.contactNo.uppercased() }).count == segment.lines.count)
    }

    @Test func reduceRemovesAndRefineKeepsTheMatchingLines() throws {
        var reduced = segment()
        reduced.apply(.add, try Criteria("ContactNo=*"), contacts: Self.contacts)
        let reduction = reduced.apply(.reduce, try Criteria("country=BE"), contacts: Self.contacts)
        #expect(reduction.removed == 2)
        #expect(reduced.lines.map(\.contactNo) == ["C1", "C2"])

        var refined = segment([
            SegmentLine(lineNo: 10000, contactNo: "C1"), SegmentLine(lineNo: 20000, contactNo: "C3"),
            SegmentLine(lineNo: 30000, contactNo: "UNKNOWN"),
        ])
        let refinement = refined.apply(.refine, try Criteria("ContactType=Person"), contacts: Self.contacts)
        #expect(refinement.removed == 1)
        // A line whose contact is not in the contacts never matches, so refine drops it.
        #expect(refined.lines.map(\.contactNo) == ["C1", "C3"])
        #expect(refined.criteria == [CriteriaStep(action: .refine, expression: "ContactType=Person")])
    }

    @Test func criteriaAreSavedInTheSegmentFileAndLoadedBack() throws {
        let directory = try TemporaryDirectory()
        var built = segment()
        built.apply(.add, try Criteria("country=NL AND city=Amst*"), contacts: Self.contacts)
        built.apply(.reduce, try Criteria("ContactType=Company"), contacts: Self.contacts)
        let path = directory.path + "/SM00010.yaml"
        try built.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("action: add-contacts"))
        #expect(text.contains("where: country=NL AND city=Amst*"))
        let loaded = try Segment.load(path: path)
        #expect(loaded.criteria == built.criteria)
        #expect(loaded.lines == built.lines)
        #expect(loaded.lines.map(\.contactNo) == ["C1"])

        // A segment without criteria writes no criteria key.
        try segment().write(to: directory.path + "/plain.yaml")
        #expect(try !String(contentsOfFile: directory.path + "/plain.yaml", encoding: .utf8).contains("criteria"))
    }

    @Test func aBadCriteriaStepInASegmentFileIsReportedWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "bad.yaml",
            """
            \(segmentHeaderYAML)
            criteria:
              - action: shuffle-contacts
                where: city=A*
            lines: []
            """)
        #expect(throws: ValidationFailure.self) { try Segment.load(path: path) }
        do {
            _ = try Segment.load(path: path)
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.line == 8)
        }
    }

    @Test func savedCriteriaRoundTripAndReplaceByName() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/criteria.yaml"
        #expect(try CriteriaLibrary.load(path: path).criteria.isEmpty)
        var library = CriteriaLibrary()
        library.save(SavedCriteria(name: "Dutch", description: "NL", steps: [CriteriaStep(action: .add, expression: "country=NL")]))
        library.save(SavedCriteria(name: "BE", steps: [CriteriaStep(action: .refine, expression: "country=BE")]))
        library.save(SavedCriteria(name: "DUTCH", steps: [CriteriaStep(action: .reduce, expression: "city=X")]))
        try library.write(to: path)
        let loaded = try CriteriaLibrary.load(path: path)
        #expect(loaded.criteria.map(\.name) == ["DUTCH", "BE"])
        #expect(loaded["dutch"]?.steps == [CriteriaStep(action: .reduce, expression: "city=X")])

        let typo = try directory.write("typo.yaml", "criterias: []\n")
        #expect(throws: Diagnostic.self) { try CriteriaLibrary.load(path: typo) }
    }
}
