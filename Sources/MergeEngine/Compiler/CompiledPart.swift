/// One story part compiled: static byte chunks with holes between them
/// (`chunks.count == holes.count + 1`), and the paragraphs left out when their holes are empty.
struct CompiledPart: Sendable {
    /// Entry name, e.g. `word/document.xml`.
    let name: String
    let chunks: [[UInt8]]
    let holes: [Hole]
    /// Paragraphs of nothing but holes, left out when all their holes render empty; in order.
    let blankLines: [BlankLine]
    /// Lowercased words of the part's field codes and internal hyperlink targets: the names
    /// its fields and hyperlinks may refer to as bookmarks (`BookmarkReferences`).
    let bookmarkReferences: Set<String>
    /// Fields left as they are although a merge would change them (`UnevaluatedField`).
    var warnings: [FieldWarning] = []
    private let staticSize: Int

    init(name: String, chunks: [[UInt8]], holes: [Hole], blankLines: [BlankLine] = [], bookmarkReferences: Set<String> = []) {
        precondition(chunks.count == holes.count + 1, "a compiled part alternates chunks and holes")
        self.name = name
        self.chunks = chunks
        self.holes = holes
        self.blankLines = blankLines
        self.bookmarkReferences = bookmarkReferences
        staticSize = chunks.reduce(0) { $0 + $1.count }
    }

    /// Every merge field occurrence, in document order. An `mc:Fallback` copy is listed only for
    /// the names its `mc:Choice` original does not already list (they usually match; when they
    /// do not, the fallback's field still needs data and must show up).
    var uses: [FieldUse] {
        let listedNames = Set(holes.filter(\.listed).flatMap(\.value.uses).map { $0.name.lowercased() })
        var fallbackNames = Set<String>()
        return holes.flatMap { hole in
            hole.listed
                ? hole.value.uses
                : hole.value.uses.filter {
                    let name = $0.name.lowercased()
                    return !listedNames.contains(name) && fallbackNames.insert(name).inserted
                }
        }
    }

    /// Whether the part has anything to merge.
    var hasHoles: Bool { !holes.isEmpty }

    /// This part with only the blank lines none of whose bookmarks is in `references`
    /// (all of them removed when `suppressing` is false: the template asks to keep blank lines).
    func suppressingBlankLines(_ suppressing: Bool, unlessReferencedIn references: Set<String>) -> CompiledPart {
        let kept = suppressing ? blankLines.filter { references.isDisjoint(with: $0.bookmarks) } : []
        var part = CompiledPart(name: name, chunks: chunks, holes: holes, blankLines: kept, bookmarkReferences: bookmarkReferences)
        part.warnings = warnings
        return part
    }

    /// The part's bytes for `record`: one pass, no parsing. A blank line is written as it goes
    /// and taken back off the end of the output when all its holes turn out empty.
    func render(_ record: MergeRecord, missing: MissingFieldPolicy, media: MediaDocument? = nil) throws(MissingFieldError) -> [UInt8] {
        var context = SingleRecord(record: record)
        return try render(&context, missing: missing, media: media)
    }

    /// As `render(_:missing:media:)`, appending to `output` (a region's body, once per row,
    /// straight into its part's bytes).
    func append(_ record: MergeRecord, missing: MissingFieldPolicy, to output: inout [UInt8]) throws(MissingFieldError) {
        var context = SingleRecord(record: record)
        try append(&context, missing: missing, media: nil, to: &output)
    }

    /// The part's bytes with the holes computed by `context`. Specialised per context: for one
    /// record (`SingleRecord`) the navigation code below compiles away. With a `RecordCursor`, a
    /// NEXT marks the output; a SKIPIF that holds takes the output back to that mark (the
    /// skipped record's label is filled with the next record), or, before any NEXT, stops here
    /// with `context.skipsDocument` set.
    /// A picture or barcode hole (`.media`) is drawn by `media` (`Media/MediaDocument.swift`).
    func render<Context: RenderContext>(
        _ context: inout Context, missing: MissingFieldPolicy, media: MediaDocument? = nil
    ) throws(MissingFieldError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(staticSize + holes.count * 96)
        try append(&context, missing: missing, media: media, to: &output)
        return output
    }

    /// The body of `render(_:missing:media:)`: appends to `output` (positions it keeps are
    /// absolute, so it may already hold bytes).
    private func append<Context: RenderContext>(
        _ context: inout Context, missing: MissingFieldPolicy, media: MediaDocument?, to output: inout [UInt8]
    ) throws(MissingFieldError) {
        var lines = LineCursor(first: blankLines.first)
        if lines.event == 0 { appendChunk(0, lines: &lines, to: &output) } else { output.append(contentsOf: chunks[0]) }
        var mark: (hole: Int, size: Int, lines: LineCursor)?
        var index = 0
        while index < holes.count {
            let hole = holes[index]
            if case .region(let region) = hole.value {
                if let record = context.regionRecord { try region.render(record, missing: missing, into: &output) }
            } else if let text = try context.resolve(hole.value, missing: missing) {
                if !text.isEmpty { lines.isEmpty = false }
                if case .media(let field) = hole.value, let media, !hole.inInstruction {
                    if try !media.append(field, source: text, part: name, runProperties: hole.runProperties, missing: missing, to: &output) {
                        output.append(contentsOf: hole.original)
                    }
                } else {
                    RunWriter.append(
                        text, runProperties: hole.runProperties, asInstruction: hole.inInstruction,
                        paragraphBreak: hole.paragraphBreak, to: &output)
                }
            } else {
                lines.isEmpty = false
                output.append(contentsOf: hole.original)
            }
            if index + 1 == lines.event { appendChunk(index + 1, lines: &lines, to: &output) } else { output.append(contentsOf: chunks[index + 1]) }
            index += 1
            if Context.navigates, let event = context.takeEvent() {
                switch event {
                case .moved:
                    mark = (index, output.count, lines)
                case .skip:
                    guard let back = mark else {
                        context.skipsDocument = true
                        return
                    }
                    output.removeLast(output.count - back.size)
                    lines = back.lines
                    index = back.hole
                }
            }
        }
    }

    /// Where rendering stands with the blank lines.
    private struct LineCursor {
        /// The blank line that is open, or the next one.
        var line = 0
        /// Where the open line starts in the output; nil when none is open.
        var start: Int?
        /// Whether every hole of the open line rendered empty so far.
        var isEmpty = true
        /// The next chunk where a blank line starts or ends: the only chunks that need a look.
        var event: Int

        init(first: BlankLine?) { event = first?.holes.lowerBound ?? Int.max }
    }

    /// Appends chunk `index`, where the open blank line ends (taking it back off `output` when
    /// all its holes were empty), or the next one starts, or both.
    @inline(never)
    private func appendChunk(_ index: Int, lines: inout LineCursor, to output: inout [UInt8]) {
        let chunk = chunks[index]
        var from = 0
        if let start = lines.start {
            let end = blankLines[lines.line].end
            if lines.isEmpty { output.removeLast(output.count - start) } else { output.append(contentsOf: chunk[..<end]) }
            from = end
            lines.start = nil
            lines.line += 1
        }
        if lines.line < blankLines.count, blankLines[lines.line].holes.lowerBound == index {
            let start = blankLines[lines.line].start
            output.append(contentsOf: chunk[from..<start])
            from = start
            lines.start = output.count
            lines.isEmpty = true
        }
        output.append(contentsOf: chunk[from...])
        lines.event =
            lines.start != nil
            ? blankLines[lines.line].holes.upperBound
            : lines.line < blankLines.count ? blankLines[lines.line].holes.lowerBound : Int.max
    }
}
