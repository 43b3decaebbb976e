import Foundation
import Hummingbird
import MultipartKit

/// One part of a `multipart/form-data` upload.
struct UploadedPart: Sendable {
    var name: String
    var fileName: String?
    var contentType: String?
    var body: ByteBuffer
}

/// Reading uploads within the server's limits: the body size (413), the number of parts (413).
enum Uploads {
    /// The parts of a `multipart/form-data` request body.
    static func parts(of request: Request, configuration: ServerConfiguration) async throws -> [UploadedPart] {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(in: type)
        else {
            throw APIError(
                status: .unsupportedMediaType, error: "unsupported-media-type",
                detail: "send multipart/form-data with a part \"template\" (.docx) and a part \"data\" (CSV) or \"records\" (JSON)")
        }
        let body = try await collect(request, configuration: configuration)
        let parser = MultipartParser(boundary: boundary)
        var parts: [UploadedPart] = []
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        var tooMany = false
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in current.writeBuffer(&buffer) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let type = headers.first { $0.0.lowercased() == "content-type" }?.1
            if parts.count >= configuration.maxParts {
                tooMany = true
            } else {
                parts.append(
                    UploadedPart(
                        name: parameter("name", in: disposition) ?? "", fileName: parameter("filename", in: disposition),
                        contentType: type, body: current))
            }
            headers = []
            current = ByteBuffer()
        }
        do { try parser.execute(body) } catch {
            throw APIError.badRequest("the multipart body does not parse (boundary \"\(boundary)\"); send it as a browser or curl -F does")
        }
        if tooMany {
            throw APIError(
                status: .contentTooLarge, error: "content-too-large", detail: "the upload has more than \(configuration.maxParts) parts")
        }
        return parts
    }

    /// The whole body; `RequestBodyMiddleware` has read it already, within the configured size.
    static func collect(_ request: Request, configuration: ServerConfiguration) async throws -> ByteBuffer {
        try await request.body.collect(upTo: configuration.maxBodyBytes)
    }

    private static func boundary(in contentType: String) -> String? {
        guard let value = parameter("boundary", in: contentType), !value.isEmpty, value.count <= 200 else { return nil }
        return value
    }

    /// `name="value"` or `name=value` in a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// An uploaded file's name reduced to a plain file name (letters, digits, `-_.`), never a path.
    static func safeFileName(_ name: String?, default fallback: String, extension ext: String) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var cleaned = String(last.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }.prefix(100))
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        if cleaned.isEmpty { cleaned = fallback }
        if !cleaned.lowercased().hasSuffix("." + ext) { cleaned += "." + ext }
        return cleaned
    }
}
