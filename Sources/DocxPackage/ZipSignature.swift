/// Sniffs the first bytes of a file to tell a damaged zip from something else.
enum ZipSignature {
    /// Whether `bytes` start with a zip local file header (`PK\u{3}\u{4}`).
    static func startsLikeZip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && bytes.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }
}
