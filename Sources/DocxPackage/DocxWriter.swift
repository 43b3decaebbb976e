import CLibZip

/// Writes a new package derived from a source archive, atomically.
public enum DocxWriter {
    /// Writes `source` to `path` with the entries in `replacements` (entry name → bytes)
    /// replaced. Unchanged entries are copied with their compressed bytes as they are;
    /// replaced ones are deflated at `compressionLevel` (1–9). The file appears at `path`
    /// complete or not at all.
    public static func write(
        source: DocxArchive,
        replacing replacements: [String: [UInt8]],
        to path: String,
        compressionLevel: Int = 6
    ) throws(DocxError) {
        fatalError("not implemented yet")
    }
}
