/// One story part compiled: static byte chunks with holes between them
/// (`chunks.count == holes.count + 1`).
struct CompiledPart: Sendable {
    /// Entry name, e.g. `word/document.xml`.
    let name: String
    let chunks: [[UInt8]]
    let holes: [Hole]
    private let staticSize: Int

    init(name: String, chunks: [[UInt8]], holes: [Hole]) {
        precondition(chunks.count == holes.count + 1, "a compiled part alternates chunks and holes")
        self.name = name; self.chunks = chunks; self.holes = holes
        staticSize = chunks.reduce(0) { $0 + $1.count }
    }

    /// Every merge field occurrence, in document order. An `mc:Fallback` copy is listed only for
    /// the names its `mc:Choice` original does not already list (they usually match; when they
    /// do not, the fallback's field still needs data and must show up).
    var uses: [FieldUse] {
        let listedNames = Set(holes.filter(\.listed).flatMap(\.value.uses).map { $0.name.lowercased() })
        var fallbackNames = Set<String>()
        return holes.flatMap { hole in
            hole.listed ? hole.value.uses : hole.value.uses.filter {
                let name = $0.name.lowercased()
                return !listedNames.contains(name) && fallbackNames.insert(name).inserted
            }
        }
    }

    /// Whether the part has anything to merge.
    var hasHoles: Bool { !holes.isEmpty }

    /// The part's bytes for `record`: one pass, no parsing.
    func render(_ record: MergeRecord, missing: MissingFieldPolicy) throws(MissingFieldError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(staticSize + holes.count * 96)
        output.append(contentsOf: chunks[0])
        for index in holes.indices {
            let hole = holes[index]
            if let text = try hole.value.resolve(record, missing: missing) {
                RunWriter.append(text, runProperties: hole.runProperties, asInstruction: hole.inInstruction, to: &output)
            } else {
                output.append(contentsOf: hole.original)
            }
            output.append(contentsOf: chunks[index + 1])
        }
        return output
    }
}
