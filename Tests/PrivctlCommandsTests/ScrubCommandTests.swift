import Foundation
import TestSupport
import Testing

/// `privctl scrub` over dated backups, as cron runs it.
@Suite struct ScrubCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    func listing(_ archive: URL) throws -> [String] {
        try ChildProcess.check("bsdtar", ["-tf", archive.path]).split(separator: "\n").map(String.init)
    }

    /// Two nightly backups of a Maildir with alice's newsletter and invoice, cron mail and a
    /// mail log.
    func makeBackups(_ box: Sandbox) throws -> URL {
        try box.dir.write("tree/Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        try box.dir.write("tree/Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("tree/Maildir/cur/1795572005.M3P3.mx:2,S", SampleMail.cron(n: 9))
        // Cron mail of September: 7 days plus 21 in backups are long over.
        try box.dir.write("tree/Maildir/cur/1788220800.M4P4.mx:2,S", SampleMail.cron(n: 8, date: "Tue, 01 Sep 2026 03:00:01 +0200"))
        try box.dir.write("tree/var/log/mail.log", "Nov 20 03:00:01 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n")
        try box.dir.mkdir("backups")
        for day in ["2026-10-01", "2026-11-25"] {
            try ChildProcess.check(["tar", "-czf", "backups/host-\(day).tar.gz", "-C", "tree", "Maildir", "var"], in: box.dir.url)
        }
        return box.dir.url.appendingPathComponent("backups")
    }

    @Test func appliesPendingRequestsAndLogRetentionAndIsIdempotent() throws {
        let box = try Sandbox()
        let backups = try makeBackups(box)
        // The request arrives while the live store is erased; backups are scrubbed later.
        try box.dir.write("live/Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        #expect(try box.run(["erase", "--subject", "alice@example.org", box.dir.url.appendingPathComponent("live").path]).status == 0)

        let first = try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stderr.hasPrefix("privctl scrub: 2 archives checked"))
        #expect(first.stderr.split(separator: "\n").count == 1)
        #expect(first.stdout.isEmpty, "the summary is on stderr; stdout is for --json")
        let old = backups.appendingPathComponent("host-2026-10-01.tar.gz")
        let recent = backups.appendingPathComponent("host-2026-11-25.tar.gz")
        // Her newsletter is gone from both; her invoice stays (8-year duty); September's cron
        // mail is gone (past its backup retention), yesterday's stays; the log stays in the
        // recent backup only (21 days after the archive's date).
        for archive in [old, recent] {
            let names = try listing(archive)
            #expect(!names.contains("Maildir/cur/1794128400.M2P2.mx:2,S"))
            #expect(names.contains("Maildir/cur/1551777300.M1P1.mx:2,S"))
            #expect(!names.contains("Maildir/cur/1788220800.M4P4.mx:2,S"))
            #expect(names.contains("Maildir/cur/1795572005.M3P3.mx:2,S"))
        }
        #expect(try !listing(old).contains("var/log/mail.log"))
        #expect(try listing(recent).contains("var/log/mail.log"))

        // Nothing left to do: the second run changes no archive and records nothing.
        let modified = try FileManager.default.attributesOfItem(atPath: recent.path)[.modificationDate] as? Date
        let oldBytes = try Data(contentsOf: old)
        let events = try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count
        let second = try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path])
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 items removed from 0 archives"), "\(second.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: recent.path)[.modificationDate] as? Date == modified)
        // The old backup's logs are past their days, but it holds none any more: not rewritten.
        #expect(try Data(contentsOf: old) == oldBytes)
        #expect(try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count == events)
        #expect(try box.run(["ledger", "verify"]).status == 0)
    }

    @Test func expiresWholeArchivesAndWritesMetrics() throws {
        let box = try Sandbox()
        let backups = try makeBackups(box)
        let metrics = box.dir.url.appendingPathComponent("privctl.prom").path
        // A dry run names the archive --max-age would delete, and deletes nothing.
        let dry = try box.run(["scrub", "--dry-run", "--at", "2026-11-26", "--max-age", "30", "--all", backups.path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.hasPrefix("would delete  \(backups.path)/host-2026-10-01.tar.gz  dated 2026-10-01, 56 days old, "))
        #expect(dry.stderr.contains("1 archive would be deleted past --max-age"))
        let dryJSON = try box.run(["scrub", "--dry-run", "--json", "--at", "2026-11-26", "--max-age", "30", "--all", backups.path])
        #expect(dryJSON.stdout.contains("\"deletedPastMaxAge\":\"2026-10-01\""), "\(dryJSON.stdout)")
        #expect(FileManager.default.fileExists(atPath: backups.appendingPathComponent("host-2026-10-01.tar.gz").path))

        let result = try box.run(["scrub", "--at", "2026-11-26", "--max-age", "30", "--metrics", metrics, "--all", backups.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("deleted  \(backups.path)/host-2026-10-01.tar.gz"))
        #expect(result.stderr.contains("privctl scrub: 2 archives checked, "))
        #expect(result.stderr.contains("1 archive deleted past --max-age, 0 errors, "))
        #expect(!FileManager.default.fileExists(atPath: backups.appendingPathComponent("host-2026-10-01.tar.gz").path))
        #expect(FileManager.default.fileExists(atPath: backups.appendingPathComponent("host-2026-11-25.tar.gz").path))
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("# TYPE privctl_scrub_archives_checked gauge\nprivctl_scrub_archives_checked 2.0"))
        #expect(text.contains("privctl_scrub_archives_expired 1.0"))
        #expect(text.contains("privctl_scrub_errors 0.0"))
        let expiry = try box.run(["ledger", "show", "--json", "--category", "backup-archive"])
        #expect(expiry.stdout.contains("host-2026-10-01.tar.gz"))
    }

    /// The scrub index: a night with nothing new reads no archive; a new request, a changed
    /// archive, a day on which something in it becomes due, or --full make it read again.
    @Test func aNightWithNothingNewReadsNoArchive() throws {
        let box = try Sandbox()
        let backups = try makeBackups(box)
        let old = backups.appendingPathComponent("host-2026-10-01.tar.gz")
        let recent = backups.appendingPathComponent("host-2026-11-25.tar.gz")
        func scrub(_ day: String, _ extra: [String] = []) throws -> ChildProcess.Result {
            let result = try box.run(["scrub", "--json", "--at", day] + extra + ["--all", backups.path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            return result
        }
        // The first scrub rewrites both (September's cron mail, October's log) and records the
        // files it committed; the second reads none (issue 17: a scrub that changed archives is
        // not followed by a night that reads them all again).
        #expect(try scrub("2026-11-26").stderr.hasPrefix("privctl scrub: 2 archives checked, "))
        let quiet = try scrub("2026-11-26")
        #expect(quiet.stderr.hasPrefix("privctl scrub: 2 archives checked (2 unchanged since their last scrub, not read), "))
        #expect(quiet.stdout.contains("\"unchangedSince\":\"2026-11-26\""))
        // The recent backup's mail log passes its 21 days on 2026-12-17: read then, not before.
        #expect(quiet.stdout.contains("\"nextDue\":\"2026-12-17\""), "\(quiet.stdout)")
        #expect(try scrub("2026-12-16").stderr.contains("(2 unchanged since their last scrub, not read)"))
        #expect(try listing(recent).contains("var/log/mail.log"))
        let due = try scrub("2026-12-17")
        #expect(!due.stderr.contains("(2 unchanged"), "\(due.stderr)")
        #expect(try !listing(recent).contains("var/log/mail.log"))

        // Writing an archive again, even with its old bytes and modification time, changes its
        // status-change time: it is read again.
        let modified = try FileManager.default.attributesOfItem(atPath: old.path)[.modificationDate] as! Date
        try Data(contentsOf: old).write(to: old)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: old.path)
        _ = try scrub("2026-12-17")  // the rewritten recent archive, and the changed old one
        #expect(try scrub("2026-12-17").stderr.contains("(2 unchanged since their last scrub, not read)"))
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: old.path)
        #expect(try scrub("2026-12-17").stderr.contains("(1 unchanged since their last scrub, not read)"))

        // --full reads every archive; a dry run reads them all and records nothing.
        #expect(try scrub("2026-12-17", ["--full"]).stderr.hasPrefix("privctl scrub: 2 archives checked, "))
        #expect(try scrub("2026-12-17", ["--dry-run"]).stderr.hasPrefix("privctl scrub (dry run): 2 archives checked, "))
        #expect(try scrub("2026-12-17").stderr.contains("(2 unchanged since their last scrub, not read)"))

        // A new erasure request for someone no archive names reads none; one for someone they
        // name reads them, and her mail goes.
        try box.dir.write("live/Maildir/cur/1551777300.M9P9.mx:2,S", "From: bob@example.net\r\nSubject: x\r\n\r\nhi\r\n")
        #expect(try box.run(["erase", "--subject", "bob@example.net", box.dir.url.appendingPathComponent("live").path]).status == 0)
        #expect(try scrub("2026-12-17").stderr.contains("(2 unchanged since their last scrub, not read)"))
        #expect(try scrub("2026-12-17").stderr.contains("(2 unchanged since their last scrub, not read)"))
        try box.dir.write("live/Maildir/cur/1551777301.M8P8.mx:2,S", "From: alice@example.org\r\nSubject: y\r\n\r\nhi\r\n")
        #expect(try box.run(["erase", "--subject", "alice@example.org", box.dir.url.appendingPathComponent("live").path]).status == 0)
        let hers = try scrub("2026-12-17")
        #expect(hers.stderr.hasPrefix("privctl scrub: 2 archives checked, "), "\(hers.stderr)")
        for archive in [old, recent] {
            #expect(try !listing(archive).contains("Maildir/cur/1794128400.M2P2.mx:2,S"))
            #expect(try listing(archive).contains("Maildir/cur/1551777300.M1P1.mx:2,S"))  // her invoice: a duty
        }
    }

    /// An archive without members (a scrub erased all it held) is left alone night after
    /// night, also once its server-log days are over, and does not fail the others.
    @Test func anEmptyArchiveIsLeftAlone() throws {
        let box = try Sandbox()
        let backups = try makeBackups(box)
        try ChildProcess.check(["tar", "-czf", "backups/empty-2026-10-02.tar.gz", "-T", "/dev/null"], in: box.dir.url)
        let empty = backups.appendingPathComponent("empty-2026-10-02.tar.gz")
        let bytes = try Data(contentsOf: empty)
        for _ in 0..<2 {
            let result = try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("0 errors"))
        }
        #expect(try Data(contentsOf: empty) == bytes)
        #expect(try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path]).stderr.contains("(3 unchanged since their last scrub, not read)"))
    }

    /// A request on record knows her only by pseudonym; the scrub still finds her where a search
    /// for her plain address would: a forwarded original's header, a delivery report, a
    /// subaddress, an encoded display name, `&#64;` in HTML and `%40` in a mailto link.
    @Test func requestsReachEveryFormOfTheAddress() throws {
        let box = try Sandbox()
        let newsletter = "From: News <news@shop.example>\r\nTo: info@muster-hosting.de\r\nDate: Mon, 02 Nov 2026 10:00:00 +0100\r\n"
        let forms: [(String, String)] = [
            ("1", "Subject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsiehe unten\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: Frieda <frieda@web.de>\r\nSubject: x\r\n\r\nhallo\r\n--b--\r\n"),
            ("2", "Subject: Report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nundeliverable\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; frieda@web.de\r\nAction: failed\r\n--b--\r\n"),
            ("3", "Subject: Sub\r\nReply-To: frieda+shop@web.de\r\n\r\nhallo\r\n"),
            ("4", "Subject: Enc\r\nCc: =?utf-8?q?frieda=40web=2Ede?= <office@else.example>\r\n\r\nhallo\r\n"),
            ("5", "Subject: Html\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>frieda&#64;web.de</p>\r\n"),
            ("6", "Subject: Link\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<a href=\"mailto:%3Cfrieda%2Bnews%40web.de%3E\">mail</a>\r\n"),
            ("7", "Subject: Data\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsiehe Anhang\r\n--b\r\nContent-Type: application/json\r\nContent-Transfer-Encoding: base64\r\n\r\neyJlbWFpbCI6ICJmcmllZGFAd2ViLmRlIn0=\r\n--b--\r\n"),
        ]
        for (n, rest) in forms { try box.dir.write("tree/Maildir/cur/179412840\(n).M\(n)P\(n).mx:2,S", newsletter + rest) }
        // Bytes that do not parse as a message (a stray ">From " line before the header).
        try box.dir.write("tree/Maildir/cur/1794128408.M8P8.mx:2,S", ">From frieda@web.de Tue Nov 17 10:00:00 2026\r\n" + newsletter + "Subject: Broken\r\n\r\nhallo\r\n")
        try box.dir.write("tree/Maildir/cur/1794128409.M9P9.mx:2,S", newsletter + "Subject: Other\r\n\r\nnobody here\r\n")
        try box.dir.mkdir("backups")
        try ChildProcess.check(["tar", "-czf", "backups/host-2026-11-25.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        let backups = box.dir.url.appendingPathComponent("backups")
        #expect(try box.run(["request", "erase", "--subject", "frieda@web.de"]).status == 0)
        let result = try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try listing(backups.appendingPathComponent("host-2026-11-25.tar.gz"))
        for n in forms.map(\.0) + ["8"] { #expect(!names.contains("Maildir/cur/179412840\(n).M\(n)P\(n).mx:2,S"), "form \(n)") }
        #expect(names.contains("Maildir/cur/1794128409.M9P9.mx:2,S"))
    }
}
