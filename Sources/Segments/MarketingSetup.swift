import Foundation
import Yams

/// The settings of `setup.yaml` in the templates folder (Business Central's Marketing Setup):
/// the segment number series and our own country/region.
public struct MarketingSetup: Sendable, Hashable {
    /// The file name inside the templates folder.
    public static let fileName = "setup.yaml"

    /// Where new segment numbers come from; `nil` when the file has no `segmentNos`.
    public var segmentNos: NumberSeriesSetup?

    /// Our own country/region code (uppercased): addresses there get no country line; `nil` when not set.
    public var ownCountry: String?

    public init(segmentNos: NumberSeriesSetup?, ownCountry: String? = nil) {
        self.segmentNos = segmentNos
        self.ownCountry = ownCountry
    }

    /// Loads `directory/setup.yaml`; `nil` when there is no such file.
    ///
    /// - Throws: every problem found, each with its line.
    public static func load(directory: String) throws(ValidationFailure) -> MarketingSetup? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let root: Node
        do { root = try YAMLSupport.loadNode(path: path, what: "setup file") } catch { throw ValidationFailure(diagnostics: [error]) }
        guard let mapping = root.mapping else {
            throw ValidationFailure(diagnostics: [
                Diagnostic(source: path, line: root.mark?.line, message: "the setup file must be a mapping (e.g. 'segmentNos:'); see Templates/setup.yaml")
            ])
        }
        var diagnostics = YAMLSupport.unknownKeys(in: mapping, allowed: ["segmentNos", "ownCountry"], file: path, context: "the setup file")
        var series: NumberSeriesSetup?
        if let node = mapping["segmentNos"] {
            if let seriesMapping = node.mapping {
                diagnostics += YAMLSupport.unknownKeys(
                    in: seriesMapping, allowed: NumberSeriesSetup.CodingKeys.allCases.map(\.rawValue), file: path, context: "segmentNos")
            }
            switch YAMLSupport.decode(NumberSeriesSetup.self, from: node, file: path, place: "segmentNos") {
            case .success(let decoded):
                let problems = decoded.problems
                diagnostics += problems.map { Diagnostic(source: path, line: node.mark?.line, message: "segmentNos: \($0)") }
                if problems.isEmpty { series = decoded }
            case .failure(let diagnostic):
                diagnostics.append(diagnostic)
            }
        }
        var ownCountry: String?
        if let value = mapping["ownCountry"] {
            if let text = value.string {
                ownCountry = text.trimmingCharacters(in: .whitespaces).uppercased()
            } else {
                diagnostics.append(Diagnostic(source: path, line: value.mark?.line, message: "ownCountry must be a country code, e.g. NL"))
            }
        }
        guard diagnostics.isEmpty else { throw ValidationFailure(diagnostics: diagnostics) }
        var setup = MarketingSetup(segmentNos: series, ownCountry: ownCountry)
        setup.segmentNos?.source = path
        return setup
    }
}

/// A number series as Business Central's No. Series Line has it: `startingNo` (its letters are
/// the prefix, its digits the width), `endingNo`, `incrementBy`, `lastNoUsed`.
public struct NumberSeriesSetup: Sendable, Hashable, Codable {
    public var startingNo: String
    public var endingNo: String?
    public var incrementBy: Int
    /// The last number used before mailmerge handed any out (optional); the numbers mailmerge
    /// hands out are recorded in the interaction log database, not in this file.
    public var lastNoUsed: String?
    /// The setup file, for messages.
    public var source = MarketingSetup.fileName

    enum CodingKeys: String, CodingKey, CaseIterable {
        case startingNo, endingNo, incrementBy, lastNoUsed
    }

    public init(startingNo: String, endingNo: String? = nil, incrementBy: Int = 1, lastNoUsed: String? = nil) {
        self.startingNo = startingNo
        self.endingNo = endingNo
        self.incrementBy = incrementBy
        self.lastNoUsed = lastNoUsed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            startingNo: try container.decode(String.self, forKey: .startingNo),
            endingNo: try container.decodeIfPresent(String.self, forKey: .endingNo),
            incrementBy: try container.decodeIfPresent(Int.self, forKey: .incrementBy) ?? 1,
            lastNoUsed: try container.decodeIfPresent(String.self, forKey: .lastNoUsed))
    }

    /// The prefix (`SM`) and digit count (5) of `startingNo`.
    var prefix: String { String(startingNo.dropLast(Self.digits(of: startingNo).count)) }
    var width: Int { Self.digits(of: startingNo).count }

    /// What is wrong with the series, if anything.
    var problems: [String] {
        var problems: [String] = []
        if width == 0 { problems.append("startingNo '\(startingNo)' must end in digits, e.g. SM00001") }
        if incrementBy < 1 { problems.append("incrementBy must be 1 or more") }
        for (key, value) in [("endingNo", endingNo), ("lastNoUsed", lastNoUsed)] {
            if let value, number(value) == nil {
                problems.append("\(key) '\(value)' is not a number of this series (\(prefix) and \(width) digits, like \(startingNo))")
            }
        }
        if let end = endingNo.flatMap(number), let start = number(startingNo), end < start {
            problems.append("endingNo \(endingNo ?? "") is before startingNo \(startingNo)")
        }
        return problems
    }

    /// The numeric part of `no` when it belongs to this series (same prefix, ignoring case, and width).
    func number(_ no: String) -> Int? {
        let digits = Self.digits(of: no)
        guard digits.count == width, no.dropLast(digits.count).uppercased() == prefix.uppercased() else { return nil }
        return Int(digits)
    }

    func format(_ number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The next number: after `lastNoUsed` and after the highest number of this series in
    /// `used` (uppercased numbers reserved or logged), skipping any for which `taken` is true
    /// (e.g. a segment file exists).
    ///
    /// - Throws: when the series is exhausted (past `endingNo`, or past its digits).
    public func next(used: Set<String>, taken: (String) -> Bool) throws(Diagnostic) -> String {
        let start = number(startingNo) ?? 0
        var last = lastNoUsed.flatMap(number) ?? (start - incrementBy)
        for no in used { if let value = number(no), value > last { last = value } }
        let end = endingNo.flatMap(number) ?? (Int(String(repeating: "9", count: min(width, 18))) ?? Int.max)
        var candidate = last + incrementBy
        while candidate <= end {
            let no = format(candidate)
            if !used.contains(no.uppercased()) && !taken(no) { return no }
            candidate += incrementBy
        }
        throw Diagnostic(
            source: source,
            message: "the segment number series \(startingNo)…\(endingNo ?? format(end)) is exhausted (last used \(format(last))); "
                + "raise segmentNos.endingNo or start a new series with another startingNo")
    }

    private static func digits(of no: String) -> Substring {
        Substring(no.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
    }
}
