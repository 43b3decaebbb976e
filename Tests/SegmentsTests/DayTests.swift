import Foundation
import Segments
import Testing

struct DayTests {
    @Test func parsesRealDaysOnly() {
        #expect(Day("2026-11-23")?.description == "2026-11-23")
        #expect(Day("2024-02-29") != nil)
        for bad in [
            "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-05", "26-01-05", "2026-01-05 ",
            "+026-01-05", "２０２６-01-05", "", "2026/01/05",
        ] {
            #expect(Day(bad) == nil, "\(bad)")
        }
    }

    @Test func comparesAsDays() throws {
        let days = ["2026-11-23", "2025-12-31", "2026-01-02"].compactMap(Day.init)
        #expect(days.sorted().map(\.description) == ["2025-12-31", "2026-01-02", "2026-11-23"])
    }

    @Test func oneWordingForABadDay() {
        #expect(throws: Diagnostic(source: "--date", message: "'2026-02-30' is not a date in the form yyyy-MM-dd (e.g. 2026-11-23)")) {
            _ = try Day.parse("2026-02-30", source: "--date")
        }
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode(["date": Day("2026-03-04")])
        #expect(String(decoding: data, as: UTF8.self) == #"{"date":"2026-03-04"}"#)
        #expect(try JSONDecoder().decode([String: Day].self, from: data)["date"] == Day("2026-03-04"))
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode([Day].self, from: Data(#"["2026-02-30"]"#.utf8)) }
    }
}
