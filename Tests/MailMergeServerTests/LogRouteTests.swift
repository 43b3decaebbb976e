import Foundation
import Hummingbird
import HummingbirdTesting
import MailMergeServer
import Testing

/// Logging a segment as a job (progress events, 409s), the log list, cancel/restore/delete, logged segments.
@Suite struct LogRouteTests {
    /// The job's events until the result: `(event, data)` pairs.
    static func events(_ client: any TestClientProtocol, job id: String) async throws -> [(String, [String: Any])] {
        let response = try await client.execute(uri: "/v1/jobs/\(id)/events", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/event-stream")
        return response.text.components(separatedBy: "\n\n").compactMap { block in
            let lines = block.split(separator: "\n")
            guard let event = lines.first(where: { $0.hasPrefix("event: ") }), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
            let json = (try? JSONSerialization.jsonObject(with: Data(data.dropFirst(6).utf8))) as? [String: Any] ?? [:]
            return (String(event.dropFirst(7)), json)
        }
    }

    @Test func loggingTwiceAtOnceIsOne200AndOne409ThenTheLogHas25Entries() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            async let first = client.execute(uri: "/v1/segments/SM00001/log", method: .post)
            async let second = client.execute(uri: "/v1/segments/SM00001/log", method: .post)
            let responses = try await [first, second]
            let statuses = responses.map(\.status.code).sorted()
            #expect(statuses == [200, 409], "\(responses.map(\.text))")
            guard let started = responses.first(where: { $0.status == .ok }), let id = try started.json()["id"] as? String else { return }
            let refused = responses.first { $0.status == .conflict }
            #expect(try refused?.json()["error"] as? String == "conflict")

            let events = try await Self.events(client, job: id)
            let result = events.last
            #expect(result?.0 == "result")
            #expect(result?.1["state"] as? String == "succeeded", "\(String(describing: result?.1))")
            #expect(result?.1["done"] as? Int == 25 && result?.1["total"] as? Int == 25)
            #expect(events.dropLast().allSatisfy { $0.0 == "progress" })

            let job = try await client.execute(uri: "/v1/jobs/\(id)", method: .get)
            #expect(try job.json()["interactions"] as? Int == 25)

            // Logged now: a third attempt is refused as well, naming the logged segment.
            let again = try await client.execute(uri: "/v1/segments/SM00001/log", method: .post)
            #expect(again.status == .conflict)
            #expect((try again.json()["detail"] as? String ?? "").contains("already logged"))

            let log = try await client.execute(uri: "/v1/log?segment=SM00001&pageSize=10&page=3", method: .get)
            #expect(log.status == .ok)
            let page = try log.json()
            #expect(page["total"] as? Int == 25)
            let entries = page["entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 5)
            #expect(entries.allSatisfy { ($0["document"] as? String)?.hasSuffix(".docx") == true && !(($0["document"] as? String) ?? "").contains("/") })

            // The letters are on disk, one per line.
            let letters = workspace.configuration.outputDirectory + "/SM00001"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: letters)) ?? []
            #expect(files.filter { $0.hasSuffix(".docx") }.count == 25)

            let logged = try await client.execute(uri: "/v1/logged-segments", method: .get)
            let list = try logged.json()["loggedSegments"] as? [[String: Any]] ?? []
            #expect(list.count == 1 && list.first?["numberOfInteractions"] as? Int == 25)
            let segment = try await client.execute(uri: "/v1/segments/SM00001", method: .get)
            #expect(try segment.json()["loggedSegmentEntryNo"] as? Int == list.first?["entryNo"] as? Int)
        }
    }

    @Test func cancelRestoreAndDeleteCanceled() async throws {
        let workspace = try ServerWorkspace()
        defer { workspace.remove() }
        try await workspace.test { client in
            let empty = try await client.execute(uri: "/v1/log", method: .get)
            #expect(try empty.json()["total"] as? Int == 0)
            let noLog = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "{\"entries\": [1]}"))
            #expect(noLog.status == .notFound)

            let start = try await client.execute(uri: "/v1/segments/SM00001/log", method: .post)
            let id = try start.json()["id"] as? String ?? ""
            _ = try await Self.events(client, job: id)

            let cancel = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "{\"entries\": [3, 4]}"))
            #expect(cancel.status == .ok, "\(cancel.text)")
            let changed = try cancel.json()["entries"] as? [[String: Any]] ?? []
            #expect(changed.map { $0["status"] as? String } == ["canceled", "canceled"])
            let twice = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "{\"entries\": [3]}"))
            #expect(twice.status == .conflict)
            let unknown = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "{\"entries\": [999]}"))
            #expect(unknown.status == .notFound)
            let garbage = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "entries=3"))
            #expect(garbage.status == .unprocessableContent)

            let canceled = try await client.execute(uri: "/v1/log?status=canceled", method: .get)
            #expect(try canceled.json()["total"] as? Int == 2)
            let badStatus = try await client.execute(uri: "/v1/log?status=sent", method: .get)
            #expect(badStatus.status == .unprocessableContent)
            let badDay = try await client.execute(uri: "/v1/log?from=2026-02-30", method: .get)
            #expect(badDay.status == .unprocessableContent)

            let restore = try await client.execute(uri: "/v1/log/restore", method: .post, body: ByteBuffer(string: "{\"entries\": [4]}"))
            #expect(try (restore.json()["entries"] as? [[String: Any]])?.first?["status"] as? String == "logged")

            let deleted = try await client.execute(uri: "/v1/log/delete-canceled", method: .post, body: ByteBuffer(string: "{}"))
            #expect(try deleted.json()["deletedEntries"] as? Int == 1)
            let total = try await client.execute(uri: "/v1/log", method: .get)
            #expect(try total.json()["total"] as? Int == 24)

            let segment = try await client.execute(uri: "/v1/log/cancel", method: .post, body: ByteBuffer(string: "{\"loggedSegment\": 1}"))
            #expect(segment.status == .ok, "\(segment.text)")
            #expect(try (segment.json()["loggedSegment"] as? [String: Any])?["canceled"] as? Bool == true)
        }
    }

    @Test func theTokenIsCheckedInConstantTimeAndRequiredBeyondLoopback() async throws {
        var workspace = try ServerWorkspace()
        defer { workspace.remove() }
        let token = "0123456789abcdef0123456789abcdef"
        workspace.configuration.host = "0.0.0.0"
        #expect(throws: ServerSetupError.self) { try workspace.configuration.validate() }
        workspace.configuration.token = token
        try await workspace.test { client in
            let none = try await client.execute(uri: "/v1/segments", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.execute(uri: "/v1/segments", method: .get, headers: [.authorization: "Bearer " + token.dropLast() + "0"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/v1/segments", method: .get, headers: [.authorization: "Bearer " + token])
            #expect(right.status == .ok)
            #expect(right.headers[.setCookie] == nil)
        }
        workspace.configuration.host = "127.0.0.1"
        try await workspace.test { client in
            let read = try await client.execute(uri: "/v1/segments", method: .get)
            #expect(read.status == .ok)
            let change = try await client.execute(uri: "/v1/segments/SM00001/log", method: .post)
            #expect(change.status == .unauthorized)
            let log = try await client.execute(uri: "/v1/log", method: .get)
            #expect(log.status == .ok)
        }
    }
}
