import Foundation
import TestSupport
import Testing

/// `privctl report`: the GDPR Art. 15 access report from a fresh scan and the ledger.
@Suite struct ReportCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func theReportNamesCategoriesPurposesRetentionSourcesAndWhatWasDone() throws {
        let box = try Sandbox()
        try box.dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1, to: "Alice <alice@example.org>"))
        try box.dir.write("Maildir/cur/1794128400.M2P2.mx:2,S",
            SampleMail.newsletter(n: 3).replacingOccurrences(of: "Die besten Angebote des Monats.", with: "Abgemeldet: alice@example.org"))
        try box.dir.write("Maildir/cur/1794128401.M3P3.mx:2,S", SampleMail.newsletter(n: 4))
        let maildir = box.dir.url.appendingPathComponent("Maildir").path
        #expect(try box.run(["classify", maildir]).status == 0)

        let json = try box.run(["report", "--subject", "alice@example.org", "--format", "json", "--at", "2026-11-26", maildir])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["storesCovered"] as? [String] == [maildir])
        let held = try #require(object["held"] as? [[String: Any]])
        #expect(Set(held.compactMap { $0["category"] as? String }) == ["accounting-document", "newsletter"])
        let invoice = try #require(held.first { $0["category"] as? String == "accounting-document" })
        #expect(invoice["messages"] as? Int == 1)
        #expect((invoice["retention"] as? String)?.contains("8 years from the end of the calendar year") == true)
        #expect((invoice["legalBasis"] as? String)?.contains("Art. 6(1)(c)") == true)
        #expect(invoice["retainUntil"] as? String == "2027-12-31")
        let sources = try #require(object["sources"] as? [String: Int])
        #expect(sources["To"] == 1, "\(sources)")
        // The ledger's retain events name the people in the headers: the invoice. The newsletter
        // names her only in its text, which is why the report also scans.
        let recorded = try #require(object["recordedRetention"] as? [String: Int])
        #expect(recorded == ["accounting-document": 1])

        // After her erasure request: the newsletter is erased, the invoice blocked.
        #expect(try box.run(["erase", "--subject", "alice@example.org", "--at", "2026-11-26", maildir]).status == 0)
        let markdown = try box.run(["report", "--subject", "alice@example.org", "--at", "2026-11-26", maildir])
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("# Access report (GDPR Art. 15) for alice@example.org"))
        #expect(markdown.stdout.contains("| erased | newsletter | \(maildir) |"))
        #expect(markdown.stdout.contains("| blocked | accounting-document | \(box.dir.url.path)/.privctl-blocked | 2027-12-31 |"), "\(markdown.stdout)")
        #expect(markdown.stdout.contains("| erasure requested |"))
        #expect(markdown.stdout.contains("No message in the stores searched names you."), "blocked mail left the mailbox")

        let html = try box.run(["report", "--subject", "alice@example.org", "--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<td>blocked</td>"))
        #expect(!html.stdout.contains("<alice"), "text is escaped")
    }

    /// One message in the mailbox, an mbox copy and a backup counts once, with its three
    /// places; a duty already past says so.
    @Test func aMessageInSeveralPlacesCountsOnce() throws {
        let box = try Sandbox()
        let invoice = SampleMail.invoice(number: 9, to: "Alice <alice@example.org>")
        try box.dir.write("Maildir/cur/1551777300.M1P1.mx:2,S", invoice)
        try box.dir.write("copies/alice.mbox", "From buchhaltung@lieferant.example Tue Mar  5 09:15:00 2019\n" + invoice + "\n")
        try ChildProcess.check("tar", ["-czf", box.dir.url.appendingPathComponent("backup-2026-11-20.tar.gz").path, "-C", box.dir.url.path, "Maildir"])
        let places = ["Maildir", "copies", "backup-2026-11-20.tar.gz"].map { box.dir.url.appendingPathComponent($0).path }
        let result = try box.run(["report", "--json", "--subject", "alice@example.org", "--at", "2028-06-01"] + places)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let held = try #require((object["held"] as? [[String: Any]])?.first)
        #expect(held["messages"] as? Int == 1)
        #expect(held["copies"] as? Int == 3)
        #expect(held["retainUntil"] as? String == "2027-12-31")
        #expect(held["retainUntilPassed"] as? Bool == true)
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.count == 1)
        #expect((messages.first?["places"] as? [String])?.count == 3)
        let markdown = try box.run(["report", "--subject", "alice@example.org", "--at", "2028-06-01"] + places)
        #expect(markdown.stdout.contains("| 1 (3 copies) |") && markdown.stdout.contains("| 2027-12-31 (ended: due for erasure) |"), "\(markdown.stdout)")
    }

    @Test func aReportNeedsASubjectAndRealPaths() throws {
        let box = try Sandbox()
        let missing = try box.run(["report", "--subject", "alice@example.org", box.dir.url.appendingPathComponent("nope").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope"))
        #expect(try box.run(["report", box.dir.url.path]).status == 64)
    }
}
