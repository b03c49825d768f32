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
        let value = withoutComments(ASCII.unfolded(raw))
        if let iso = parseISO8601(value) { return iso }
        return parseRFC(value)
    }

    /// Removes `( ... )` comments (nested, with escapes); an unclosed comment runs to the end.
    private static func withoutComments(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var depth = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if depth > 0 && b == ASCII.backslash {
                i += 2
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
            i += 1
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

    private static func parseRFC(_ bytes: [UInt8]) -> Date? {
        var tokens: [[UInt8]] = []
        var current: [UInt8] = []
        for b in bytes {
            if ASCII.isWhitespace(b) || b == ASCII.comma {
                if !current.isEmpty { tokens.append(current) }
                current.removeAll()
            } else {
                current.append(b)
            }
        }
        if !current.isEmpty { tokens.append(current) }
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

        var queue = tokens[...]
        while let token = queue.popFirst() {
            // `01-Jan-2001` (RFC 850) and `10:00:00+0200` are several tokens glued together.
            if let dash = token.firstIndex(of: ASCII.minus), dash > 0, !token.contains(ASCII.colon) {
                let pieces = token.split(separator: ASCII.minus, omittingEmptySubsequences: false)
                if pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty }) {
                    queue = (pieces.map(Array.init) + Array(queue))[...]
                    continue
                }
            }
            if token.first == ASCII.plus || token.first == ASCII.minus {
                if offset == nil, let o = parseNumericZone(token.dropFirst(), negative: token.first == ASCII.minus) {
                    offset = o
                }
                continue
            }
            if token.contains(ASCII.colon) || (time == nil && isDottedTime(token)) {
                let separator = token.contains(ASCII.colon) ? ASCII.colon : ASCII.dot
                // Split off a zone glued to the time.
                var timePart = token[...]
                if let z = token.firstIndex(where: { $0 == ASCII.plus || $0 == ASCII.minus }), z > 0 {
                    timePart = token[..<z]
                    queue.insert(Array(token[z...]), at: queue.startIndex)
                }
                guard time == nil, let parsed = parseTime(timePart, separator: separator) else { return nil }
                time = parsed
                continue
            }
            if token.allSatisfy(ASCII.isDigit) {
                // A signless 4-digit number right after the time is a zone missing its sign.
                if time != nil, token.count == 4, offset == nil, year != nil || numbers.count >= 2 {
                    offset = parseNumericZone(token[...], negative: false)
                    continue
                }
                guard token.count <= 4 else { return nil }
                numbers.append((Int(ASCII.text(token)) ?? 0, token.count))
                continue
            }
            if token.allSatisfy(ASCII.isAlpha) || token.contains(where: { $0 == ASCII.plus || $0 == ASCII.minus }) {
                let word = ASCII.lowercasedString(token)
                if let m = monthNumber(word) {
                    if month == nil { month = m }
                    continue
                }
                if isWeekday(word) || word == "at" { continue }
                if word == "am" || word == "pm" {
                    pm = word == "pm"
                    continue
                }
                if let z = zoneOffset(word) {
                    if namedOffset == nil { namedOffset = z }
                    continue
                }
                // Unknown words (a zone nobody knows, `H0500`) are ignored like a comment.
                continue
            }
            if isDottedDate(token) {
                let parts = token.split(separator: ASCII.dot).map { Int(ASCII.text($0)) ?? -1 }
                day = parts[0]
                month = parts[1]
                year = parts[2]
                yearDigits = token.split(separator: ASCII.dot)[2].count
                continue
            }
            // A weekday glued to the day (`Mon,1`) is split by the comma already; anything
            // else is noise.
        }

        guard let m = month, let t = time else { return nil }
        // Day and year from the loose numbers: a number of three or more digits, or one above
        // 31, is the year; otherwise the first number is the day (RFC order) and the next the year.
        if day == nil || year == nil {
            var rest = numbers
            if let yi = rest.firstIndex(where: { $0.digits >= 3 || $0.value > 31 }) {
                year = rest[yi].value
                yearDigits = rest[yi].digits
                rest.remove(at: yi)
                guard let d = rest.first else { return nil }
                day = d.value
            } else {
                guard rest.count >= 2 else { return nil }
                day = rest[0].value
                year = rest[1].value
                yearDigits = rest[1].digits
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

    private static func isDottedTime(_ token: [UInt8]) -> Bool {
        let parts = token.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        return (parts.count == 2 || parts.count == 3)
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(ASCII.isDigit) }
    }

    private static func isDottedDate(_ token: [UInt8]) -> Bool {
        let parts = token.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(ASCII.isDigit) }
            && parts[0].count <= 2 && parts[1].count <= 2 && parts[2].count == 4
    }

    /// `h:mm[:ss[.fff]]` (or with dots); hours and minutes of one or two digits.
    private static func parseTime(_ token: ArraySlice<UInt8>, separator: UInt8) -> (h: Int, m: Int, s: Int)? {
        var parts = token.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        if parts.count == 3, separator == ASCII.colon, let dot = parts[2].firstIndex(of: ASCII.dot) {
            parts[2] = parts[2][..<dot]  // fractional seconds
        }
        var values: [Int] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 2, p.allSatisfy(ASCII.isDigit) else { return nil }
            values.append(Int(ASCII.text(p))!)
        }
        return (values[0], values[1], values.count == 3 ? values[2] : 0)
    }

    /// `hhmm`, `hh:mm`, `hmm` or `hh` after the sign.
    private static func parseNumericZone(_ digits: ArraySlice<UInt8>, negative: Bool) -> Int? {
        let clean = digits.filter { $0 != ASCII.colon }
        guard !clean.isEmpty, clean.count <= 4, clean.allSatisfy(ASCII.isDigit) else { return nil }
        let v = Int(ASCII.text(clean))!
        let (h, m) = clean.count <= 2 ? (v, 0) : (v / 100, v % 100)
        guard h <= 23, m <= 59 else { return nil }
        return (negative ? -1 : 1) * (h * 3600 + m * 60)
    }

    private static let fullMonths = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ]

    /// `jan`, `january`, and anything between (`sept`).
    private static func monthNumber(_ word: String) -> Int? {
        guard word.count >= 3 else { return nil }
        for (i, full) in fullMonths.enumerated() where full.hasPrefix(word) {
            return i + 1
        }
        return nil
    }

    private static func isWeekday(_ word: String) -> Bool {
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        guard word.count >= 3 else { return false }
        return days.contains { $0.hasPrefix(word) } || ["tues", "thur", "thurs"].contains(word)
    }

    /// Zone names and `GMT+2`-style offsets, in seconds east of UTC.
    private static func zoneOffset(_ word: String) -> Int? {
        if let sign = word.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            let base = word[..<sign]
            guard base.isEmpty || base == "gmt" || base == "utc" || base == "ut" else { return nil }
            let digits = Array(word[word.index(after: sign)...].utf8)
            return parseNumericZone(digits[...], negative: word[sign] == "-")
        }
        guard let hours = namedZones[word] else { return nil }
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
