/// What a file's name says about it as a server log: the one classifier of log names, for
/// `privctl logs expire` (which files it may remove) and for backup archives (which members
/// are logs, not mail: searched for no mail, dropped by `scrub --log-days`).
///
/// A log being written has a plain name (`mail.log`, `syslog`, `mail.err`, `access.log`) and is
/// never removed; rotated logs carry a number or a date (`mail.log.1`, `mail.log.2.gz`,
/// `syslog.3`, `mail.warn.1`, `access.log-20261120.gz`, `app-2026-11-20.log`) or are compressed
/// (`error.log.gz`). Every other name (and every hidden file) is not a log.
///
/// It lives here, below both `Archives` and `LogAnonymization`, beside the one parser of dates in
/// names (``CalendarDay/datesInName(_:)``) that it uses.
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
        let dates = CalendarDay.datesInName(rest)
        // access.log-20261120, syslog-2026-11-20, mail.log-2026112006: a date at the end after
        // `-`, `.` or `_`.
        let length = rest.utf8.count
        if let last = dates.last, last.range.upperBound == length, last.range.lowerBound > 0 {
            let separator = Array(rest.utf8)[last.range.lowerBound - 1]
            let base = Substring(rest.utf8.prefix(last.range.lowerBound - 1))
            if separator == UInt8(ascii: "-") || separator == UInt8(ascii: ".") || separator == UInt8(ascii: "_"),
                Self.isLogBase(base)
            {
                self = .rotated(day: last.day, hour: last.hour)
                return
            }
        }
        // app-2026-11-20.log, access.20261120.log: dated by the program that writes them.
        if rest.hasSuffix(".log"), rest.count > 4, let first = dates.first, first.range.upperBound <= length - 4 {
            self = .rotated(day: first.day, hour: first.hour)
            return
        }
        if Self.isLogBase(rest) {
            // Nobody appends to a compressed file.
            self = compressed ? .rotated(day: nil, hour: nil) : .current
            return
        }
        self = .other
    }

    /// Whether an archive member's name (a path as stored) is a server log: a log name (see
    /// above) or anything under a `log/` or `logs/` directory.
    public static func isLogPath(_ path: String) -> Bool {
        let components = path.lowercased().split(separator: "/")
        if components.dropLast().contains(where: { $0 == "log" || $0 == "logs" }) { return true }
        guard let last = path.split(separator: "/").last else { return false }
        return LogFileName(String(last)) != .other
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
        !text.isEmpty && text.utf8.count <= maxLength && text.utf8.allSatisfy { $0 &- 0x30 < 10 }
    }
}
