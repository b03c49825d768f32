import ArgumentParser
import Foundation
import PostgresLedger
import PrivacyEvents

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

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let target: PostgresURL
        do {
            guard case .postgres(let url) = try LedgerLocation(parsing: to) else {
                throw ValidationError("--to must be a postgres:// URL, got \(to)")
            }
            target = url
        } catch let error as LedgerLocationError {
            throw CommandFailure(error.description)
        }
        let key = try global.loadKey()
        let source = try global.openLedger(key: key)
        guard case .sqlite = source.location else {
            throw CommandFailure("the source ledger \(source.location) is not a SQLite file; give it with --ledger PATH")
        }
        let progress = TerminalProgress()
        let report: LedgerMigration.Report
        do {
            let fleet = try PostgresLedger(url: target)
            defer { fleet.close() }
            let recorded = try fleet.metaValue("pseudonym_key", recordingIfAbsent: key.fingerprint)
            guard recorded == key.fingerprint else {
                throw CommandFailure(
                    "the fleet ledger \(target) was written with pseudonym key \(recorded), but this host's key is \(key.fingerprint); nothing was copied (privctl key import)")
            }
            report = try LedgerMigration.copy(from: source.ledger, to: fleet) { n in
                progress.update("\(formatCount(n)) events copied or checked")
            }
        } catch let error as CommandFailure {
            progress.finish()
            throw error
        } catch {
            progress.finish()
            throw CommandFailure("\(error)")
        }
        progress.finish()
        let out = TextOutput.standardOutput
        if json {
            var line = JSONLine()
            line.add("copied", report.copied)
            line.add("alreadyPresent", report.alreadyPresent)
            line.add("hosts", report.hosts)
            line.add("verified", report.verification.isIntact)
            out.line(line.string)
        } else {
            out.line(
                "copied \(formatCount(report.copied)) event(s), \(formatCount(report.alreadyPresent)) already there, hosts: \(report.hosts.joined(separator: ", ")); the copy verifies")
        }
        out.flush()
    }
}
