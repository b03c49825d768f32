import Foundation
import PrivacyEvents
import TestSupport
import Testing

/// `privctl erase`, `block`, `unblock`, `expire` and `hold` as users run them.
@Suite struct EraseCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    func maildir(_ box: Sandbox) throws -> String {
        try box.dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        try box.dir.write("Maildir/cur/1794128400.M2P2.mx:2,S", SampleMail.personal(from: "alice@gmx.de").replacingOccurrences(of: "Anna Muster <anna@beispiel-gmbh.de>", with: "alice@example.org"))
        try box.dir.write("Maildir/cur/1794128401.M3P3.mx:2,S", SampleMail.newsletter(n: 1))
        return box.dir.url.appendingPathComponent("Maildir").path
    }

    @Test func dryRunShowsWhatAndWhyAndChangesNothing() throws {
        let box = try Sandbox()
        let path = try maildir(box)
        let result = try box.run(["erase", "--dry-run", "--subject", "alice@example.org", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dry run: nothing was changed"))
        #expect(result.stdout.contains("WOULD BLOCK  "))
        #expect(result.stdout.contains("legal retention duty until 2027-12-31"))
        #expect(result.stdout.contains("WOULD ERASE  "))
        #expect(!result.stdout.contains("ERASED") && !result.stdout.contains("BLOCKED"))
        #expect(FileManager.default.fileExists(atPath: path + "/cur/1794128400.M2P2.mx:2,S"))
        #expect(!FileManager.default.fileExists(atPath: box.dir.url.appendingPathComponent(".privctl-blocked").path))
    }

    @Test func eraseWritesAJSONReceiptWithTheDocumentedKeys() throws {
        let box = try Sandbox()
        let path = try maildir(box)
        let result = try box.run(["erase", "--json", "--subject", "alice@example.org", path])
        #expect(result.status == 0, "\(result.stderr)")
        let receipt = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(receipt["requestId"] is String)
        #expect(receipt["requestTime"] is String)
        #expect((receipt["subjects"] as? [String])?.first?.count == 64)
        let items = try #require(receipt["items"] as? [[String: Any]])
        #expect(items.count == 2)
        for item in items {
            for key in ["path", "action", "category", "retainUntil", "reason", "legalBasis", "sha256", "eventId"] {
                #expect(item.keys.contains(key), "\(key)")
            }
        }
        #expect((receipt["verification"] as? [String: Any])?["passed"] as? Bool == true)
        #expect(!result.stdout.contains("alice@example.org"))
        // The ledger verifies, and shows for her pseudonym the request, the block and erase
        // events, and the record that this host carried the request out.
        #expect(try box.run(["ledger", "verify"]).status == 0)
        let shown = try box.run(["ledger", "show", "--subject", "alice@example.org", "--json"])
        #expect(shown.stdout.split(separator: "\n").count == 4)
        #expect(shown.stdout.contains("\"action\":\"carried-out\""))
        #expect(shown.stdout.contains("\"result\":\"blocked-until:2027-12-31\""))
    }

    @Test func badInputIsAOneLineErrorAndChangesNothing() throws {
        let box = try Sandbox()
        let path = try maildir(box)
        let notAnAddress = try box.run(["erase", "--subject", "alice", path])
        #expect(notAnAddress.status == 64)
        #expect(notAnAddress.stderr.contains("\"alice\" is not one e-mail address"))
        let missing = try box.run(["erase", "--subject", "alice@example.org", path + "-nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "privctl: error: \(path)-nope: no such file or directory\n")
        let nothing = try box.run(["erase", path])
        #expect(nothing.status == 64)
        #expect(FileManager.default.fileExists(atPath: path + "/cur/1794128400.M2P2.mx:2,S"))
        #expect(try box.eventCount() == 0, "nothing was recorded")
    }

    @Test func holdThenReleaseThenErase() throws {
        let box = try Sandbox()
        let path = try maildir(box)
        let placed = try box.run(["hold", "--subject", "alice@example.org", "--reason", "Klage 2 O 123/26"])
        #expect(placed.status == 0)
        let id = try #require(placed.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let held = try box.run(["erase", "--subject", "alice@example.org", path])
        #expect(held.stdout.contains("2 held"))
        #expect(held.stdout.contains("Klage 2 O 123/26"))
        #expect(try box.run(["hold", "--list"]).stdout.contains(id))
        #expect(try box.run(["hold", "--release", id]).status == 0)
        #expect(try box.run(["hold", "--list"]).stderr.contains("no legal hold in force"))
        let erased = try box.run(["erase", "--subject", "alice@example.org", path])
        #expect(erased.stdout.contains("1 blocked, 1 erased"))
        #expect(try box.run(["hold", "--release", "nope"]).status == 1)
    }

    @Test func expireErasesBlockedMailOnceItsDutyHasEnded() throws {
        let box = try Sandbox()
        let path = try maildir(box)
        #expect(try box.run(["erase", "--subject", "alice@example.org", path]).status == 0)
        let blocked = box.dir.url.appendingPathComponent(".privctl-blocked/Maildir/cur/1551777300.M1P1.mx:2,S").path
        #expect(FileManager.default.fileExists(atPath: blocked))
        let early = try box.run(["expire", "--at", "2027-12-31", "--json", path])
        #expect(early.status == 0)
        #expect(FileManager.default.fileExists(atPath: blocked))
        let due = try box.run(["expire", "--at", "2028-01-01", path])
        #expect(due.status == 0, "\(due.stderr)")
        #expect(due.stdout.contains("blocked until 2027-12-31"))
        #expect(!FileManager.default.fileExists(atPath: blocked))
    }

    /// Dovecot's lazy_expunge plugin keeps expunged mail in a folder of the same Maildir
    /// (`.EXPUNGED`, or the namespace the configuration names): it is searched and erased like
    /// every other folder, not left as a copy of what the person asked to erase.
    @Test func aLazyExpungeFolderIsSearchedLikeAnyOther() throws {
        let box = try Sandbox()
        try box.dir.write("Maildir/cur/1794128400.M2P2.mx:2,S", SampleMail.newsletter(n: 2))
        let kept = try box.dir.write("Maildir/.EXPUNGED/cur/1795201200.M4P4.mx:2,S", SampleMail.personal(from: "erna@gmx.de"))
        try box.dir.write("Maildir/.EXPUNGED/maildirfolder", "")
        let erased = try box.run(["erase", "--subject", "erna@gmx.de", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(erased.status == 0, "\(erased.stdout)\(erased.stderr)")
        #expect(erased.stdout.contains("/.EXPUNGED/cur/1795201200.M4P4.mx:2,S"))
        #expect(!FileManager.default.fileExists(atPath: kept.path))
    }

    /// Her address as a subaddress, HTML-escaped in an HTML part, or percent-encoded in a link:
    /// all hers (issue 15); a neighbour's address is not.
    @Test func subaddressesAndEncodedFormsAreFound() throws {
        let box = try Sandbox()
        func message(_ n: Int, _ body: String, type: String = "text/plain") -> String {
            "From: shop@news.example\r\nTo: list@news.example\r\nSubject: n\(n)\r\nDate: Mon, 02 Nov 2026 08:00:00 +0000\r\n"
                + "Message-ID: <n\(n)@news.example>\r\nContent-Type: \(type); charset=utf-8\r\n\r\n\(body)\r\n"
        }
        try box.dir.write("Maildir/cur/1794128401.M1P1.mx:2,S", message(1, "Bestellung für alice+shop@example.org"))
        try box.dir.write("Maildir/cur/1794128402.M2P2.mx:2,S", message(2, "<p>Abmelden: alice&#64;example.org</p>", type: "text/html"))
        try box.dir.write("Maildir/cur/1794128403.M3P3.mx:2,S", message(3, "<a href=\"https://x.example/u?m=alice%40example.org\">ab</a>", type: "text/html"))
        try box.dir.write("Maildir/cur/1794128404.M4P4.mx:2,S", message(4, "Für malice%40example.org und jim+alice@example.org"))
        let maildir = box.dir.url.appendingPathComponent("Maildir").path
        // --exact-address: the subaddress is not hers; the receipt names how each was found.
        let exact = try box.run(["erase", "--dry-run", "--exact-address", "--subject", "alice@example.org", maildir])
        #expect(exact.status == 0, "\(exact.stderr)")
        #expect(!exact.stdout.contains("1794128401.M1P1") && exact.stdout.contains("1794128402.M2P2"), "\(exact.stdout)")
        let preview = try box.run(["erase", "--dry-run", "--subject", "alice@example.org", maildir])
        #expect(preview.stdout.contains("found in: text part 1 (text/plain) (as a subaddress)"), "\(preview.stdout)")
        let result = try box.run(["erase", "--json", "--subject", "alice@example.org", maildir])
        #expect(result.status == 0, "\(result.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur")
        #expect(left == ["1794128404.M4P4.mx:2,S"], "\(left)")
    }
}
