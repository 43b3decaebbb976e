import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Refused uploads over a real connection: every refusal (a bad query, not multipart, a body that does not
/// parse, a body over the limit, announced or chunked) is a complete JSON answer, also for a client that
/// sends its whole body before it reads anything and for `Connection: close`, never a connection reset.
@Suite struct UploadConnectionTests {
    static let client = Paths.repository.appendingPathComponent("Tests/MailMergeServerTests/Live/raw_upload.py").path

    @Test func refusedUploadsOfEverySizeGetACompleteJSONAnswer() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let limit = workspace.configuration.maxBodyBytes
        try await workspace.test(.live) { client in
            let port = try #require(client.port)
            let result = try await onThread { try Program.run("/usr/bin/env", ["python3", Self.client, String(port), String(limit)], timeout: 600) }
            #expect(result.status == 0, "\(result.stderr)")
            let answers = result.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(answers.count == 42, "\(result.stdout)")
            for answer in answers {
                let name = answer["case"] as? String ?? "?"
                #expect(answer["exception"] == nil, "\(name): \(answer["exception"] ?? "")")
                #expect(answer["complete"] as? Bool == true, "\(name): the answer is incomplete")
                let status = answer["status"] as? Int ?? 0
                let error = answer["error"] as? String ?? ""
                let detail = answer["detail"] as? String ?? ""
                #expect(!detail.isEmpty, "\(name)")
                switch name {
                case let over where over.hasPrefix("over the limit"):
                    #expect(status == 413 && error == "content-too-large", "\(name): \(status) \(error)")
                case let bogus where bogus.hasPrefix("format=bogus"):
                    #expect(status == 422 && detail.contains("format=bogus"), "\(name): \(status) \(detail)")
                case let text where text.hasPrefix("text/plain"):
                    #expect(status == 415, "\(name): \(status)")
                default:
                    #expect([400, 422].contains(status), "\(name): \(status) \(detail)")
                }
            }
            // The server still answers on new connections.
            let segments = try await client.execute(uri: "/v1/segments", method: .get)
            #expect(segments.status == .ok)
        }
    }
}
