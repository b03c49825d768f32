import Foundation
import TestSupport
import Testing

/// `privctl logs anonymize` and `privctl logs expire` as operators run them: real log files,
/// the system's gzip, the built binary, the ledger afterwards.
@Suite struct LogsCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    static let mailLog = """
        Nov 20 10:15:30 mx1 postfix/smtpd[12345]: connect from unknown[78.46.198.123]
        Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[78.46.198.123], sasl_method=PLAIN, sasl_username=anna@example.org
        Nov 20 10:15:32 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<anna@example.org>, size=2345, nrcpt=1 (queue active)
        Nov 20 10:15:33 mx1 postfix/smtp[12347]: 4XJ2Kp1ZzBz9sWx: to=<bob@example.net>, relay=mx.example.net[2a01:4f8:c17:b8f::2]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok)
        Nov 20 10:16:00 mx1 dovecot: imap-login: Login: user=<anna>, method=PLAIN, rip=::ffff:198.51.100.23, lip=10.0.0.5, session=<B0z6lLEI1s5OLsZ7>
        Nov 20 10:16:06 mx1 dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp

        """

    static let anonymizedMailLog = """
        Nov 20 10:15:30 mx1 postfix/smtpd[12345]: connect from unknown[78.46.198.0]
        Nov 20 10:15:31 mx1 postfix/smtpd[12345]: 4XJ2Kp1ZzBz9sWx: client=unknown[78.46.198.0], sasl_method=PLAIN, sasl_username=[address]
        Nov 20 10:15:32 mx1 postfix/qmgr[999]: 4XJ2Kp1ZzBz9sWx: from=<[address]>, size=2345, nrcpt=1 (queue active)
        Nov 20 10:15:33 mx1 postfix/smtp[12347]: 4XJ2Kp1ZzBz9sWx: to=<[address]>, relay=mx.example.net[2a01:4f8:c17::]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok)
        Nov 20 10:16:00 mx1 dovecot: imap-login: Login: user=<[address]>, method=PLAIN, rip=::ffff:198.51.100.0, lip=10.0.0.0, session=<B0z6lLEI1s5OLsZ7>
        Nov 20 10:16:06 mx1 dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, pop3, lmtp

        """

    static let accessLog = #"""
        198.51.100.7 - anna [20/Nov/2026:10:15:31 +0100] "GET /webmail/?_to=bob%40example.net HTTP/2.0" 200 812 "-" "Mozilla/5.0 Chrome/120.0.0.0"

        """#

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    var ledgerPath: (Sandbox) -> String = { $0.dir.url.appendingPathComponent(".local/share/privctl/ledger.sqlite").path }

    @Test func anonymizeInPlaceKeepsGzipAndRecordsOneEraseEventPerFile() throws {
        let box = try Sandbox()
        let plain = try box.dir.write("log/mail.log.1", Self.mailLog)
        try box.dir.write("log/mail.log.2", Self.mailLog)
        try ChildProcess.check("gzip", ["-n", box.dir.url.appendingPathComponent("log/mail.log.2").path])
        let gz = box.dir.url.appendingPathComponent("log/mail.log.2.gz").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: gz)

        let result = try box.run(["logs", "anonymize", "--json", plain.path, gz])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.jsonLines(result.stdout)
        #expect(lines.count == 2)
        for line in lines {
            for key in ["path", "action", "output", "compression", "lines", "changedLines", "addresses", "logins", "ips", "unparsedLines", "eventId"] {
                #expect(line.keys.contains(key), "\(key)")
            }
            #expect(line["action"] as? String == "anonymized")
            #expect(line["lines"] as? Int == 6)
            #expect(line["changedLines"] as? Int == 5)
            #expect(line["addresses"] as? Int == 3)
            #expect(line["logins"] as? Int == 1)
            #expect(line["ips"] as? Int == 5)
        }
        #expect(lines[1]["compression"] as? String == "gzip")
        #expect(String(decoding: try Data(contentsOf: plain), as: UTF8.self) == Self.anonymizedMailLog)
        #expect(try ChildProcess.run("gzip", ["-t", gz]).succeeded)
        #expect(try ChildProcess.run("zcat", [gz]).stdout == Self.anonymizedMailLog)
        #expect((try FileManager.default.attributesOfItem(atPath: gz)[.posixPermissions] as? Int) == 0o640)

        // The ledger holds an erase event per file, with what was removed, and verifies.
        let shown = try box.run(["ledger", "show", "--json", "--kind", "erase"])
        let events = try Self.jsonLines(shown.stdout).compactMap { $0["event"] as? [String: Any] }
        #expect(events.count == 2)
        for event in events {
            #expect(event["dataCategory"] as? String == "server-log")
            #expect((event["legalBasis"] as? [String: Any])?["lawfulBasis"] as? String == "art6-1-f")
            let details = try #require(event["details"] as? [String: String])
            #expect(details["action"] == "anonymize")
            #expect(details["addresses"] == "3" && details["ips"] == "5" && details["logins"] == "1")
        }
        #expect(Set(events.compactMap { ($0["location"] as? [String: Any])?["store"] as? String }) == [plain.path, gz])
        #expect(try box.run(["ledger", "verify"]).status == 0)
        #expect(!shown.stdout.contains("anna"))

        // A second run finds nothing, changes nothing and records nothing.
        let again = try box.run(["logs", "anonymize", plain.path, gz])
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged \(plain.path): 6 lines, nothing to anonymize"))
        #expect(again.stderr.contains("ledger: 0 erase events"))
    }

    @Test func dryRunAndOutputChangeNoLogAndRecordNothing() throws {
        let box = try Sandbox()
        let log = try box.dir.write("access.log.1", Self.accessLog)
        let dry = try box.run(["logs", "anonymize", "--dry-run", log.path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would anonymize \(log.path): 1 line, 1 to change: 1 address, 1 login, 1 IP address"))
        #expect(dry.stderr.contains("dry run: nothing was changed or recorded"))
        #expect(String(decoding: try Data(contentsOf: log), as: UTF8.self) == Self.accessLog)

        let stdout = try box.run(["logs", "anonymize", "--output", "-", log.path])
        #expect(stdout.status == 0)
        #expect(stdout.stdout == #"198.51.100.0 - [address] [20/Nov/2026:10:15:31 +0100] "GET /webmail/?_to=[address] HTTP/2.0" 200 812 "-" "Mozilla/5.0 Chrome/120.0.0.0""# + "\n")
        #expect(stdout.stderr.contains("wrote standard output from"))

        let copy = box.dir.url.appendingPathComponent("stats/access.log.1.gz").path
        try box.dir.mkdir("stats")
        let file = try box.run(["logs", "anonymize", "--output", copy, log.path])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(try ChildProcess.run("zcat", [copy]).stdout == stdout.stdout)
        #expect(String(decoding: try Data(contentsOf: log), as: UTF8.self) == Self.accessLog)
        #expect(try box.eventCount() == 0, "nothing was recorded")
    }

    @Test func badInputIsAUsageErrorOrAOneLineError() throws {
        let box = try Sandbox()
        let log = try box.dir.write("mail.log.1", Self.mailLog)
        for arguments in [
            ["logs", "anonymize", "--ipv4-prefix", "33", log.path],
            ["logs", "anonymize", "--ipv4-style", "mask", "--ipv4-prefix", "20", log.path],
            ["logs", "anonymize", "--address-token", "a@b", log.path],
            ["logs", "anonymize", "--output", "x.log", log.path, log.path],
            ["logs", "anonymize"],
            ["logs", "expire", "--days", "-1", box.dir.url.path],
        ] {
            let result = try box.run(arguments)
            #expect(result.status == 64, "\(arguments)")
        }
        let missing = try box.run(["logs", "anonymize", log.path, box.dir.url.appendingPathComponent("nope").path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "privctl: error: \(box.dir.url.appendingPathComponent("nope").path): no such file\n")
        // Nothing was changed before the error.
        #expect(String(decoding: try Data(contentsOf: log), as: UTF8.self) == Self.mailLog)
        let directory = try box.run(["logs", "anonymize", box.dir.url.path])
        #expect(directory.status == 1)
        #expect(directory.stderr.contains("is a directory"))
        // A file that fails does not stop the others; the run ends with status 1.
        let broken = try box.dir.write("broken.log.1.gz", [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02])
        let mixed = try box.run(["logs", "anonymize", broken.path, log.path])
        #expect(mixed.status == 1)
        #expect(mixed.stderr.hasPrefix("privctl: error: \(broken.path): "))
        #expect(mixed.stdout.contains("anonymized \(log.path)"))
        #expect(mixed.stderr.contains("1 failed"))
    }

    @Test func expireRemovesOnlyRotatedLogsPastRetentionAndRecordsThem() throws {
        let box = try Sandbox()
        func log(_ name: String, daysAgo: Double) throws -> URL {
            let url = try box.dir.write("log/\(name)", Self.mailLog)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-daysAgo * 86_400)], ofItemAtPath: url.path)
            return url
        }
        let current = try log("mail.log", daysAgo: 30)
        let old = try log("mail.log.2.gz", daysAgo: 9)
        let recent = try log("mail.log.1", daysAgo: 2)
        let notALog = try log("notes.txt", daysAgo: 90)
        let nested = try log("nginx/access.log.3.gz", daysAgo: 90)
        let dir = box.dir.url.appendingPathComponent("log").path

        let dry = try box.run(["logs", "expire", "--dry-run", dir])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("would remove \(old.path)"))
        #expect(dry.stderr.contains("would remove 1 rotated log"))
        #expect(FileManager.default.fileExists(atPath: old.path))
        #expect(try box.eventCount() == 0, "nothing was recorded")

        let result = try box.run(["logs", "expire", "--json", dir])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try Self.jsonLines(result.stdout)
        let removed = lines.filter { $0["action"] as? String == "removed" }
        #expect(removed.map { $0["path"] as? String } == [old.path])
        #expect(removed.first?["eventId"] is String)
        #expect(lines.contains { $0["path"] as? String == recent.path && $0["action"] as? String == "kept" })
        #expect(lines.contains { $0["path"] as? String == current.path && $0["reason"] as? String == "the log being written" })
        #expect(!FileManager.default.fileExists(atPath: old.path))
        for kept in [current, recent, notALog, nested] { #expect(FileManager.default.fileExists(atPath: kept.path)) }

        let events = try Self.jsonLines(try box.run(["ledger", "show", "--json"]).stdout).compactMap { $0["event"] as? [String: Any] }
        #expect(events.count == 1)
        #expect(events.first?["kind"] as? String == "erase")
        #expect((events.first?["details"] as? [String: String])?["action"] == "expire")
        #expect((events.first?["location"] as? [String: Any])?["store"] as? String == old.path)

        // --days, and the nested directory only when named.
        let strict = try box.run(["logs", "expire", "--days", "1", dir, box.dir.url.appendingPathComponent("log/nginx").path])
        #expect(strict.status == 0)
        #expect(strict.stderr.contains("removed 2 rotated logs"))
        #expect(!FileManager.default.fileExists(atPath: recent.path))
        #expect(!FileManager.default.fileExists(atPath: nested.path))
        #expect(FileManager.default.fileExists(atPath: current.path))
        #expect(FileManager.default.fileExists(atPath: notALog.path))

        // A file named that is not a log is an error, and nothing is removed.
        let named = try box.run(["logs", "expire", notALog.path])
        #expect(named.status == 1)
        #expect(named.stderr.contains("is not named like a log file"))
        #expect(try box.run(["ledger", "verify"]).status == 0)
    }

    @Test func helpTeachesWithExamples() throws {
        let box = try Sandbox()
        let help = try box.run(["help"])
        #expect(help.stdout.contains("logs"))
        let anonymize = try box.run(["logs", "anonymize", "--help"])
        #expect(anonymize.status == 0)
        #expect(anonymize.stdout.contains("Examples:"))
        #expect(anonymize.stdout.contains("--ipv4-prefix"))
        let expire = try box.run(["logs", "expire", "--help"])
        #expect(expire.stdout.contains("privctl logs expire --dry-run /var/log"))
    }
}
