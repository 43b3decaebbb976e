/// Where an attachment's address block must fit: the envelope window (DIN 5008 form A/B, a DL
/// window envelope …), as the template catalogue gives it (`window:` of a template). Millimetres
/// from the top left corner of the page; `lines` is the most address lines the window shows.
public struct AddressWindow: Sendable, Hashable, Codable {
    /// What the window is, for messages, e.g. `DIN 5008 B`.
    public var name: String
    public var left: Double
    public var top: Double
    public var width: Double
    public var height: Double
    /// The most lines of the address block the window shows.
    public var lines: Int
    /// The address block's font size in points: the character-count estimate of a line's width
    /// (`preflight` without `--pdf`) uses it (default 11).
    public var fontSize: Double

    public init(name: String, left: Double, top: Double, width: Double, height: Double, lines: Int, fontSize: Double = 11) {
        self.name = name
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.lines = lines
        self.fontSize = fontSize
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, left, top, width, height, lines, fontSize }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decodeIfPresent(String.self, forKey: .name) ?? "address window",
            left: try container.decode(Double.self, forKey: .left), top: try container.decode(Double.self, forKey: .top),
            width: try container.decode(Double.self, forKey: .width), height: try container.decode(Double.self, forKey: .height),
            lines: try container.decode(Int.self, forKey: .lines),
            fontSize: try container.decodeIfPresent(Double.self, forKey: .fontSize) ?? 11)
        guard width > 0, height > 0, lines > 0, fontSize > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .width, in: container, debugDescription: "a window needs a positive width, height, lines and fontSize")
        }
    }

    /// The most characters of a line the window holds, estimated: an average character is half
    /// an em wide in the proportional fonts letters use (Calibri, Arial, Times), so a window
    /// `width` mm wide holds `width / (fontSize × 0.3528 mm × 0.5)` of them.
    public var estimatedCharactersPerLine: Int {
        max(1, Int((width / (fontSize * 0.352_778 * 0.5)).rounded(.down)))
    }
}
