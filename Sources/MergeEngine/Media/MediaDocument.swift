/// What a template needs to add pictures to its documents, read once when it is compiled: each
/// story part's relationships part (or none), `[Content_Types].xml`, and the body's text width.
struct MediaSupport: Sendable {
    /// Story part → its `_rels/….rels` bytes, nil when the part has none yet.
    var relationships: [String: [UInt8]?] = [:]
    var contentTypes: [UInt8] = []
    /// The page's text width (page width less the left and right margins) in EMU: pictures are no wider.
    var textWidthEMU = 5_943_600

    /// `word/_rels/document.xml.rels` for `word/document.xml`.
    static func relationshipsPart(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// The text width from the last `w:pgSz w:w` and `w:pgMar w:left/w:right` of the main part (twips).
    static func textWidth(mainPart bytes: [UInt8]) -> Int? {
        let text = String(decoding: bytes, as: UTF8.self)
        func lastAttribute(_ element: String, _ name: String) -> Int? {
            guard let start = text.range(of: "<w:\(element) ", options: .backwards) else { return nil }
            let tail = text[start.upperBound...].prefix { $0 != ">" }
            guard let attribute = tail.range(of: "w:\(name)=\"") else { return nil }
            return Int(tail[attribute.upperBound...].prefix { $0 != "\"" })
        }
        guard let page = lastAttribute("pgSz", "w") else { return nil }
        let width = page - (lastAttribute("pgMar", "left") ?? 1440) - (lastAttribute("pgMar", "right") ?? 1440)
        return width > 0 ? width * 635 : nil  // 1 twip = 635 EMU
    }
}

/// The pictures of one document while it renders: each distinct picture stored once as
/// `word/media/img-<first 16 hex digits of its SHA-256>.<ext>`, one relationship per part that
/// shows it, and the `w:drawing` runs.
final class MediaDocument {
    private let folder: ImageFolder?
    private let support: MediaSupport
    /// Entry name → bytes of the media parts added.
    private var media: [String: [UInt8]] = [:]
    /// Part → relationship ids and targets added, in order.
    private var relationships: [String: [(id: String, target: String)]] = [:]
    private var extensions: [String: String] = [:]
    private var drawings = 0

    init(folder: ImageFolder?, support: MediaSupport) {
        self.folder = folder
        self.support = support
    }

    /// Appends the picture `value` shows for `source` (a file name or barcode data) to `output`.
    /// Returns false when the field is to be kept as it is (`--missing keep` and a problem).
    /// Empty `source`: no picture.
    func append(
        _ value: MediaFieldValue, source: String, part: String, runProperties: [UInt8], missing: MissingFieldPolicy,
        to output: inout [UInt8]
    ) throws(MissingFieldError) -> Bool {
        if source.isEmpty { return true }
        let made: Result<(bytes: [UInt8], digest: String, ext: String, type: String, width: Int, height: Int), ImageProblem>
        switch value.kind {
        case .picture:
            guard let folder else {
                made = .failure(ImageProblem("the picture \(source) needs the folder pictures are read from: pass --images DIR"))
                break
            }
            made = folder.load(source).map { picture in
                let header = picture.header
                var width = header.width * 9525  // pixels at 96 dpi
                var height = header.height * 9525
                if let box = value.box {
                    let scale = min(Double(box.width) / Double(width), Double(box.height) / Double(height))
                    width = Int(Double(width) * scale)
                    height = Int(Double(height) * scale)
                }
                return (picture.bytes, picture.digest, header.format.fileExtension, header.format.contentType, width, height)
            }
        case .barcode(let options):
            made = Barcode.render(source, options).map { barcode in
                (barcode.png, Picture.digest(of: barcode.png), "png", "image/png", barcode.widthEMU, barcode.heightEMU)
            }
        }
        let image: (bytes: [UInt8], digest: String, ext: String, type: String, width: Int, height: Int)
        switch made {
        case .success(let success): image = success
        case .failure(let problem):
            switch missing {
            case .error: throw MissingFieldError(field: value.field, problem: problem.message)
            case .blank: return true
            case .keep: return false
            }
        }
        var width = max(1, image.width)
        var height = max(1, image.height)
        if width > support.textWidthEMU {
            height = max(1, Int(Double(height) * Double(support.textWidthEMU) / Double(width)))
            width = support.textWidthEMU
        }
        let name = "img-\(image.digest.prefix(16)).\(image.ext)"
        let entry = "word/media/\(name)"
        if media[entry] == nil { media[entry] = image.bytes }
        extensions[image.ext] = image.type
        let id = "rIdMm\(image.digest.prefix(12))"
        if !(relationships[part] ?? []).contains(where: { $0.id == id }) {
            let target = part.hasPrefix("word/") && !part.dropFirst(5).contains("/") ? "media/\(name)" : "/\(entry)"
            relationships[part, default: []].append((id, target))
        }
        drawings += 1
        output.append(contentsOf: Self.drawing(id: id, number: drawings, name: name, width: width, height: height, runProperties: runProperties))
        return true
    }

    /// The entries to add or replace: media parts, the parts' relationships, `[Content_Types].xml`.
    func entries() -> [String: [UInt8]] {
        var entries = media
        for (part, added) in relationships {
            let lines = added.map {
                "<Relationship Id=\"\($0.id)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"\($0.target)\"/>"
            }.joined()
            let name = MediaSupport.relationshipsPart(of: part)
            if let existing = support.relationships[part] ?? nil, let end = Self.lastIndex(of: "</", before: "Relationships>", in: existing) {
                entries[name] = Array(existing[..<end]) + Array(lines.utf8) + Array(existing[end...])
            } else {
                entries[name] = Array(
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(lines)</Relationships>").utf8)
            }
        }
        let types = String(decoding: support.contentTypes, as: UTF8.self)
        let lowered = types.lowercased()
        let missing = extensions.sorted { $0.key < $1.key }.filter { !lowered.contains("extension=\"\($0.key)\"") }
        if !missing.isEmpty, let end = Self.lastIndex(of: "</", before: "Types>", in: support.contentTypes) {
            let defaults = missing.map { "<Default Extension=\"\($0.key)\" ContentType=\"\($0.value)\"/>" }.joined()
            entries["[Content_Types].xml"] = Array(support.contentTypes[..<end]) + Array(defaults.utf8) + Array(support.contentTypes[end...])
        }
        return entries
    }

    /// Where the closing tag `</…name` (any prefix) starts, searching from the end.
    private static func lastIndex(of open: String, before name: String, in bytes: [UInt8]) -> Int? {
        let needle = Array(name.utf8)
        var i = bytes.count - needle.count
        while i >= 0 {
            if bytes[i..<i + needle.count].elementsEqual(needle) {
                var j = i - 1
                while j > 0, bytes[j] != UInt8(ascii: "<") { j -= 1 }
                if j >= 0, j + 1 < bytes.count, bytes[j + 1] == UInt8(ascii: "/") { return j }
            }
            i -= 1
        }
        return nil
    }

    /// An inline picture run as Word writes one (namespaces declared on the elements, so any part takes it).
    static func drawing(id: String, number: Int, name: String, width: Int, height: Int, runProperties: [UInt8]) -> [UInt8] {
        let docPr = 0x4D4D_0000 + number
        let xml =
            "<w:drawing><wp:inline xmlns:wp=\"\(PlaceholderBox.drawingNamespace)\" distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
            + "<wp:extent cx=\"\(width)\" cy=\"\(height)\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
            + "<wp:docPr id=\"\(docPr)\" name=\"Picture \(number)\" descr=\"\(name)\"/>"
            + "<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"\(drawingMain)\" noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
            + "<a:graphic xmlns:a=\"\(drawingMain)\"><a:graphicData uri=\"\(pictureNamespace)\">"
            + "<pic:pic xmlns:pic=\"\(pictureNamespace)\"><pic:nvPicPr><pic:cNvPr id=\"\(number)\" name=\"\(name)\"/><pic:cNvPicPr/></pic:nvPicPr>"
            + "<pic:blipFill><a:blip xmlns:r=\"\(relationshipsNamespace)\" r:embed=\"\(id)\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
            + "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(width)\" cy=\"\(height)\"/></a:xfrm>"
            + "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
        return Array("<w:r>".utf8) + runProperties + Array(xml.utf8) + Array("</w:r>".utf8)
    }

    private static let drawingMain = "http://schemas.openxmlformats.org/drawingml/2006/main"
    private static let pictureNamespace = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
}
