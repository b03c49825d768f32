/// A date written in a file name (`mail-2026-11-20.tar.gz`, `access.log-2026112006.gz`).
public struct DateInName: Sendable, Equatable {
    public var day: CalendarDay
    /// The hour, when the date carries one (`YYYYMMDDHH…`).
    public var hour: Int?
    /// Where it stands in the name, in UTF-8 bytes.
    public var range: Range<Int>
}

extension CalendarDay {
    /// Every date written in a file name, in order: the one parser of dates in names, for
    /// backup archives (their age) and rotated logs (the day their data is from).
    ///
    /// A date stands alone, not inside a longer run of digits: `YYYY-MM-DD`, or a run of 8, 10,
    /// 12 or 14 digits `YYYYMMDD[HH[MM[SS]]]` (as backup and rotation tools name their files:
    /// `mail-2026-11-20.tar.gz`, `backup20261120`, `mail.log-2026112006`,
    /// `dump-20261120153000.tar`). Years 1990–2199, real days, hours below 24, minutes and
    /// seconds below 60.
    public static func datesInName(_ name: some StringProtocol) -> [DateInName] {
        let bytes = Array(name.utf8)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] &- 0x30 < 10 }
        func number(_ range: Range<Int>) -> Int {
            range.reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) }
        }
        func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDay? {
            guard (1990...2199).contains(year), (1...12).contains(month), day >= 1,
                day <= CalendarDay.daysIn(month: month, year: year)
            else { return nil }
            return CalendarDay(year: year, month: month, day: day)
        }
        var found: [DateInName] = []
        var i = 0
        while i < bytes.count {
            guard isDigit(i), !isDigit(i - 1) else {
                i += 1
                continue
            }
            var end = i
            while isDigit(end) { end += 1 }
            let length = end - i
            // YYYY-MM-DD, not followed by another digit.
            if length == 4, i + 10 <= bytes.count, bytes[i + 4] == UInt8(ascii: "-"), bytes[i + 7] == UInt8(ascii: "-"),
                isDigit(i + 5), isDigit(i + 6), isDigit(i + 8), isDigit(i + 9), !isDigit(i + 10),
                let date = day(number(i..<(i + 4)), number((i + 5)..<(i + 7)), number((i + 8)..<(i + 10)))
            {
                found.append(DateInName(day: date, hour: nil, range: i..<(i + 10)))
                i += 10
                continue
            }
            // YYYYMMDD[HH[MM[SS]]]
            if [8, 10, 12, 14].contains(length),
                let date = day(number(i..<(i + 4)), number((i + 4)..<(i + 6)), number((i + 6)..<(i + 8)))
            {
                let hour = length >= 10 ? number((i + 8)..<(i + 10)) : nil
                let minute = length >= 12 ? number((i + 10)..<(i + 12)) : 0
                let second = length >= 14 ? number((i + 12)..<(i + 14)) : 0
                if (hour ?? 0) < 24, minute < 60, second < 60 {
                    found.append(DateInName(day: date, hour: hour, range: i..<end))
                }
            }
            i = end
        }
        return found
    }

    /// The first date written in a file name (see ``datesInName(_:)``).
    public init?(inName name: String) {
        guard let first = Self.datesInName(name).first else { return nil }
        self = first.day
    }
}
