import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MailMergeServer
@_exported import MailMergeTestSupport
import Testing

/// A scratch copy of the sample segments, a database path and a server configuration over them.
struct ServerWorkspace {
    let root: URL
    var configuration = ServerConfiguration()

    init(_ label: String = "mailmerge-serve") throws {
        root = try Paths.temporaryDirectory(label)
        let segments = root.appendingPathComponent("SampleSegments")
        try FileManager.default.copyItem(at: Paths.sampleSegments, to: segments)
        configuration.segmentsDirectory = segments.path
        configuration.templatesDirectory = Paths.templates.path
        configuration.databasePath = root.appendingPathComponent("log.sqlite").path
        configuration.outputDirectory = root.appendingPathComponent("letters").path
        configuration.workDirectory = root.appendingPathComponent("work").path
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Runs `body` against the application in process (HummingbirdTesting's router mode).
    func test<T>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        var logger = Logger(label: "mailmerge.serve.test")
        logger.logLevel = .warning
        let app = try MailMergeServer.application(configuration, logger: logger)
        return try await app.test(.router, body)
    }
}

/// A multipart/form-data body built by hand, as a browser or `curl -F` sends it.
struct Multipart {
    let boundary = "mailmerge-test-boundary-\(UInt32.random(in: 0...UInt32.max))"
    private(set) var body = ByteBuffer()

    mutating func add(_ name: String, fileName: String? = nil, type: String = "application/octet-stream", _ data: Data) {
        var header = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
        if let fileName { header += "; filename=\"\(fileName)\"" }
        header += "\r\nContent-Type: \(type)\r\n\r\n"
        body.writeString(header)
        body.writeBytes(data)
        body.writeString("\r\n")
    }

    func finished() -> ByteBuffer {
        var out = body
        out.writeString("--\(boundary)--\r\n")
        return out
    }

    var headers: HTTPFields { [.contentType: "multipart/form-data; boundary=\(boundary)"] }
}

extension TestResponse {
    /// The body as JSON.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return object as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

/// A zip's entries, read by Python's zipfile (an independent reader), into `folder`.
func unzip(_ data: Data, into folder: URL) throws -> [String] {
    let archive = folder.appendingPathComponent("answer.zip")
    try data.write(to: archive)
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint('\\n'.join(z.namelist()))"
    let result = try Program.run("/usr/bin/env", ["python3", "-c", script, archive.path, folder.path], timeout: 60)
    guard result.status == 0 else { throw ServerTestFailure("python zipfile: \(result.stderr)") }
    return result.stdout.split(separator: "\n").map(String.init)
}

struct ServerTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ text: String) { description = text }
}
