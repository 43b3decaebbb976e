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

    /// `letters` (with their positions in the segment) in this order; ties keep the segment order.
    func ordered(_ letters: [(position: Int, letter: PrintManifest.Letter)]) -> [(position: Int, letter: PrintManifest.Letter)] {
        letters.sorted { a, b in
            for key in keys {
                let result = key(a.letter).compare(key(b.letter), options: [.numeric, .caseInsensitive])
                if result != .orderedSame { return result == .orderedAscending }
            }
            return a.position < b.position
        }
    }

    private var keys: [(PrintManifest.Letter) -> String] {
        switch self {
        case .line: return []
        case .postcode: return [{ $0.postCode }]
        case .countryPostcode: return [{ $0.countryRegionCode }, { $0.postCode }]
        case .contact: return [{ $0.contactNo }]
        }
    }
}
