import Foundation

/// A day in the proleptic Gregorian calendar, without time or zone.
///
/// Retention periods are counted in days, months and years of the civil calendar, so
/// "8 years from the end of 2019" is a day (2027-12-31), not an instant. Month arithmetic clamps to
/// the last day of the month: 2024-02-29 plus one year is 2025-02-28.
public struct CalendarDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A day; `month` is 1...12 and `day` 1...31 (clamped to the month's length).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = min(max(day, 1), CalendarDay.daysIn(month: month, year: year))
    }

    /// The UTC calendar day of an instant.
    public init(_ date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        self.init(daysSinceEpoch: days)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: String) {
        // Bytes, not `split`: the scan index reads three days per message per run.
        var text = text
        let parsed: (Int, Int, Int)? = text.withUTF8 { b in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for i in range {
                    guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                    value = value * 10 + Int(b[i] - 0x30)
                }
                return value
            }
            guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
            return (y, m, d)
        }
        guard let (y, m, d) = parsed, (1...12).contains(m), d >= 1, d <= CalendarDay.daysIn(month: m, year: y) else {
            return nil
        }
        self.year = y
        self.month = m
        self.day = d
    }

    /// The day `daysSinceEpoch` days after 1970-01-01 (negative before it).
    public init(daysSinceEpoch: Int) {
        // Howard Hinnant's civil_from_days.
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }

    /// The instant at which this day begins in UTC.
    public var startDate: Date { Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400) }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// This day plus some days (negative to go back).
    public func adding(days: Int) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// This day plus some months, clamped to the end of the target month.
    public func adding(months: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + months
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        return CalendarDay(year: y, month: m, day: day)
    }

    /// This day plus some years, clamped (Feb 29 becomes Feb 28 in a common year).
    public func adding(years: Int) -> CalendarDay { adding(months: years * 12) }

    /// December 31 of this day's year.
    public var endOfYear: CalendarDay { CalendarDay(year: year, month: 12, day: 31) }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD day: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
