import Foundation
import PrivacyEvents

/// A rotated log file found by ``LogExpiry``, judged against the log retention.
public struct RotatedLog: Sendable, Equatable {
    /// The file.
    public var path: String
    /// Its size in bytes.
    public var size: Int
    /// Its modification time: when its last line was written.
    public var modified: Date
    /// The day (and hour) its name carries, if any.
    public var nameDay: CalendarDay?
    public var nameHour: Int?
    /// When its newest data was written, as far as privctl can tell: the later of the
    /// modification time and the end of the day (or hour) in its name.
    public var dataUntil: Date
    /// Whether `dataUntil` came from the name.
    public var agedByName: Bool
    /// Whether it is past the retention on the day of the run.
    public var due: Bool
    /// Why it stays, when it is not removed ("retention ends 2026-11-27").
    public var reason: String
    let device: UInt64
    let inode: UInt64
}

/// What `privctl logs expire` found: rotated logs (due or not), current logs it keeps, and how
/// many other files it left alone.
public struct LogExpiryScan: Sendable {
    public var rotated: [RotatedLog] = []
    /// Logs being written, named or found: never removed.
    public var current: [String] = []
    /// Files in the given directories that are not logs, symbolic links, or directories.
    public var skipped = 0
}

/// Removing log files past the log retention: only regular files with rotated log names, never
/// the log being written, never through a symbolic link, never below the directories given.
public enum LogExpiry {
    /// The default log retention, in days (until the policy file carries one).
    public static let defaultDays = 7

    /// Finds the rotated logs at `paths` (log files, or the files directly in directories) and
    /// judges each against a retention of `days` days at `now`.
    public static func scan(_ paths: [String], days: Int, now: Date = Date()) throws(LogError) -> LogExpiryScan {
        var scan = LogExpiryScan()
        for path in paths {
            var st = stat()
            guard lstat(path, &st) == 0 else {
                throw LogError(path: path, problem: errno == ENOENT ? "no such file or directory" : String(cString: strerror(errno)))
            }
            switch st.st_mode & S_IFMT {
            case S_IFLNK:
                throw LogError(path: path, problem: "is a symbolic link; privctl does not follow links when removing logs, name the target")
            case S_IFDIR:
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                } catch {
                    throw LogError(path: path, problem: "cannot list the directory: \(error.localizedDescription)")
                }
                for name in names {
                    let file = path.hasSuffix("/") ? path + name : path + "/" + name
                    var entry = stat()
                    guard lstat(file, &entry) == 0, (entry.st_mode & S_IFMT) == S_IFREG else {
                        scan.skipped += 1
                        continue
                    }
                    switch LogFileName(name) {
                    case .other: scan.skipped += 1
                    case .current: scan.current.append(file)
                    case .rotated(let day, let hour):
                        scan.rotated.append(judge(file, entry, day: day, hour: hour, days: days, now: now))
                    }
                }
            case S_IFREG:
                let name = String(path.split(separator: "/").last ?? Substring(path))
                switch LogFileName(name) {
                case .other:
                    throw LogError(
                        path: path,
                        problem: "is not named like a log file; privctl removes only rotated logs (*.log.N, *.log.N.gz, *.log-YYYYMMDD[.gz], syslog.N, mail.*.N, …)")
                case .current: scan.current.append(path)
                case .rotated(let day, let hour):
                    scan.rotated.append(judge(path, st, day: day, hour: hour, days: days, now: now))
                }
            default:
                throw LogError(path: path, problem: "is neither a regular file nor a directory")
            }
        }
        return scan
    }

    static func judge(_ path: String, _ st: stat, day: CalendarDay?, hour: Int?, days: Int, now: Date) -> RotatedLog {
        let modified = modificationTime(st)
        var dataUntil = modified
        var byName = false
        if let day, let end = endOf(day, hour: hour), end <= now.addingTimeInterval(86_400), end > modified {
            // A date in the future says nothing; one after the last write says the data may be that young.
            dataUntil = end
            byName = true
        }
        let expires = dataUntil.addingTimeInterval(Double(days) * 86_400)
        let due = now >= expires
        let reason = due
            ? "past the log retention of \(days) day\(days == 1 ? "" : "s")"
            : "within the log retention of \(days) day\(days == 1 ? "" : "s") until \(EventChain.timestamp(expires))"
        return RotatedLog(
            path: path, size: Int(st.st_size), modified: modified, nameDay: day, nameHour: hour, dataUntil: dataUntil,
            agedByName: byName, due: due, reason: reason, device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    static func modificationTime(_ st: stat) -> Date {
        Date(timeIntervalSince1970: Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9)
    }

    /// The end of a day (or hour) in local time: logrotate names files by local dates.
    static func endOf(_ day: CalendarDay, hour: Int?) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour ?? 0))
        return start.flatMap { calendar.date(byAdding: hour == nil ? .day : .hour, value: 1, to: $0) }
    }

    /// Removes a rotated log, if its name still leads to the file that was judged (same inode,
    /// size and modification time) and it has no other names, and flushes the directory.
    public static func remove(_ log: RotatedLog) throws(LogError) {
        let slash = log.path.lastIndex(of: "/")
        let directory = slash.map { $0 == log.path.startIndex ? "/" : String(log.path[..<$0]) } ?? "."
        let name = slash.map { String(log.path[log.path.index(after: $0)...]) } ?? log.path
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirfd >= 0 else { throw LogError(path: directory, problem: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(dirfd) }
        var st = stat()
        guard fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw LogError(path: log.path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG, UInt64(st.st_dev) == log.device, UInt64(st.st_ino) == log.inode,
            Int(st.st_size) == log.size, modificationTime(st) == log.modified
        else {
            throw LogError(path: log.path, problem: "was replaced while privctl looked at it; left as it is, run again")
        }
        guard st.st_nlink == 1 else {
            throw LogError(
                path: log.path,
                problem: "has \(st.st_nlink) hard links; removing this name would not erase the data, remove the other names too")
        }
        guard unlinkat(dirfd, name, 0) == 0 else {
            throw LogError(path: log.path, problem: "cannot remove: \(String(cString: strerror(errno)))")
        }
        guard fsync(dirfd) == 0 else {
            throw LogError(path: directory, problem: "cannot flush the directory to disk: \(String(cString: strerror(errno)))")
        }
    }
}
