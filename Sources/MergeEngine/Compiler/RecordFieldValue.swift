/// How a record field's hole is computed: by a `RecordCursor`, which knows the records of the
/// document being rendered and the merge state (answers, SET bookmarks, records merged so far).
indirect enum RecordFieldValue: Sendable {
    case next
    case nextIf(IfFieldInstruction, nested: [FieldValue])
    case skipIf(IfFieldInstruction, nested: [FieldValue])
    case compare(IfFieldInstruction, nested: [FieldValue])
    case mergeRecord
    case mergeSequence
    /// `bookmark` lowercased.
    case set(bookmark: String, value: FieldText, nested: [FieldValue])
    /// A REF to a bookmark a SET or ASK of the part assigns (`bookmark` lowercased).
    case ref(bookmark: String)
    case ask(bookmark: String, question: MergeQuestion)
    case fillIn(MergeQuestion)

    /// The values of the fields nested in its instruction.
    var nested: [FieldValue] {
        switch self {
        case .nextIf(_, let nested), .skipIf(_, let nested), .compare(_, let nested), .set(_, _, let nested): nested
        default: []
        }
    }

    var question: MergeQuestion? {
        switch self {
        case .ask(_, let question), .fillIn(let question): question
        default: nil
        }
    }
}

/// An ASK or FILLIN field: a question Word would ask while merging.
public struct MergeQuestion: Sendable, Hashable {
    /// ASK's bookmark; nil for FILLIN.
    public let bookmark: String?
    /// The prompt as written (ASK without a prompt: its bookmark).
    public let prompt: String
    /// The `\d` default answer.
    public let defaultText: String?
    /// Where the field is (its `name` is the bookmark or the prompt).
    public let use: FieldUse

    /// The answer for it: `answers` (keys lowercased) by bookmark, then by prompt, then the default.
    func answer(in answers: [String: String]) -> String? {
        if let bookmark, let answer = answers[bookmark.lowercased()] { return answer }
        return answers[prompt.lowercased()] ?? defaultText
    }
}

extension FieldValue {
    /// Whether it is or holds a record field (then rendering needs a `RecordCursor`).
    var hasRecordField: Bool {
        switch self {
        case .record: true
        case .condition(_, let nested): nested.contains(where: \.hasRecordField)
        default: false
        }
    }

    /// The ASK and FILLIN questions in it.
    var questions: [MergeQuestion] {
        switch self {
        case .record(let field): (field.question.map { [$0] } ?? []) + field.nested.flatMap(\.questions)
        case .condition(_, let nested): nested.flatMap(\.questions)
        default: []
        }
    }
}
