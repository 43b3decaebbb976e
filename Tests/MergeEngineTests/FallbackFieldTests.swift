import Testing

@testable import MergeEngine

/// Text boxes appear twice (mc:Choice and its mc:Fallback copy); the copy's fields are listed
/// only when the original does not already list them (found by PartCompilerFuzzer).
struct FallbackFieldTests {
    static func box(choice: String, fallback: String) -> String {
        "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p>"
            + "<w:fldSimple w:instr=\" MERGEFIELD \(choice) \"><w:r><w:t>x</w:t></w:r></w:fldSimple>"
            + "</w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p>"
            + "<w:fldSimple w:instr=\" MERGEFIELD \(fallback) \"><w:r><w:t>x</w:t></w:r></w:fldSimple>"
            + "</w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    }

    @Test func aFieldOnlyInTheFallbackIsListed() throws {
        let part = try WordXML.compile(WordXML.document(Self.box(choice: "Jox", fallback: "Box")))
        #expect(part.uses.map(\.name) == ["Jox", "Box"])
        // With every listed field given, rendering with missing: .error succeeds.
        let rendered = try part.render(MergeRecord(["Jox": "1", "Box": "2"]), missing: .error)
        #expect(String(decoding: rendered, as: UTF8.self).contains(">2<"))
    }

    @Test func theUsualCopyIsListedOnce() throws {
        let part = try WordXML.compile(WordXML.document(Self.box(choice: "Box", fallback: "box")))
        #expect(part.uses.map(\.name) == ["Box"])
    }
}
