import Foundation
import MailMergeTestSupport
import Segments
import Testing

@testable import InteractionLog

/// E-mail entries: logged once with their message and delivery status; attempts only update them.
@Suite struct EmailDeliveryStoreTests {
    @Test(arguments: StoreKind.allCases) func deliveryAttemptsUpdateTheEntryAndNeverAddOne(kind: StoreKind) throws {
        let temporary = try TemporaryStore(kind)
        let store = temporary.store
        var entries = makeEntries(2)
        entries[1].emailMessagePath = "/out/2.eml"
        entries[1].emailSender = "sales@example.com"
        entries[1].emailRecipient = "ann@example.com"
        entries[1].deliveryStatus = .queued
        entries[1].deliveryReply = "not sent yet"
        _ = try store.log(NewLoggedSegment(segmentNo: "SM1", description: "Mailing"), entries: entries)
        #expect(try store.entries(LogFilter(status: .queued)).map(\.entryNo) == [2])
        #expect(try store.entries(LogFilter(status: .logged)).map(\.entryNo) == [1])
        #expect(try store.entries(LogFilter(status: .attemptFailed)).isEmpty)

        let refused = try store.recordDelivery(entry: 2, status: .refused, reply: "550 5.1.1 <ann@example.com>: no such user")
        #expect(refused.deliveryStatus == .refused && refused.attemptFailed && refused.deliveryReply?.hasPrefix("550") == true)
        #expect(try store.entries(LogFilter(status: .attemptFailed)).map(\.entryNo) == [2])
        let sent = try store.recordDelivery(entry: 2, status: .sent, reply: "250 OK")
        #expect(sent.deliveryStatus == .sent && !sent.attemptFailed && sent.emailRecipient == "ann@example.com")
        #expect(sent.emailMessagePath == "/out/2.eml" && sent.emailSender == "sales@example.com")
        #expect(try store.entries(LogFilter()).count == 2)
        #expect(try store.entries(LogFilter(status: .attemptFailed)).isEmpty)
        #expect(try store.entries(LogFilter(status: .logged)).map(\.entryNo) == [1, 2])

        #expect(throws: InteractionLogError.notAnEmail(1)) { try store.recordDelivery(entry: 1, status: .sent, reply: "250 OK") }
        #expect(throws: InteractionLogError.unknownEntry(9)) { try store.recordDelivery(entry: 9, status: .sent, reply: "250 OK") }
    }
}
