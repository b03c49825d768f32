import Foundation
import TestSupport
import Testing

/// Transfer events: mail we sent carries people's data to recipients outside our own domains;
/// the policy's register names the recipients we work with.
@Suite struct TransferEventTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// The built-in policy with our domain and a register of one recipient.
    func writePolicy(_ box: Sandbox) throws -> String {
        let builtIn = try box.run(["policy", "show", "--built-in"]).stdout
        let policy = builtIn.replacingOccurrences(of: "\nversion: 1\n", with: "\nversion: 1\nown-domains: [muster-hosting.de]\n") + """

            recipients:
              - id: tax-adviser
                name: Steuerberatung Muster & Partner
                kind: third-party
                purpose: Bookkeeping and annual accounts.
                basis: art6-1-c
                law: "AO §147; StBerG §33"
                domains: [stb-muster.de]
                categories: [accounting-document, business-letter]

            """
        try box.dir.write("policy.yaml", policy)
        let path = box.dir.url.appendingPathComponent("policy.yaml").path
        #expect(try box.run(["policy", "check", path]).status == 0)
        return path
    }

    @Test func sentMailToOutsideRecipientsIsATransferRecordedOnce() throws {
        let box = try Sandbox()
        let policy = try writePolicy(box)
        // To the tax adviser with the customer in copy: alice's data goes to the adviser, the
        // adviser's address goes to alice's company. A reply to alice alone carries only her
        // own data back to her: no transfer. Mail among ourselves: no transfer.
        try box.dir.write("Maildir/.Sent/cur/1794128401.M1P1.mx:2,S",
            SampleMail.sent(1, to: "Kanzlei <buero@stb-muster.de>", cc: "Alice <alice@kunde.example>", subject: "Rechnung 4711 zur Buchung"))
        try box.dir.write("Maildir/.Sent/cur/1794128402.M2P2.mx:2,S", SampleMail.sent(2, to: "alice@kunde.example", subject: "Re: Anfrage"))
        try box.dir.write("Maildir/.Sent/cur/1794128403.M3P3.mx:2,S", SampleMail.sent(3, to: "jan@muster-hosting.de", subject: "intern"))
        try box.dir.write("Maildir/.Sent/maildirfolder", "")
        try box.dir.write("Maildir/cur/.keep", "")
        let maildir = box.dir.url.appendingPathComponent("Maildir").path

        #expect(try box.run(["classify", "--policy", policy, maildir]).status == 0)
        let shown = try box.run(["ledger", "show", "--kind", "transfer", "--json"])
        let events = shown.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["event"] as? [String: Any]
        }
        #expect(events.count == 2, "\(shown.stdout)")
        let recipients = Set(events.compactMap { $0["recipient"] as? String })
        #expect(recipients == ["tax-adviser", "kunde.example"])
        // No address in the ledger: the recipient is the register's id or a domain.
        #expect(!shown.stdout.contains("alice@") && !shown.stdout.contains("buero@"))
        let toAdviser = try #require(events.first { $0["recipient"] as? String == "tax-adviser" })
        #expect(toAdviser["purpose"] as? String == "Bookkeeping and annual accounts.")

        // Who received alice's data: the ledger answers by her pseudonym.
        let hers = try box.run(["ledger", "show", "--kind", "transfer", "--subject", "alice@kunde.example"])
        #expect(hers.stdout.contains("to tax-adviser"), "\(hers.stdout)")
        #expect(!hers.stdout.contains("to kunde.example"))

        // The next night records no transfer again.
        #expect(try box.run(["classify", "--policy", policy, maildir]).status == 0)
        #expect(try box.run(["ledger", "show", "--kind", "transfer", "--json"]).stdout.split(separator: "\n").count == 2)

        // Her access report names the recipient, and the register's recipients of her categories.
        let report = try box.run(["report", "--policy", policy, "--subject", "alice@kunde.example", "--format", "json", maildir])
        #expect(report.status == 0, "\(report.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let received = try #require(object["recipients"] as? [[String: Any]])
        #expect(received.map { $0["recipient"] as? String } == ["Steuerberatung Muster & Partner (third-party)"])
        #expect(received.first?["transfers"] as? Int == 1)
    }

    @Test func aRegisterWithATypoIsRejectedWithItsLine() throws {
        let box = try Sandbox()
        let builtIn = try box.run(["policy", "show", "--built-in"]).stdout
        try box.dir.write("bad.yaml", builtIn + """

            recipients:
              - id: registry
                name: DENIC eG
                kind: third party
                purpose: Domain registration.
                basis: art6-1-b
            """)
        let bad = try box.run(["policy", "check", box.dir.url.appendingPathComponent("bad.yaml").path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.yaml:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("unknown kind \"third party\""))
        #expect(bad.stderr.contains("third-party"))
    }
}
