import ArgumentParser
import Foundation
import PrivctlKit

/// `privctl scrub`: the nightly job over backup archives.
struct ScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Apply pending erasure requests and the backup retention to backup archives (for cron).",
        discussion: """
            For each archive (tar, tar.gz/bz2/xz/zst, zip) under the given paths: removes the mail \
            of everyone with an erasure request on record (messages still under a legal \
            retention duty stay and are recorded once as blocked; they go once the duty ends), \
            mail past its retention including the category's backup period, and server log \
            members older than --log-days (default 21) after the archive's date (a date in its \
            name, else its modification day). --max-age deletes whole archives older than that. \
            Every removal is an erase event; an archive that needs none is not touched, and one \
            unchanged since the scrub that last read it, with nothing due, no new policy, hold \
            or decision and no new request for anyone it names, is not read (--full reads all).

            Idempotent and safe to run from cron: a second scrub changes nothing, two runs \
            never run at once (a lock next to the ledger), a corrupt archive is reported and the \
            others go on. Prints one summary line on stderr (none with --quiet; --json prints the \
            receipt on stdout); --metrics writes node_exporter's textfile format.

              17 4 * * * privctl scrub -q --max-age 90 --all /srv/backups

            Exit status: 0 all done; 1 some archives failed (each named on stderr); 3 a \
            verification failed; 4 another run held the lock past --lock-timeout.
            """
    )

    @Argument(help: ArgumentHelp("Archives, or directories searched for archives.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("all"), help: ArgumentHelp("Every archive under this directory; repeatable.", valueName: "dir"))
    var directories: [String] = []

    @Option(help: ArgumentHelp("Days server log members stay in backups after the archive's date.", valueName: "days"))
    var logDays: Int = 21

    @Option(help: ArgumentHelp("Delete whole archives older than this many days.", valueName: "days"))
    var maxAge: Int?

    @Option(help: ArgumentHelp("Write metrics for node_exporter's textfile collector to this file.", valueName: "file"))
    var metrics: String?

    @OptionGroup var empty: AllowEmptyOption

    @Flag(help: "Read every archive, also those the scrub index knows unchanged with nothing due.")
    var full = false

    @OptionGroup var dryRun: DryRunOption

    @OptionGroup var day: DayOption

    @OptionGroup var salvage: SalvageOption

    @OptionGroup var lock: LockTimeoutOption

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if paths.isEmpty && directories.isEmpty { throw ValidationError("name archives or directories, or --all DIR") }
        if logDays < 0 { throw ValidationError("--log-days must not be negative") }
        if let maxAge, maxAge < 1 { throw ValidationError("--max-age must be at least 1 day") }
    }

    func run() throws {
        let context = try global.context(day: day.at, salvage: salvage.salvage, allowEmpty: empty.allowEmpty)
        defer { context.finish() }
        let job = ScrubJob(
            paths: paths + directories, logDays: logDays, maxAgeDays: maxAge, dryRun: dryRun.enabled, useIndex: !full, lockTimeout: lock.lockTimeout)
        let result: ScrubJob.Result
        do {
            result = try withProgress { progress in try job.run(context: context) { progress.update("\(formatCount($0)) messages searched") } }
        } catch {
            if let metrics, !dryRun.enabled { try? RunMetrics.stopped(command: "scrub").write(to: metrics) }
            throw error
        }
        let receipt = result.receipt
        if let metrics { try result.metrics.write(to: metrics) }
        let out = TextOutput.standardOutput
        out.write(global.json ? receipt.json() + "\n" : result.expiredText(dryRun: dryRun.enabled, today: context.day))
        out.flush()
        summarize(result.summary(dryRun: dryRun.enabled))
        receipt.reportFailures()
        try result.exitStatus.exitUnlessSuccess()
    }
}
