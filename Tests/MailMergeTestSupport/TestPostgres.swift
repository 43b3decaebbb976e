import ExternalProcess
import Foundation
import PostgresInteractionLog

/// A real PostgreSQL for the tests, never a mock: the server `MAILMERGE_TEST_POSTGRES_URL` names, else a
/// throwaway cluster this process starts (Debian's `postgresql`: `initdb` + `pg_ctl` in a temporary folder, as
/// user `postgres` when run as root, on 127.0.0.1 and a free port; stopped when the test process exits), else none:
/// the tests that need it are skipped with `TestPostgres.unavailableReason`. CI installs `postgresql`, so none skip there.
public enum TestPostgres {
    /// The server's URL (without a database), or why there is none.
    public static let server: Result<String, Unavailable> = {
        if let url = ProcessInfo.processInfo.environment["MAILMERGE_TEST_POSTGRES_URL"], !url.isEmpty { return .success(url) }
        do {
            let cluster = try PostgresCluster.start()
            shared.withLock { $0 = cluster }
            atexit { TestPostgres.shared.withLock { $0?.stop() } }
            return .success(cluster.url(database: "postgres"))
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(reason: "\(error)"))
        }
    }()

    static let shared = LockedValue<PostgresCluster?>(nil)

    public static var isAvailable: Bool { (try? server.get()) != nil }

    /// Why the PostgreSQL tests are skipped (CI greps for this text: "PostgreSQL is unavailable").
    public static var unavailableReason: String {
        if case .failure(let error) = server { return "PostgreSQL is unavailable: \(error.reason)" }
        return ""
    }

    /// A new, empty database on the test server; its `postgres://` URL.
    public static func freshDatabase(_ label: String = "t") throws -> String {
        let url = try server.get()
        let name = "mm_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        let location = try PostgresLocation(url: url)
        let session = try PostgresSession(location)
        defer { session.close() }
        try session.query("CREATE DATABASE \(unescaped: name)")
        var database = location
        database.database = name
        return Self.url(of: database)
    }

    /// `location` as a URL with its password (tests only).
    static func url(of location: PostgresLocation) -> String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = location.user
        components.password = location.password
        components.host = location.host
        components.port = location.port
        components.path = "/" + location.database
        var items = [URLQueryItem(name: "sslmode", value: location.sslMode.rawValue)]
        if let socket = location.socketDirectory { items.append(URLQueryItem(name: "host", value: socket)) }
        components.queryItems = items
        return components.string ?? ""
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }
}

/// A value behind a lock.
public final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// A throwaway PostgreSQL cluster in a temporary folder: `initdb`, `pg_ctl start/stop/restart`.
public final class PostgresCluster: @unchecked Sendable {
    public let folder: String
    public let port: Int
    private let binaries: String
    private let asUser: [String]

    /// The folder with `initdb` and `pg_ctl` (Debian: /usr/lib/postgresql/<version>/bin), if installed.
    public static var binariesFolder: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        return ExternalProcess.find("initdb").map { ($0 as NSString).deletingLastPathComponent }
    }

    /// Initialises and starts a cluster (trust authentication, 127.0.0.1 only, fsync off: it is thrown away).
    public static func start() throws -> PostgresCluster {
        guard let binaries = binariesFolder else {
            throw TestPostgres.Unavailable(
                reason: "no MAILMERGE_TEST_POSTGRES_URL and no initdb (install Debian's postgresql: scripts/setup-debian.sh)")
        }
        removeLeftovers(binaries: binaries)
        return try PostgresCluster(binaries: binaries)
    }

    /// Stops and removes the clusters of test processes that ended without stopping theirs (killed: `atexit` did not
    /// run), found by the process number in their folder's name (`mailmerge-pg-PID-…`); a living process's are left.
    public static func removeLeftovers(binaries: String) {
        let temporary = FileManager.default.temporaryDirectory.path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? [] where name.hasPrefix("mailmerge-pg-") {
            guard let pid = Int32(name.dropFirst("mailmerge-pg-".count).prefix { $0.isNumber }), pid > 0, kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let folder = temporary + "/" + name
            if FileManager.default.fileExists(atPath: folder + "/data/postmaster.pid") {
                let asUser = getuid() == 0 ? ["runuser", "-u", "postgres", "--"] : []
                _ = try? run(asUser + ["\(binaries)/pg_ctl", "-D", "\(folder)/data", "-m", "immediate", "-w", "stop"], timeout: 60)
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    private init(binaries: String) throws {
        self.binaries = binaries
        let root = getuid() == 0
        if root {
            guard ExternalProcess.find("runuser") != nil else { throw TestPostgres.Unavailable(reason: "running as root and runuser is missing") }
            asUser = ["runuser", "-u", "postgres", "--"]
        } else {
            asUser = []
        }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("mailmerge-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if root { _ = try? ExternalProcess.run("chown", ["postgres:postgres", folder], timeout: 30) }
        try Self.check(
            try Self.run(asUser + ["\(binaries)/initdb", "-D", "\(folder)/data", "-A", "trust", "-U", "postgres", "-E", "UTF8"], timeout: 120), "initdb")
        var lastFailure = ""
        var started: Int?
        for _ in 0..<5 where started == nil {
            let candidate = Int.random(in: 20_000...60_000)
            let output = try Self.run(asUser + Self.startCommand(binaries: binaries, folder: folder, port: candidate), timeout: 90)
            if output.status == 0 {
                started = candidate
            } else {
                let serverLog = (try? String(contentsOfFile: "\(folder)/server.log", encoding: .utf8)) ?? ""
                lastFailure = output.stderrTail() + " " + String(serverLog.suffix(400))
            }
        }
        guard let started else { throw TestPostgres.Unavailable(reason: "pg_ctl start failed: \(lastFailure)") }
        port = started
    }

    private static func startCommand(binaries: String, folder: String, port: Int) -> [String] {
        [
            "\(binaries)/pg_ctl", "-D", "\(folder)/data", "-l", "\(folder)/server.log", "-w", "-t", "60", "-o",
            "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                + "-c max_connections=200",
            "start",
        ]
    }

    /// `postgres://postgres@127.0.0.1:PORT/database?sslmode=disable`.
    public func url(database: String) -> String { "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Stops the server (fast shutdown: sessions are disconnected) and starts it again.
    public func restart(downFor seconds: Double = 0) throws {
        try Self.check(try Self.run(asUser + ["\(binaries)/pg_ctl", "-D", "\(folder)/data", "-m", "fast", "-w", "stop"], timeout: 90), "pg_ctl stop")
        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
        try Self.check(try Self.run(asUser + Self.startCommand(binaries: binaries, folder: folder, port: port), timeout: 90), "pg_ctl start")
    }

    /// Stops the server and removes its folder.
    public func stop() {
        _ = try? Self.run(asUser + ["\(binaries)/pg_ctl", "-D", "\(folder)/data", "-m", "immediate", "-w", "stop"], timeout: 60)
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func run(_ command: [String], timeout: Double) throws -> ExternalProcess.Output {
        try ExternalProcess.run(command[0], Array(command.dropFirst()), timeout: timeout)
    }

    private static func check(_ output: ExternalProcess.Output, _ what: String) throws {
        if output.status != 0 { throw TestPostgres.Unavailable(reason: "\(what) failed: \(output.stderrTail())") }
    }
}
