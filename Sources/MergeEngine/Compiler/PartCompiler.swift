import WordXML

/// Compiles one story part (its XML bytes) into a `CompiledPart`.
///
/// Turns a Word template into a `CompiledTemplate` once, so that rendering a record is a single
/// pass over bytes (no XML parsing, one output buffer per changed part).
///
/// For each story part (`DocxArchive.storyParts()`), `PartCompiler`:
///
/// 1. parses the XML with libxml2 (`XMLPart`: no network, no entity substitution, DOCTYPE refused;
///    the bytes before the root element — XML declaration and line break — are kept verbatim; a part in another encoding gets a UTF-8 declaration);
/// 2. walks the DOM once, iteratively (`FieldScanner`): complex fields (`w:fldChar` begin /
///    `w:instrText`… / separate / result / end, in one run or many, with `w:proofErr`, bookmarks
///    and formatting changes in between), `w:fldSimple`, fields nested in an instruction (become
///    `.nested(i)` tokens) and in a result, one field stack per story (the part, each text box);
///    tracked deletions are skipped; the `w:t` text of each paragraph outside fields is collected
///    for `{{Name}}` placeholders;
/// 3. parses each instruction (`FieldInstruction.parse`, in `Fields/`) — MERGEFIELD and IF become
///    holes, other fields (DATE, PAGE, TOC, HYPERLINK…) stay, but merge fields inside their result
///    or instruction are merged too (`FieldCompiler`);
/// 4. replaces each `{{Name}}` (`PlaceholderRewriter`, splitting runs so the surrounding text keeps
///    its own formatting) and each merged field (`FieldReplacer`: begin run through end run, even
///    when begin and end sit in different elements of one paragraph; a MERGEFIELD whose old
///    result spans paragraphs joins them, as Word does) by a processing instruction
///    `<?mailmerge-hole N?>` (`HoleMarker`), keeping the field's original XML for `--missing keep`;
/// 5. brackets each paragraph made of nothing but holes (`BlankLineFinder`: besides white space,
///    empty runs, `w:proofErr` and its own bookmarks; never a cell's, text box's or the body's
///    last paragraph) with `<?mailmerge-line N?>` … `<?mailmerge-line-end N?>`;
/// 6. serializes the document once and splits the bytes at the markers: `CompiledPart` =
///    chunks, `Hole`s (value to compute, the `w:rPr` to use, original XML) and `BlankLine`s
///    (holes and byte range of each such paragraph).
///
/// `word/settings.xml` is compiled to a constant without `w:mailMerge` (`SettingsPart`). Blank
/// lines are suppressed unless its `w:mailMerge` holds `w:doNotSuppressBlankLines`, and a blank
/// line holding a bookmark that a field or hyperlink of any part may refer to is always kept
/// (`BookmarkReferences`, applied across parts by `CompiledTemplate.compile`).
///
/// ADDRESSBLOCK and GREETINGLINE become holes too (`MatchedField`: the token columns and the language are
/// decided here, once); an address block's lines are written as paragraphs with the field's `w:pPr`, as
/// Word does (`FieldCompiler.paragraphBreak`). Each MERGEFIELD gets its language (`FieldLanguageResolver`).
///
/// Rendering (`CompiledPart.render`) appends chunks and, per hole, the value as runs
/// (`RunWriter`: escaped, `\n` → `w:br`, `\t` → `w:tab`, characters XML forbids dropped,
/// `xml:space="preserve"`). Formatting: `\* MERGEFORMAT` → the first result run's `w:rPr`;
/// otherwise the first instruction run's (for `IF` the same rule, from its own switch). A blank
/// line whose holes all render empty text (after `\b`/`\f` and IF evaluation; a field kept by
/// `--missing keep` is not empty) is taken back off the output, as Word does.
///
/// Limits, reported as `TemplateError` with part, paragraph and field code: unbalanced field
/// marks, instructions that do not parse, MERGEFIELD without a name, fields nested more than 64
/// deep, an IF spanning several paragraphs, and a field spanning table cells or text boxes.
struct PartCompiler {
    /// The template file, for error messages.
    let file: String
    /// The document's language (`FieldLanguageResolver`).
    var documentLanguage: FieldLanguage = .english
    /// Which columns ADDRESSBLOCK/GREETINGLINE tokens read.
    var matchFields = MatchFields()
    /// How repeating regions are found and rendered (`Regions/`).
    var regions = RegionOptions()

    func compile(part name: String, bytes: [UInt8]) throws(TemplateError) -> CompiledPart {
        let xml: XMLPart
        do {
            xml = try XMLPart(bytes: bytes)
        } catch {
            throw TemplateError(file: file, part: name, message: "cannot read the part: \(error.message)")
        }
        do {
            return try compile(xml, name: name, bytes: bytes)
        } catch {
            throw TemplateError(
                file: file, part: name, paragraph: error.paragraph,
                fieldCode: error.fieldCode, message: error.message)
        }
    }

    private func compile(_ xml: XMLPart, name: String, bytes: [UInt8]) throws(ScanError) -> CompiledPart {
        let scan = try FieldScanner.scan(xml.root)
        let references = BookmarkReferences.names(fields: scan.fields, anchors: scan.hyperlinkAnchors)
        var compiler = FieldCompiler(part: name, documentLanguage: documentLanguage, matchFields: matchFields)
        compiler.assignedBookmarks = RecordFieldCompiling.assignedBookmarks(scan.fields)

        // Fields left as they are (DATE, HYPERLINK, TOC…) may hold merge fields in their
        // result or, nested, in their instruction: look inside them too.
        var merged: [(field: ScannedField, value: FieldValue, inInstruction: Bool)] = []
        var pending = scan.fields.map { (field: $0, inInstruction: false) }
        var next = 0
        var warnings: [FieldWarning] = []
        while next < pending.count {
            let (field, inInstruction) = pending[next]
            next += 1
            if let value = try compiler.value(of: field) {
                merged.append((field, value, inInstruction))
            } else {
                if let warning = UnevaluatedField.warning(for: field, part: name) { warnings.append(warning) }
                pending.append(contentsOf: field.inResult.map { ($0, inInstruction) })
                pending.append(contentsOf: field.nested.map { ($0, true) })
            }
        }

        var holes: [Hole] = []
        for paragraph in scan.paragraphs {
            PlaceholderRewriter(part: name, paragraph: paragraph).rewrite { hole in
                holes.append(hole)
                return holes.count - 1
            }
        }
        guard !merged.isEmpty || !holes.isEmpty else {
            var part = CompiledPart(name: name, chunks: [bytes], holes: [], bookmarkReferences: references)
            part.warnings = warnings
            return part
        }
        guard XMLPart.declaresWordPrefix(xml.root) else {
            throw ScanError(
                paragraph: nil, fieldCode: nil,
                message:
                    "the part does not bind the prefix \"w\" to WordprocessingML "
                    + "(strict Open XML is not supported); save the template as a Word Document (.docx)"
            )
        }
        for (field, value, inInstruction) in merged {
            let isMergeField = if case .merge = value { true } else { false }
            let paragraphBreak = inInstruction ? nil : compiler.paragraphBreak(of: field, value: value)
            let original = try FieldReplacer.replace(field, markerIndex: holes.count, joiningParagraphs: isMergeField)
            holes.append(
                Hole(
                    value: value, runProperties: compiler.runProperties(of: field, value: value),
                    original: original, listed: field.listed, inInstruction: inInstruction, paragraphBreak: paragraphBreak))
        }

        let regionMarks = try RegionMarker.mark(root: xml.root, holes: &holes, options: regions)
        let lineBookmarks = BlankLineFinder.markParagraphs(under: xml.root)
        guard let split = HoleMarker.split(xml.serialized(), holeCount: holes.count, lineCount: lineBookmarks.count) else {
            throw ScanError(
                paragraph: nil, fieldCode: nil,
                message:
                    "the part contains a processing instruction named \"mailmerge-hole\", \"mailmerge-line\" or \"mailmerge-line-end\", "
                    + "which mailmerge reserves; remove it"
            )
        }
        let blankLines = zip(split.lines, lineBookmarks).map { line, bookmarks in
            BlankLine(holes: line.holes, start: line.start, end: line.end, bookmarks: bookmarks)
        }
        var positionMarks: [Int: RegionMark] = [:]
        for (position, hole) in split.order.enumerated() { if let mark = regionMarks[hole] { positionMarks[position] = mark } }
        let nested = RegionNester.nest(
            name: name, chunks: split.chunks, holes: split.order.map { holes[$0] }, lines: blankLines, marks: positionMarks,
            options: regions)
        var part = CompiledPart(
            name: name, chunks: nested.chunks, holes: nested.holes,
            blankLines: nested.lines, bookmarkReferences: references
        )
        .suppressingBlankLines(true, unlessReferencedIn: references)
        part.warnings = warnings
        return part
    }
}
