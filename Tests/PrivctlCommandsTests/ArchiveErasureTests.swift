import Foundation
import PrivacyEvents
import TestSupport
import Testing

/// Backups: classify and erase inside archives made by the system's tar and bsdtar, checked
/// with the same tools.
@Suite struct ArchiveErasureTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// A backup tree: alice's invoice (8-year duty), her newsletter, an mbox with one message of
    /// hers between two others, and unrelated mail.
    func makeBackupTree(_ box: Sandbox) throws {
        try box.dir.write("tree/Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        try box.dir.write("tree/Maildir/.Newsletter/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("tree/Maildir/.Newsletter/maildirfolder", "")
        try box.dir.write("tree/Maildir/cur/1794128401.M3P3.mx:2,S", SampleMail.cron(n: 9))
        let mbox = [SampleMail.cron(n: 1), SampleMail.personal(from: "alice@gmx.de").replacingOccurrences(of: "Anna Muster <anna@beispiel-gmbh.de>", with: "alice@example.org"), SampleMail.newsletter(n: 2)]
            .enumerated().map { "From x\($0.offset)@example.org Thu Jan  1 10:00:00 2026\n" + $0.element }.joined(separator: "\n")
        try box.dir.write("tree/mail/anna", mbox)
        try box.dir.write("tree/var/log/mail.log", "Nov 20 03:00:01 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n")
    }

    @Test(arguments: [("backup-2026-11-20.tar.gz", ["tar", "-czf"]), ("backup-2026-11-20.zip", ["bsdtar", "--format", "zip", "-cf"]),
                      ("backup-2026-11-20.tar.xz", ["tar", "-cJf"])])
    func classifyNamesArchiveAndMember(name: String, create: [String]) throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(create + [name, "-C", "tree", "Maildir", "mail", "var"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent(name).path
        let result = try box.run(["classify", "--json", "--no-record", archive])
        #expect(result.status == 0, "\(result.stderr)")
        let paths = result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["path"] as? String
        }
        #expect(paths.count == 6)
        #expect(paths.contains(archive + "!Maildir/cur/1551777300.M1P1.mx:2,S"))
        #expect(paths.contains(archive + "!mail/anna#1"))
        #expect(!paths.contains { $0.contains("mail.log") })
        // And a directory of backups works like a store.
        let dir = try box.run(["classify", "--no-record", box.dir.url.path])
        #expect(dir.stdout.contains("total"))
    }

    @Test func eraseRemovesHerMailFromATarGzAndKeepsEverythingElse() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir", "mail", "var"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent("b.tar.gz").path
        let before = try ChildProcess.check(["tar", "-tvzf", "b.tar.gz"], in: box.dir.url)
        let result = try box.run(["erase", "--json", "--subject", "alice@example.org", archive])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let receipt = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(receipt["items"] as? [[String: Any]])
        let actions = Dictionary(uniqueKeysWithValues: items.map { ($0["path"] as! String, $0["action"] as! String) })
        #expect(actions[archive + "!Maildir/cur/1551777300.M1P1.mx:2,S"] == "blocked")
        #expect(actions[archive + "!Maildir/.Newsletter/cur/1794128400.M2P2.mx:2,S"] == "erased")
        #expect(actions[archive + "!mail/anna#1"] == "erased")
        let report = try #require((receipt["archives"] as? [[String: Any]])?.first)
        #expect(report["rewritten"] as? Bool == true)
        #expect(report["membersRemoved"] as? [String] == ["Maildir/.Newsletter/cur/1794128400.M2P2.mx:2,S"])
        #expect(report["membersCut"] as? [String] == ["mail/anna"])
        #expect((receipt["verification"] as? [String: Any])?["passed"] as? Bool == true)

        // The system tools read the new archive; it lists the same members minus one, with the
        // same modes, owners and times.
        try ChildProcess.check(["gzip", "-t", "b.tar.gz"], in: box.dir.url)
        let after = try ChildProcess.check(["tar", "-tvzf", "b.tar.gz"], in: box.dir.url)
        var expected = before.split(separator: "\n").filter { !$0.contains("1794128400.M2P2") }
        let mboxLine = try #require(expected.firstIndex { $0.hasSuffix("mail/anna") })
        let afterLines = after.split(separator: "\n")
        #expect(afterLines.count == expected.count)
        expected.remove(at: mboxLine)
        #expect(afterLines.filter { !$0.hasSuffix("mail/anna") } == expected)
        // Extracted, the mbox holds the two other messages, byte for byte.
        try box.dir.mkdir("x")
        try ChildProcess.check(["tar", "-xzf", "b.tar.gz", "-C", "x"], in: box.dir.url)
        let mbox = try String(contentsOf: box.dir.url.appendingPathComponent("x/mail/anna"), encoding: .utf8)
        #expect(mbox == "From x0@example.org Thu Jan  1 10:00:00 2026\n" + SampleMail.cron(n: 1) + "\n"
            + "From x2@example.org Thu Jan  1 10:00:00 2026\n" + SampleMail.newsletter(n: 2))
        #expect(try String(contentsOf: box.dir.url.appendingPathComponent("x/var/log/mail.log"), encoding: .utf8).contains("192.0.2.1"))
        // Ledger: an erase event per removed message naming archive and member, a block event for the invoice.
        let events = try box.run(["ledger", "show", "--json", "--kind", "erase", "--kind", "block"])
        #expect(events.stdout.contains("b.tar.gz"))
        #expect(events.stdout.contains("!mail/anna#1"))
        #expect(try box.run(["ledger", "verify"]).status == 0)
    }

    @Test func anArchiveWithNothingToRemoveIsLeftAlone() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent("b.tar.gz")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: archive.path)
        let result = try box.run(["erase", "--subject", "nobody@example.org", archive.path])
        #expect(result.status == 0)
        let modified = try FileManager.default.attributesOfItem(atPath: archive.path)[.modificationDate] as? Date
        #expect(modified == Date(timeIntervalSince1970: 1_700_000_000))
    }

    /// An erase killed after renaming its copy over the archive leaves its private directory
    /// (empty by then); a later erase with nothing to remove there removes it, a dry run does
    /// not, and nothing else beside the archive goes.
    @Test func whatAKilledRewriteLeftBesideAnArchiveGoesAlsoWhenNothingIsToBeRemoved() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(["tar", "-czf", "b.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent("b.tar.gz")
        let before = try Data(contentsOf: archive)
        let leftover = box.dir.url.appendingPathComponent(".b.tar.gz.privctl-KILLED.tmp")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try Data("half a copy".utf8).write(to: leftover.appendingPathComponent("b.tar.gz"))
        try box.dir.write(".b.tar.gz.notes", "the operator's own file")
        // Named like leftovers, but not privctl's: a file others may read, and links.
        let notes = try box.dir.write(".b.tar.gz.privctl-notes.tmp", "the operator's own file")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: notes.path)
        let link = box.dir.url.appendingPathComponent(".b.tar.gz.privctl-LINK.tmp")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: notes)

        let dryRun = try box.run(["erase", "--dry-run", "--subject", "nobody@example.org", archive.path])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(FileManager.default.fileExists(atPath: leftover.path))
        let result = try box.run(["erase", "--subject", "nobody@example.org", archive.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(try Data(contentsOf: archive) == before)
        #expect(try String(contentsOf: box.dir.url.appendingPathComponent(".b.tar.gz.notes"), encoding: .utf8) == "the operator's own file")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "the operator's own file")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == notes.path)
    }

    @Test func aCorruptArchiveIsReportedAndTheOthersGoOn() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(["tar", "-czf", "good.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        try ChildProcess.check(["tar", "-czf", "bad.tar.gz", "-C", "tree", "Maildir"], in: box.dir.url)
        let bad = box.dir.url.appendingPathComponent("bad.tar.gz")
        let bytes = try Data(contentsOf: bad)
        try bytes.prefix(bytes.count / 2).write(to: bad)
        let truncated = try Data(contentsOf: bad)
        let result = try box.run(["erase", "--subject", "alice@example.org", box.dir.url.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED"))
        #expect(result.stdout.contains("bad.tar.gz"))
        #expect(try Data(contentsOf: bad) == truncated)
        #expect(result.stdout.contains("good.tar.gz"))
    }

    /// A zip whose newsletter member has a bad CRC: erase refuses it, names it and leaves it as
    /// it is; with --salvage it is rebuilt without the damaged member, which the receipt names.
    @Test func aDamagedArchiveIsLeftAloneUnlessSalvaged() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try ChildProcess.check(["bsdtar", "--format", "zip", "--options", "zip:compression=store", "-cf", "b.zip", "-C", "tree", "Maildir", "mail"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent("b.zip")
        var bytes = [UInt8](try Data(contentsOf: archive))
        // Flip a byte of the stored newsletter text: its CRC no longer matches.
        let marker = Array("Abgemeldet".utf8)
        let at = try #require((0...(bytes.count - marker.count)).first { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        bytes[at] ^= 0x20
        try Data(bytes).write(to: archive)
        let damaged = try Data(contentsOf: archive)

        let refused = try box.run(["erase", "--subject", "alice@example.org", archive.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("b.zip"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("verification: passed"))
        #expect(!refused.stdout.contains("no message found"))
        #expect(try Data(contentsOf: archive) == damaged)

        let salvaged = try box.run(["erase", "--salvage", "--subject", "alice@example.org", archive.path])
        #expect(salvaged.status == 1, "damage is never a clean run: \(salvaged.stdout)")
        #expect(salvaged.stdout.contains("1794128400.M2P2.mx"), "the damaged member is named: \(salvaged.stdout)")
        let listing = try ChildProcess.check(["bsdtar", "-tf", "b.zip"], in: box.dir.url)
        #expect(!listing.contains("1794128400.M2P2.mx"))
        #expect(listing.contains("1794128401.M3P3.mx"))
        try ChildProcess.check(["bsdtar", "-xOf", "b.zip"], in: box.dir.url)
    }

    /// Exit status 3: the verification after acting found a difference. Her address also stands
    /// in a member that is not mail (notes.txt): her mail is removed, and the run says that the
    /// address remains, on stdout, on stderr and in its status.
    @Test func anAddressLeftInAMemberThatIsNotMailFailsTheVerification() throws {
        let box = try Sandbox()
        try makeBackupTree(box)
        try box.dir.write("tree/notes.txt", "Rückruf bei alice@example.org wegen der Rechnung.\n")
        try ChildProcess.check(["tar", "-czf", "backup-2026-11-20.tar.gz", "-C", "tree", "Maildir", "mail", "notes.txt"], in: box.dir.url)
        let archive = box.dir.url.appendingPathComponent("backup-2026-11-20.tar.gz").path
        let result = try box.run(["erase", "--subject", "alice@example.org", archive])
        #expect(result.status == 3, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("verification: FAILED"))
        #expect(result.stderr.contains("privctl: warning: verification: "), "\(result.stderr)")
        #expect(result.stdout.contains("the address still occurs in 1 member(s) that are not mail privctl can remove: notes.txt"))
        let members = try ChildProcess.check(["tar", "-tzf", archive])
        #expect(members.contains("notes.txt"))
        #expect(!members.contains(".Newsletter/cur/1794128400.M2P2.mx:2,S"))
    }
}
