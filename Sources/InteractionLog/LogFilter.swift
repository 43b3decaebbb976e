import GRDB
import Segments

/// The status of an interaction log entry, as `log list --status` spells it.
public enum EntryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded and not canceled: counted as sent.
    case logged
    /// Canceled (see `InteractionLogStore.cancel(entries:)`); may be restored or deleted.
    case canceled
    /// Saved unfinished (see `InteractionLogStore.postpone(_:request:)`); never counted as sent.
    case postponed
    /// Recorded, but the attempt failed (an e-mail the server refused).
    case attemptFailed = "attempt-failed"
    /// An e-mail recorded with its message that has not been sent yet (`log resend` sends it); not counted as sent.
    case queued
}

extension InteractionLogEntry {
    /// canceled, else postponed, else attempt-failed, else queued (an e-mail not sent yet), else logged.
    public var status: EntryStatus {
        if provided.canceled { return .canceled }
        if provided.postponed { return .postponed }
        if provided.attemptFailed { return .attemptFailed }
        if provided.deliveryStatus == .queued { return .queued }
        return .logged
    }
}

/// Which entries `InteractionLogStore.entries(_:)` returns; `nil` matches everything.
public struct LogFilter: Sendable, Hashable {
    public var segmentNo: String?
    public var contactNo: String?
    /// The interaction template code, ignoring case.
    public var templateCode: String?
    /// The first interaction date, inclusive.
    public var fromDate: Day?
    /// The last interaction date, inclusive.
    public var toDate: Day?
    public var status: EntryStatus?
    /// The salesperson code, ignoring case.
    public var salespersonCode: String?

    public init(
        segmentNo: String? = nil, contactNo: String? = nil, templateCode: String? = nil,
        fromDate: Day? = nil, toDate: Day? = nil, status: EntryStatus? = nil
    ) {
        self.segmentNo = segmentNo
        self.contactNo = contactNo
        self.templateCode = templateCode
        self.fromDate = fromDate
        self.toDate = toDate
        self.status = status
    }

    /// The filter as an SQL condition on the entries table (`true` when it matches everything).
    var condition: SQLExpression {
        var conditions: [SQLExpression] = []
        if let segmentNo { conditions.append(Column("segmentNo") == segmentNo) }
        if let contactNo { conditions.append(Column("contactNo").collating(.nocase) == contactNo) }
        if let templateCode { conditions.append(Column("templateCode").collating(.nocase) == templateCode) }
        if let salespersonCode { conditions.append(Column("salespersonCode").collating(.nocase) == salespersonCode) }
        if let fromDate { conditions.append(Column("date") >= fromDate) }
        if let toDate { conditions.append(Column("date") <= toDate) }
        let canceled = Column("canceled")
        let postponed = Column("postponed")
        let failed = Column("attemptFailed")
        // NULL for every interaction but an e-mail; an e-mail not sent yet is `queued`.
        let delivery = Column("deliveryStatus")
        let queued = DeliveryStatus.queued.rawValue
        switch status {
        case .logged?: conditions.append(canceled == false && postponed == false && failed == false && (delivery == nil || delivery != queued))
        case .queued?: conditions.append(canceled == false && postponed == false && failed == false && delivery == queued)
        case .canceled?: conditions.append(canceled == true)
        case .postponed?: conditions.append(canceled == false && postponed == true)
        case .attemptFailed?: conditions.append(canceled == false && postponed == false && failed == true)
        case nil: break
        }
        return conditions.joined(operator: .and)
    }
}
