import Testing

@testable import MailMergeKit

/// The manifest's document column: the last non-empty part of the path, as `split(separator: "/").last` gave it.
struct ManifestLastComponentTests {
    @Test(arguments: [
        "/dev/shm/out/SMBENCH10000/00001-CB0000001-Café Zürich AG.docx", "letters/SM00001/0001-C1-Ørsted.docx", "name.docx", "", "/",
        "//", "a//b", "dir/", "dir//", "/x", "日本/語.docx", "é/",
    ])
    func asSplitLast(_ path: String) {
        #expect(Manifest.lastComponent(of: path) == String(path.split(separator: "/").last ?? ""), "\(path.debugDescription)")
    }
}
