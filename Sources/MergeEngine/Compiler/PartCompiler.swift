/// Compiles one story part (its XML bytes) into a `CompiledPart`: parses it once with libxml2,
/// replaces merge fields, `IF` fields and `{{Name}}` placeholders by hole markers, serializes
/// once and splits the bytes at the markers.
struct PartCompiler {
    /// The template file, for error messages.
    let file: String

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
            throw TemplateError(file: file, part: name, paragraph: error.paragraph,
                                fieldCode: error.fieldCode, message: error.message)
        }
    }

    private func compile(_ xml: XMLPart, name: String, bytes: [UInt8]) throws(ScanError) -> CompiledPart {
        let scan = try FieldScanner.scan(xml.root)
        let compiler = FieldCompiler(part: name)

        // Fields left as they are (DATE, HYPERLINK, TOC…) may hold merge fields in their
        // result or, nested, in their instruction: look inside them too.
        var merged: [(field: ScannedField, value: FieldValue, inInstruction: Bool)] = []
        var pending = scan.fields.map { (field: $0, inInstruction: false) }
        var next = 0
        while next < pending.count {
            let (field, inInstruction) = pending[next]
            next += 1
            if let value = try compiler.value(of: field) {
                merged.append((field, value, inInstruction))
            } else {
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
            return CompiledPart(name: name, chunks: [bytes], holes: [])
        }
        guard XMLPart.declaresWordPrefix(xml.root) else {
            throw ScanError(paragraph: nil, fieldCode: nil,
                            message: "the part does not bind the prefix \"w\" to WordprocessingML (strict Open XML is not supported); save the template as a Word Document (.docx)")
        }
        for (field, value, inInstruction) in merged {
            let isMergeField = if case .merge = value { true } else { false }
            let original = try FieldReplacer.replace(field, markerIndex: holes.count, joiningParagraphs: isMergeField)
            holes.append(Hole(value: value, runProperties: compiler.runProperties(of: field, value: value),
                              original: original, listed: field.listed, inInstruction: inInstruction))
        }

        guard let (chunks, order) = HoleMarker.split(xml.serialized(), expecting: holes.count) else {
            throw ScanError(paragraph: nil, fieldCode: nil,
                            message: "the part contains a processing instruction named \"mailmerge-hole\", which mailmerge reserves; remove it")
        }
        return CompiledPart(name: name, chunks: chunks, holes: order.map { holes[$0] })
    }
}
