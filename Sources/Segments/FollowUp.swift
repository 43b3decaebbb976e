extension Segment {
    /// A follow-up segment: the same header (with a new number) and the same lines.
    ///
    /// - Parameter no: the follow-up's number; by default `header.nextFollowUpNo`, else the
    ///   next number after `header.no` (see `NumberSeries.next(after:)`).
    /// - Throws: a `Diagnostic` when no number is given and `header.no` has no trailing digits.
    public func followUp(no: String? = nil) throws(Diagnostic) -> Segment {
        guard let newNo = no.nonEmpty ?? header.nextFollowUpNo.nonEmpty ?? NumberSeries.next(after: header.no) else {
            throw Diagnostic(
                source: path ?? header.no, line: source?.line(ofHeaderKey: "no"),
                message: "segment number '\(header.no)' does not end in digits, so the follow-up's number cannot be derived; set "
                    + "header.nextFollowUpNo")
        }
        var header = header
        header.no = newNo
        header.nextFollowUpNo = nil
        return Segment(header: header, lines: lines)
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
