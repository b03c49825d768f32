import Foundation
import TestSupport
import Testing

/// Data on stdout, summaries on stderr, `--quiet` for cron, `--json` on every command.
@Suite struct OutputConventionTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func dueListsOnlyMessagesOnStdoutSoTheyCanBeCounted() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        // On 2040-01-01 the newsletter and the private message are due; the 2019 invoice too
        // (eight years from the end of 2019), so every line on stdout is one message.
        let due = try box.run(["classify", "--due", "--at", "2040-01-01", maildir])
        #expect(due.status == 0, "\(due.stderr)")
        let lines = due.stdout.split(separator: "\n")
        #expect(lines.count == 3, "\(due.stdout)")
        #expect(lines.allSatisfy { $0.contains("due since") })
        #expect(due.stderr.contains("category") && due.stderr.contains("total"), "the table went to stderr")
    }

    @Test func quietRunsPrintNothingOnStderrWhenAllIsWell() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let classify = try box.run(["classify", "--quiet", maildir])
        #expect(classify.status == 0)
        #expect(classify.stderr.isEmpty, "\(classify.stderr)")
        #expect(classify.stdout.contains("accounting-document"), "the table is the data of a plain classify")
        let expire = try box.run(["expire", "-q", "--at", "2026-12-06", maildir])
        #expect(expire.status == 0, "\(expire.stderr)")
        #expect(expire.stderr.isEmpty, "\(expire.stderr)")
        // A problem is still said on stderr, and in the exit status.
        let missing = try box.run(["classify", "--quiet", box.dir.url.appendingPathComponent("nowhere").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nowhere"))
    }

    @Test(arguments: [
        ["policy", "show", "--json"],
        ["policy", "check", "--json", "POLICY"],
        ["hold", "--list", "--json"],
        ["key", "show", "--json"],
        ["request", "erase", "--subject", "alice@example.org", "--json"],
        ["hold", "--subject", "alice@example.org", "--reason", "LG Köln 2 O 123/26", "--json"],
    ])
    func everyCommandThatPrintsDataPrintsJSON(_ arguments: [String]) throws {
        let box = try Sandbox()
        // Something to list, and a policy file to check.
        _ = try box.run(["hold", "--subject", "bob@example.org", "--reason", "Betriebsprüfung 2026"])
        let policy = try box.run(["policy", "show"]).stdout
        _ = try box.dir.write("policy.yaml", policy)
        let result = try box.run(arguments.map { $0 == "POLICY" ? box.dir.url.appendingPathComponent("policy.yaml").path : $0 })
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            #expect(object is [String: Any], "\(line)")
        }
    }

    @Test func reportTakesJSONLikeEveryOtherCommand() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        let report = try box.run(["report", "--subject", "erna@gmx.de", "--json", maildir])
        #expect(report.status == 0, "\(report.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        #expect(object?["held"] != nil)
    }
}
