import Foundation

/// Whether a process still runs, read from /proc (Linux).
public enum ProcessState {
    /// True when `pid` no longer exists or is a zombie (ended, waiting to be reaped by its parent).
    public static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Waits up to `seconds` for every one of `pids` to be gone; true when they all are.
    public static func waitUntilGone(_ pids: [Int32], seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if pids.allSatisfy(isGone) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return pids.allSatisfy(isGone)
    }
}
