import Foundation
import TestSupport
import Testing

/// The `privctl` executable, run as users run it: arguments in, stdout, stderr and status out.
@Suite struct PrivctlCommandTests {
    typealias Result = ChildProcess.Result

    /// The built `privctl` beside the test bundle.
    static let executable: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // macOS puts the binary next to the .xctest bundle, Linux next to the test executable.
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("privctl")
    }()

    final class Sandbox {
        let dir: TemporaryDirectory
        /// A sandbox whose default ledger and key are set up (`privctl init`), unless `setUp` is false.
        init(setUp: Bool = true) throws {
            dir = try TemporaryDirectory()
            if setUp {
                let setup = try run(["init"])
                guard setup.status == 0 else { throw ChildProcessError("privctl init failed: \(setup.stderr)") }
            }
        }

        func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Result {
            try start(arguments, environment: extra).wait()
        }

        /// Starts privctl and returns while it runs.
        func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> RunningProcess {
            var environment: [String: String?] = [
                "HOME": dir.url.path, "XDG_DATA_HOME": nil, "XDG_CONFIG_HOME": nil, "PRIVCTL_LEDGER": nil,
                "PRIVCTL_KEY": nil, "PRIVCTL_POLICY": nil, "PRIVCTL_HOST": "test-host", "PRIVCTL_STATE_DIR": nil,
                // No system configuration file: a machine's /etc/privctl/privctl.conf stays out.
                "PRIVCTL_CONFIG": "none",
            ]
            for (k, v) in extra { environment[k] = v }
            return try ChildProcess.start(PrivctlCommandTests.executable.path, arguments, environment: environment)
        }

        /// How many events the sandbox's default ledger holds.
        func eventCount() throws -> Int {
            let verify = try run(["ledger", "verify", "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any]
            return try #require(object?["events"] as? Int)
        }

        func makeMaildir() throws -> String {
            try dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1))
            try dir.write("Maildir/cur/1794128400.M2P2.mx:2,S", SampleMail.newsletter(n: 1))
            try dir.write("Maildir/.Privat/cur/1795201200.M4P4.mx:2,S", SampleMail.personal(from: "erna@gmx.de"))
            try dir.write("Maildir/.Privat/maildirfolder", "")
            return dir.url.appendingPathComponent("Maildir").path
        }
    }

    @Test func classifyPrintsASummaryAndUsesTheDefaultLedger() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let result = try box.run(["classify", maildir])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("accounting-document"))
        #expect(result.stderr.contains("ledger: 3 retain events"))
        #expect(FileManager.default.fileExists(atPath: box.dir.url.appendingPathComponent(".local/share/privctl/ledger.sqlite").path))
        let key = box.dir.url.appendingPathComponent(".local/share/privctl/pseudonym.key")
        #expect((try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int) == 0o600)
        let again = try box.run(["classify", maildir])
        #expect(again.stderr.contains("0 messages parsed, 3 unchanged"))
        #expect(again.stderr.contains("ledger: 0 retain events"))
        // The index keeps no explanations: --explain parses again, and still records nothing.
        let explained = try box.run(["classify", "--explain", maildir])
        #expect(explained.stdout.contains("rule \"invoice"))
        #expect(explained.stderr.contains("3 messages parsed"))
        #expect(explained.stderr.contains("ledger: 0 retain events"))
    }

    /// A message file of a Maildir named on its own is the message its folder holds: classifying
    /// it alone records nothing new, and erasing it records one erase event, not a second one
    /// ("removed outside privctl") when the folder is classified next.
    @Test func aMaildirMessageNamedOnItsOwnIsTheFoldersMessage() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        #expect(try box.run(["classify", maildir]).status == 0)
        let before = try box.eventCount()
        let personal = maildir + "/.Privat/cur/1795201200.M4P4.mx:2,S"
        let alone = try box.run(["classify", personal])
        #expect(alone.status == 0 && alone.stderr.contains("ledger: 0 retain events"), "\(alone.stderr)")
        #expect(try box.run(["classify", maildir]).stderr.contains("ledger: 0 retain events"))
        #expect(try box.eventCount() == before)

        let erased = try box.run(["erase", "--subject", "erna@gmx.de", personal])
        #expect(erased.status == 0, "\(erased.stderr)")
        let afterErasure = try box.eventCount()  // the request's events and the erase event
        let next = try box.run(["classify", maildir])
        #expect(next.status == 0 && !next.stderr.contains("erase event"), "\(next.stderr)")
        #expect(try box.eventCount() == afterErasure)
        let erases = try box.run(["ledger", "show", "--kind", "erase"])
        #expect(erases.stdout.split(separator: "\n").count == 1, "\(erases.stdout)")
    }

    /// The same for files of LAYOUT=fs folders (`Projekte/`, `Alt/2019/` under a plain
    /// directory: the store is still the Maildir) and for a copy that kept its name in another
    /// folder: named on their own they are the messages the Maildir's scan knows, so classifying
    /// them records nothing and erasing one records one erase event.
    @Test func layoutFSFilesAndCopiesNamedOnTheirOwnAreTheFoldersMessages() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        try box.dir.write("Maildir/Projekte/cur/1795201300.M5P5.mx:2,S", SampleMail.personal(from: "otto@example.org"))
        try box.dir.write("Maildir/Alt/2019/cur/1795201400.M6P6.mx:2,S", SampleMail.personal(from: "paula@example.org"))
        try box.dir.write("Maildir/.Privat/cur/1795201300.M5P5.mx:2,S", SampleMail.personal(from: "otto@example.org"))
        #expect(try box.run(["classify", maildir]).status == 0)
        let before = try box.eventCount()
        let nested = maildir + "/Alt/2019/cur/1795201400.M6P6.mx:2,S"
        let copy = maildir + "/.Privat/cur/1795201300.M5P5.mx:2,S"
        for file in [maildir + "/Projekte/cur/1795201300.M5P5.mx:2,S", nested, copy] {
            let alone = try box.run(["classify", file])
            #expect(alone.status == 0 && alone.stderr.contains("ledger: 0 retain events"), "\(file): \(alone.stderr)")
        }
        #expect(try box.run(["classify", maildir]).stderr.contains("ledger: 0 retain events"))
        #expect(try box.eventCount() == before)

        for (address, file) in [("paula@example.org", nested), ("otto@example.org", copy)] {
            let erased = try box.run(["erase", "--subject", address, file])
            #expect(erased.status == 0, "\(erased.stderr)")
            let afterErasure = try box.eventCount()
            let next = try box.run(["classify", maildir])
            #expect(next.status == 0 && !next.stderr.contains("erase event"), "\(file): \(next.stderr)")
            #expect(try box.eventCount() == afterErasure)
        }
        let erases = try box.run(["ledger", "show", "--kind", "erase"])
        #expect(erases.stdout.split(separator: "\n").count == 2, "\(erases.stdout)")
        // The original of the copy is still there, and still known.
        #expect(FileManager.default.fileExists(atPath: maildir + "/Projekte/cur/1795201300.M5P5.mx:2,S"))
    }

    @Test func classifyJSONHasTheDocumentedKeys() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let result = try box.run(["classify", "--json", "--at", "2026-11-26", maildir])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        // The summary goes to stderr, so stdout is only JSON lines.
        #expect(result.stderr.contains("total"))
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in ["path", "messageId", "category", "retainUntil", "expiresOn", "rule", "subjects"] {
                #expect(object.keys.contains(key), "\(key) missing in \(line)")
            }
            if object["category"] as? String == "newsletter" {
                #expect(object["retainUntil"] is NSNull)
                #expect(object["expiresOn"] as? String == "2027-11-03")
            }
            if object["category"] as? String == "accounting-document" {
                #expect(object["retainUntil"] as? String == "2027-12-31")
                #expect((object["subjects"] as? [String])?.allSatisfy { $0.count == 64 } == true)
            }
        }
    }

    @Test func dueListsOnlyMessagesPastRetention() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let result = try box.run(["classify", "--json", "--due", "--at", "2028-01-01", "--no-record", maildir])
        #expect(result.status == 0)
        let categories = result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["category"] as? String
        }
        // On 2028-01-01 the 2019 invoice (kept until 2027-12-31), the 2026 newsletter (1 year) and
        // the personal message (review after 1 year) are due.
        #expect(Set(categories) == ["accounting-document", "newsletter", "personal"])
        let early = try box.run(["classify", "--json", "--due", "--at", "2027-06-01", "--no-record", maildir])
        #expect(early.stdout.isEmpty)
        #expect(try box.eventCount() == 0, "nothing was recorded")
    }

    @Test func badInputGivesOneLineErrorsAndNonZeroExit() throws {
        let box = try Sandbox()
        let missing = try box.run(["classify", box.dir.url.appendingPathComponent("nope").path])
        #expect(missing.status == 1)
        #expect(missing.stderr == "privctl: error: \(box.dir.url.appendingPathComponent("nope").path): no such file or directory\n")

        let policy = try box.dir.write("policy.yaml", "version: 1\ncategories:\n  - id: invoice\n    perod: 8 years\n")
        let maildir = try box.makeMaildir()
        let bad = try box.run(["classify", "--policy", policy.path, maildir])
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("privctl: error: \(policy.path):"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
        // Nothing was recorded.
        #expect(try box.eventCount() == 0, "nothing was recorded")

        let usage = try box.run(["classify", "--at", "2026-13-01", maildir])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("YYYY-MM-DD"))
    }

    @Test func ledgerShowFiltersBySubjectAndVerifyDetectsTampering() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        #expect(try box.run(["classify", maildir]).status == 0)
        let erna = try box.run(["ledger", "show", "--subject", "ERNA@gmx.de", "--json"])
        #expect(erna.status == 0)
        // Her message's collection and its retention.
        #expect(erna.stdout.split(separator: "\n").count == 2)
        #expect(erna.stdout.contains("\"kind\":\"collect\"") && erna.stdout.contains("\"kind\":\"retain\""))
        #expect(erna.stdout.contains("\"dataCategory\":\"personal\""))
        #expect(!erna.stdout.contains("erna@gmx.de"))
        let retain = try box.run(["ledger", "show", "--kind", "retain"])
        #expect(retain.stdout.split(separator: "\n").count == 3)
        // A Message-ID is found through its keyed hash; the ledger does not hold it.
        let invoice = try box.run(["ledger", "show", "--message-id", "RECHNUNG-1@lieferant.example", "--kind", "retain"])
        #expect(invoice.status == 0, "\(invoice.stderr)")
        #expect(invoice.stdout.split(separator: "\n").count == 1)
        #expect(invoice.stdout.contains("accounting-document"))
        let collected = try box.run(["ledger", "show", "--message-id", "<rechnung-1@lieferant.example>", "--kind", "collect"])
        #expect(collected.stdout.contains("collect") && collected.stdout.contains("received 2019-03-05"), "\(collected.stdout)")
        let none = try box.run(["ledger", "show", "--message-id", "<nobody@example.org>"])
        #expect(none.stdout.isEmpty && none.stderr.contains("no events match"))
        #expect(try box.run(["ledger", "show", "--json"]).stdout.contains("rechnung-1") == false)

        let verified = try box.run(["ledger", "verify"])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("ledger intact: 6 events"))

        let ledger = box.dir.url.appendingPathComponent(".local/share/privctl/ledger.sqlite").path
        try ChildProcess.check(
            "sqlite3", [ledger, "DROP TRIGGER event_append_only_update; UPDATE event SET payload = replace(payload, '2027-12-31', '2021-12-31')"])
        let tampered = try box.run(["ledger", "verify"])
        #expect(tampered.status == 2)
        #expect(tampered.stdout.contains("was changed"))
    }

    /// After classify and erase, the database file holds no address and no Message-ID of the
    /// store in plain text: not in the events, not in the scan index beside them.
    @Test func theLedgerHoldsNoPlainAddressOrMessageID() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        #expect(try box.run(["classify", maildir]).status == 0)
        let erased = try box.run(["erase", "--subject", "erna@gmx.de", maildir])
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(try box.run(["classify", "--json", maildir]).stdout.contains("\"messageId\":\"<rechnung-1@lieferant.example>\""))
        let database = box.dir.url.appendingPathComponent(".local/share/privctl")
        for file in try FileManager.default.contentsOfDirectory(atPath: database.path) where file.hasPrefix("ledger.sqlite") {
            let bytes = try Data(contentsOf: database.appendingPathComponent(file))
            for text in ["erna@gmx.de", "kuchen@gmx.de", "rechnung-1@lieferant.example", "lieferant.example", "newsletter.example", "gmx.de"] {
                #expect(bytes.range(of: Data(text.utf8)) == nil, "\(text) in \(file)")
            }
        }
    }

    @Test func inspectJSONIsWhatTheParserRead() throws {
        let box = try Sandbox()
        let file = try box.dir.write("invoice.eml", SampleMail.invoice(number: 77))
        let result = try box.run(["inspect", "--json", "--explain", file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["messageId"] as? String == "<rechnung-77@lieferant.example>")
        #expect(object["subject"] as? String == "Ihre Rechnung Nr. 77")
        #expect(object["date"] as? String == "2019-03-05T09:15:00Z")
        let parts = try #require(object["parts"] as? [[String: Any]])
        #expect(parts.map { $0["contentType"] as? String } == ["text/plain", "application/pdf"])
        #expect(parts.last?["filename"] as? String == "Rechnung_77.pdf")
        #expect(object["category"] as? String == "accounting-document")
        let from = try #require(object["from"] as? [[String: String]])
        #expect(from == [["name": "Lieferant AG Buchhaltung", "address": "buchhaltung@lieferant.example"]])
    }

    @Test func policyShowAndCheck() throws {
        let box = try Sandbox()
        let shown = try box.run(["policy", "show"])
        #expect(shown.status == 0)
        let file = try box.dir.write("mine.yaml", shown.stdout)
        let checked = try box.run(["policy", "check", file.path])
        #expect(checked.status == 0)
        #expect(checked.stdout.contains("accounting-document"))
    }

    @Test func helpTeaches() throws {
        let box = try Sandbox()
        let help = try box.run(["classify", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--due"))
        #expect(help.stdout.contains("Examples:"))
        let top = try box.run(["--help"])
        for command in ["classify", "inspect", "ledger", "policy"] { #expect(top.stdout.contains(command)) }
    }

    /// `inspect` opens what receipts print: ARCHIVE!MEMBER and ARCHIVE!MBOX#N; and a message
    /// file whose first line is blank (body only), as Python's email reads it.
    @Test func inspectOpensArchiveMembersAndBodyOnlyFiles() throws {
        let box = try Sandbox(setUp: false)
        try box.dir.write("m/one.eml", "From: a@b.example\nSubject: hi\n\nbody\n")
        try box.dir.write("m/box", "From x@y Mon Jan  1 00:00:00 2024\nFrom: x@y.example\nSubject: in mbox\n\nbody\n")
        let blank = try box.dir.write("m/blank.eml", "\nHello, body only.\n")
        let archive = box.dir.url.appendingPathComponent("a.tar.gz").path
        try ChildProcess.check(["tar", "-czf", archive, "-C", box.dir.url.path, "m"])

        let member = try box.run(["inspect", "--json", archive + "!m/one.eml"])
        #expect(member.status == 0, "\(member.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(member.stdout.utf8)) as? [String: Any])
        #expect(object["path"] as? String == archive + "!m/one.eml")
        #expect(object["subject"] as? String == "hi")
        let inMbox = try box.run(["inspect", archive + "!m/box#0"])
        #expect(inMbox.stdout.contains("Subject:    in mbox"), "\(inMbox.stderr)")
        let missing = try box.run(["inspect", archive + "!m/none.eml"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "privctl: warning: \(archive): has no message !m/none.eml\n")

        let bodyOnly = try box.run(["inspect", blank.path])
        #expect(bodyOnly.status == 0, "\(bodyOnly.stderr)")
        #expect(bodyOnly.stdout.contains("no header fields: the message starts with a blank line"))
    }
}
