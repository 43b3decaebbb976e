import Foundation
import InteractionLog
import PostgresNIO
import Segments

/// Segment numbers (reserved and logged), the logged segment's file, attempt failed, evaluations and
/// e-mail delivery, as the SQLite store does them.
extension PostgresInteractionLogStore {
    public func reserveSegmentNo(_ choose: (_ used: Set<String>) throws -> String) throws -> String {
        // EXCLUSIVE blocks every other writer of segment_number (reservations, and logging through the trigger)
        // until this transaction ends, so a second process waits here and then sees this reservation.
        var refusal: (any Error)?
        do {
            return try write { transaction in
                try transaction.query("LOCK TABLE segment_number IN EXCLUSIVE MODE")
                let used = Set(try transaction.query("SELECT upper(segment_no) AS no FROM segment_number").map { try $0["no"].decode(String.self) })
                let chosen: String
                do { chosen = try choose(used) } catch {
                    refusal = error
                    throw error
                }
                try transaction.query(
                    "INSERT INTO segment_number (segment_no, reserved_at, logged_at) VALUES (\(chosen), \(Self.milliseconds(Date())), NULL)")
                return chosen
            }
        } catch {
            // The chooser's own error (e.g. the series is exhausted) goes back as it was thrown.
            if let refusal { throw refusal }
            throw error
        }
    }

    public func segmentNumberUse(_ segmentNo: String) throws -> SegmentNumberUse? {
        try write { transaction in
            try transaction.query(
                "SELECT segment_no, reserved_at, logged_at FROM segment_number WHERE lower(segment_no) = lower(\(segmentNo))"
            ).first.map { row in
                SegmentNumberUse(
                    segmentNo: try row["segment_no"].decode(String.self), reservedAt: try row["reserved_at"].decode(Date?.self),
                    loggedAt: try row["logged_at"].decode(Date?.self))
            }
        }
    }

    public func loggedSegmentFile(_ entryNo: Int64) throws -> Segment? {
        let json = try write { transaction in
            try transaction.query("SELECT segment_json FROM logged_segment WHERE entry_no = \(entryNo)").first?["segment_json"]
                .decode(String?.self)
        }
        guard let json else { return nil }
        do {
            return try JSONDecoder().decode(Segment.self, from: Data(json.utf8))
        } catch {
            throw InteractionLogError.failed(reason: "logged segment \(entryNo): the stored segment cannot be read (\(error))")
        }
    }

    public func setAttemptFailed(entries numbers: [Int64]) throws -> [InteractionLogEntry] {
        try write { transaction in
            let entries = try numbers.map { try Self.entry(transaction, $0, lock: true) }
            for entry in entries {
                if entry.canceled { throw InteractionLogError.alreadyCanceled(what: "interaction log entry \(entry.entryNo)") }
                if entry.postponed { throw InteractionLogError.entryPostponed(entry.entryNo) }
            }
            try transaction.query("UPDATE interaction_log_entry SET attempt_failed = true WHERE entry_no = ANY(\(numbers))")
            return try numbers.map { try Self.entry(transaction, $0, lock: false) }
        }
    }

    public func evaluate(entry entryNo: Int64, as evaluation: Evaluation) throws -> InteractionLogEntry {
        try write { transaction in
            _ = try Self.entry(transaction, entryNo, lock: true)
            try transaction.query("UPDATE interaction_log_entry SET evaluation = \(evaluation.rawValue) WHERE entry_no = \(entryNo)")
            return try Self.entry(transaction, entryNo, lock: false)
        }
    }

    public func recordDelivery(entry entryNo: Int64, status: DeliveryStatus, reply: String) throws -> InteractionLogEntry {
        try write { transaction in
            let entry = try Self.entry(transaction, entryNo, lock: true)
            guard entry.deliveryStatus != nil else { throw InteractionLogError.notAnEmail(entryNo) }
            try transaction.query(
                """
                UPDATE interaction_log_entry SET delivery_status = \(status.rawValue), delivery_reply = \(reply), attempt_failed = \(status != .sent)
                WHERE entry_no = \(entryNo)
                """)
            return try Self.entry(transaction, entryNo, lock: false)
        }
    }
}
