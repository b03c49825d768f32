import Foundation
import TestSupport
import Testing

/// A fleet as operators run it: several hosts (processes with their own home, key file, mail
/// and host name) sharing one real PostgreSQL ledger through `--ledger postgres://…`.
@Suite(.enabled(if: PostgresServer.isAvailable, "\(PostgresServer.unavailableReason)"))
struct FleetCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// One mail server of the fleet: its own home (key, spool, message index) and Maildir.
    struct Host {
        let name: String
        let home: URL
        var maildir: String { home.appendingPathComponent("Maildir").path }

        func run(_ box: Sandbox, _ arguments: [String], ledger: String) throws -> PrivctlCommandTests.Result {
            try box.run(arguments, environment: ["HOME": home.path, "PRIVCTL_HOST": name, "PRIVCTL_LEDGER": ledger])
        }
    }

    func makeHost(_ name: String, in box: Sandbox, mail: [(String, String)]) throws -> Host {
        for (file, text) in mail { try box.dir.write("\(name)/Maildir/cur/\(file)", text) }
        try box.dir.write("\(name)/Maildir/new/.keep", "")
        return Host(name: name, home: box.dir.url.appendingPathComponent(name))
    }

    @Test func hostsShareTheKeyRecordIntoOneLedgerAndCarryOutARequestEach() throws {
        let server = try PostgresServer()
        let database = try server.createDatabase()
        let ledger = server.url(database: database)
        let box = try Sandbox()
        let mx1 = try makeHost("mx1", in: box, mail: [
            ("1551777300.M1P1.mx1:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>")),
            ("1794128400.M2P2.mx1:2,S", SampleMail.newsletter(n: 1)),
        ])
        let mx2 = try makeHost("mx2", in: box, mail: [
            ("1794128400.M3P3.mx2:2,S",
             SampleMail.newsletter(n: 2).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org")),
        ])

        // Nothing is set up yet: reading refuses, and records nothing.
        let owner = Host(name: "db", home: box.dir.url.appendingPathComponent("db"))
        let unset = try owner.run(box, ["ledger", "verify"], ledger: ledger)
        #expect(unset.status == 1)
        #expect(unset.stderr.contains("privctl init"), "\(unset.stderr)")

        // mx1 sets up the ledger with its key and records first; mx2 without the key is refused
        // (by init, and by every other command), nothing recorded, no key of its own made.
        let setup = try mx1.run(box, ["init"], ledger: ledger)
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(setup.stdout.contains("created the pseudonym key") && setup.stdout.contains("created the ledger postgres://"))
        let first = try mx1.run(box, ["classify", mx1.maildir], ledger: ledger)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("ledger: 2 retain events"))
        let refused = try mx2.run(box, ["init"], ledger: ledger)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("privctl key export/import"), "\(refused.stderr)")
        #expect(try mx2.run(box, ["classify", mx2.maildir], ledger: ledger).status == 1)
        #expect(try server.psql("SELECT count(*) FROM event", database: database) == "4")

        // The key travels as a 0600 file; a world-readable copy is refused.
        let keyFile = box.dir.url.appendingPathComponent("fleet.key").path
        #expect(try mx1.run(box, ["key", "export", keyFile], ledger: ledger).status == 0)
        var info = stat()
        #expect(stat(keyFile, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let loose = box.dir.url.appendingPathComponent("loose.key").path
        try FileManager.default.copyItem(atPath: keyFile, toPath: loose)
        chmod(loose, 0o644)
        let looseImport = try mx2.run(box, ["key", "import", loose], ledger: ledger)
        #expect(looseImport.status == 1)
        #expect(looseImport.stderr.contains("readable by others"))
        #expect(try mx2.run(box, ["key", "import", keyFile], ledger: ledger).status == 0)
        #expect(try mx2.run(box, ["init"], ledger: ledger).stdout.hasPrefix("already set up"))
        #expect(try mx2.run(box, ["key", "show"], ledger: ledger).stdout.prefix(16)
                == (try mx1.run(box, ["key", "show"], ledger: ledger).stdout.prefix(16)))

        let second = try mx2.run(box, ["classify", mx2.maildir], ledger: ledger)
        #expect(second.status == 0, "\(second.stderr)")
        // An unchanged store records nothing on the next night.
        #expect(try mx1.run(box, ["classify", mx1.maildir], ledger: ledger).stderr.contains("ledger: 0 retain events"))

        // A request recorded on an administrator's machine reaches both mail servers.
        let office = Host(name: "office", home: mx1.home)
        let request = try office.run(box, ["request", "erase", "--subject", "alice@example.org", "--received", "2026-10-01"], ledger: ledger)
        #expect(request.status == 0, "\(request.stderr)")
        let overdue = try office.run(box, ["request", "list", "--at", "2026-11-26"], ledger: ledger)
        #expect(overdue.status == 5)
        #expect(overdue.stdout.contains("mx1                      outstanding"))
        #expect(!overdue.stdout.contains("office"), "a host that holds no data owes nothing")

        let applied1 = try mx1.run(box, ["apply", mx1.maildir], ledger: ledger)
        #expect(applied1.status == 0, "\(applied1.stdout)\(applied1.stderr)")
        let applied2 = try mx2.run(box, ["apply", mx2.maildir], ledger: ledger)
        #expect(applied2.status == 0, "\(applied2.stdout)\(applied2.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mx2.maildir + "/cur/1794128400.M3P3.mx2:2,S"))

        let list = try office.run(box, ["request", "list", "--json", "--at", "2026-11-26"], ledger: ledger)
        #expect(list.status == 0, "\(list.stdout)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any])
        let hosts = try #require(object["hosts"] as? [String: String])
        #expect(hosts["mx1"]?.hasPrefix("blocked in part") == true, "the invoice is under a retention duty: \(hosts)")
        #expect(hosts["mx2"] == "done")

        // The fleet ledger verifies, one chain per host, and holds no address.
        let verify = try office.run(box, ["ledger", "verify", "--json"], ledger: ledger)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains(#""hosts":["mx1","mx2","office"]"#))
        #expect(try server.psql("SELECT count(*) FROM event WHERE payload LIKE '%alice@%'", database: database) == "0")
    }

    @Test(.timeLimit(.minutes(2))) func aHostKeepsWorkingWhileTheLedgerIsDownAndDeliversLater() throws {
        let server = try PostgresServer()
        let database = try server.createDatabase()
        let ledger = server.url(database: database)
        let box = try Sandbox()
        let mx1 = try makeHost("mx1", in: box, mail: [("1551777300.M1P1.mx1:2,S", SampleMail.invoice(number: 1))])
        #expect(try mx1.run(box, ["init"], ledger: ledger).status == 0)
        #expect(try mx1.run(box, ["classify", mx1.maildir], ledger: ledger).status == 0)

        // The server crashes; new mail arrives; the nightly classify still records it, locally.
        try server.stop(mode: "immediate")
        try box.dir.write("mx1/Maildir/cur/1794128400.M2P2.mx1:2,S", SampleMail.newsletter(n: 1))
        try box.dir.write("mx1/Maildir/cur/1794128401.M4P4.mx1:2,S", SampleMail.newsletter(n: 2))
        let offline = try mx1.run(box, ["classify", mx1.maildir], ledger: ledger)
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stderr.contains("ledger: 2 retain events"))
        #expect(offline.stderr.contains("4 event(s) wait in"), "\(offline.stderr)")
        // Erasure needs the ledger (legal holds, requests): it refuses, and changes nothing.
        let erase = try mx1.run(box, ["erase", "--subject", "alice@example.org", mx1.maildir], ledger: ledger)
        #expect(erase.status == 1)
        #expect(FileManager.default.fileExists(atPath: mx1.maildir + "/cur/1794128400.M2P2.mx1:2,S"))

        // Back up: the next run delivers the spooled events once, in order, and verifies.
        try server.start()
        let verify = try mx1.run(box, ["ledger", "verify", "--json"], ledger: ledger)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains(#""events":6"#))
        #expect(try mx1.run(box, ["ledger", "verify"], ledger: ledger).stdout.contains("6 events"))
        #expect(try server.psql("SELECT max(sequence) FROM event WHERE host = 'mx1'", database: database) == "6")
    }

    @Test func migrateCopiesAHostsSQLiteLedgerOnceWithItsChain() throws {
        let server = try PostgresServer()
        let database = try server.createDatabase()
        let url = server.url(database: database)
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        #expect(try box.run(["classify", maildir]).status == 0)
        let local = try box.run(["ledger", "verify", "--json"])
        #expect(local.status == 0)

        let first = try box.run(["ledger", "migrate", "--to", url, "--json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(#""copied":6"#))
        let again = try box.run(["ledger", "migrate", "--to", url, "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains(#""copied":0"#) && again.stdout.contains(#""alreadyPresent":6"#))

        // The fleet ledger holds the same chain: the same head hash as the SQLite ledger.
        let fleet = try box.run(["ledger", "verify", "--json"], environment: ["PRIVCTL_LEDGER": url])
        #expect(fleet.status == 0, "\(fleet.stderr)")
        let head = { (text: String) -> String? in
            (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                .flatMap { $0["heads"] as? [String: String] }?["test-host"]
        }
        #expect(head(fleet.stdout) != nil)
        #expect(head(fleet.stdout) == head(local.stdout))

        // A typo in the URL is one line naming the problem.
        let bad = try box.run(["ledger", "migrate", "--to", "mysql://x@y/z"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unsupported scheme mysql://"), "\(bad.stderr)")
    }
}
