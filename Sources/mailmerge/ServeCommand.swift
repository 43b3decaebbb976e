import ArgumentParser
import Foundation
import MailMergeKit
import MailMergeServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (/v1, see /openapi.yaml) and the web page.",
        discussion: """
            Listens on 127.0.0.1:8080 by default; open http://127.0.0.1:8080/ for the Segments, \
            Interaction Log and Logged Segments pages. Templates are addressed by code and segments \
            by number, from the folders given here. Any other --host needs a token (--token-file or \
            MAILMERGE_TOKEN): every request must then send Authorization: Bearer TOKEN; on loopback a \
            set token is required for requests that change something. Ctrl-C (SIGINT) or SIGTERM stop \
            it gracefully: running log jobs finish first.
            """
    )

    @Option(name: .long, help: "The address to listen on; anything but loopback needs a token.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The TCP port.")
    var port = 8080

    @OptionGroup var catalogue: TemplatesOptions

    @Option(name: .long, help: "The folder with the segment files (addressed by their number).")
    var segments = "SampleSegments"

    @Option(name: .long, help: "Logged segments' letters go into OUT/<segment no>/.")
    var out = Defaults.outputDirectory

    @OptionGroup var database: RecordingDatabaseOptions

    @Option(name: .long, help: "A file holding the bearer token (else MAILMERGE_TOKEN).")
    var tokenFile: String?

    @Option(name: .long, help: "The largest request body accepted, in MB.")
    var maxBodyMb = 20

    func validate() throws {
        if !(1...1024).contains(maxBodyMb) { throw ValidationError("--max-body-mb must be between 1 and 1024") }
    }

    func run() throws {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.templatesDirectory = catalogue.templates
        configuration.segmentsDirectory = segments
        configuration.outputDirectory = out
        configuration.databasePath = database.db
        configuration.maxBodyBytes = maxBodyMb * 1024 * 1024
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                printError("--token-file \(tokenFile): cannot read the file; give a readable file holding the token")
                throw ExitCode(1)
            }
            configuration.token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let token = ProcessInfo.processInfo.environment["MAILMERGE_TOKEN"], !token.isEmpty {
            configuration.token = token
        }
        do {
            try configuration.validate()
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        print("mailmerge serve: http://\(host.contains(":") ? "[\(host)]" : host):\(port)/")
        // The root command is synchronous; the server runs on the concurrency pool until it has shut down.
        let outcome = ServerOutcome()
        let done = DispatchSemaphore(value: 0)
        Task { [configuration] in
            do { try await MailMergeServer.run(configuration) } catch { outcome.set(String(describing: error)) }
            done.signal()
        }
        done.wait()
        if let failure = outcome.failure {
            printError("mailmerge serve: \(failure)")
            throw ExitCode(1)
        }
    }
}

/// The server's failure, handed from its task to the command's thread.
private final class ServerOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var message: String?
    func set(_ text: String) { lock.withLock { message = text } }
    var failure: String? { lock.withLock { message } }
}
