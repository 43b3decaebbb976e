// Rendering templates whose fields move through the records (NEXT, NEXTIF, SKIPIF) or keep
// merge state (MERGEREC, MERGESEQ, SET, REF, ASK, FILLIN, COMPARE). A template without them
// renders through `render(_:missing:)` exactly as before.

/// One document rendered from a run of records.
public struct RecordsRendering: Sendable {
    /// The changed parts (entry name → bytes), as `CompiledTemplate.render` returns them.
    public let parts: [String: [UInt8]]
    /// The indices (in the records given) of the records the document shows, in order.
    public let records: [Int]
    /// The indices of the records SKIPIF left out before and within this document.
    public let skipped: [Int]
    /// The index of the first record the document did not use: where the next one starts.
    public let next: Int
}

extension CompiledTemplate {
    /// Whether a part has a record field: then documents are rendered with
    /// `render(records:from:state:missing:)`.
    public var navigatesRecords: Bool {
        parts.contains { $0.holes.contains(where: \.value.hasRecordField) }
    }

    /// The ASK and FILLIN fields, in part and document order.
    public var questions: [MergeQuestion] {
        parts.flatMap { $0.holes.filter(\.listed).flatMap(\.value.questions) }
    }

    /// The questions that neither `answers` (keys: bookmark or prompt, any case) nor a `\d`
    /// default answers: a merge must stop before writing anything.
    public func unansweredQuestions(_ answers: [String: String]) -> [MergeQuestion] {
        let folded = MergeState(answers: answers).answers
        var seen = Set<String>()
        return questions.filter { $0.answer(in: folded) == nil && seen.insert(($0.bookmark ?? $0.prompt).lowercased()).inserted }
    }

    /// Renders the next document from `records[start...]`: the record at `start` and those its
    /// NEXT/NEXTIF fields move on to (a label sheet: one per label; once the records run out,
    /// the remaining labels come out blank). A SKIPIF that holds before any NEXT drops the
    /// record and starts again with the next one; after a NEXT, the skipped record's place is
    /// taken by the next record. Every part starts at the document's first record; the main
    /// document decides which records were used. `state` carries SET/ASK values, answers and
    /// the count of merged records (MERGESEQ) from one document to the next.
    /// - Returns: nil when no record is left (all remaining ones skipped).
    public func render(
        records: [MergeRecord], from start: Int, state: inout MergeState,
        missing: MissingFieldPolicy = .error
    ) throws(MissingFieldError) -> RecordsRendering? {
        var first = start
        var skipped: [Int] = []
        documents: while first < records.count {
            var changed = fixedParts
            var main: RecordCursor?
            let media = self.media.map { MediaDocument(folder: images, support: $0) }
            for part in parts {
                var cursor = RecordCursor(records: records, first: first, state: state)
                let bytes = try part.render(&cursor, missing: missing, media: media)
                if cursor.skipsDocument {
                    skipped.append(first)
                    first += 1
                    continue documents
                }
                changed[part.name] = bytes
                if main == nil { main = cursor }
            }
            if let media { changed.merge(media.entries()) { _, added in added } }
            guard let main else {
                state.merged += 1
                return RecordsRendering(parts: changed, records: [first], skipped: skipped, next: first + 1)
            }
            state.bookmarks = main.state.bookmarks
            state.merged += main.shown.count
            return RecordsRendering(parts: changed, records: main.shown, skipped: skipped + main.skipped, next: main.nextIndex)
        }
        return nil
    }
}
