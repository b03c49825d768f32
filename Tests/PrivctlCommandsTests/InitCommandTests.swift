import Foundation
import TestSupport
import Testing

/// Only `privctl init` (or a first classify at a terminal with nothing configured) creates a
/// ledger and a key; every other command refuses a missing one in one line, and makes nothing.
@Suite struct InitCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    static let commands: [[String]] = [
        ["classify", "MAILDIR"],
        ["erase", "--subject", "alice@example.org", "MAILDIR"], ["block", "--subject", "alice@example.org", "MAILDIR"],
        ["unblock", "--subject", "alice@example.org", "MAILDIR"], ["expire", "MAILDIR"], ["apply", "MAILDIR"],
        ["scrub", "BACKUPS"], ["hold", "--list"], ["request", "list"], ["request", "erase", "--subject", "alice@example.org"],
        ["report", "--subject", "alice@example.org"], ["ledger", "show"], ["ledger", "verify"],
    ]

    @Test(arguments: commands)
    func aMistypedLedgerIsRefusedAndNotCreated(_ command: [String]) throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        _ = try box.dir.write("backups/.keep", "")
        let typo = box.dir.url.appendingPathComponent("var/lib/privctl/ledgr.sqlite").path
        let arguments = command.map { $0 == "MAILDIR" ? maildir : $0 == "BACKUPS" ? box.dir.url.appendingPathComponent("backups").path : $0 }
        let result = try box.run(arguments, environment: ["PRIVCTL_LEDGER": typo])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no ledger (from $PRIVCTL_LEDGER)") && result.stderr.contains("privctl init"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.dir.url.appendingPathComponent("var").path))
        // Nothing in the store changed either.
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir + "/cur").count == 2)
    }

    @Test func aMissingKeyIsRefusedWithWhereItWasLookedFor() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let result = try box.run(["classify", maildir], environment: ["PRIVCTL_KEY": box.dir.url.appendingPathComponent("nokey").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no pseudonym key (from $PRIVCTL_KEY)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.dir.url.appendingPathComponent("nokey").path))
    }

    @Test func initCreatesOnceThenChangesNothing() throws {
        let box = try Sandbox(setUp: false)
        let first = try box.run(["init", "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect((object["created"] as? [String])?.count == 2)
        let ledger = box.dir.url.appendingPathComponent(".local/share/privctl/ledger.sqlite").path
        #expect((try FileManager.default.attributesOfItem(atPath: ledger)[.posixPermissions] as? Int) == 0o600)
        let again = try box.run(["init"])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("already set up"), "\(again.stdout)")
        #expect(try box.run(["ledger", "verify"]).stdout.contains("ledger intact: 0 events"))
    }

    @Test func anotherKeyReplacesTheHostsOnlyWithForceAndTheOldOneIsKept() throws {
        let box = try Sandbox()
        let other = try Sandbox()
        let exported = other.dir.url.appendingPathComponent("other.key").path
        #expect(try other.run(["key", "export", exported]).status == 0)
        #expect(try box.run(["key", "import", exported]).status == 1)
        let own = try box.run(["key", "show"]).stdout.prefix(16)
        #expect(try box.run(["key", "import", "--force", exported]).status == 0)
        #expect(FileManager.default.fileExists(
            atPath: box.dir.url.appendingPathComponent(".local/share/privctl/pseudonym.key.\(own).replaced").path))
        // Its ledger was written with the old key: it refuses the new one.
        let refused = try box.run(["ledger", "show"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("privctl key export/import"))
    }
}
