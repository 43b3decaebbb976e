#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What went wrong running an external program (LibreOffice, poppler, Python…).
public enum ExternalProcessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `program` is not on the PATH (or the path given is not executable).
    case notFound(program: String)
    /// The program was asked to work on files, but the list of input files is empty.
    case noInputs(program: String)
    /// The operating system refused to start it.
    case cannotStart(program: String, reason: String)
    /// It ran longer than `seconds`; its whole process group was killed.
    case timedOut(program: String, seconds: Double, stderrTail: String)
    /// It exited with a non-zero status (or was killed by a signal: status 128 + signal).
    case failed(program: String, status: Int32, stderrTail: String)

    public var program: String {
        switch self {
        case .notFound(let program), .noInputs(let program), .cannotStart(let program, _),
            .timedOut(let program, _, _), .failed(let program, _, _):
            program
        }
    }

    public var description: String {
        switch self {
        case .notFound(let program):
            "\(program) is not installed (not on the PATH)"
        case .noInputs(let program):
            "\(program) was not started: no input files were given"
        case .cannotStart(let program, let reason):
            "cannot start \(program) (\(reason))"
        case .timedOut(let program, let seconds, let tail):
            "\(program) did not finish within \(Self.format(seconds)) s and was stopped" + (tail.isEmpty ? "" : ": \(tail)")
        case .failed(let program, let status, let tail):
            "\(program) failed (exit status \(status))" + (tail.isEmpty ? "" : ": \(tail)")
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}

/// Runs an external program the way every caller in this project must: in its own process
/// group, with a timeout after which the whole group is killed (LibreOffice's `soffice` forks
/// `oosplash` and `soffice.bin`), standard output and error drained at the same time (so a
/// chatty program never blocks on a full pipe), standard input from `/dev/null`, and
/// standard error kept for the error message.
public enum ExternalProcess {
    /// What a finished program printed, and how it ended.
    public struct Output: Sendable {
        /// The exit status, or 128 + the signal number when a signal ended it.
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        public var program: String

        public var standardOutput: String { String(decoding: stdout, as: UTF8.self) }
        public var standardError: String { String(decoding: stderr, as: UTF8.self) }

        /// The last lines of standard error (at most `limit` characters), on one line.
        public func stderrTail(limit: Int = 600) -> String { ExternalProcess.tail(stderr, limit: limit) }

        /// This output, or `.failed` when the status is not 0.
        public func succeeded() throws(ExternalProcessError) -> Output {
            guard status == 0 else { throw .failed(program: program, status: status, stderrTail: stderrTail()) }
            return self
        }
    }

    /// The full path of `name` on `path` (the PATH by default), if it is there and executable.
    /// A name with a slash is returned as it is when it is executable.
    public static func find(_ name: String, path: String? = nil) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let folders = (path ?? environmentValue("PATH") ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for folder in folders {
            let candidate = String(folder) + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A value of this process's environment.
    public static func environmentValue(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Runs `program` with `arguments`, then `inputs`, then `trailing`, and waits for it, at most `timeout` seconds.
    ///
    /// - Parameters:
    ///   - program: a name looked up on the PATH (of `environment` when it sets one), or a path.
    ///   - inputs: the files the program works on, passed after `arguments`. When `requiresInputs`
    ///     is true (the default when any are expected) an empty list is refused before anything
    ///     starts: LibreOffice given no file waits forever.
    ///   - trailing: arguments after the inputs (pdftoppm's output prefix).
    ///   - environment: variables added to (or replacing) this process's environment.
    ///   - directory: the working directory of the program.
    /// - Returns: the output, whatever the exit status (see `Output.succeeded()`).
    /// - Throws: `ExternalProcessError` when the program is missing, has no inputs, cannot start or times out.
    public static func run(
        _ program: String, _ arguments: [String], inputs: [String] = [], requiresInputs: Bool = false,
        trailing: [String] = [], timeout: Double, environment: [String: String] = [:],
        directory: String? = nil
    ) throws(ExternalProcessError) -> Output {
        let name = program.split(separator: "/").last.map(String.init) ?? program
        if requiresInputs && inputs.isEmpty { throw .noInputs(program: name) }
        guard let executable = find(program, path: environment["PATH"]) else { throw .notFound(program: name) }
        let child = try Child(
            executable: executable, arguments: [executable] + arguments + inputs + trailing,
            environment: mergedEnvironment(environment), directory: directory, name: name)
        return try child.wait(timeout: timeout)
    }

    /// The last lines of `bytes`, whitespace collapsed, at most `limit` characters.
    static func tail(_ bytes: [UInt8], limit: Int) -> String {
        let text = String(decoding: bytes.suffix(limit * 4), as: UTF8.self)
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        let joined = lines.joined(separator: " | ")
        return joined.count > limit ? "…" + String(joined.suffix(limit)) : joined
    }

    private static func mergedEnvironment(_ overrides: [String: String]) -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let key = String(text.prefix { $0 != "=" })
            if let value = overrides[key] { result.append(key + "=" + value) } else { result.append(text) }
            seen.insert(key)
            pointer += 1
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) where !seen.contains(key) { result.append(key + "=" + value) }
        return result
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        let trimmed = drop { $0.isWhitespace }
        return String(trimmed.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// One started program: its process id (also its process group id) and the read ends of its pipes.
private struct Child {
    let pid: pid_t
    let name: String
    var stdoutFD: Int32
    var stderrFD: Int32

    init(executable: String, arguments: [String], environment: [String], directory: String?, name: String) throws(ExternalProcessError) {
        self.name = name
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { throw .cannotStart(program: name, reason: Child.errnoText()) }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw .cannotStart(program: name, reason: Child.errnoText())
        }
        for fd in [outPipe[0], errPipe[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addclose(&actions, outPipe[1])
        posix_spawn_file_actions_addclose(&actions, errPipe[1])
        if let directory {
            guard let addChdir = Child.addChdir else { throw .cannotStart(program: name, reason: "this C library cannot set a working directory") }
            _ = addChdir(&actions, directory)
        }
        Child.closeInheritedDescriptors(&actions)

        let spawned: pid_t
        do {
            spawned = try Child.spawn(executable, arguments: arguments, environment: environment, actions: &actions, name: name)
        } catch {
            close(outPipe[1])
            close(errPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        self.pid = spawned
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
    }

    /// Starts `executable` with `actions` in a new process group (id = the child's pid), default
    /// signal handling and nothing blocked; returns its pid.
    static func spawn(
        _ executable: String, arguments: [String], environment: [String], actions: inout posix_spawn_file_actions_t, name: String
    ) throws(ExternalProcessError) -> pid_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        var defaults = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw .cannotStart(program: name, reason: String(cString: strerror(code))) }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not declare.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not declare.
    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addClosefrom: AddClosefrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddClosefrom.self)
    }()

    /// Adds, as the last action, the closing of every descriptor above standard error: the child (LibreOffice, which
    /// lives for a whole print run) then holds none of the files another thread had open when it was started. Held,
    /// a file opened for writing could not be executed while the child lived ("Text file busy", a test's fake soffice
    /// written while another test's run started LibreOffice), and a pipe it held would not report its end. Without
    /// glibc 2.34 the descriptors stay inherited, as before.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addClosefrom { _ = addClosefrom(&actions, 3) }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Reads both pipes until the program ends or the deadline passes; then makes sure nothing
    /// of its process group is left running and reaps it.
    func wait(timeout: Double) throws(ExternalProcessError) -> ExternalProcess.Output {
        var out: [UInt8] = []
        var err: [UInt8] = []
        var open = [stdoutFD, stderrFD]
        defer { for descriptor in open { close(descriptor) } }
        let deadline = Child.now() + max(0, timeout)
        var exited = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            // Both pipes closed is not enough (a grandchild may hold them) and not needed (the
            // leader's exit ends the run): poll the pipes and the leader.
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let remaining = deadline - Child.now()
            if remaining <= 0 { break }
            let wait = Int32(min(50.0, remaining * 1000).rounded(.up))
            let ready = fds.isEmpty ? Int32(usleep(UInt32(wait) * 1000)) : poll(&fds, nfds_t(fds.count), wait)
            if ready > 0 {
                for entry in fds where entry.revents != 0 {
                    let got = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                    if got > 0 {
                        if entry.fd == stdoutFD { out += buffer[0..<got] } else { err += buffer[0..<got] }
                    } else if got == 0 || (errno != EINTR && errno != EAGAIN) {
                        close(entry.fd)
                        open.removeAll { $0 == entry.fd }
                    }
                }
            }
            if leaderExited() {
                exited = true
                // Take what is still buffered in the pipes without blocking.
                for fd in open {
                    if fd == stdoutFD { drain(fd, into: &out) } else { drain(fd, into: &err) }
                }
                break
            }
        }
        // The leader stays a zombie (not reaped) until here, so its pid, the group's id, cannot be reused.
        if !exited {
            killpg(pid, SIGTERM)
            let grace = Child.now() + 2
            while !leaderExited() && Child.now() < grace { usleep(20_000) }
        }
        killpg(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        if !exited {
            throw .timedOut(program: name, seconds: timeout, stderrTail: ExternalProcess.tail(err, limit: 600))
        }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ExternalProcess.Output(status: code, stdout: out, stderr: err, program: name)
    }

    /// Whether the leader has ended, without reaping it.
    private func leaderExited() -> Bool { Child.leaderExited(pid) }

    /// Whether the process `pid` (our child) has ended, without reaping it.
    static func leaderExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while true {
            let code = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if code == -1 && errno == EINTR { continue }
            return code == 0 && info._sifields._sigchld.si_pid == pid
        }
    }

    private func drain(_ fd: Int32, into bytes: inout [UInt8]) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got <= 0 { break }
            bytes += buffer[0..<got]
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension ExternalProcess {
    /// A program that serves many requests (a long-lived LibreOffice driver), run the way every
    /// external process here is: in its own process group, standard error into `stderrPath`
    /// (kept for messages), and every answer awaited at most a given time. It reads one request
    /// line on standard input and answers with one line on standard output. `stop()` (also run
    /// when the session is released) closes its input, gives it `grace` seconds to exit, then
    /// kills its whole group and reaps it.
    public final class Session: @unchecked Sendable {
        public let program: String
        public let stderrPath: String
        private let pid: pid_t
        /// Our end of a socket pair that is the program's standard input and output (a socket, so a
        /// write to an ended program fails with EPIPE instead of raising SIGPIPE).
        private var socket: Int32
        private var pending: [UInt8] = []
        private var stopped = false

        /// Starts `program` (a name on the PATH or a path) with `arguments`.
        /// - Throws: `ExternalProcessError.notFound`/`.cannotStart`.
        public init(_ program: String, _ arguments: [String], stderrPath: String, environment: [String: String] = [:]) throws(ExternalProcessError) {
            let name = program.split(separator: "/").last.map(String.init) ?? program
            guard let executable = ExternalProcess.find(program, path: environment["PATH"]) else { throw .notFound(program: name) }
            self.program = name
            self.stderrPath = stderrPath
            var pair: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else { throw .cannotStart(program: name, reason: Child.errnoText()) }
            _ = fcntl(pair[0], F_SETFD, FD_CLOEXEC)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, pair[1], 0)
            posix_spawn_file_actions_adddup2(&actions, pair[1], 1)
            posix_spawn_file_actions_addclose(&actions, pair[1])
            posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            Child.closeInheritedDescriptors(&actions)
            do {
                pid = try Child.spawn(
                    executable, arguments: [executable] + arguments, environment: ExternalProcess.mergedEnvironment(environment), actions: &actions, name: name)
            } catch {
                close(pair[0])
                close(pair[1])
                throw error
            }
            close(pair[1])
            socket = pair[0]
        }

        deinit { stop() }

        /// Sends `request` (one line, without its newline) and returns the next answer line.
        /// - Throws: `.timedOut` (the session is stopped) when no answer comes within `timeout`
        ///   seconds, `.failed` (with its exit status) when the program ended instead of answering.
        public func request(_ request: String, timeout: Double) throws(ExternalProcessError) -> String {
            let deadline = Child.now() + max(0, timeout)
            try transmit(request + "\n")
            return try readLine(deadline: deadline, timeout: timeout)
        }

        /// Sends `request` (one line, without its newline) without waiting for its answer: read it with `readLine`.
        /// - Throws: `.failed` when the program has ended.
        public func submit(_ request: String) throws(ExternalProcessError) {
            try transmit(request + "\n")
        }

        /// The next line the program writes (without its newline), waited for at most `timeout` seconds.
        public func readLine(timeout: Double) throws(ExternalProcessError) -> String {
            try readLine(deadline: Child.now() + max(0, timeout), timeout: timeout)
        }

        private func transmit(_ text: String) throws(ExternalProcessError) {
            guard !stopped else { throw ended() }
            var bytes = Array(text.utf8)
            while !bytes.isEmpty {
                let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent > 0 {
                    bytes.removeFirst(sent)
                } else if sent == -1 && errno == EINTR {
                    continue
                } else {
                    throw ended()
                }
            }
        }

        private func readLine(deadline: Double, timeout: Double) throws(ExternalProcessError) -> String {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<newline], as: UTF8.self)
                    pending.removeSubrange(...newline)
                    return line
                }
                guard !stopped else { throw ended() }
                let remaining = deadline - Child.now()
                if remaining <= 0 {
                    stop(grace: 0)
                    throw .timedOut(program: program, seconds: timeout, stderrTail: stderrTail())
                }
                var entry = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0)]
                let ready = poll(&entry, 1, Int32(min(1000.0, remaining * 1000).rounded(.up)))
                if ready > 0 {
                    let got = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
                    if got > 0 {
                        pending += buffer[0..<got]
                    } else if got == 0 || (errno != EINTR && errno != EAGAIN) {
                        throw ended()
                    }
                }
            }
        }

        /// The error for a program that ended (or was stopped) instead of answering: it is reaped first.
        private func ended() -> ExternalProcessError {
            let status = stop(grace: 10)
            return .failed(program: program, status: status ?? -1, stderrTail: stderrTail())
        }

        /// The last lines of what the program wrote to standard error.
        public func stderrTail(limit: Int = 600) -> String {
            guard let file = fopen(stderrPath, "r") else { return "" }
            defer { fclose(file) }
            fseek(file, -Int(limit * 4), SEEK_END)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let got = fread(&buffer, 1, buffer.count, file)
                if got <= 0 { break }
                bytes += buffer[0..<got]
            }
            return ExternalProcess.tail(bytes, limit: limit)
        }

        /// Closes the program's input without waiting for it, so it can finish while the caller goes on; `stop()`
        /// then waits for it (and kills its group after its grace time).
        public func closeInput() {
            guard !stopped else { return }
            shutdown(socket, Int32(SHUT_WR))
        }

        /// Ends the program: closes its input (so it can finish and reap its own children), waits
        /// at most `grace` seconds for it to exit, then kills its whole process group and reaps it.
        /// - Returns: its exit status (128 + signal when a signal ended it), nil when already stopped.
        @discardableResult
        public func stop(grace: Double = 30) -> Int32? {
            guard !stopped else { return nil }
            stopped = true
            shutdown(socket, Int32(SHUT_WR))
            let until = Child.now() + grace
            var exited = Child.leaderExited(pid)
            while !exited && Child.now() < until {
                usleep(20_000)
                exited = Child.leaderExited(pid)
            }
            if !exited {
                killpg(pid, SIGTERM)
                let term = Child.now() + 2
                while !Child.leaderExited(pid) && Child.now() < term { usleep(20_000) }
            }
            killpg(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            close(socket)
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
    }
}
