import Foundation
import MailMergeTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import PostgresInteractionLog

/// The bounded wait under every PostgreSQL call: postgres-nio 1.33.2 can leave a query unanswered forever when its
/// connection closes as the query is sent (a worker hung that way after a server restart, its socket gone). No server
/// is needed to check the rule itself: an answer that cannot come (closed connection) is a lost connection within the
/// grace, and an answer that comes late on a live connection is still waited for.
@Suite struct PostgresSessionWaitTests {
    @Test func anAnswerThatCannotComeIsALostConnectionWithinTheGrace() throws {
        let never = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Int.self)
        defer { never.succeed(0) }
        let started = Date()
        #expect(throws: PostgresSession.UnansweredOnClosedConnection.self) {
            try PostgresSession.wait(for: never.futureResult, abandonWhen: { true }, grace: 0.5)
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(PostgresFailure.isConnectionLoss(PostgresSession.UnansweredOnClosedConnection()))
    }

    @Test func aSlowAnswerOnALiveConnectionIsWaitedFor() throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let slow = loop.makePromise(of: Int.self)
        loop.scheduleTask(in: .milliseconds(2_500)) { slow.succeed(42) }
        #expect(try PostgresSession.wait(for: slow.futureResult, abandonWhen: { false }, grace: 0.1) == 42)
    }

    @Test func anErrorIsPassedOn() throws {
        let failed = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Int.self)
        failed.fail(ChannelError.ioOnClosedChannel)
        #expect(throws: ChannelError.self) { try PostgresSession.wait(for: failed.futureResult, abandonWhen: { false }, grace: 0.1) }
    }
}

/// The hang itself, against a real PostgreSQL: the server ends the session between two statements of one transaction
/// (as a fast shutdown does); postgres-nio then drops the next statement without an answer. The transaction must come
/// back (retried once on a new connection), not block its thread forever.
@Suite(.enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason)")) struct PostgresSessionClosedMidTransactionTests {
    @Test(arguments: [0.0, 1.0]) func aStatementAfterTheServerClosedTheSessionIsRetried(pause: Double) throws {
        let url = try TestPostgres.freshDatabase("closed")
        let session = try PostgresSession(try PostgresLocation(url: url), reconnectFor: 20)
        let killer = try PostgresSession(try PostgresLocation(url: url))
        defer { killer.close() }
        let attempts = LockedValue(0)
        let outcome = LockedValue<String?>(nil)
        Thread.detachNewThread {
            let text: String
            do {
                let value = try session.transaction { transaction -> Int32 in
                    let attempt = attempts.withLock { count in
                        count += 1
                        return count
                    }
                    if attempt == 1 {
                        let pid = try transaction.query("SELECT pg_backend_pid() AS pid")[0]["pid"].decode(Int32.self)
                        try killer.query("SELECT pg_terminate_backend(\(pid))")
                        Thread.sleep(forTimeInterval: pause)
                    }
                    return try transaction.query("SELECT 7 AS seven")[0]["seven"].decode(Int32.self)
                }
                text = "returned \(value)"
            } catch {
                text = "threw: \(PostgresSession.reason(error))"
            }
            outcome.withLock { $0 = text }
        }
        let deadline = Date().addingTimeInterval(60)
        while outcome.withLock({ $0 }) == nil, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(outcome.withLock { $0 } == "returned 7", "\(outcome.withLock { $0 } ?? "still blocked after 60 s")")
        #expect(attempts.withLock { $0 } == 2)
    }
}
