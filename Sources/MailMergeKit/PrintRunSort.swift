import Foundation
import Segments

/// The order of the letters in a print run.
public enum PrintRunSort: String, Sendable, CaseIterable {
    /// The segment's line order.
    case line
    /// By post code (digits compared as numbers), then line order.
    case postcode
    /// By country/region code, then post code, then line order: the order postal services reward.
    case countryPostcode = "country,postcode"
    /// By contact number, then line order.
    case contact

    /// `lines` (with their positions in the segment) in this order; ties keep the segment order.
    func ordered(_ lines: [(position: Int, line: ResolvedLine)]) -> [(position: Int, line: ResolvedLine)] {
        lines.sorted { a, b in
            for key in keys {
                let result = key(a.line).compare(key(b.line), options: [.numeric, .caseInsensitive])
                if result != .orderedSame { return result == .orderedAscending }
            }
            return a.position < b.position
        }
    }

    private var keys: [(ResolvedLine) -> String] {
        switch self {
        case .line: return []
        case .postcode: return [{ $0.contact.postCode }]
        case .countryPostcode: return [{ $0.contact.countryRegionCode }, { $0.contact.postCode }]
        case .contact: return [{ $0.contact.no }]
        }
    }
}
