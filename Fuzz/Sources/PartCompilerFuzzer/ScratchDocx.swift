import DocxPackage
import Glibc

/// A minimal .docx (content types, package relationships, main document) in a private
/// scratch folder, rewritten for every input; the folder is removed when the process exits.
struct ScratchDocx: Sendable {
    /// The entry name of the main document, the part the fuzzer fills.
    static let mainDocument = "word/document.xml"

    private static let contentTypes = Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/word/document.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
        </Types>
        """.utf8)

    private static let packageRelationships = Array(
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="word/document.xml"/></Relationships>
        """.utf8)

    private let folder: String
    private let path: String

    /// Creates the scratch folder in /dev/shm when there is one (no disk writes), else in /tmp.
    init() {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(base)/part-compiler-fuzzer-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            preconditionFailure("cannot create a scratch folder in \(base): errno \(errno)")
        }
        folder = String(cString: created)
        path = folder + "/template.docx"
        ScratchDocx.registerRemoval(of: [path, folder])
    }

    /// Writes a package whose main document is `part` (stored, not deflated: faster) and opens it.
    func archive(withMainDocument part: [UInt8]) -> DocxArchive {
        do {
            try DocxWriter.write(
                entries: [
                    ("[Content_Types].xml", Self.contentTypes),
                    ("_rels/.rels", Self.packageRelationships),
                    (Self.mainDocument, part),
                ], to: path, compressionLevel: 0)
            return try DocxArchive(path: path)
        } catch {
            preconditionFailure("cannot write and reopen the scratch package: \(error)")
        }
    }

    /// Paths removed at exit, file first. libFuzzer ends with `exit`, so `atexit` runs.
    nonisolated(unsafe) private static var pathsToRemove: [String] = []

    private static func registerRemoval(of paths: [String]) {
        pathsToRemove = paths
        atexit {
            for path in ScratchDocx.pathsToRemove { remove(path) }
        }
    }
}
