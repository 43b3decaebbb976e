import Foundation
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
