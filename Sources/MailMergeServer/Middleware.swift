import Foundation
import Hummingbird
import MailMergeKit

/// Every error becomes JSON `{error, detail}`: the API's own, Hummingbird's (404 for an unknown route, 413 …),
/// a use case's in the CLI's words; anything else is logged and answered as a bare 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The server's work folder, cut out of messages (only the names inside it remain).
    let workDirectory: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as MailMergeError {
            return APIError.from(error, scratch: workDirectory).response
        } catch let error as any HTTPResponseError {
            let status = error.status
            let detail: String
            switch status {
            case .notFound: detail = "no such resource: \(request.uri.path); see /openapi.yaml"
            case .contentTooLarge: detail = "the request body is larger than the server accepts"
            case .methodNotAllowed: detail = "\(request.method) is not allowed on \(request.uri.path)"
            default: detail = status.reasonPhrase
            }
            let code = status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
            return APIError(status: status, error: code, detail: detail).response
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(status: .internalServerError, error: "internal", detail: "the server failed to answer; see its log").response
        }
    }
}

/// The bearer token: required on every request when the server listens beyond loopback, and on every
/// state-changing request whenever one is set. Compared in constant time; no cookies are ever read or set.
struct TokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]?
    let everyRequest: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token else { return try await next(request, context) }
        let changesState = ![.get, .head, .options].contains(request.method)
        if everyRequest || changesState {
            let presented = request.headers[.authorization].flatMap { value -> [UInt8]? in
                guard value.lowercased().hasPrefix("bearer ") else { return nil }
                return Array(value.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
            }
            guard let presented, Self.constantTimeEqual(presented, token) else {
                var response = APIError(status: .unauthorized, error: "unauthorized", detail: "send the server's token as Authorization: Bearer TOKEN")
                    .response
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
        }
        return try await next(request, context)
    }

    /// Equal length and bytes; the time taken depends only on the token's length.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<b.count {
            difference |= (index < a.count ? a[index] : 0) ^ b[index]
        }
        return difference == 0
    }
}

/// Reads the whole request body, at most `maxBytes`, before any route runs: every answer, an error above all,
/// is sent after the client has sent everything, so no client is left writing into a connection the server
/// has stopped reading. A body announced or found larger is refused (413); `RequestBodyLimitHandler` drops
/// the rest of it and closes that connection cleanly after the answer.
struct RequestBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            return APIError(
                status: .contentTooLarge, error: "content-too-large",
                detail: "the request body has \(length) bytes; the server accepts at most \(maxBytes) (mailmerge serve --max-body-mb)"
            ).response
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return APIError(
                status: .contentTooLarge, error: "content-too-large",
                detail: "the request body is larger than \(maxBytes) bytes, the most the server accepts (mailmerge serve --max-body-mb)"
            ).response
        }
        return try await next(request, context)
    }
}
