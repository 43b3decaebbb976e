import Foundation
import InteractionLog
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection used from ordinary threads: each call blocks its (non-event-loop)
/// thread until the server answered. postgres-nio is asynchronous; the interaction log store
/// protocol is synchronous, so the bridge is NIO's `EventLoopFuture.wait()` on the caller's
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
    private var connection: PostgresConnection?
    private var tls: PostgresConnection.Configuration.TLS?
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

    deinit { try? connection?.close().wait() }

    /// Closes the connection; a later call opens a new one.
    public func close() {
        lock.withLock {
            try? connection?.close().wait()
            connection = nil
        }
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
                    try? self.connection?.close().wait()
                    self.connection = nil
                    // After COMMIT was sent the outcome is unknown: the caller decides.
                    if committing || Date() > deadline { throw PostgresFailure(error, location: location) }
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
                let opened = try PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.next(), configuration: try configuration(),
                    id: Int.random(in: 0..<Int.max), logger: Self.logger
                ).wait()
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
        configuration.options.connectTimeout = .seconds(10)
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
        let result = try connection.query(query, logger: PostgresSession.logger).wait()
        return result.rows.map { $0.makeRandomAccess() }
    }

    /// Runs `query` and returns the number of rows it changed.
    public func execute(_ query: PostgresQuery) throws -> Int {
        let result = try connection.query(query, logger: PostgresSession.logger).wait()
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
            } else if let underlying = error.underlying {
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
        return error is ChannelError || error is IOError || error is NIOConnectionError
    }
}
