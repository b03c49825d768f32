import Foundation
import TestSupport
import Testing

/// Fleet requests: recorded once, carried out by each host on its own mail.
@Suite struct RequestCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func eachHostAppliesTheRequestAndTheListShowsWhoIsDone() throws {
        let box = try Sandbox()
        try box.dir.write("mx1/Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("mx2/Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        let mx1 = box.dir.url.appendingPathComponent("mx1/Maildir").path
        let mx2 = box.dir.url.appendingPathComponent("mx2/Maildir").path

        let recorded = try box.run(["request", "erase", "--subject", "alice@example.org", "--received", "2026-10-01"],
                                   environment: ["PRIVCTL_HOST": "office"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let id = recorded.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36)

        // Nobody has carried it out and the deadline (2026-11-01) has passed.
        let before = try box.run(["request", "list", "--at", "2026-11-26"])
        #expect(before.status == 5)
        #expect(before.stdout.contains("OVERDUE"))

        // Each mail server applies it to its own mail; the address itself never travels.
        let first = try box.run(["apply", "--json", mx1], environment: ["PRIVCTL_HOST": "mx1"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mx1 + "/cur/1794128400.M2P2.mx:2,S"))
        let second = try box.run(["apply", mx2], environment: ["PRIVCTL_HOST": "mx2"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("BLOCKED"))
        let office = try box.run(["apply", box.dir.url.appendingPathComponent("mx1").path], environment: ["PRIVCTL_HOST": "office"])
        #expect(office.status == 0)

        let after = try box.run(["request", "list", "--json", "--at", "2026-11-26"])
        #expect(after.status == 0, "\(after.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        #expect(object["id"] as? String == id)
        #expect(object["overdue"] as? Bool == false)
        let hosts = try #require(object["hosts"] as? [String: String])
        #expect(hosts["mx1"] == "done")
        #expect(hosts["mx2"] == "blocked in part until 2027-12-31")
        #expect(hosts["office"] == "done")

        // Running apply again finds nothing and records nothing new.
        let count = try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count
        #expect(try box.run(["apply", mx1], environment: ["PRIVCTL_HOST": "mx1"]).status == 0)
        #expect(try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count == count)

        // A second apply on mx2 finds nothing new because the invoice is blocked, not gone: the
        // request stays blocked in part there, and nothing is recorded.
        #expect(try box.run(["apply", mx2], environment: ["PRIVCTL_HOST": "mx2"]).status == 0)
        #expect(try box.run(["ledger", "show", "--json"]).stdout.split(separator: "\n").count == count)
        #expect(try box.run(["request", "list", "--json"]).stdout.contains("\"mx2\":\"blocked in part until 2027-12-31\""))

        // When the duty ends, expire erases the blocked invoice, and mx2 is done too.
        let expired = try box.run(["expire", "--at", "2028-01-01", mx2], environment: ["PRIVCTL_HOST": "mx2"])
        #expect(expired.status == 0, "\(expired.stdout)\(expired.stderr)")
        let later = try box.run(["request", "list", "--json", "--at", "2028-01-01"])
        #expect(later.stdout.contains("\"mx2\":\"done\""), "\(later.stdout)")
    }

    /// The nightly jobs carry out requests too: `expire` on live mail, `scrub` on backups; each
    /// records its host's result once, and the next night adds nothing.
    @Test func expireAndScrubCarryOutRequestsAndRecordThemOnce() throws {
        let box = try Sandbox()
        try box.dir.write("mx1/Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("tree/Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("tree/Maildir/cur/1794128401.M5P5.mx:2,S", SampleMail.newsletter(n: 4))
        try box.dir.mkdir("backups")
        try ChildProcess.check(["tar", "-czf", "backups/mx1-2026-11-25.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        let mx1 = box.dir.url.appendingPathComponent("mx1/Maildir").path
        let backups = box.dir.url.appendingPathComponent("backups").path

        #expect(try box.run(["request", "erase", "--subject", "alice@example.org"], environment: ["PRIVCTL_HOST": "office"]).status == 0)
        let expire = try box.run(["expire", mx1], environment: ["PRIVCTL_HOST": "mx1"])
        #expect(expire.status == 0, "\(expire.stdout)\(expire.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mx1 + "/cur/1794128400.M2P2.mx:2,S"))
        let scrub = try box.run(["scrub", "--all", backups], environment: ["PRIVCTL_HOST": "backup1"])
        #expect(scrub.status == 0, "\(scrub.stdout)\(scrub.stderr)")

        let list = try box.run(["request", "list", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let hosts = try #require(object["hosts"] as? [String: String])
        #expect(hosts["mx1"] == "done")
        #expect(hosts["backup1"] == "done")

        let count = try box.run(["ledger", "show", "--json", "--kind", "request"]).stdout.split(separator: "\n").count
        #expect(try box.run(["expire", mx1], environment: ["PRIVCTL_HOST": "mx1"]).status == 0)
        #expect(try box.run(["scrub", "--all", backups], environment: ["PRIVCTL_HOST": "backup1"]).status == 0)
        #expect(try box.run(["ledger", "show", "--json", "--kind", "request"]).stdout.split(separator: "\n").count == count)
    }

    /// A request that failed on a locked mailbox moves forward when a later apply gets through;
    /// overdue means "not answered by the deadline", failed or outstanding.
    @Test(.enabled(if: ChildProcess.isInstalled("python3"))) func aFailedRequestBecomesDoneWhenALaterApplyGetsThrough() throws {
        let box = try Sandbox()
        let mbox = try box.dir.write(
            "mail/erna", "From erna@gmx.de Sat Nov 14 19:30:00 2026\n" + SampleMail.personal(from: "erna@gmx.de") + "\n")
        let recorded = try box.run([
            "request", "erase", "--subject", "erna@gmx.de", "--received", "2026-11-01", "--reference", "T-4711",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        // A mail client holds the mbox (fcntl, as Dovecot and mutt lock) while apply runs.
        let holder = try ChildProcess.start("python3", [
            "-c", "import fcntl, sys, time; f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
            mbox.path,
        ])
        #expect(holder.waitForOutput("locked"))
        let locked = try box.run(["apply", "--lock-timeout", "0.3", mbox.path])
        #expect(locked.status == 4, "\(locked.stdout)\(locked.stderr)")
        #expect(locked.stderr.contains("skipped: "))
        let failed = try box.run(["request", "list", "--json", "--at", "2026-12-06"])
        #expect(failed.status == 5, "a failed request past its deadline is overdue: \(failed.stdout)")
        #expect(failed.stdout.contains("\"test-host\":\"failed: "))
        #expect(failed.stdout.contains("\"reference\":\"T-4711\""))
        // Filters: by person (through the pseudonym), and overdue only.
        #expect(try box.run(["request", "list", "--subject", "erna@gmx.de"]).stdout.contains("reference T-4711"))
        let nobody = try box.run(["request", "list", "--subject", "otto@example.org"])
        #expect(nobody.stdout.isEmpty && nobody.status == 0)
        #expect(try box.run(["request", "list", "--overdue", "--at", "2026-11-15"]).stdout.isEmpty)

        holder.signal(SIGKILL)
        holder.wait()
        let applied = try box.run(["apply", mbox.path])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(!(try String(contentsOf: mbox, encoding: .utf8)).contains("erna@gmx.de"))
        let done = try box.run(["request", "list", "--json", "--at", "2026-12-06"])
        #expect(done.status == 0, "\(done.stdout)")
        #expect(done.stdout.contains("\"test-host\":\"done\""))
        #expect(done.stdout.contains("\"overdue\":false"))
        // Done stays done: another apply records nothing.
        let events = try box.eventCount()
        #expect(try box.run(["apply", mbox.path]).status == 0)
        #expect(try box.eventCount() == events)
    }

    @Test func aReferenceHoldsNoAddressAndARequestDoesNotArriveInTheFuture() throws {
        let box = try Sandbox()
        let address = try box.run(["request", "erase", "--subject", "a@example.org", "--reference", "alice@example.org"])
        #expect(address.status == 1)
        #expect(address.stderr.contains("--reference must not hold an e-mail address"))
        let future = try box.run(["request", "erase", "--subject", "a@example.org", "--received", "2999-01-01"])
        #expect(future.status == 1)
        #expect(future.stderr.contains("--received 2999-01-01 is after today"))
        #expect(try box.run(["request", "list", "--json"]).stdout.isEmpty)
    }
}
