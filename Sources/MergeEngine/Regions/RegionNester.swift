/// Turns a part split at its holes, where `RegionMarker` bracketed each region with a start and
/// an end hole, into holes and nested `Region` holes: the chunks and holes between a start and
/// its end become the region's body (a `CompiledPart` of its own, compiled once), and the two
/// marks one `.region` hole. Blank lines inside a region go with it.
enum RegionNester {
    struct Nested {
        var chunks: [[UInt8]]
        var holes: [Hole]
        var lines: [BlankLine]
    }

    /// `marks`: the region mark of each hole position (document order) that has one.
    static func nest(
        name: String, chunks: [[UInt8]], holes: [Hole], lines: [BlankLine], marks: [Int: RegionMark], options: RegionOptions
    ) -> Nested {
        guard !marks.isEmpty else { return Nested(chunks: chunks, holes: holes, lines: lines) }
        var out = Nested(chunks: [chunks[0]], holes: [], lines: [])
        var chunkMap: [Int: Int] = [0: 0]
        var i = 0
        while i < holes.count {
            guard case .start(let table, let kind) = marks[i] else {
                out.holes.append(holes[i])
                out.chunks.append(chunks[i + 1])
                chunkMap[i + 1] = out.chunks.count - 1
                i += 1
                continue
            }
            var depth = 0
            var j = i + 1
            while j < holes.count {
                if case .start = marks[j] { depth += 1 }
                if case .end = marks[j] {
                    if depth == 0 { break }
                    depth -= 1
                }
                j += 1
            }
            // The body: chunks i+1 … j, holes i+1 ..< j.
            let shift = i + 1
            var innerMarks: [Int: RegionMark] = [:]
            for (position, mark) in marks where position > i && position < j { innerMarks[position - shift] = mark }
            let innerLines = lines.compactMap { line -> BlankLine? in
                guard line.holes.lowerBound >= shift, line.holes.upperBound <= j else { return nil }
                return BlankLine(
                    holes: (line.holes.lowerBound - shift)..<(line.holes.upperBound - shift), start: line.start, end: line.end,
                    bookmarks: line.bookmarks)
            }
            let body = nest(
                name: name, chunks: Array(chunks[shift...j]), holes: Array(holes[shift..<j]), lines: innerLines,
                marks: innerMarks, options: options)
            let region = Region(
                table: table, kind: kind,
                body: CompiledPart(name: name, chunks: body.chunks, holes: body.holes, blankLines: body.lines),
                keepEmpty: options.keepEmptyRegions)
            out.holes.append(Hole(value: .region(region), runProperties: [], original: [], listed: true))
            out.chunks.append(chunks[min(j + 1, chunks.count - 1)])
            chunkMap[j + 1] = out.chunks.count - 1
            i = j + 1
        }
        out.lines = lines.compactMap { line in
            guard let from = chunkMap[line.holes.lowerBound], let to = chunkMap[line.holes.upperBound],
                !marks.keys.contains(where: { $0 >= line.holes.lowerBound && $0 < line.holes.upperBound })
            else { return nil }
            return BlankLine(holes: from..<to, start: line.start, end: line.end, bookmarks: line.bookmarks)
        }
        return out
    }
}
