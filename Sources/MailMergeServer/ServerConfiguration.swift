import Foundation
import MailMergeKit

/// How `mailmerge serve` runs: where it listens, the folders it serves, its token and its limits.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The SQLite interaction log.
    public var databasePath = Defaults.databasePath
    /// The folder with `templates.yaml` and the attachments; templates are addressed by code.
    public var templatesDirectory = Defaults.templatesDirectory
    /// The folder with the segment files; segments are addressed by number.
    public var segmentsDirectory = "SampleSegments"
    /// Logged segments' letters go into `outputDirectory/<segment no>/`.
    public var outputDirectory = Defaults.outputDirectory
    /// Scratch space for uploads, merges and previews (one folder per request, removed after it).
    public var workDirectory = NSTemporaryDirectory() + "mailmerge-serve-\(ProcessInfo.processInfo.processIdentifier)"
    /// The bearer token; required when binding to anything but loopback.
    public var token: String?
    /// Largest request body accepted (413 above it).
    public var maxBodyBytes = 20 * 1024 * 1024
    /// Most parts a multipart upload may have.
    public var maxParts = 8
    /// Most records one `POST /v1/merge` merges.
    public var maxMergeRecords = 10_000

    public init() {}

    /// Whether `host` is a loopback address (the default bind, where read-only requests need no token).
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) || host.hasPrefix("127.") }

    /// Refuses a configuration that would expose the server without a token.
    public func validate() throws(ServerSetupError) {
        if !isLoopback && (token ?? "").isEmpty {
            throw ServerSetupError(
                message: "--host \(host) is not a loopback address: set a token with --token-file FILE or MAILMERGE_TOKEN "
                    + "(clients then send Authorization: Bearer TOKEN)")
        }
        if let token, token.count < 16 {
            throw ServerSetupError(message: "the token is \(token.count) characters long; use at least 16 (e.g. `openssl rand -hex 32`)")
        }
        if !(1...65535).contains(port) && port != 0 { throw ServerSetupError(message: "--port \(port) is not a TCP port (1–65535)") }
        for (option, folder) in [("--templates", templatesDirectory), ("--segments", segmentsDirectory)] {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw ServerSetupError(message: "\(option) \(folder): no such folder; name the folder with \(option) DIR")
            }
        }
    }
}

/// A configuration the server refuses to start with.
public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
