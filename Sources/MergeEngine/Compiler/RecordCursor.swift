/// What computes the holes of a part while it renders (`CompiledPart.render(_:missing:)`).
protocol RenderContext {
    /// Whether holes may move through records (NEXT, SKIPIF). False: the render loop's
    /// navigation code is compiled away.
    static var navigates: Bool { get }
    /// The text of a hole; nil to leave the field as it was (`MissingFieldPolicy.keep`).
    mutating func resolve(_ value: FieldValue, missing: MissingFieldPolicy) throws(MissingFieldError) -> String?
    /// What the last hole did to the record position, taken once.
    mutating func takeEvent() -> NavigationEvent?
    /// Set when a SKIPIF before any NEXT drops the whole document.
    var skipsDocument: Bool { get set }
    /// The record whose child rows repeating regions show; nil: regions render as nothing.
    var regionRecord: MergeRecord? { get }
}

extension RenderContext {
    var regionRecord: MergeRecord? { nil }
}

enum NavigationEvent { case moved, skip }

/// One record, no navigation: ordinary letters (as fast as a plain function call).
struct SingleRecord: RenderContext {
    let record: MergeRecord
    var regionRecord: MergeRecord? { record }
    static var navigates: Bool { false }
    @inline(__always)
    func resolve(_ value: FieldValue, missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        try value.resolve(record, missing: missing)
    }
    func takeEvent() -> NavigationEvent? { nil }
    var skipsDocument: Bool {
        get { false }
        set {}
    }
}

/// The merge state that outlives one document: answers to ASK/FILLIN, the values SET and ASK
/// gave bookmarks, and how many records have been merged (for MERGESEQ).
public struct MergeState: Sendable {
    /// Answers by lowercased bookmark or prompt.
    let answers: [String: String]
    var bookmarks: [String: String] = [:]
    /// Records merged so far.
    public internal(set) var merged = 0

    /// `answers`: ASK bookmark or ASK/FILLIN prompt (any case) → answer (`--answer NAME=VALUE`).
    public init(answers: [String: String] = [:]) {
        var folded: [String: String] = [:]
        for (key, value) in answers { folded[key.lowercased()] = value }
        self.answers = folded
    }
}

/// The records of one document being rendered from a data source: where NEXT has got to,
/// which records SKIPIF skipped, and the merge state.
struct RecordCursor: RenderContext {
    static var navigates: Bool { true }
    let records: [MergeRecord]
    /// The current record's index in `records`; `records.count` once NEXT ran past the last.
    private(set) var index: Int
    /// The records shown, in order (the current one included).
    private(set) var shown: [Int]
    /// The records SKIPIF skipped after a NEXT.
    private(set) var skipped: [Int] = []
    private(set) var state: MergeState
    var skipsDocument = false
    private var event: NavigationEvent?

    init(records: [MergeRecord], first: Int, state: MergeState) {
        self.records = records
        index = first
        shown = [first]
        self.state = state
    }

    /// Whether NEXT ran past the last record: every hole then renders empty (blank labels).
    var isExhausted: Bool { index >= records.count }
    /// The index of the first record this document did not use.
    var nextIndex: Int { min(index + 1, records.count) }

    mutating func takeEvent() -> NavigationEvent? {
        defer { event = nil }
        return event
    }

    mutating func resolve(_ value: FieldValue, missing: MissingFieldPolicy) throws(MissingFieldError) -> String? {
        if isExhausted { return "" }
        switch value {
        case .record(let field):
            return try resolve(field, missing: missing)
        case .condition(let instruction, let nested) where nested.contains(where: \.hasRecordField):
            // Only the comparison's fields and the chosen branch's: a NEXT or SET in the other
            // branch must not run.
            var values = Array(repeating: "", count: nested.count)
            for i in Self.nestedIndices(instruction.left) + Self.nestedIndices(instruction.right) where i < nested.count {
                guard let value = try resolve(nested[i], missing: missing) else { return nil }
                values[i] = value
            }
            let branch = instruction.holds(nestedValues: values) ? instruction.whenTrue : instruction.whenFalse
            for i in Self.nestedIndices(branch) where i < nested.count {
                guard let value = try resolve(nested[i], missing: missing) else { return nil }
                values[i] = value
            }
            return instruction.evaluate(nestedValues: values)
        default:
            return try value.resolve(records[index], missing: missing)
        }
    }

    private mutating func resolve(_ field: RecordFieldValue, missing: MissingFieldPolicy) throws(MissingFieldError) -> String {
        switch field {
        case .next:
            moveToNext()
        case .nextIf(let condition, let nested):
            if condition.holds(nestedValues: try values(of: nested, missing: missing)) { moveToNext() }
        case .skipIf(let condition, let nested):
            if condition.holds(nestedValues: try values(of: nested, missing: missing)) { skipCurrent() }
        case .compare(let condition, let nested):
            return Compare.result(condition, nestedValues: try values(of: nested, missing: missing))
        case .mergeRecord:
            return String(index + 1)
        case .mergeSequence:
            return String(state.merged + shown.count)
        case .set(let bookmark, let text, let nested):
            state.bookmarks[bookmark] = text.resolve(try values(of: nested, missing: missing))
        case .ref(let bookmark):
            return state.bookmarks[bookmark] ?? ""
        case .ask(let bookmark, let question):
            state.bookmarks[bookmark] = question.answer(in: state.answers) ?? ""
        case .fillIn(let question):
            return question.answer(in: state.answers) ?? ""
        }
        return ""
    }

    private mutating func values(of nested: [FieldValue], missing: MissingFieldPolicy) throws(MissingFieldError) -> [String] {
        var values: [String] = []
        values.reserveCapacity(nested.count)
        for field in nested { values.append(try resolve(field, missing: missing) ?? "") }
        return values
    }

    private mutating func moveToNext() {
        index += 1
        if index < records.count { shown.append(index) }
        event = .moved
    }

    private mutating func skipCurrent() {
        shown.removeLast()
        skipped.append(index)
        index += 1
        if index < records.count { shown.append(index) }
        event = .skip
    }

    private static func nestedIndices(_ text: FieldText) -> [Int] {
        text.pieces.compactMap { if case .nested(let i) = $0 { i } else { nil } }
    }
}
