/// How a criteria action changes a segment's lines (Business Central's segment actions).
public enum CriteriaAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Add the matching contacts that are not in the segment yet.
    case add = "add-contacts"
    /// Remove the lines whose contact matches.
    case reduce = "reduce-contacts"
    /// Keep only the lines whose contact matches.
    case refine = "refine-contacts"
}

/// One criteria action applied to a segment, as recorded in the segment file:
/// `- action: add-contacts` / `where: Country=NL AND City=Amst*`.
public struct CriteriaStep: Sendable, Hashable, Codable {
    public var action: CriteriaAction
    /// The criteria expression (see `Criteria`).
    public var expression: String

    /// Creates a step.
    public init(action: CriteriaAction, expression: String) {
        self.action = action
        self.expression = expression
    }

    enum CodingKeys: String, CodingKey {
        case action
        case expression = "where"
    }
}

/// What applying one criteria action did.
public struct CriteriaOutcome: Sendable, Hashable {
    /// Contacts of the contacts CSV that match the criteria.
    public var matched: Int
    /// Lines added (add-contacts).
    public var added: Int
    /// Matching contacts that were already in the segment (add-contacts).
    public var alreadyPresent: Int
    /// Lines removed (reduce-contacts, refine-contacts).
    public var removed: Int
}

extension Segment {
    /// Business Central numbers segment lines in steps of 10000.
    public static let lineNoStep = 10000

    /// Applies `criteria` to the lines with `action`, taking contacts from `contacts`, and
    /// records the step in `criteria`. Added lines follow the contacts CSV's order and get
    /// the next free line numbers (steps of 10000); a contact already in the segment is not
    /// added again. Lines whose contact is not in `contacts` never match.
    @discardableResult
    public mutating func apply(_ action: CriteriaAction, _ selection: Criteria, contacts: ContactDirectory) -> CriteriaOutcome {
        let matching = contacts.contacts.filter(selection.matches)
        let matchingNos = Set(matching.map { $0.no.uppercased() })
        var outcome = CriteriaOutcome(matched: matching.count, added: 0, alreadyPresent: 0, removed: 0)
        let linesBefore = lines
        switch action {
        case .add:
            var present = Set(lines.map { $0.contactNo.uppercased() })
            var lineNo = (lines.map(\.lineNo).max() ?? 0) / Self.lineNoStep * Self.lineNoStep
            for contact in matching {
                guard present.insert(contact.no.uppercased()).inserted else {
                    outcome.alreadyPresent += 1
                    continue
                }
                lineNo += Self.lineNoStep
                lines.append(SegmentLine(lineNo: lineNo, contactNo: contact.no))
                outcome.added += 1
            }
        case .reduce, .refine:
            let keepMatching = action == .refine
            let before = lines.count
            lines.removeAll { matchingNos.contains($0.contactNo.uppercased()) != keepMatching }
            outcome.removed = before - lines.count
        }
        // What `segment go-back` needs to undo this action; `goBack` lines up with the END of
        // `criteria` (actions recorded before go-back existed have none and cannot be undone).
        if action == .add {
            let before = Set(linesBefore.map(\.lineNo))
            goBack.append(GoBackStep(added: lines.map(\.lineNo).filter { !before.contains($0) }))
        } else {
            let after = Set(lines.map(\.lineNo))
            goBack.append(GoBackStep(removed: linesBefore.filter { !after.contains($0.lineNo) }))
        }
        criteria.append(CriteriaStep(action: action, expression: selection.text))
        return outcome
    }
}
