extension Segment {
    /// A follow-up segment (Business Central: a new segment from a logged one).
    ///
    /// The header is new: number `no`, date `date`, template `templateCode` (else the old one),
    /// `follows` naming the logged segment; campaign, salesperson, subject, language,
    /// correspondence type, cost and duration are kept; the logged mark, `nextFollowUpNo`,
    /// the criteria and their go-back steps are not. Each line keeps its contact, line number,
    /// template, language and correspondence type; its one-off values (comment, description,
    /// subject, attachment) only when `keepLineOverrides`.
    public func followUp(
        no: String, date: Day, templateCode: String? = nil, keepLineOverrides: Bool = false, follows: FollowedSegment
    ) -> Segment {
        var header = header
        header.no = no
        header.date = date
        header.templateCode = templateCode ?? header.templateCode
        header.nextFollowUpNo = nil
        header.follows = follows
        let lines = lines.map { line in
            keepLineOverrides ? line : line.withoutOneOffValues
        }
        return Segment(header: header, lines: lines)
    }
}

extension SegmentLine {
    /// The line without its one-off values (comment, description, subject, attachment).
    public var withoutOneOffValues: SegmentLine {
        SegmentLine(
            lineNo: lineNo, contactNo: contactNo, templateCode: templateCode, languageCode: languageCode,
            correspondenceType: correspondenceType)
    }
}

/// Business Central-style number series.
public enum NumberSeries {
    /// Increments the trailing digits keeping their width (`SM00001` → `SM00002`, `SM09` →
    /// `SM10`), widening only on overflow (`SM99` → `SM100`); `nil` when `no` has no trailing digits.
    public static func next(after no: String) -> String? {
        let digits = String(no.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        guard let value = Int(digits), value < Int.max else { return nil }
        let incremented = String(value + 1)
        let padding = String(repeating: "0", count: max(0, digits.count - incremented.count))
        return no.dropLast(digits.count) + padding + incremented
    }
}
