import InteractionLog

extension LogLifecycle {
    /// Marks the entries `numbers` as attempt failed (all or none; canceled and postponed ones are refused).
    public static func setAttemptFailed(entries numbers: [Int64], log: InteractionLogLocation) throws(MailMergeError) -> [InteractionLogEntry] {
        let store = try log.opened()
        return try logOperation { try store.setAttemptFailed(entries: numbers) }
    }

    /// Records how interaction `entryNo` went.
    public static func evaluate(entry entryNo: Int64, as evaluation: Evaluation, log: InteractionLogLocation) throws(MailMergeError) -> InteractionLogEntry {
        let store = try log.opened()
        return try logOperation { try store.evaluate(entry: entryNo, as: evaluation) }
    }
}
