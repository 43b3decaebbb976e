#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sniffs the first bytes of a file to tell a damaged zip from something else.
enum ZipSignature {
    /// Whether the file at `path` starts with a zip local file header (`PK\u{3}\u{4}`).
    static func startsLikeZip(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 4)
        guard fread(&head, 1, 4, file) == 4 else { return false }
        return head == [0x50, 0x4B, 0x03, 0x04]
    }
}
