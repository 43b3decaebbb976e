import Foundation
import Testing

/// Refused uploads over a real connection: every refusal (a bad query, not multipart, a body that does not
/// parse, a body over the limit, announced or chunked) is a complete JSON answer, also for a client that
/// sends its whole body before it reads anything and for `Connection: close`, never a connection reset.
@Suite struct UploadConnectionTests {
    /// Against the built `mailmerge serve` (its own process, default 20 MB limit), so that other tests busy in
    /// this process cannot slow its answers past the client's timeout.
    @Test func refusedUploadsOfEverySizeGetACompleteJSONAnswer() throws {
        let result = try LiveServerTests.run("uploads")
        #expect(result.status == 0, "\(result.stderr)")
        let answers = result.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
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
    }
}
