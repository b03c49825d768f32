import Foundation

/// Reads the `Date:` field: RFC 5322 `date-time`, its obsolete forms, and what mailers write
/// instead.
///
/// Accepted beyond the RFC: a missing or misplaced weekday, two- and three-digit years (RFC 5322
/// §4.3: 00-49 are 2000-2049, 50-999 are 1900 + n), any case in month and zone names, full month
/// names and `Sept`, missing seconds, fractional seconds, `.` as time separator, `AM`/`PM`,
/// asctime order (`Fri May 24 10:35:57 EDT 1991`), RFC 850 dates (`01-Jan-01`), ISO 8601
/// (`2023-05-01T10:00:00Z`), zones written `+02:00`, `GMT+2` or by common names (`EST`,
/// `CEST`, `JST`, ...), comments anywhere. A missing or unknown zone is read as UTC (RFC 5322
/// `-0000`: the local time is all we know). Anything that still does not give a real calendar
/// date and time is nil, never a guess.
enum MailDateParser {
    /// The instant the value names, or nil.
    static func parse(_ raw: ArraySlice<UInt8>) -> Date? {
        let value = withoutComments(raw)
        if let iso = parseISO8601(value) { return iso }
        return parseRFC(value)
    }

    /// The value unfolded (CR and LF removed) and without `( ... )` comments (nested, with
    /// escapes); an unclosed comment runs to the end. A comment leaves one space.
    private static func withoutComments(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let plain = bytes.withUnsafeBufferPointer { buf in
            ByteSearch.first(ASCII.openParen, in: buf, from: 0, to: buf.count) == nil
                && ByteSearch.first(ASCII.lf, in: buf, from: 0, to: buf.count) == nil
                && ByteSearch.first(ASCII.cr, in: buf, from: 0, to: buf.count) == nil
        }
        if plain { return Array(bytes) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var depth = 0
        var escaped = false
        for b in bytes where b != ASCII.cr && b != ASCII.lf {
            if escaped {
                escaped = false
                continue
            }
            if depth > 0 && b == ASCII.backslash {
                escaped = true  // this byte and the next go
                continue
            }
            if b == ASCII.openParen {
                depth += 1
                if depth == 1 { out.append(ASCII.space) }
            } else if b == ASCII.closeParen && depth > 0 {
                depth -= 1
            } else if depth == 0 {
                out.append(b)
            }
        }
        return out
    }

    // MARK: ISO 8601

    /// `YYYY-MM-DD[T| ]hh:mm[:ss[.fff]][Z|±hh[:]mm]`, leading and trailing white space allowed.
    private static func parseISO8601(_ bytes: [UInt8]) -> Date? {
        let t = ASCII.trimmed(bytes[...])
        guard t.count <= 64 else { return nil }
        var i = t.startIndex
        func number(_ count: Int) -> Int? {
            guard i + count <= t.endIndex else { return nil }
            var v = 0
            for k in i..<(i + count) {
                guard ASCII.isDigit(t[k]) else { return nil }
                v = v * 10 + Int(t[k] - 0x30)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < t.endIndex, t[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(ASCII.minus), let month = number(2), expect(ASCII.minus),
            let day = number(2)
        else { return nil }
        guard i < t.endIndex, t[i] == 0x54 || t[i] == 0x74 || t[i] == ASCII.space else { return nil }
        i += 1
        guard let hour = number(2), expect(ASCII.colon), let minute = number(2) else { return nil }
        var second = 0
        if expect(ASCII.colon) {
            guard let s = number(2) else { return nil }
            second = s
            if i < t.endIndex, t[i] == ASCII.dot || t[i] == ASCII.comma {
                i += 1
                while i < t.endIndex, ASCII.isDigit(t[i]) { i += 1 }
            }
        }
        var offset = 0
        if i < t.endIndex {
            if t[i] == 0x5A || t[i] == 0x7A {
                i += 1
            } else if t[i] == ASCII.plus || t[i] == ASCII.minus {
                let sign = t[i] == ASCII.minus ? -1 : 1
                i += 1
                guard let hh = number(2) else { return nil }
                _ = expect(ASCII.colon)
                let mm = number(2) ?? 0
                offset = sign * (hh * 3600 + mm * 60)
            }
        }
        guard i == t.endIndex else { return nil }
        return instant(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }

    // MARK: RFC 5322 and relatives

    /// Tokens are ranges of the comment-free value: runs between white space and commas.
    /// Nothing is copied; words are compared as bytes, ignoring case.
    private static func parseRFC(_ v: [UInt8]) -> Date? {
        var tokens: [Range<Int>] = []
        tokens.reserveCapacity(8)
        var tokenStart = -1
        for i in v.indices {
            if ASCII.isWhitespace(v[i]) || v[i] == ASCII.comma {
                if tokenStart >= 0 { tokens.append(tokenStart..<i) }
                tokenStart = -1
            } else if tokenStart < 0 {
                tokenStart = i
            }
        }
        if tokenStart >= 0 { tokens.append(tokenStart..<v.count) }
        // A date is a handful of tokens; a long list is some other text, and not worth the time.
        guard tokens.count <= 24 else { return nil }

        var day: Int?
        var month: Int?
        var year: Int?
        var yearDigits = 0
        var time: (h: Int, m: Int, s: Int)?
        var offset: Int?
        var namedOffset: Int?
        var pm: Bool?
        var numbers: [(value: Int, digits: Int)] = []
        numbers.reserveCapacity(4)

        // Pieces split off a token are read before the tokens after it: a stack, last on top.
        var pending: [Range<Int>] = []
        var nextToken = 0
        while true {
            let token: Range<Int>
            if let piece = pending.popLast() {
                token = piece
            } else if nextToken < tokens.count {
                token = tokens[nextToken]
                nextToken += 1
            } else {
                break
            }
            let hasColon = contains(v, token, ASCII.colon)
            // `01-Jan-2001` (RFC 850) and `10:00:00+0200` are several tokens glued together.
            if let dash = firstIndex(v, token, ASCII.minus), dash > token.lowerBound, !hasColon,
                let dash2 = firstIndex(v, (dash + 1)..<token.upperBound, ASCII.minus), dash2 > dash + 1,
                dash2 + 1 < token.upperBound, firstIndex(v, (dash2 + 1)..<token.upperBound, ASCII.minus) == nil
            {
                pending.append((dash2 + 1)..<token.upperBound)
                pending.append((dash + 1)..<dash2)
                pending.append(token.lowerBound..<dash)
                continue
            }
            let first = v[token.lowerBound]
            if first == ASCII.plus || first == ASCII.minus {
                if offset == nil,
                    let o = parseNumericZone(v, (token.lowerBound + 1)..<token.upperBound, negative: first == ASCII.minus)
                {
                    offset = o
                }
                continue
            }
            if hasColon || (time == nil && isDottedTime(v, token)) {
                let separator = hasColon ? ASCII.colon : ASCII.dot
                // Split off a zone glued to the time.
                var timePart = token
                if let z = token.first(where: { v[$0] == ASCII.plus || v[$0] == ASCII.minus }), z > token.lowerBound {
                    timePart = token.lowerBound..<z
                    pending.append(z..<token.upperBound)
                }
                guard time == nil, let parsed = parseTime(v, timePart, separator: separator) else { return nil }
                time = parsed
                continue
            }
            if token.allSatisfy({ ASCII.isDigit(v[$0]) }) {
                // A signless 4-digit number right after the time is a zone missing its sign.
                if time != nil, token.count == 4, offset == nil, year != nil || numbers.count >= 2 {
                    offset = parseNumericZone(v, token, negative: false)
                    continue
                }
                guard token.count <= 4 else { return nil }
                numbers.append((number(v, token), token.count))
                continue
            }
            if token.allSatisfy({ ASCII.isAlpha(v[$0]) })
                || token.contains(where: { v[$0] == ASCII.plus || v[$0] == ASCII.minus })
            {
                let word = v[token]
                if let m = monthNumber(word) {
                    if month == nil { month = m }
                    continue
                }
                if isWeekday(word) || equals(word, "at") { continue }
                if equals(word, "am") || equals(word, "pm") {
                    pm = equals(word, "pm")
                    continue
                }
                if let z = zoneOffset(word) {
                    if namedOffset == nil { namedOffset = z }
                    continue
                }
                // Unknown words (a zone nobody knows, `H0500`) are ignored like a comment.
                continue
            }
            if let parts = dottedDate(v, token) {
                day = parts.day
                month = parts.month
                year = parts.year
                yearDigits = 4
                continue
            }
            // A weekday glued to the day (`Mon,1`) is split by the comma already; anything
            // else is noise.
        }

        guard let m = month, let t = time else { return nil }
        // Day and year from the loose numbers: a number of three or more digits, or one above
        // 31, is the year; otherwise the first number is the day (RFC order) and the next the year.
        if day == nil || year == nil {
            if let yi = numbers.firstIndex(where: { $0.digits >= 3 || $0.value > 31 }) {
                year = numbers[yi].value
                yearDigits = numbers[yi].digits
                // The day is the first of the other numbers.
                let di = yi == 0 ? 1 : 0
                guard di < numbers.count else { return nil }
                day = numbers[di].value
            } else {
                guard numbers.count >= 2 else { return nil }
                day = numbers[0].value
                year = numbers[1].value
                yearDigits = numbers[1].digits
            }
        }
        guard var y = year, let d = day else { return nil }
        if yearDigits <= 2 && y < 100 {
            y += y < 50 ? 2000 : 1900
        } else if yearDigits == 3 || (y >= 100 && y < 1000) {
            y += 1900
        }
        var hour = t.h
        if let pm {
            guard hour >= 1 && hour <= 12 else { return nil }
            hour = (hour % 12) + (pm ? 12 : 0)
        }
        return instant(year: y, month: m, day: d, hour: hour, minute: t.m, second: t.s, offset: offset ?? namedOffset ?? 0)
    }

    private static func contains(_ v: [UInt8], _ range: Range<Int>, _ byte: UInt8) -> Bool {
        firstIndex(v, range, byte) != nil
    }

    private static func firstIndex(_ v: [UInt8], _ range: Range<Int>, _ byte: UInt8) -> Int? {
        range.first { v[$0] == byte }
    }

    /// The value of a run of ASCII digits (at most four here).
    private static func number(_ v: [UInt8], _ range: Range<Int>) -> Int {
        range.reduce(0) { $0 * 10 + Int(v[$1] - 0x30) }
    }

    /// The pieces of `range` between `separator` bytes, empty ones included; nil when there
    /// are more than `limit`.
    private static func pieces(
        _ v: [UInt8], _ range: Range<Int>, _ separator: UInt8, limit: Int
    ) -> (count: Int, ranges: (Range<Int>, Range<Int>, Range<Int>))? {
        var ranges = (range.lowerBound..<range.lowerBound, range.lowerBound..<range.lowerBound, range.lowerBound..<range.lowerBound)
        var count = 0
        var start = range.lowerBound
        for i in range where v[i] == separator {
            count += 1
            guard count < limit else { return nil }
            if count == 1 { ranges.0 = start..<i } else { ranges.1 = start..<i }
            start = i + 1
        }
        count += 1
        switch count {
        case 1: ranges.0 = start..<range.upperBound
        case 2: ranges.1 = start..<range.upperBound
        default: ranges.2 = start..<range.upperBound
        }
        return (count, ranges)
    }

    /// Whether a piece is one or two digits.
    private static func isShortNumber(_ v: [UInt8], _ range: Range<Int>) -> Bool {
        !range.isEmpty && range.count <= 2 && range.allSatisfy { ASCII.isDigit(v[$0]) }
    }

    /// `h.mm` or `h.mm.ss`: two or three dot-separated pieces of one or two digits.
    private static func isDottedTime(_ v: [UInt8], _ token: Range<Int>) -> Bool {
        guard let (count, p) = pieces(v, token, ASCII.dot, limit: 3), count >= 2 else { return false }
        return isShortNumber(v, p.0) && isShortNumber(v, p.1) && (count == 2 || isShortNumber(v, p.2))
    }

    /// `dd.mm.yyyy` (one or two digits for day and month).
    private static func dottedDate(_ v: [UInt8], _ token: Range<Int>) -> (day: Int, month: Int, year: Int)? {
        guard let (count, p) = pieces(v, token, ASCII.dot, limit: 3), count == 3 else { return nil }
        for piece in [p.0, p.1, p.2] where piece.isEmpty || !piece.allSatisfy({ ASCII.isDigit(v[$0]) }) {
            return nil
        }
        guard p.0.count <= 2, p.1.count <= 2, p.2.count == 4 else { return nil }
        return (number(v, p.0), number(v, p.1), number(v, p.2))
    }

    /// `h:mm[:ss[.fff]]` (or with dots); hours and minutes of one or two digits.
    private static func parseTime(_ v: [UInt8], _ token: Range<Int>, separator: UInt8) -> (h: Int, m: Int, s: Int)? {
        guard let (count, p) = pieces(v, token, separator, limit: 3), count >= 2 else { return nil }
        var seconds = p.2
        if count == 3, separator == ASCII.colon, let dot = firstIndex(v, seconds, ASCII.dot) {
            seconds = seconds.lowerBound..<dot  // fractional seconds
        }
        guard isShortNumber(v, p.0), isShortNumber(v, p.1), count == 2 || isShortNumber(v, seconds) else { return nil }
        return (number(v, p.0), number(v, p.1), count == 3 ? number(v, seconds) : 0)
    }

    /// `hhmm`, `hh:mm`, `hmm` or `hh` after the sign (colons anywhere are ignored).
    private static func parseNumericZone(_ v: [UInt8], _ digits: Range<Int>, negative: Bool) -> Int? {
        parseNumericZone(v[digits], negative: negative)
    }

    private static func parseNumericZone(_ digits: ArraySlice<UInt8>, negative: Bool) -> Int? {
        var value = 0
        var count = 0
        for b in digits where b != ASCII.colon {
            guard ASCII.isDigit(b), count < 4 else { return nil }
            value = value * 10 + Int(b - 0x30)
            count += 1
        }
        guard count > 0 else { return nil }
        let (h, m) = count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard h <= 23, m <= 59 else { return nil }
        return (negative ? -1 : 1) * (h * 3600 + m * 60)
    }

    /// Whether `word` is `lowercased` in any case.
    private static func equals(_ word: ArraySlice<UInt8>, _ lowercased: StaticString) -> Bool {
        word.count == lowercased.utf8CodeUnitCount && hasPrefix(lowercased, word)
    }

    /// Whether the lower-case `full` starts with `word` in any case.
    private static func hasPrefix(_ full: StaticString, _ word: ArraySlice<UInt8>) -> Bool {
        guard word.count <= full.utf8CodeUnitCount else { return false }
        if let first = word.first, ASCII.lower(first) != full.utf8Start[0] { return false }
        let f = full.utf8Start
        var k = 0
        for b in word {
            guard ASCII.lower(b) == f[k] else { return false }
            k += 1
        }
        return true
    }

    private static let fullMonths: [StaticString] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ]

    private static let weekdays: [StaticString] = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    /// `jan`, `january`, and anything between (`sept`).
    private static func monthNumber(_ word: ArraySlice<UInt8>) -> Int? {
        guard word.count >= 3 else { return nil }
        for (i, full) in fullMonths.enumerated() where hasPrefix(full, word) {
            return i + 1
        }
        return nil
    }

    private static func isWeekday(_ word: ArraySlice<UInt8>) -> Bool {
        guard word.count >= 3 else { return false }
        return weekdays.contains { hasPrefix($0, word) } || equals(word, "tues") || equals(word, "thur")
            || equals(word, "thurs")
    }

    /// Zone names and `GMT+2`-style offsets, in seconds east of UTC.
    private static func zoneOffset(_ word: ArraySlice<UInt8>) -> Int? {
        if let sign = word.firstIndex(where: { $0 == ASCII.plus || $0 == ASCII.minus }) {
            let base = word[..<sign]
            guard base.isEmpty || equals(base, "gmt") || equals(base, "utc") || equals(base, "ut") else { return nil }
            return parseNumericZone(word[(sign + 1)...], negative: word[sign] == ASCII.minus)
        }
        guard let hours = namedZones[ASCII.lowercasedString(word)] else { return nil }
        return Int(hours * 3600)
    }

    /// RFC 5322 zone names plus the unambiguous names mailers add (hours east of UTC).
    private static let namedZones: [String: Double] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0,
        "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
        "ast": -4, "adt": -3, "akst": -9, "akdt": -8, "hst": -10, "nst": -3.5, "ndt": -2.5,
        "bst": 1, "cet": 1, "met": 1, "west": 1, "cest": 2, "mest": 2, "mesz": 2, "eet": 2, "eest": 3,
        "msk": 3, "msd": 4, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8, "awst": 8, "acst": 9.5,
        "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
    ]

    /// The instant of a civil date and time at a UTC offset, or nil when the date is not real.
    static func instant(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Date? {
        guard (1...12).contains(month), year >= 1, year <= 9999, day >= 1, day <= daysIn(month: month, year: year),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
