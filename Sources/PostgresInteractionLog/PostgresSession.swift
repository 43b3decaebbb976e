import Foundation
import InteractionLog
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection used from ordinary threads: each call blocks its (non-event-loop)
/// thread until the server answered. postgres-nio is asynchronous; the interaction log store
/// protocol is synchronous, so the bridge is a bounded wait for the EventLoopFuture on the caller's
/// thread, never on an event loop. Calls are serialised (one transaction at a time).
///
/// A connection that broke (the server restarted, the network went away) is replaced on the next
/// call, retrying with backoff for up to `reconnectFor` seconds; a transaction that failed before
/// its COMMIT was sent is run again on the new connection.
public final class PostgresSession: @unchecked Sendable {
    // @unchecked: `connection` is only touched with `lock` held.
    public let location: PostgresLocation
    /// How long a call keeps trying to reach a server that went away.
    public let reconnectFor: TimeInterval
    private let lock = NSRecursiveLock()
    /// Told, in words, each time a call lost its connection and tries again (for a worker's log).
    public var onRetry: (@Sendable (String) -> Void)? {
        get { lock.withLock { retryReport } }
        set { lock.withLock { retryReport = newValue } }
    }
    private var retryReport: (@Sendable (String) -> Void)?
    private var connection: PostgresConnection?
    private var tls: PostgresConnection.Configuration.TLS?
    static let connectTimeout: TimeInterval = 10
    static let logger = Logger(label: "mailmerge.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// Connects to `location` (waiting up to `reconnectFor` seconds for a server that is starting).
    ///
    /// - Throws: `InteractionLogError.cannotOpen` naming the URL (without its password).
    public init(_ location: PostgresLocation, reconnectFor: TimeInterval = 30) throws(InteractionLogError) {
        self.location = location
        self.reconnectFor = reconnectFor
        do {
            try lock.withLock { _ = try self.connected() }
        } catch {
            throw .cannotOpen(path: location.description, reason: Self.reason(error))
        }
    }

    deinit { if let connection { Self.closeQuietly(connection) } }

    /// Closes the connection; a later call opens a new one.
    public func close() {
        lock.withLock {
            if let connection { Self.closeQuietly(connection) }
            connection = nil
        }
    }

    /// Closes `connection`, waiting a bounded time (a connection the server already dropped is closed at once).
    static func closeQuietly(_ connection: PostgresConnection) {
        _ = try? Self.wait(for: connection.close(), abandonWhen: { true }, grace: 5)
    }

    /// The answer to a request on `connection`, without waiting forever for one that cannot come.
    ///
    /// postgres-nio 1.33.2 can leave a query's future pending forever when the connection closes just as the query
    /// is sent (seen when the server restarts: the socket is gone, the event loop idles, the caller's `wait()`
    /// never returns). So the wait looks once a second whether the connection is closed; a closed connection
    /// gets `grace` seconds more to deliver the answer, then the query counts as a lost connection
    /// (`PostgresFailure.isConnectionLoss`). A live connection is waited on as long as the server takes.
    static func wait<T: Sendable>(for future: EventLoopFuture<T>, on connection: PostgresConnection, grace: TimeInterval = 2) throws -> T {
        try wait(for: future, abandonWhen: { connection.isClosed }, grace: grace)
    }

    static func wait<T: Sendable>(for future: EventLoopFuture<T>, abandonWhen gone: () -> Bool, grace: TimeInterval) throws -> T {
        let answered = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        future.whenComplete { result in
            box.result = result
            answered.signal()
        }
        while answered.wait(timeout: .now() + 1) == .timedOut {
            guard gone() else { continue }
            if answered.wait(timeout: .now() + grace) == .timedOut { throw UnansweredOnClosedConnection() }
            break
        }
        guard let result = box.result else { throw UnansweredOnClosedConnection() }
        return try result.get()
    }

    /// A request whose connection closed without an answer (see `wait(for:on:grace:)`).
    struct UnansweredOnClosedConnection: Error, CustomStringConvertible {
        var description: String { "the connection closed before the server answered" }
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // @unchecked: written once on the event loop before the semaphore is signalled, read after the wait.
        var result: Result<T, any Error>?
    }

    /// Runs one statement outside a transaction (retried after a reconnect) and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try transaction(wrapped: false) { try $0.query(query) }
    }

    /// Runs `body` in one transaction (BEGIN … COMMIT; ROLLBACK when it throws). Errors from the server
    /// are thrown as `PostgresFailure`; a body that throws anything else rolls back and rethrows it.
    public func transaction<T>(_ body: (PostgresTransaction) throws -> T) throws -> T {
        try transaction(wrapped: true, body)
    }

    private func transaction<T>(wrapped: Bool, _ body: (PostgresTransaction) throws -> T) throws -> T {
        try lock.withLock {
            let deadline = Date().addingTimeInterval(reconnectFor)
            var delay = 0.1
            while true {
                var committing = false
                do {
                    let connection = try connected()
                    let transaction = PostgresTransaction(connection: connection)
                    guard wrapped else { return try body(transaction) }
                    try transaction.query("BEGIN")
                    let value: T
                    do {
                        value = try body(transaction)
                    } catch {
                        if !PostgresFailure.isConnectionLoss(error) { _ = try? transaction.query("ROLLBACK") }
                        throw error
                    }
                    committing = true
                    try transaction.query("COMMIT")
                    return value
                } catch  where PostgresFailure.isConnectionLoss(error) {
                    if let connection = self.connection { Self.closeQuietly(connection) }
                    self.connection = nil
                    // After COMMIT was sent the outcome is unknown: the caller decides.
                    if committing || Date() > deadline { throw PostgresFailure(error, location: location) }
                    retryReport?("database connection lost (\(Self.reason(error))); reconnecting")
                    Thread.sleep(forTimeInterval: delay)
                    delay = min(delay * 2, 2)
                } catch let error as PSQLError {
                    throw PostgresFailure(error, location: location)
                }
            }
        }
    }

    /// The open connection, else a new one (retrying with backoff until `reconnectFor` passed).
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        let deadline = Date().addingTimeInterval(reconnectFor)
        var delay = 0.1
        while true {
            do {
                // Bounded: TCP connect has `connectTimeout`; the startup exchange gets as long again.
                let started = Date()
                let connecting = PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: try configuration(),
                    id: Int.random(in: 0..<Int.max), logger: Self.logger)
                let opened: PostgresConnection
                do {
                    opened = try Self.wait(for: connecting, abandonWhen: { Date().timeIntervalSince(started) > 2 * Self.connectTimeout }, grace: 1)
                } catch let error as UnansweredOnClosedConnection {
                    connecting.whenSuccess { late in let _: EventLoopFuture<Void> = late.close() }  // never left open (on the event loop: no waiting)
                    throw error
                }
                connection = opened
                return opened
            } catch  where PostgresFailure.isConnectionLoss(error) && Date() < deadline {
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
            }
        }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        if tls == nil {
            switch location.sslMode {
            case .disable, .allow: tls = .disable
            case .prefer: tls = .prefer(try Self.sslContext(verify: false))
            case .require: tls = .require(try Self.sslContext(verify: false))
            case .verifyCA, .verifyFull: tls = .require(try Self.sslContext(verify: true))
            }
        }
        var configuration: PostgresConnection.Configuration
        if let folder = location.socketDirectory {
            configuration = .init(
                unixSocketPath: folder + "/.s.PGSQL.\(location.port)", username: location.user, password: location.password,
                database: location.database)
        } else {
            configuration = .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: tls ?? .disable)
        }
        configuration.options.connectTimeout = .seconds(Int64(Self.connectTimeout))
        return configuration
    }

    private static func sslContext(verify: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verify { configuration.certificateVerification = .none }
        return try NIOSSLContext(configuration: configuration)
    }

    /// A message for `error` that never contains the password.
    public static func reason(_ error: any Error) -> String {
        if let failure = error as? PostgresFailure { return failure.message }
        return PostgresFailure(error, location: nil).message
    }
}

/// Statements inside one `PostgresSession.transaction`.
public struct PostgresTransaction {
    let connection: PostgresConnection

    /// Runs `query` and returns every row.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        let result = try PostgresSession.wait(for: connection.query(query, logger: PostgresSession.logger), on: connection)
        return result.rows.map { $0.makeRandomAccess() }
    }

    /// Runs `query` and returns the number of rows it changed.
    public func execute(_ query: PostgresQuery) throws -> Int {
        let result = try PostgresSession.wait(for: connection.query(query, logger: PostgresSession.logger), on: connection)
        return result.metadata.rows ?? 0
    }
}

/// A PostgreSQL error in words (the server's message and SQLSTATE, or why the connection failed).
public struct PostgresFailure: Error, CustomStringConvertible, @unchecked Sendable {
    public var message: String
    /// The server's SQLSTATE, e.g. `23505` for a unique violation.
    public var sqlState: String?
    public var constraint: String?
    public let underlying: any Error

    init(_ error: any Error, location: PostgresLocation?) {
        if let failure = error as? PostgresFailure {
            self = failure
            return
        }
        underlying = error
        let place = location.map { "\($0): " } ?? ""
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                sqlState = info[.sqlState]
                constraint = info[.constraintName]
                message = place + (info[.message] ?? "server error") + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            } else if let underlying = error.underlying, !(underlying is PSQLError) {
                message = place + "\(error.code): \(underlying)"
            } else {
                message = place + "\(error.code)"
            }
        } else {
            message = place + "\(error)"
        }
    }

    public var description: String { message }

    /// Whether `error` means the connection is gone (server restarted or shutting down, network), so a new one may work.
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        if let failure = error as? PostgresFailure { return isConnectionLoss(failure.underlying) }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return true
            case .server:
                // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P")
            default: return false
            }
        }
        return error is ChannelError || error is IOError || error is NIOConnectionError || error is PostgresSession.UnansweredOnClosedConnection
    }
}
