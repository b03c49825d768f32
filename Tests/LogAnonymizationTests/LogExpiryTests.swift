import FileSystem
import Foundation
import PrivacyEvents
import TestSupport
import Testing

@testable import LogAnonymization

/// Which names are logs, which logs are rotated, and removing only those past retention.
@Suite struct LogExpiryTests {
    @Test(arguments: [
        ("mail.log", LogFileName.current), ("syslog", .current), ("mail.err", .current), ("access.log", .current),
        ("maillog", .current), ("mail.log.1", .rotated(day: nil, hour: nil)), ("mail.log.12.gz", .rotated(day: nil, hour: nil)),
        ("syslog.7.gz", .rotated(day: nil, hour: nil)), ("mail.warn.2", .rotated(day: nil, hour: nil)),
        ("error.log.gz", .rotated(day: nil, hour: nil)), ("mail.log.3.xz", .rotated(day: nil, hour: nil)),
        ("access.log-20261120.gz", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("access.log-20261120", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("syslog-2026-11-20", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("mail.log-2026112006.gz", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: 6)),
        ("maillog-20261120", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("app-2026-11-20.log", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("roundcube.20261120.log", .rotated(day: CalendarDay(year: 2026, month: 11, day: 20), hour: nil)),
        ("notes.txt", .other), ("mail.log.bak", .other), (".mail.log.1.privctl-AbC123", .other),
        ("invoice-20261120.pdf", .other), ("mail.log-20261340", .other), ("backup.tar.gz", .other),
        ("log", .other), (".log", .other), ("mail.", .other), ("mail.Log.1", .other), ("access.log.12345", .other),
        ("mail.py.1", .other), ("syslogd.conf", .other),
    ])
    func namesOfLogs(_ name: String, _ expected: LogFileName) {
        #expect(LogFileName(name) == expected, "\(name)")
    }

    static func file(_ dir: TemporaryDirectory, _ name: String, daysAgo: Double) throws -> URL {
        let url = try dir.write(name, "Nov 20 10:15:30 mx1 postfix/smtpd[1]: connect from unknown[78.46.198.123]\n")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-daysAgo * 86_400)], ofItemAtPath: url.path)
        return url
    }

    static func compact(_ date: Date) -> String {
        let day = CalendarDay(date)
        return String(format: "%04d%02d%02d", day.year, day.month, day.day)
    }

    @Test func findsOnlyRotatedLogsAndJudgesTheirAge() throws {
        let dir = try TemporaryDirectory()
        let now = Date()
        try Self.file(dir, "mail.log", daysAgo: 30)  // the current log, however old
        try Self.file(dir, "mail.log.1", daysAgo: 10)
        try Self.file(dir, "mail.log.2.gz", daysAgo: 3)
        try Self.file(dir, "access.log-\(Self.compact(now.addingTimeInterval(-12 * 86_400))).gz", daysAgo: 12)
        // Copied yesterday (new mtime), but the name says 20 days: the later of both counts.
        try Self.file(dir, "error.log-\(Self.compact(now.addingTimeInterval(-20 * 86_400))).gz", daysAgo: 1)
        // Written long ago, rotated two days ago: the name says the data may be that young.
        try Self.file(dir, "syslog-\(Self.compact(now.addingTimeInterval(-2 * 86_400)))", daysAgo: 40)
        try Self.file(dir, "notes.txt", daysAgo: 100)
        try Self.file(dir, "old/mail.log.5", daysAgo: 100)  // another directory: not descended
        let target = try Self.file(dir, "elsewhere.txt", daysAgo: 100)
        try FileManager.default.createSymbolicLink(at: dir.url.appendingPathComponent("mail.log.9"), withDestinationURL: target)

        let scan = try LogExpiry.scan([dir.url.path], days: 7, now: now)
        let due = scan.rotated.filter(\.due).map { URL(fileURLWithPath: $0.path).lastPathComponent }
        let kept = scan.rotated.filter { !$0.due }.map { URL(fileURLWithPath: $0.path).lastPathComponent }
        #expect(due == ["access.log-\(Self.compact(now.addingTimeInterval(-12 * 86_400))).gz", "mail.log.1"])
        #expect(Set(kept) == [
            "error.log-\(Self.compact(now.addingTimeInterval(-20 * 86_400))).gz", "mail.log.2.gz",
            "syslog-\(Self.compact(now.addingTimeInterval(-2 * 86_400)))",
        ])
        #expect(scan.current.map { URL(fileURLWithPath: $0).lastPathComponent } == ["mail.log"])
        #expect(scan.skipped == 4)  // notes.txt, elsewhere.txt, old/, the link
        let syslog = try #require(scan.rotated.first { $0.path.contains("syslog-") })
        #expect(syslog.agedByName)

        for log in scan.rotated where log.due { try LogExpiry.remove(log) }
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.url.path))
        #expect(!left.contains("mail.log.1"))
        #expect(left.isSuperset(of: ["mail.log", "mail.log.2.gz", "notes.txt", "old", "mail.log.9", "elsewhere.txt"]))
        #expect(FileManager.default.fileExists(atPath: dir.url.appendingPathComponent("old/mail.log.5").path))

        // --days changes the judgement.
        let strict = try LogExpiry.scan([dir.url.path], days: 1, now: now)
        #expect(strict.rotated.filter(\.due).count == 2)  // mail.log.2.gz (3 days), syslog-… (2 days)
    }

    @Test func namedFilesMustBeLogsAndNoLinks() throws {
        let dir = try TemporaryDirectory()
        let notes = try Self.file(dir, "notes.txt", daysAgo: 100)
        #expect(throws: PrivctlError.self) { try LogExpiry.scan([notes.path], days: 7) }
        let link = dir.url.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: dir.url)
        #expect(throws: PrivctlError.self) { try LogExpiry.scan([link.path], days: 7) }
        #expect(throws: PrivctlError.self) { try LogExpiry.scan([dir.url.appendingPathComponent("nope").path], days: 7) }
        let current = try Self.file(dir, "mail.log", daysAgo: 100)
        #expect(try LogExpiry.scan([current.path], days: 7).current == [current.path])
        let rotated = try Self.file(dir, "mail.log.4.gz", daysAgo: 100)
        #expect(try LogExpiry.scan([rotated.path], days: 7).rotated.map(\.due) == [true])
    }

    @Test func removesOnlyTheFileThatWasJudged() throws {
        let dir = try TemporaryDirectory()
        let log = try Self.file(dir, "mail.log.1", daysAgo: 30)
        let judged = try #require(try LogExpiry.scan([log.path], days: 7).rotated.first)
        // Replaced meanwhile (logrotate ran): the new file is not removed.
        try FileManager.default.removeItem(at: log)
        try Self.file(dir, "mail.log.1", daysAgo: 30)
        #expect(throws: PrivctlError.self) { try LogExpiry.remove(judged) }
        #expect(FileManager.default.fileExists(atPath: log.path))
        // A second name would keep the data.
        let again = try #require(try LogExpiry.scan([log.path], days: 7).rotated.first)
        try FileManager.default.linkItem(at: log, to: dir.url.appendingPathComponent("keep"))
        #expect(throws: PrivctlError.self) { try LogExpiry.remove(again) }
        try FileManager.default.removeItem(at: dir.url.appendingPathComponent("keep"))
        try LogExpiry.remove(again)
        #expect(!FileManager.default.fileExists(atPath: log.path))
    }

    @Test func eventsAreErasuresOfServerLogs() throws {
        var report = LogAnonymizationReport(path: "/var/log/mail.log.1", compression: .none)
        report.addresses = 3
        report.logins = 1
        report.ips = 7
        report.lines = 10
        report.changedLines = 8
        let event = LogEvents.anonymized(report, options: AnonymizationOptions(), host: "mx1")
        #expect(event.kind == .erase)
        #expect(event.dataCategory == "server-log")
        #expect(event.legalBasis.citation == "GDPR Art. 6(1)(f)")
        #expect(event.location.store == "/var/log/mail.log.1")
        #expect(event.subjects.isEmpty)
        #expect(event.details["action"] == "anonymize")
        #expect(event.details["addresses"] == "3" && event.details["ips"] == "7" && event.details["logins"] == "1")

        let dir = try TemporaryDirectory()
        let log = try Self.file(dir, "mail.log.1", daysAgo: 30)
        let judged = try #require(try LogExpiry.scan([log.path], days: 7).rotated.first)
        let expired = LogEvents.expired(judged, days: 7, host: "mx1")
        #expect(expired.kind == .erase && expired.details["action"] == "expire")
        #expect(expired.details["retentionDays"] == "7")
        #expect(expired.location.store.hasSuffix("/mail.log.1"))
    }
}
