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
    }
}
