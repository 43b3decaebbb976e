/// A paragraph that holds nothing but merge-field holes (besides white space, empty runs,
/// proofing marks and its own bookmarks): left out of the output when every one of its holes
/// renders empty, as Word does when it suppresses blank lines.
struct BlankLine: Sendable {
    /// The paragraph's holes. It starts in chunk `holes.lowerBound` and ends in chunk
    /// `holes.upperBound` of its `CompiledPart`.
    let holes: Range<Int>
    /// Offset of the paragraph's `<w:p` in its first chunk.
    let start: Int
    /// Offset just after its `</w:p>` in its last chunk.
    let end: Int
    /// Lowercased names of the bookmarks it holds: while one of them may be referred to by a
    /// field or hyperlink of the template, the paragraph is never left out.
    let bookmarks: [String]
}
