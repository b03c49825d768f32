import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl ledger migrate --to URL`.
struct LedgerMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy this host's SQLite ledger into a fleet's PostgreSQL ledger, and verify the copy.",
        discussion: """
            Every event keeps its id, its place in its host's chain and its hash, so the fleet \
            ledger proves the host's history from its first event. Running it again copies \
            nothing twice (events already there are checked, not added). Migrate a host before \
            it writes to the fleet ledger, then point it there:

              privctl ledger migrate --to postgres://mx1@ledger.example.org/privctl
              export PRIVCTL_LEDGER=postgres://mx1@ledger.example.org/privctl

            The source is --ledger / $PRIVCTL_LEDGER (a SQLite file). The fleet ledger must have \
            been written with the same pseudonym key, or be new.
            """
    )

    @Option(help: ArgumentHelp("The fleet ledger, a postgres:// URL.", valueName: "url"))
    var to: String

    @OptionGroup var global: GlobalOptions

    func run() throws {
        if let problem = LedgerMigrationJob.usageProblem(to) { throw ValidationError(problem) }
        let job = try LedgerMigrationJob(to: to)
        let context = try global.context()
        let report = try withProgress { progress in
            try job.run(from: try context.ledger(), key: try context.key()) { n in
                progress.update("\(formatCount(n)) events copied or checked")
            }
        }
        let out = TextOutput.standardOutput
        if global.json {
            var line = JSONLine()
            line.add("copied", report.copied)
            line.add("alreadyPresent", report.alreadyPresent)
            line.add("hosts", report.hosts)
            line.add("verified", report.verified)
            out.line(line.string)
        } else {
            out.line(
                "copied \(formatCount(report.copied)) event(s), \(formatCount(report.alreadyPresent)) already there, hosts: \(report.hosts.joined(separator: ", ")); the copy verifies")
        }
        out.flush()
    }
}
