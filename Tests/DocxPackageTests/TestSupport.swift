import CLibZip
import DocxPackage
// The shared test support (TemporaryDirectory, WordCorpus, …) for every file of this target.
@_exported import MailMergeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What libzip reports about one entry, compressed form included.
struct RawEntry: Equatable {
    let name: String
    let method: Int32
    let compressedSize: UInt64
    let crc: UInt32
    let compressedBytes: [UInt8]

    /// Every entry of the zip at `path`, read with libzip directly.
    static func all(in path: String) -> [RawEntry] {
        var code: Int32 = 0
        guard let archive = zip_open(path, ZIP_RDONLY, &code) else { return [] }
        defer { zip_discard(archive) }
        return (0..<UInt64(zip_get_num_entries(archive, 0))).compactMap { index in
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            guard zip_stat_index(archive, index, 0, &stat) == 0,
                let file = zip_fopen_index(archive, index, zip_flags_t(ZIP_FL_COMPRESSED))
            else { return nil }
            defer { zip_fclose(file) }
            var bytes = [UInt8](repeating: 0, count: Int(stat.comp_size))
            let got = bytes.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress, stat.comp_size) }
            guard got == Int64(stat.comp_size) else { return nil }
            return RawEntry(
                name: String(cString: stat.name), method: Int32(stat.comp_method),
                compressedSize: stat.comp_size, crc: stat.crc, compressedBytes: bytes)
        }
    }
}

/// Builds small packages with chosen parts.
enum Packages {
    static let mainType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    static let relsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let typeBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

    static func contentTypes(overrides: [(part: String, type: String)]) -> [UInt8] {
        let items = overrides.map { "<Override PartName=\"\($0.part)\" ContentType=\"\($0.type)\"/>" }.joined()
        return Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>\(items)</Types>").utf8)
    }

    static func rels(_ relationships: [(type: String, target: String)]) -> [UInt8] {
        let items = relationships.enumerated().map { index, rel in
            "<Relationship Id=\"rId\(index + 1)\" Type=\"\(typeBase)\(rel.type)\" Target=\"\(rel.target)\"/>"
        }.joined()
        return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"\(relsNamespace)\">\(items)</Relationships>".utf8)
    }

    static let body = Array("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>".utf8)

    /// A minimal valid package: `word/document.xml` with one header relationship.
    static func minimal() -> [(name: String, bytes: [UInt8])] {
        [
            ("[Content_Types].xml", contentTypes(overrides: [("/word/document.xml", mainType)])),
            ("_rels/.rels", rels([("officeDocument", "word/document.xml")])),
            ("word/document.xml", body),
            ("word/_rels/document.xml.rels", rels([("header", "header1.xml")])),
            ("word/header1.xml", body),
        ]
    }

    /// `entries` with the entry `name` replaced by `bytes` (or removed when nil).
    static func with(_ entries: [(name: String, bytes: [UInt8])], _ name: String, _ bytes: [UInt8]?) -> [(name: String, bytes: [UInt8])] {
        entries.compactMap { entry in
            guard entry.name == name else { return entry }
            return bytes.map { (name, $0) }
        }
    }
}

/// Expects `body` to throw a `DocxError` whose text contains every one of `fragments`.
func expectDocxError(
    _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected a DocxError containing \(fragments)", sourceLocation: sourceLocation)
    } catch {
        guard let error = error as? DocxError else {
            Issue.record("expected a DocxError, got \(error)", sourceLocation: sourceLocation)
            return
        }
        for fragment in fragments {
            #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)", sourceLocation: sourceLocation)
        }
    }
}
