import ArgumentParser
import Foundation
import MailStores
import PrivacyEvents
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
            An archive that needs no change is not touched. Every removal is an erase event.

            Idempotent and safe to run from cron: a second scrub changes nothing, two scrubs \
            never run at once (a lock next to the ledger), a corrupt archive is reported and the \
            others go on. Prints one summary line; --metrics writes node_exporter's textfile \
            format.

              17 4 * * *  privctl scrub --all /srv/backups --max-age 90 --metrics /var/lib/node_exporter/textfile/privctl.prom

            Exit status: 0 all done; 1 some archives failed (summary on stderr); 3 a verification \
            failed.
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

    @Flag(help: "Show what would be removed; change and record nothing.")
    var dryRun = false

    @Flag(help: "Print the receipt as one JSON object instead of the summary line.")
    var json = false

    @Option(help: ArgumentHelp("Decide as of this day instead of today.", valueName: "YYYY-MM-DD"))
    var at: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if paths.isEmpty && directories.isEmpty { throw ValidationError("name archives or directories, or --all DIR") }
        if let at, CalendarDay(iso: at) == nil { throw ValidationError("--at must be a day as YYYY-MM-DD, got '\(at)'") }
        if logDays < 0 { throw ValidationError("--log-days must not be negative") }
        if let maxAge, maxAge < 1 { throw ValidationError("--max-age must be at least 1 day") }
    }

    func run() throws {
        let started = Date()
        let all = paths + directories
        let archives: [MailContainer]
        do {
            let scan = try MailStoreFormats.scan(all)
            for problem in scan.problems { warn(problem.description) }
            archives = scan.containers.filter { $0.format.isBackup }
        } catch {
            throw CommandFailure(error.description)
        }
        let policy = try global.loadPolicy()
        let key = try global.loadKey()
        let opened = try global.openLedger(key: key)
        let ledger = opened.ledger
        defer { opened.finish(logger: global.makeLogger("privctl.ledger")) }
        let lock = try ScrubLock(directory: opened.stateDirectory.path)
        defer { lock.release() }
        let day = at.flatMap(CalendarDay.init(iso:)) ?? CalendarDay(Date())
        let absolute = all.map { URL(fileURLWithPath: $0).standardizedFileURL.path }

        var receipt: ErasureReceipt
        var expired: [ArchiveExpiry.Due] = []
        do {
            let holds = try LegalHold.active(in: ledger, on: day)
            // Whole archives past the maximum age first: no need to scrub what goes anyway.
            var remaining = archives
            if let maxAge {
                expired = ArchiveExpiry.due(archives, maxAgeDays: maxAge, today: day, holds: holds)
                let gone = Set(expired.map(\.path))
                remaining = archives.filter { !gone.contains($0.path) }
            }
            var configuration = ErasureRun.Configuration(
                policy: policy, key: key, host: global.environment.host, operation: .scrub,
                selection: .scrub(pending: try PendingRequests.erasureSubjects(in: ledger)), subjects: [], day: day,
                dryRun: dryRun)
            configuration.logBackupDays = logDays
            configuration.recordedBlocks = try PendingRequests.recordedBlocks(in: ledger)
            configuration.limits = global.limits
            let erasure = ErasureRun(
                configuration: configuration, ledger: dryRun ? nil : ledger,
                index: dryRun ? nil : opened.index, holds: holds,
                logger: global.makeLogger("privctl.scrub"))
            receipt = try erasure.run(containers: remaining, paths: absolute)
            if !dryRun && receipt.failed.isEmpty {
                // The requests are carried out on these backups: on record per host.
                let events = try ErasureRequests.carriedOutEvents(
                    for: try ErasureRequests.all(in: ledger), in: ledger, receipt: receipt, paths: absolute,
                    host: global.environment.host)
                try ledger.append(events)
                receipt.eventIds += events.map(\.id.rawValue)
            }
            if !dryRun {
                for due in expired {
                    do {
                        let event = try ArchiveExpiry.delete(due, maxAgeDays: maxAge ?? 0, host: global.environment.host)
                        try ledger.append([event])
                        receipt.eventIds.append(event.id.rawValue)
                    } catch {
                        receipt.failed.append("\(error)")
                    }
                }
            }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(error)")
        }

        let seconds = Date().timeIntervalSince(started)
        let rewritten = receipt.archives.filter(\.rewritten)
        let removed = rewritten.reduce(0) { $0 + $1.messagesRemoved }
        let bytes = rewritten.reduce(0) { $0 + $1.bytesRemoved }
        let summary = "privctl scrub\(dryRun ? " (dry run)" : ""): \(archives.count) archives checked, "
            + "\(dryRun ? receipt.items.filter { $0.action == .erased }.count : removed) items removed from \(dryRun ? "-" : String(rewritten.count)) archives "
            + "(\(formatBytes(bytes))), \(expired.count) archives expired, \(receipt.failed.count) errors, "
            + String(format: "%.1f", seconds) + " s"
        if let metrics {
            try writeMetrics(
                to: metrics,
                values: [
                    ("archives_checked", "Archives read by the last scrub.", Double(archives.count)),
                    ("archives_rewritten", "Archives rewritten by the last scrub.", Double(rewritten.count)),
                    ("archives_expired", "Whole archives deleted by the last scrub.", Double(expired.count)),
                    ("items_removed", "Messages and log members removed by the last scrub.", Double(removed)),
                    ("bytes_removed", "Uncompressed bytes removed by the last scrub.", Double(bytes)),
                    ("errors", "Archives the last scrub could not process.", Double(receipt.failed.count)),
                    ("duration_seconds", "How long the last scrub took.", seconds),
                    ("last_run_timestamp_seconds", "When the last scrub finished.", Date().timeIntervalSince1970),
                ])
        }
        let out = TextOutput.standardOutput
        out.write(json ? receipt.json() + "\n" : summary + "\n")
        out.flush()
        if !receipt.failed.isEmpty {
            TextOutput.standardError.line("privctl: error: scrub: \(receipt.failed.count) archives failed: " + receipt.failed.joined(separator: "; "))
            TextOutput.standardError.flush()
            throw ExitCode(1)
        }
        if let verification = receipt.verification, !verification.passed { throw ExitCode(3) }
    }

    /// node_exporter's textfile format, written to a temporary file and renamed, so the
    /// collector never reads half a file.
    private func writeMetrics(to path: String, values: [(String, String, Double)]) throws {
        var text = ""
        for (name, help, value) in values {
            text += "# HELP privctl_scrub_\(name) \(help)\n# TYPE privctl_scrub_\(name) gauge\nprivctl_scrub_\(name) \(value)\n"
        }
        let temporary = path + ".tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CommandFailure("\(path): cannot write the metrics file") }
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure("\(path): cannot write the metrics file: \(error.localizedDescription)")
        }
    }
}

/// The lock that keeps two scrubs from running at once: flock on `scrub.lock` beside the ledger.
final class ScrubLock {
    private let fd: Int32

    init(directory: String) throws {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/scrub.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandFailure("\(path): cannot open the scrub lock: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw CommandFailure("another privctl scrub is running (\(path) is locked); this one did nothing")
        }
    }

    func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
