// The record keys a render may look up: a caller that builds a record per document (log-segment's lines) builds only
// those, not every field its data has.

extension CompiledTemplate {
    /// The lowercased names of every field `parts`' holes may look up in a record (`CompiledTemplate.recordKeys`); nil
    /// when not vouched for: a record field (NEXT, SKIPIF, SET …) or a field left as it is (DATABASE, INCLUDETEXT …).
    static func recordKeys(of parts: [CompiledPart]) -> Set<String>? {
        if parts.contains(where: { !$0.warnings.isEmpty }) { return nil }
        var keys = Set<String>()
        for part in parts where !part.collectRecordKeys(into: &keys) { return nil }
        return keys
    }
}

extension CompiledPart {
    /// Adds the keys its holes may look up to `keys`; false when one holds a record field.
    func collectRecordKeys(into keys: inout Set<String>) -> Bool {
        holes.allSatisfy { $0.value.collectRecordKeys(into: &keys) }
    }
}

extension FieldValue {
    /// Adds the lowercased names `resolve` may look up in a record to `keys` (a region's and a column sum's fields are
    /// looked up in the enclosing record under the same names); false for a record field, which `RecordCursor`
    /// evaluates and is not vouched for here.
    func collectRecordKeys(into keys: inout Set<String>) -> Bool {
        switch self {
        case .merge(_, let key, _), .placeholder(let key, _):
            keys.insert(key)
            return true
        case .condition(_, let nested):
            return nested.allSatisfy { $0.collectRecordKeys(into: &keys) }
        case .fixed:
            return true
        case .matched(let field):
            keys.formUnion(field.recordKeys)
            return true
        case .record:
            return false
        case .media(let field):
            switch field.source {
            case .column(let key, _):
                keys.insert(key)
                return true
            case .text(_, let nested):
                return nested.allSatisfy { $0.collectRecordKeys(into: &keys) }
            }
        case .region(let region):
            return region.body.collectRecordKeys(into: &keys)
        case .columnSum(let sum):
            return sum.cell.allSatisfy { $0.collectRecordKeys(into: &keys) }
        }
    }
}

extension MatchedField {
    /// The lowercased names `resolve` looks up: each token's mapped column, or the names it tries automatically.
    var recordKeys: [String] {
        columns.values.flatMap { choice -> [String] in
            switch choice {
            case .explicit(let column): [column.lowercased()]
            case .automatic(let keys): keys
            }
        }
    }
}
