extension CalendarDay {
    /// The first date written in a file name: `YYYY-MM-DD` or `YYYYMMDD`, years 1990–2099 (as
    /// backup and rotation tools name their files: `mail-2026-11-20.tar.gz`, `backup20261120`).
    public init?(inName name: String) {
        let bytes = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        func valid(_ year: Int, _ month: Int, _ day: Int) -> Bool {
            (1...12).contains(month) && day >= 1 && day <= CalendarDay.daysIn(month: month, year: year)
        }
        var i = 0
        while i + 8 <= bytes.count {
            if let year = digits(i..<(i + 4)), (1990...2099).contains(year) {
                if i + 10 <= bytes.count, bytes[i + 4] == UInt8(ascii: "-"), bytes[i + 7] == UInt8(ascii: "-"),
                    let month = digits((i + 5)..<(i + 7)), let day = digits((i + 8)..<(i + 10)), valid(year, month, day)
                {
                    self.init(year: year, month: month, day: day)
                    return
                }
                if let month = digits((i + 4)..<(i + 6)), let day = digits((i + 6)..<(i + 8)), valid(year, month, day) {
                    self.init(year: year, month: month, day: day)
                    return
                }
            }
            i += 1
        }
        return nil
    }
}
