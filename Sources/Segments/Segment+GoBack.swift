/// What undoes one criteria action (Business Central's "Go Back" on a segment), recorded in
/// the segment file under `goBack`, one per criteria action, oldest first: the line numbers an
/// `add-contacts` added, or the lines a `reduce-contacts`/`refine-contacts` removed (with their
/// overrides).
public struct GoBackStep: Sendable, Codable, Hashable {
    /// Line numbers added by the action.
    public var added: [Int]?
    /// Lines removed by the action.
    public var removed: [SegmentLine]?

    public init(added: [Int]? = nil, removed: [SegmentLine]? = nil) {
        self.added = added
        self.removed = removed
    }
}

extension Segment {
    /// Undoes the last criteria action: removes the lines it added or puts back the lines it
    /// removed (in line number order), and drops the action from `criteria` and `goBack`.
    ///
    /// - Returns: the action undone, or `nil` when there is none recorded to undo.
    public mutating func goBackOneStep() -> CriteriaStep? {
        guard let undo = goBack.popLast(), let step = criteria.popLast() else { return nil }
        if let added = undo.added {
            let numbers = Set(added)
            lines.removeAll { numbers.contains($0.lineNo) }
        }
        if let removed = undo.removed {
            lines = SegmentLines((Array(lines) + removed).sorted { $0.lineNo < $1.lineNo })
        }
        return step
    }

    /// How many criteria actions `goBackOneStep` can undo: those recorded with what undoes them.
    public var stepsToGoBack: Int { min(goBack.count, criteria.count) }
}
