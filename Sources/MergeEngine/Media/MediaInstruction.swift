// Pictures and barcodes per record (issue 12, parts 3–4): the field language side.
//
// | file | job |
// |---|---|
// | `MediaInstruction.swift` | INCLUDEPICTURE, MERGEBARCODE, DISPLAYBARCODE and `MERGEFIELD Image:Name` parsed |
// | `MediaFieldValue.swift` | the compiled hole: where the path or data comes from, the placeholder box |
// | `ImageFolder.swift` | `--images DIR`: paths confined to the folder, size checked by stat before reading |
// | `ImageHeader.swift` | PNG/JPEG/GIF signature and pixel dimensions from the header |
// | `Barcode.swift` | libzint (CLibZint): symbologies, switches, bitmap → PNG (`PNGEncoder.swift`) |
// | `MediaDocument.swift` | per document: media parts stored once by digest, relationships, content types, `w:drawing` XML |

/// A field that renders as a picture: INCLUDEPICTURE with a merge field in its file name, Aspose's
/// `MERGEFIELD Image:Column`, or a barcode (MERGEBARCODE, DISPLAYBARCODE).
public enum MediaInstruction: Sendable, Equatable {
    /// `INCLUDEPICTURE "{ MERGEFIELD PhotoPath }" \d`: the file named by the text (nested fields resolved).
    case includePicture(FieldText)
    /// `MERGEFIELD Image:Photo`: the file named by column `Photo`.
    case imageColumn(String)
    /// `MERGEBARCODE Column TYPE [switches]`: the barcode of the column's value.
    case mergeBarcode(column: String, BarcodeOptions)
    /// `DISPLAYBARCODE "text" TYPE [switches]`: the barcode of the text (nested fields resolved).
    case displayBarcode(FieldText, BarcodeOptions)

    /// The prefix of Aspose's picture merge fields (`MERGEFIELD Image:Photo`), matched case-insensitively.
    static let imagePrefix = "image:"

    /// `MERGEFIELD Image:Photo` → `.imageColumn("Photo")`; nil for any other merge field.
    static func imageColumn(of merge: MergeFieldInstruction) -> MediaInstruction? {
        guard merge.name.lowercased().hasPrefix(imagePrefix) else { return nil }
        let column = String(merge.name.dropFirst(imagePrefix.count)).trimmingSpaces
        return column.isEmpty ? nil : .imageColumn(column)
    }
}

/// A barcode's type and Word's switches (MS-OI29500 §3.1.3.2.7 DISPLAYBARCODE).
public struct BarcodeOptions: Sendable, Equatable {
    public var symbology: BarcodeSymbology
    /// `\s`: scaling in percent (10–1000).
    public var scale = 100
    /// `\h`: the symbol's height in twips (1/1440 inch); nil: the symbology's own height.
    public var heightTwips: Int?
    /// `\q`: QR error correction 0–3 (L, M, Q, H).
    public var errorCorrection: Int?
    /// `\r`: rotation 0–3 (quarter turns).
    public var rotation = 0
    /// `\t`: show the human-readable text.
    public var showsText = false
    /// `\f` and `\b`: foreground and background colours as `RRGGBB`.
    public var foreground = "000000"
    public var background = "FFFFFF"

    public init(symbology: BarcodeSymbology) { self.symbology = symbology }
}

/// The barcode types: Word's (`QR`, `CODE128`, `CODE39`, `EAN13`/`JAN13`, `EAN8`/`JAN8`, `UPCA`, `UPCE`,
/// `ITF14`/`CASE`, `NW7`, `JPPOST`) and the postal ones direct mail uses, which Word lacks.
public enum BarcodeSymbology: String, Sendable, CaseIterable {
    case qr, code128, code39, ean13, ean8, upca, upce, itf14, nw7, jpPost
    /// Royal Mail 4-state (RM4SCC), Dutch KIX, USPS Intelligent Mail, Australia Post.
    case rm4scc, kix, uspsIntelligentMail, australiaPost

    /// By type name (any case): Word's names and aliases, plus `RM4SCC`, `KIX`, `IMB`/`USPS`/`ONECODE`, `AUSPOST`.
    public init?(name: String) {
        switch name.uppercased() {
        case "QR": self = .qr
        case "CODE128": self = .code128
        case "CODE39": self = .code39
        case "EAN13", "JAN13": self = .ean13
        case "EAN8", "JAN8": self = .ean8
        case "UPCA": self = .upca
        case "UPCE": self = .upce
        case "ITF14", "CASE": self = .itf14
        case "NW7": self = .nw7
        case "JPPOST": self = .jpPost
        case "RM4SCC", "ROYALMAIL": self = .rm4scc
        case "KIX": self = .kix
        case "IMB", "USPS", "ONECODE", "USPSIMB": self = .uspsIntelligentMail
        case "AUSPOST", "AUSTRALIAPOST": self = .australiaPost
        default: return nil
        }
    }

    static let names = "QR, CODE128, CODE39, EAN13, JAN13, EAN8, JAN8, UPCA, UPCE, ITF14, CASE, NW7, JPPOST, RM4SCC, KIX, IMB, AUSPOST"

    /// Two-dimensional: the symbol is square, `\h` does not apply.
    var isMatrix: Bool { self == .qr }
    /// A 4-state postal code: its height is fixed by the postal service, `\h` does not apply.
    var isPostal: Bool { [.rm4scc, .kix, .uspsIntelligentMail, .australiaPost, .jpPost].contains(self) }
}

/// Parses INCLUDEPICTURE, MERGEBARCODE and DISPLAYBARCODE after their keyword.
enum MediaFieldParser {
    static let keywords: Set<String> = ["INCLUDEPICTURE", "MERGEBARCODE", "DISPLAYBARCODE"]

    /// The media instruction, or nil for an INCLUDEPICTURE whose file name holds no nested field
    /// (a fixed picture: Word's, left as it is).
    static func parse(keyword: String, tokens: [FieldToken]) throws(FieldSyntaxError) -> MediaInstruction? {
        switch keyword {
        case "INCLUDEPICTURE":
            guard let first = tokens.first, !first.isSwitch else {
                throw FieldSyntaxError("INCLUDEPICTURE needs a file name, e.g. INCLUDEPICTURE \"{ MERGEFIELD PhotoPath }\" \\d")
            }
            guard first.text.pieces.contains(where: { if case .nested = $0 { true } else { false } }) else { return nil }
            var index = 1
            while index < tokens.count {
                guard case .switchFlag(let letter) = tokens[index].kind else {
                    throw FieldSyntaxError("INCLUDEPICTURE: unexpected text \(tokens[index].displayText); quote a file name that contains spaces")
                }
                index += 1
                switch letter {
                case "d", "D": break  // the picture is not stored as a link: as mailmerge always does
                case "*":
                    _ = try SwitchArguments.text(for: "\\*", in: tokens, at: &index, field: "INCLUDEPICTURE", example: "MERGEFORMAT")
                case "c", "C":
                    _ = try SwitchArguments.text(for: "\\c", in: tokens, at: &index, field: "INCLUDEPICTURE", example: "PNG")
                default:
                    throw FieldSyntaxError("INCLUDEPICTURE: unknown switch \\\(letter); mailmerge knows \\d \\c \\*")
                }
            }
            return .includePicture(first.text)
        default:
            let field = keyword
            guard tokens.count >= 2, !tokens[0].isSwitch, !tokens[1].isSwitch else {
                throw FieldSyntaxError(
                    keyword == "MERGEBARCODE"
                        ? "MERGEBARCODE needs a field name and a barcode type, e.g. MERGEBARCODE PostCode KIX"
                        : "DISPLAYBARCODE needs the data and a barcode type, e.g. DISPLAYBARCODE \"{ MERGEFIELD Url }\" QR")
            }
            guard let typeName = tokens[1].text.plainText, let symbology = BarcodeSymbology(name: typeName) else {
                throw FieldSyntaxError("\(field): unknown barcode type \(tokens[1].displayText); use one of \(BarcodeSymbology.names)")
            }
            var options = BarcodeOptions(symbology: symbology)
            var index = 2
            while let letter = try SwitchArguments.nextSwitch(
                in: tokens, at: &index, unexpected: { "\(field): unexpected text \($0); switches follow the barcode type" })
            {
                func number(_ name: String, _ range: ClosedRange<Int>, _ example: String) throws(FieldSyntaxError) -> Int {
                    let text = try SwitchArguments.text(for: name, in: tokens, at: &index, field: field, example: example)
                    guard let value = Int(text), range.contains(value) else {
                        throw FieldSyntaxError("\(field): \(name) takes a number from \(range.lowerBound) to \(range.upperBound), not \(text)")
                    }
                    return value
                }
                func colour(_ name: String) throws(FieldSyntaxError) -> String {
                    let text = try SwitchArguments.text(for: name, in: tokens, at: &index, field: field, example: "0x000000")
                    var hex = text.uppercased()
                    if hex.hasPrefix("0X") { hex.removeFirst(2) }
                    guard hex.count == 6, hex.allSatisfy(\.isHexDigit) else {
                        throw FieldSyntaxError("\(field): \(name) takes a colour such as 0x1F3864, not \(text)")
                    }
                    return hex
                }
                switch letter {
                case "s", "S": options.scale = try number("\\s", 10...1000, "150")
                case "h", "H": options.heightTwips = try number("\\h", 1...31680, "720")
                case "q", "Q": options.errorCorrection = try number("\\q", 0...3, "1")
                case "r", "R": options.rotation = try number("\\r", 0...3, "0")
                case "t", "T": options.showsText = true
                case "f", "F": options.foreground = try colour("\\f")
                case "b", "B": options.background = try colour("\\b")
                case "*": _ = try SwitchArguments.text(for: "\\*", in: tokens, at: &index, field: field, example: "MERGEFORMAT")
                default:
                    throw FieldSyntaxError("\(field): switch \\\(letter) is not supported; mailmerge knows \\s \\h \\q \\r \\t \\f \\b")
                }
            }
            if keyword == "MERGEBARCODE" {
                guard let column = tokens[0].text.plainText, !column.isEmpty else {
                    throw FieldSyntaxError("MERGEBARCODE: the field name cannot contain a nested field")
                }
                return .mergeBarcode(column: column, options)
            }
            return .displayBarcode(tokens[0].text, options)
        }
    }
}
