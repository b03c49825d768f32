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
        let events = try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count
        let second = try box.run(["scrub", "--at", "2026-11-26", "--all", backups.path])
        #expect(second.status == 0)
        #expect(second.stderr.contains("0 items removed"))
        #expect(try FileManager.default.attributesOfItem(atPath: recent.path)[.modificationDate] as? Date == modified)
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
}
