import Foundation
import Testing

@testable import PrivacyEvents

@Suite struct CalendarDayTests {
    @Test(arguments: [
        ("2024-02-29", 1, "2025-02-28"),  // leap day into a common year clamps
        ("2024-02-29", 4, "2028-02-29"),  // and into the next leap year stays
        ("2023-01-31", 0, "2023-01-31"),
        ("1999-12-31", 8, "2007-12-31"),
    ])
    func addingYears(start: String, years: Int, expected: String) throws {
        let day = try #require(CalendarDay(iso: start))
        #expect(day.adding(years: years).description == expected)
    }

    @Test func addingMonthsClampsToMonthEnd() throws {
        let nov30 = try #require(CalendarDay(iso: "2024-11-30"))
        #expect(nov30.adding(months: 3).description == "2025-02-28")
        let aug31 = try #require(CalendarDay(iso: "2023-08-31"))
        #expect(aug31.adding(months: 6).description == "2024-02-29")
        #expect(aug31.adding(months: -6).description == "2023-02-28")
        #expect(aug31.adding(months: 4).description == "2023-12-31")
        #expect(aug31.adding(months: 5).description == "2024-01-31")
    }

    @Test func daysRoundTripThroughTheEpoch() {
        for days in stride(from: -700_000, through: 2_900_000, by: 997) {
            let day = CalendarDay(daysSinceEpoch: days)
            #expect(day.daysSinceEpoch == days)
            #expect(CalendarDay(iso: day.description) == day)
        }
        #expect(CalendarDay(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDay(daysSinceEpoch: -1).description == "1969-12-31")
        #expect(CalendarDay(daysSinceEpoch: 19_782).description == "2024-02-29")
    }

    @Test func addingDaysCrossesYearEndsAndLeapDays() throws {
        #expect(try #require(CalendarDay(iso: "2023-12-31")).adding(days: 1).description == "2024-01-01")
        #expect(try #require(CalendarDay(iso: "2024-02-28")).adding(days: 1).description == "2024-02-29")
        #expect(try #require(CalendarDay(iso: "2100-02-28")).adding(days: 1).description == "2100-03-01")
        #expect(try #require(CalendarDay(iso: "2000-02-28")).adding(days: 1).description == "2000-02-29")
    }

    @Test func rejectsMalformedDays() {
        for text in ["2023-02-29", "2023-13-01", "2023-1-01", "23-01-01", "2023-01-00", "", "2023/01/01"] {
            #expect(CalendarDay(iso: text) == nil, "\(text)")
        }
    }

    @Test func dayOfAnInstantIsItsUTCDay() {
        #expect(CalendarDay(Date(timeIntervalSince1970: 1_577_836_799)).description == "2019-12-31")
        #expect(CalendarDay(Date(timeIntervalSince1970: 1_577_836_800)).description == "2020-01-01")
    }

    @Test func codesAsISOString() throws {
        let day = try #require(CalendarDay(iso: "2027-12-31"))
        let json = try JSONEncoder().encode([day])
        #expect(String(decoding: json, as: UTF8.self) == "[\"2027-12-31\"]")
        #expect(try JSONDecoder().decode([CalendarDay].self, from: json) == [day])
    }
}
