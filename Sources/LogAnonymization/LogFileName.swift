import PrivacyEvents

/// What a file's name says about it as a log: the names `privctl logs expire` may remove.
///
/// A log being written has a plain name (`mail.log`, `syslog`, `mail.err`, `access.log`) and is
/// never removed; rotated logs carry a number or a date (`mail.log.1`, `mail.log.2.gz`,
/// `syslog.3`, `mail.warn.1`, `access.log-20261120.gz`, `app-2026-11-20.log`) or are compressed
/// (`error.log.gz`). Every other name (and every hidden file) is not a log.
public enum LogFileName: Equatable, Sendable {
    /// Not a log name.
    case other
    /// The log being written: never removed.
    case current
    /// A rotated log; `day` (and `hour`) when its name carries a date.
    case rotated(day: CalendarDay?, hour: Int?)

    /// Compression suffixes of rotated logs.
    static let compressionSuffixes = [".gz", ".xz", ".bz2", ".zst"]

    public init(_ name: String) {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
            self = .other
            return
        }
        var rest = Substring(name)
        var compressed = false
        for suffix in Self.compressionSuffixes where rest.hasSuffix(suffix) {
            rest = rest.dropLast(suffix.count)
            compressed = true
            break
        }
        // mail.log.1, syslog.2, mail.err.3
        if let dot = rest.lastIndex(of: "."), Self.isNumber(rest[rest.index(after: dot)...], maxLength: 4),
            Self.isLogBase(rest[..<dot])
        {
            self = .rotated(day: nil, hour: nil)
            return
        }
        // access.log-20261120, syslog-2026-11-20, mail.log-2026112006
        if let (base, day, hour) = Self.dateSuffix(rest), Self.isLogBase(base) {
            self = .rotated(day: day, hour: hour)
            return
        }
        // app-2026-11-20.log, access.20261120.log: dated by the program that writes them.
        if rest.hasSuffix(".log"), rest.count > 4, let (day, hour) = Self.dateInside(rest.dropLast(4)) {
            self = .rotated(day: day, hour: hour)
            return
        }
        if Self.isLogBase(rest) {
            // Nobody appends to a compressed file.
            self = compressed ? .rotated(day: nil, hour: nil) : .current
            return
        }
        self = .other
    }

    /// `X.log`, `syslog`, `maillog`, `mail.LEVEL`.
    static func isLogBase(_ base: Substring) -> Bool {
        if base.hasSuffix(".log") { return base.count > 4 }
        if base == "syslog" || base == "maillog" { return true }
        if base.hasPrefix("mail.") { return syslogLevels.contains(String(base.dropFirst(5))) }
        return false
    }

    /// The files syslog daemons write per mail priority: `mail.err`, `mail.warn`, `mail.info`, ….
    static let syslogLevels: Set<String> = ["log", "err", "warn", "warning", "info", "debug", "notice", "crit", "alert", "emerg"]

    static func isNumber(_ text: Substring, maxLength: Int) -> Bool {
        !text.isEmpty && text.utf8.count <= maxLength && text.utf8.allSatisfy(ByteClass.isDigit)
    }

    /// A date at the end after `-`, `.` or `_`: `YYYYMMDD`, `YYYYMMDDHH` or `YYYY-MM-DD`.
    static func dateSuffix(_ text: Substring) -> (Substring, CalendarDay, Int?)? {
        let bytes = Array(text.utf8)
        for length in [8, 10] where bytes.count > length + 1 {
            let digits = bytes[(bytes.count - length)...]
            let separator = bytes[bytes.count - length - 1]
            guard digits.allSatisfy(ByteClass.isDigit), separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".")
                || separator == UInt8(ascii: "_")
            else { continue }
            guard let (day, hour) = Self.compactDate(Array(digits)) else { continue }
            return (text.dropLast(length + 1), day, hour)
        }
        if bytes.count > 11 {
            let tail = bytes[(bytes.count - 10)...]
            let separator = bytes[bytes.count - 11]
            if separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") || separator == UInt8(ascii: "_"),
                let day = CalendarDay(iso: String(decoding: tail, as: UTF8.self)), (1990...2199).contains(day.year)
            {
                return (text.dropLast(11), day, nil)
            }
        }
        return nil
    }

    /// A date somewhere in a name, standing alone between non-digits: `YYYY-MM-DD` or `YYYYMMDD`.
    static func dateInside(_ text: Substring) -> (CalendarDay, Int?)? {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard ByteClass.isDigit(bytes[i]), i == 0 || !ByteClass.isDigit(bytes[i - 1]) else {
                i += 1
                continue
            }
            var j = i
            while j < bytes.count && (ByteClass.isDigit(bytes[j]) || bytes[j] == UInt8(ascii: "-")) { j += 1 }
            let run = Array(bytes[i..<j])
            if run.count >= 10, let day = CalendarDay(iso: String(decoding: run[0..<10], as: UTF8.self)),
                (1990...2199).contains(day.year), run.count == 10 || run[10] == UInt8(ascii: "-")
            {
                return (day, nil)
            }
            var digits = i
            while digits < bytes.count && ByteClass.isDigit(bytes[digits]) { digits += 1 }
            if digits - i == 8 || digits - i == 10, let found = compactDate(Array(bytes[i..<digits])) { return found }
            i = max(j, i + 1)
        }
        return nil
    }

    /// `YYYYMMDD` or `YYYYMMDDHH`, a real day between 1990 and 2199.
    static func compactDate(_ digits: [UInt8]) -> (CalendarDay, Int?)? {
        guard digits.count == 8 || digits.count == 10 else { return nil }
        let text = String(decoding: digits, as: UTF8.self)
        let iso = "\(text.prefix(4))-\(text.dropFirst(4).prefix(2))-\(text.dropFirst(6).prefix(2))"
        guard let day = CalendarDay(iso: iso), (1990...2199).contains(day.year) else { return nil }
        if digits.count == 10 {
            guard let hour = Int(text.suffix(2)), hour < 24 else { return nil }
            return (day, hour)
        }
        return (day, nil)
    }
}
