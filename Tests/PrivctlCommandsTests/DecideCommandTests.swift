import Foundation
import TestSupport
import Testing

/// `privctl decide`: an application's period runs from the decision on it, recorded in the
/// ledger; until then it is kept for review.
@Suite struct DecideCommandTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    /// An application that arrived on 2026-08-10, and an invoice beside it.
    func maildir(_ box: Sandbox) throws -> (maildir: String, application: String) {
        let application = MessageBuilder(
            from: "Jana Roth <jana.roth@gmx.de>", to: "bewerbung@beispiel-gmbh.de", subject: "Bewerbung als Systemadministratorin",
            date: "Mon, 10 Aug 2026 09:12:00 +0200", messageID: "<bewerbung-roth@gmx.de>",
            body: "Sehr geehrte Damen und Herren,\n\nanbei meine Unterlagen.\n",
            attachments: [("Lebenslauf_Roth.pdf", "application/pdf", "%PDF-1.4 fake")])
        try box.dir.write("Maildir/cur/1786345920.M1P1.mx:2,S", application.text)
        try box.dir.write("Maildir/cur/1551777300.M2P2.mx:2,S", SampleMail.invoice(number: 1))
        let maildir = box.dir.url.appendingPathComponent("Maildir").path
        return (maildir, maildir + "/cur/1786345920.M1P1.mx:2,S")
    }

    func line(_ json: String, containing path: String) throws -> [String: Any] {
        let line = try #require(json.split(separator: "\n").first { $0.contains(path) })
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func theDecisionStartsTheApplicationsPeriod() throws {
        let box = try Sandbox()
        let (maildir, application) = try maildir(box)
        // No decision yet: kept, up for review six months after it arrived; expire leaves it.
        let first = try line(try box.run(["classify", "--json", maildir]).stdout, containing: application)
        #expect(first["category"] as? String == "job-application")
        #expect(first["expiresOn"] as? String == "2027-02-11")
        let explained = try box.run(["classify", "--explain", "--no-record", maildir])
        #expect(explained.stdout.contains("from application-decision, which is not on record: kept, review from 2027-02-11"), "\(explained.stdout)")
        let late = try box.run(["expire", "--at", "2027-06-01", maildir])
        #expect(late.status == 0, "\(late.stderr)")
        #expect(FileManager.default.fileExists(atPath: application), "an undecided application is never erased on its own")

        // The decision on 2026-10-15: three months from then.
        let decided = try box.run(["decide", "application-decision", "--subject", "Jana.Roth@gmx.de", "--day", "2026-10-15", "--json"])
        #expect(decided.status == 0, "\(decided.stderr)")
        #expect(decided.stdout.contains("\"event\":\"application-decision\"") && decided.stdout.contains("\"day\":\"2026-10-15\""))
        let again = try box.run(["classify", "--json", maildir])
        #expect(again.stderr.contains("ledger: 1 retain event"), "only the application's dates changed: \(again.stderr)")
        let second = try line(again.stdout, containing: application)
        #expect(second["expiresOn"] as? String == "2027-01-16")
        let shown = try box.run(["ledger", "show", "--kind", "start", "--json"])
        #expect(shown.stdout.split(separator: "\n").count == 1)
        #expect(!shown.stdout.contains("jana.roth"), "the ledger names her by pseudonym only")
        let report = try box.run(["report", "--subject", "jana.roth@gmx.de"])
        #expect(report.stdout.contains("| 2026-10-15 |") && report.stdout.contains("application decision recorded"), "\(report.stdout)")

        let early = try box.run(["expire", "--at", "2027-01-15", maildir])
        #expect(early.status == 0 && FileManager.default.fileExists(atPath: application))
        let due = try box.run(["expire", "--at", "2027-01-16", maildir])
        #expect(due.status == 0, "\(due.stderr)")
        #expect(!FileManager.default.fileExists(atPath: application))
        #expect(FileManager.default.fileExists(atPath: maildir + "/cur/1551777300.M2P2.mx:2,S"))
    }

    @Test func aDecisionNeedsAnEventOfThePolicyAndADayThatHasBeen() throws {
        let box = try Sandbox()
        _ = try maildir(box)
        let unknown = try box.run(["decide", "contract-end", "--subject", "jana.roth@gmx.de"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no category of the policy starts at \"contract-end\"; it knows application-decision"), "\(unknown.stderr)")
        let future = try box.run(["decide", "application-decision", "--subject", "jana.roth@gmx.de", "--day", "2999-01-01"])
        #expect(future.status == 1)
        #expect(future.stderr.contains("is after today"))
        // A decision before the application arrived concerns an earlier one: it does not start this one's period.
        #expect(try box.run(["decide", "application-decision", "--subject", "jana.roth@gmx.de", "--day", "2026-01-10"]).status == 0)
        let classified = try box.run(["classify", "--json", box.dir.url.appendingPathComponent("Maildir").path])
        #expect(classified.stdout.contains("\"expiresOn\":\"2027-02-11\""), "still waiting for its decision: \(classified.stdout)")
        let nobody = try box.run(["decide", "application-decision"])
        #expect(nobody.status == 64)
        #expect(try box.run(["ledger", "show", "--kind", "start"]).stdout.split(separator: "\n").count == 1)
        // A hold's reason stays in the ledger forever: no address in it.
        let hold = try box.run(["hold", "--subject", "jana.roth@gmx.de", "--reason", "Klage von jana.roth@gmx.de"])
        #expect(hold.status == 1)
        #expect(hold.stderr.contains("--reason must not hold an e-mail address"), "\(hold.stderr)")
    }
}
