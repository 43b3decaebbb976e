import Foundation
import Segments

/// Interaction dates as the log keeps them: `yyyy-MM-dd`.
enum InteractionDate {
    /// Today in the local time zone.
    static var today: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }

    /// Refuses `text` unless it is a real day written `yyyy-MM-dd`; `option` names it in the message.
    static func check(_ text: String, option: String) throws(MailMergeError) {
        guard ISODay.isValid(text) else {
            throw .validation([Diagnostic(file: option, message: "'\(text)' is not a date in the form yyyy-MM-dd (e.g. 2026-11-23)")])
        }
    }
}
