import Foundation
import Hummingbird
import InteractionLog
import MailMergeKit

/// An error answered as JSON `{"error": …, "detail": …}` with its HTTP status.
struct APIError: Error, Sendable {
    var status: HTTPResponse.Status
    /// A short machine-readable code (`not-found`, `validation`, …).
    var error: String
    /// What went wrong and what to do, in words; never a stack trace or a path outside the configured folders.
    var detail: String

    static func notFound(_ detail: String) -> APIError { APIError(status: .notFound, error: "not-found", detail: detail) }
    static func badRequest(_ detail: String) -> APIError { APIError(status: .badRequest, error: "bad-request", detail: detail) }
    static func unprocessable(_ detail: String) -> APIError { APIError(status: .unprocessableContent, error: "validation", detail: detail) }
    static func conflict(_ detail: String) -> APIError { APIError(status: .conflict, error: "conflict", detail: detail) }

    /// A use case's error: input problems are 422, a log that refuses is 409, the rest 500, in the CLI's words.
    /// `scratch` (the request's upload folder) is cut out of the message, so only the uploaded file names remain.
    static func from(_ error: MailMergeError, scratch: String? = nil) -> APIError {
        var detail = error.description
        if let scratch { detail = detail.replacingOccurrences(of: scratch + "/", with: "") }
        switch error {
        case .log(.unknownEntry), .log(.unknownLoggedSegment):
            return APIError(status: .notFound, error: "not-found", detail: detail)
        case .log(.alreadyLogged), .log(.alreadyCanceled), .log(.notCanceled), .log(.entryPostponed), .log(.loggedSegmentCanceled),
            .log(.notPostponed):
            return APIError(status: .conflict, error: "conflict", detail: detail)
        case .log:
            return APIError(status: .internalServerError, error: "log", detail: detail)
        case .io:
            return APIError(status: .internalServerError, error: "io", detail: detail)
        case .inputChanged:
            return APIError(status: .conflict, error: "input-changed", detail: detail)
        default:
            return APIError(status: .unprocessableContent, error: "validation", detail: detail)
        }
    }

    var response: Response {
        var body = ByteBuffer()
        body.writeBytes(JSON.encode(["error": error, "detail": detail]))
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

extension Optional {
    /// The value looked up (a template by code, a segment by number, a line, a job), or 404 with `detail`.
    func orNotFound(_ detail: @autoclosure () -> String) throws(APIError) -> Wrapped {
        guard let self else { throw APIError.notFound(detail()) }
        return self
    }
}

/// JSON encoding with one setting for every answer (sorted keys, ISO 8601 dates).
enum JSON {
    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: encode(value))))
    }
}

/// Runs a blocking use case (file I/O, LibreOffice, SQLite) on a thread of its own, off the event loops.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
