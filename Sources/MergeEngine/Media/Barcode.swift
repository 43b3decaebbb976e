import CLibZint

/// A barcode rendered by libzint as a PNG picture, with the size it is shown at.
///
/// Size, as Word shows barcodes: at `\s 100` one module (the narrowest bar, or a QR cell) is 2 pixels
/// at 96 dpi (0.53 mm), scaled by `\s`; `\h` (twips) sets a linear symbol's bar height. QR and the
/// 4-state postal codes keep their own proportions. The bitmap is drawn at twice that resolution
/// (4 pixels a module) so it prints sharply.
struct Barcode {
    /// The PNG file.
    let png: [UInt8]
    /// The shown size in EMU (914,400 an inch).
    let widthEMU: Int
    let heightEMU: Int

    /// zint's bitmap pixels per shown 96-dpi pixel.
    private static let oversampling: Float = 2

    /// Encodes `data`; the error is zint's message with the symbology.
    static func render(_ data: String, _ options: BarcodeOptions) -> Result<Barcode, ImageProblem> {
        guard let symbol = ZBarcode_Create() else { return .failure(ImageProblem("libzint could not allocate a symbol")) }
        defer { ZBarcode_Delete(symbol) }
        symbol.pointee.symbology = options.symbology.zintSymbology
        symbol.pointee.scale = oversampling
        symbol.pointee.show_hrt = options.showsText ? 1 : 0
        symbol.pointee.input_mode = Int32(UNICODE_MODE)
        if options.symbology == .qr, let level = options.errorCorrection { symbol.pointee.option_1 = Int32(level + 1) }
        if let twips = options.heightTwips, !options.symbology.isMatrix, !options.symbology.isPostal {
            // Height in modules: twips → inches, over the module's size in inches (2 px at 96 dpi, scaled).
            let module = 2.0 / 96.0 * Float(options.scale) / 100
            symbol.pointee.height = max(1, Float(twips) / 1440 / module)
        }
        setColour(&symbol.pointee.fgcolour, options.foreground)
        setColour(&symbol.pointee.bgcolour, options.background)
        let text = options.symbology.prepared(data)
        if let problem = options.symbology.check(text) { return .failure(problem) }
        let bytes = Array(text.utf8)
        let status = ZBarcode_Encode_and_Buffer(symbol, bytes, Int32(bytes.count), Int32(options.rotation * 90))
        let message = withUnsafeBytes(of: symbol.pointee.errtxt) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        guard status < ZINT_ERROR, let bitmap = symbol.pointee.bitmap else {
            return .failure(ImageProblem("zint cannot encode \"\(data)\" as \(options.symbology.displayName): \(message)"))
        }
        let width = Int(symbol.pointee.bitmap_width)
        let height = Int(symbol.pointee.bitmap_height)
        let rgb = Array(UnsafeBufferPointer(start: bitmap, count: width * height * 3))
        let emuPerBitmapPixel = 9525 * Float(options.scale) / 100 / oversampling
        return .success(
            Barcode(
                png: PNGEncoder.encode(rgb: rgb, width: width, height: height),
                widthEMU: Int(Float(width) * emuPerBitmapPixel), heightEMU: Int(Float(height) * emuPerBitmapPixel)))
    }

    private static func setColour<T>(_ field: inout T, _ hex: String) {
        withUnsafeMutableBytes(of: &field) { buffer in
            let bytes = Array(hex.utf8.prefix(buffer.count - 1)) + [0]
            for (i, byte) in bytes.enumerated() { buffer[i] = byte }
        }
    }
}

extension BarcodeSymbology {
    var zintSymbology: Int32 {
        switch self {
        case .qr: BARCODE_QRCODE
        case .code128: BARCODE_CODE128
        case .code39: BARCODE_CODE39
        case .ean13, .ean8: BARCODE_EANX
        case .upca: BARCODE_UPCA
        case .upce: BARCODE_UPCE
        case .itf14: BARCODE_ITF14
        case .nw7: BARCODE_CODABAR
        case .jpPost: BARCODE_JAPANPOST
        case .rm4scc: BARCODE_RM4SCC
        case .kix: BARCODE_KIX
        case .uspsIntelligentMail: BARCODE_USPS_IMAIL
        case .australiaPost: BARCODE_AUSPOST
        }
    }

    var displayName: String {
        switch self {
        case .qr: "QR"
        case .code128: "CODE128"
        case .code39: "CODE39"
        case .ean13: "EAN13"
        case .ean8: "EAN8"
        case .upca: "UPCA"
        case .upce: "UPCE"
        case .itf14: "ITF14"
        case .nw7: "NW7"
        case .jpPost: "JPPOST"
        case .rm4scc: "RM4SCC"
        case .kix: "KIX"
        case .uspsIntelligentMail: "USPS Intelligent Mail"
        case .australiaPost: "Australia Post"
        }
    }

    /// The data as zint wants it: postal codes in capitals without spaces (a post code is written `1234 AB`).
    func prepared(_ data: String) -> String {
        switch self {
        case .rm4scc, .kix, .jpPost: String(data.uppercased().filter { $0 != " " })
        default: data
        }
    }

    /// What zint's EANX would take but Word's type does not: EAN13 is 12 digits (13 with the check
    /// digit), EAN8 7 (or 8); zint itself reads both lengths as the one EANX symbology.
    func check(_ data: String) -> ImageProblem? {
        let digits = data.allSatisfy { $0.isASCII && $0.isNumber }
        switch self {
        case .ean13 where !(digits && (data.count == 12 || data.count == 13)):
            return ImageProblem("EAN13 takes 12 digits (13 with the check digit), not \"\(data)\"")
        case .ean8 where !(digits && (data.count == 7 || data.count == 8)):
            return ImageProblem("EAN8 takes 7 digits (8 with the check digit), not \"\(data)\"")
        default:
            return nil
        }
    }
}
