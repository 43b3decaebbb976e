import Testing

@testable import DocxPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Target resolution, DOCTYPE sniffing and error wording, checked directly.
@Suite struct PackageInternalsTests {
    @Test(
        arguments: [
            ("header1.xml", "word/document.xml", "word/header1.xml"),
            ("/word/header1.xml", "word/document.xml", "word/header1.xml"),
            ("../customXml/item1.xml", "word/document.xml", "customXml/item1.xml"),
            ("./media/a%20b.png", "word/document.xml", "word/media/a b.png"),
            ("word/document.xml", nil, "word/document.xml"),
        ] as [(String, String?, String)])
    func resolvesTargets(_ target: String, _ source: String?, _ expected: String) {
        #expect(PackagePaths.resolve(target: target, from: source) == expected)
    }

    @Test func refusesTargetsAboveTheRoot() {
        #expect(PackagePaths.resolve(target: "../../etc/passwd", from: "word/document.xml") == nil)
    }

    @Test(arguments: [
        ("word/header 1.xml", "header%201.xml"),
        ("customXml/item1.xml", "/customXml/item1.xml"),
        ("word/média/ü.xml", "m%C3%A9dia/%C3%BC.xml"),
        ("word/100%.xml", "100%25.xml"),
    ])
    func writesTargetsThatResolveBack(_ part: String, _ expected: String) {
        let target = PackagePaths.target(of: part, from: "word/document.xml")
        #expect(target == expected)
        #expect(PackagePaths.resolve(target: target, from: "word/document.xml") == part)
    }

    @Test func relationshipsPartNames() {
        #expect(PackagePaths.relationships(of: "word/document.xml") == "word/_rels/document.xml.rels")
        #expect(PackagePaths.relationships(of: "main.xml") == "_rels/main.xml.rels")
    }

    @Test func sniffsDoctypeOnlyInProlog() {
        #expect(DoctypeSniffer.hasDoctype(Array("<?xml version=\"1.0\"?>\n<!DOCTYPE x><x/>".utf8)))
        #expect(DoctypeSniffer.hasDoctype([0xEF, 0xBB, 0xBF] + Array("<!DOCTYPE x><x/>".utf8)))
        #expect(!DoctypeSniffer.hasDoctype(Array("<?xml version=\"1.0\"?><x><!-- <!DOCTYPE x> --></x>".utf8)))
        #expect(!DoctypeSniffer.hasDoctype(Array("<x a=\"<!DOCTYPE\"/>".utf8)))
    }

    @Test func diskFullIsSaidPlainly() {
        #expect(AtomicFile.reason(for: ENOSPC).contains("disk full"))
        #expect(AtomicFile.reason(for: EROFS).contains("permission denied"))
    }
}
