import FileSystem
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
    /// The file as judged (identity, size, times), and the directory it was found in, opened
    /// once: ``LogExpiry/remove(_:)`` removes the name there, never resolving the path again.
    let judged: FileInfo
    let directory: OpenDirectory
    let name: String
}

/// A directory as ``LogExpiry`` opened it; two are equal when they are the same open directory.
struct OpenDirectory: Sendable, Equatable {
    let directory: Directory
    static func == (a: OpenDirectory, b: OpenDirectory) -> Bool { a.directory === b.directory }
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
    ///
    /// A path is resolved once: links on the way to it are followed (the user named it), a link
    /// named as the log or directory itself is refused, and links, FIFOs and other files inside
    /// a directory are skipped.
    public static func scan(_ paths: [String], days: Int, now: Date = Date()) throws(PrivctlError) -> LogExpiryScan {
        var scan = LogExpiryScan()
        for path in paths {
            let (parent, name) = try FileSystem.openNamedParent(path)
            let info: FileInfo
            if name == "." {
                info = try parent.info()
            } else {
                guard let found = try parent.info(name) else {
                    throw PrivctlError(.notFound, path: path, problem: "no such file or directory")
                }
                info = found
            }
            switch info.kind {
            case .symbolicLink:
                throw PrivctlError(
                    .symbolicLink, path: path, problem: "is a symbolic link; privctl does not follow links when removing logs, name the target")
            case .directory:
                let directory = name == "." ? parent : try parent.openDirectory(name)
                let opened = OpenDirectory(directory: directory)
                for entry in try directory.entries() {
                    if entry.kind == .unnamable { continue }  // cannot be named, so not judged
                    let file = path.hasSuffix("/") ? path + entry.name : path + "/" + entry.name
                    guard let found = try directory.info(entry.name), found.kind == .regular else {
                        scan.skipped += 1
                        continue
                    }
                    switch LogFileName(entry.name) {
                    case .other: scan.skipped += 1
                    case .current: scan.current.append(file)
                    case .rotated(let day, let hour):
                        scan.rotated.append(
                            judge(file, found, in: opened, name: entry.name, day: day, hour: hour, days: days, now: now))
                    }
                }
            case .regular:
                switch LogFileName(name) {
                case .other:
                    throw PrivctlError(
                        .invalidInput, path: path,
                        problem: "is not named like a log file; privctl removes only rotated logs (*.log.N, *.log.N.gz, *.log-YYYYMMDD[.gz], syslog.N, mail.*.N, …)")
                case .current: scan.current.append(path)
                case .rotated(let day, let hour):
                    scan.rotated.append(
                        judge(path, info, in: OpenDirectory(directory: parent), name: name, day: day, hour: hour, days: days, now: now))
                }
            default:
                throw PrivctlError(.notRegularFile, path: path, problem: "is neither a regular file nor a directory")
            }
        }
        return scan
    }

    static func judge(
        _ path: String, _ info: FileInfo, in directory: OpenDirectory, name: String, day: CalendarDay?, hour: Int?, days: Int,
        now: Date
    ) -> RotatedLog {
        let modified = Date(timeIntervalSince1970: info.modified)
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
            path: path, size: info.size, modified: modified, nameDay: day, nameHour: hour, dataUntil: dataUntil,
            agedByName: byName, due: due, reason: reason, judged: info, directory: directory, name: name)
    }

    /// The end of a day (or hour) in local time: logrotate names files by local dates.
    static func endOf(_ day: CalendarDay, hour: Int?) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let start = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: hour ?? 0))
        return start.flatMap { calendar.date(byAdding: hour == nil ? .day : .hour, value: 1, to: $0) }
    }

    /// Removes a rotated log, if its name still leads to the file that was judged (same inode,
    /// size and modification time) and it has no other names, and flushes the directory. The
    /// name is removed in the directory opened when the log was found.
    public static func remove(_ log: RotatedLog) throws(PrivctlError) {
        let directory = log.directory.directory
        guard let now = try directory.info(log.name) else {
            throw PrivctlError(.notFound, path: log.path, problem: "is gone; nothing removed")
        }
        guard now.kind == .regular, now.isSameFile(as: log.judged), now.size == log.judged.size,
            now.modifiedSeconds == log.judged.modifiedSeconds, now.modifiedNanoseconds == log.judged.modifiedNanoseconds
        else {
            throw PrivctlError(.changedWhileRead, path: log.path, problem: "was replaced while privctl looked at it; left as it is, run again")
        }
        guard now.linkCount == 1 else {
            throw PrivctlError(
                .copyOutsideStore, path: log.path,
                problem: "has \(now.linkCount) hard links; removing this name would not erase the data, remove the other names too")
        }
        try directory.unlink(log.name)
        try directory.sync()
    }
}
