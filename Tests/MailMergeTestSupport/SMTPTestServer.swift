import ExternalProcess
import Foundation
import Testing

/// A real SMTP server for tests: Python's aiosmtpd (PyPI), started by the test through
/// `ExternalProcess` (own process group, bounded by a timeout after which the group is killed).
/// It saves every accepted message as `<n>-<recipient>.eml` in `inbox` and refuses the
/// recipients listed (one a line) in `rejectList` with `550 5.1.1`; the list is read for every
/// RCPT, so a test can lift a rejection by removing the file.
public final class SMTPTestServer: @unchecked Sendable {
    public let inbox: URL
    public let rejectList: URL
    public let port: Int
    private let stopFile: URL
    private let runner: Runner

    /// The server process's thread: its outcome once it ended.
    private final class Runner: @unchecked Sendable {
        let finished = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var text = ""
        var outcome: String {
            lock.lock()
            defer { lock.unlock() }
            return text
        }
        func run(_ program: String, _ arguments: [String], timeout: Double) {
            let result: String
            do {
                let output = try Program.run(program, arguments, timeout: timeout)
                result = "exit \(output.status): \(output.stderr)"
            } catch {
                result = "\(error)"
            }
            lock.lock()
            text = result
            lock.unlock()
            finished.signal()
        }
    }

    /// A Python 3 that can `import aiosmtpd` (`/usr/bin/python3`, else the first on the PATH), if any.
    static let python: URL? = {
        for path in ["/usr/bin/python3", Program.find("python3")?.path].compactMap({ $0 }) {
            if (try? Program.run(path, ["-c", "import aiosmtpd"], timeout: 60).status) == 0 { return URL(fileURLWithPath: path) }
        }
        return nil
    }()

    /// Whether a Python with aiosmtpd is installed.
    public static var isAvailable: Bool { python != nil }

    public static let skipReason: Comment = "Python's aiosmtpd is not installed (pip install aiosmtpd); CI installs it"

    /// `.enabled(if:)` for tests that need the server.
    public static var needed: ConditionTrait { .enabled(if: isAvailable, skipReason) }

    /// Starts the server in `directory` (inbox, reject list and control files go there) and
    /// waits until it listens; it stops by itself after `lifetime` seconds at the latest.
    public init(in directory: URL, lifetime: Double = 600) throws {
        guard let python = Self.python else { throw ExternalCheck.CheckError("no python3 with aiosmtpd") }
        let stop = directory.appendingPathComponent("stop")
        inbox = directory.appendingPathComponent("inbox")
        rejectList = directory.appendingPathComponent("reject.txt")
        stopFile = stop
        let portFile = directory.appendingPathComponent("port")
        let script = directory.appendingPathComponent("smtp_server.py")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let arguments = [script.path, inbox.path, portFile.path, rejectList.path, stop.path, String(Int(lifetime))]
        let runner = Runner()
        self.runner = runner
        Thread.detachNewThread { runner.run(python.path, arguments, timeout: lifetime + 30) }
        var listening: Int?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline && listening == nil {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), text.hasSuffix("\n") {
                listening = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            } else if runner.finished.wait(timeout: .now() + 0.05) == .success {
                throw ExternalCheck.CheckError("the SMTP test server ended before listening: \(runner.outcome)")
            }
        }
        guard let listening else {
            try? Data().write(to: stop)
            throw ExternalCheck.CheckError("the SMTP test server did not listen within 60 s")
        }
        port = listening
    }

    /// `smtp://127.0.0.1:<port>`.
    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The messages received so far, oldest first.
    public func messages() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: inbox.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
            .map { inbox.appendingPathComponent($0) }
    }

    /// Asks the server to stop and waits for it (its process runner kills it at the timeout anyway).
    public func stop() {
        try? Data().write(to: stopFile)
        _ = runner.finished.wait(timeout: .now() + 30)
    }

    private static let script = #"""
        import asyncio, os, socket, sys, time
        from aiosmtpd.controller import Controller

        inbox, port_file, reject_file, stop_file, lifetime = sys.argv[1:6]

        class Handler:
            count = 0
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                rejected = []
                if os.path.exists(reject_file):
                    rejected = [line.strip().lower() for line in open(reject_file) if line.strip()]
                if address.lower() in rejected:
                    return '550 5.1.1 <%s>: recipient rejected by the test server' % address
                envelope.rcpt_tos.append(address)
                return '250 OK'
            async def handle_DATA(self, server, session, envelope):
                Handler.count += 1
                name = '%d-%s.eml' % (Handler.count, envelope.rcpt_tos[0])
                path = os.path.join(inbox, name)
                with open(path + '.tmp', 'wb') as f:
                    f.write(envelope.original_content)
                with open(os.path.join(inbox, name[:-4] + '.envelope'), 'w') as f:
                    f.write(envelope.mail_from + '\n' + '\n'.join(envelope.rcpt_tos) + '\n')
                os.rename(path + '.tmp', path)
                return '250 2.0.0 Message %d accepted' % Handler.count

        probe = socket.socket()
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
        probe.close()
        controller = Controller(Handler(), hostname='127.0.0.1', port=port)
        controller.start()
        with open(port_file + '.tmp', 'w') as f:
            f.write('%d\n' % port)
        os.rename(port_file + '.tmp', port_file)
        deadline = time.time() + float(lifetime)
        while not os.path.exists(stop_file) and time.time() < deadline:
            time.sleep(0.05)
        controller.stop()
        """#
}
